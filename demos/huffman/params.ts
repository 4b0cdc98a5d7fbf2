import { defineParams } from '../runtime/params';

/**
 * The Huffman demo's parameters. Defaults are Deep Compression's setting for LeNet-300-100's first layer
 * (Han, Mao & Dally 2016, Table 2): 8 % of the weights kept, 6-bit cluster indices, 5-bit relative indices.
 */
export const huffmanParams = defineParams({
  layer: {
    kind: 'choice',
    label: 'Layer of the shipped MLP',
    options: [
      { value: 'fc1', label: 'fc1 (784 × 300)' },
      { value: 'fc2', label: 'fc2 (300 × 100)' },
      { value: 'output', label: 'output (100 × 10)' },
    ],
    default: 'fc1',
  },
  stream: {
    kind: 'choice',
    label: 'Symbols coded',
    options: [
      { value: 'weights', label: 'cluster indices of the kept weights' },
      { value: 'gaps', label: 'relative indices (gaps)' },
    ],
    default: 'weights',
  },
  keep: { kind: 'number', label: 'Weights kept (%)', min: 1, max: 100, step: 1, default: 8 },
  bits: { kind: 'number', label: 'Cluster index bits', min: 1, max: 8, step: 1, default: 6 },
  indexBits: { kind: 'number', label: 'Relative index bits', min: 1, max: 8, step: 1, default: 5 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [huffmanParams];
