import { defineParams } from '../runtime/params';

/**
 * The quantization demo's parameters: which layer of the shipped LeNet-300-100 to cluster (or all three),
 * the bits per weight (k = 2^bits shared values), how k-means starts, and the seed of the random start.
 */
export const quantizationParams = defineParams({
  layer: {
    kind: 'choice',
    label: 'Layer',
    options: [
      { value: 'fc1', label: 'fc1 (784 × 300)' },
      { value: 'fc2', label: 'fc2 (300 × 100)' },
      { value: 'fc3', label: 'output (100 × 10)' },
      { value: 'all', label: 'all three' },
    ],
    default: 'fc1',
  },
  bits: { kind: 'number', label: 'Bits per weight', min: 1, max: 8, step: 1, default: 3 },
  init: {
    kind: 'choice',
    label: 'k-means start',
    options: [
      { value: 'linear', label: 'linear' },
      { value: 'density', label: 'density' },
      { value: 'random', label: 'random (Forgy)' },
    ],
    default: 'linear',
  },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [quantizationParams];
