import { defineParams } from '../runtime/params';

/** The spiral experiment: which activation, and which random matrices T (a seed). */
export const spiralParams = defineParams({
  act: {
    kind: 'choice',
    label: 'Activation after T',
    options: [
      { value: 'relu', label: 'ReLU' },
      { value: 'linear', label: 'none (linear)' },
    ],
    default: 'relu',
  },
  seed: { kind: 'number', label: 'Seed of T', min: 1, max: 9999, step: 1, default: 1 },
});

/** One inverted residual block at stride 1, against MobileNet V1's separable block. Defaults: a 14×14 block of the
 * paper's Table 2 (64 → 96 channels, t = 6). */
export const blockParams = defineParams({
  h: { kind: 'number', label: 'Feature map side h', min: 1, max: 224, step: 1, default: 14 },
  cin: { kind: 'number', label: 'Input channels d′', min: 1, max: 1280, step: 1, default: 64, log: true },
  cout: { kind: 'number', label: 'Output channels d″', min: 1, max: 1280, step: 1, default: 96, log: true },
  t: { kind: 'number', label: 'Expansion t', min: 1, max: 10, step: 1, default: 6 },
  k: {
    kind: 'choice',
    label: 'Depthwise kernel k',
    options: ['3', '5', '7'].map((v) => ({ value: v, label: `${v}×${v}` })),
    default: '3',
  },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [spiralParams, blockParams];
