import { defineParams } from '../runtime/params';
import { PRESETS } from './model';

/** The stack (a named one, or built from the custom controls), how its effective field is measured, and channels for the counts. */
export const fieldParams = defineParams({
  stack: {
    kind: 'choice',
    label: 'Stack',
    options: [...Object.entries(PRESETS).map(([value, p]) => ({ value, label: p.label })), { value: 'custom', label: 'custom (below)' }],
    default: 'vgg',
  },
  kernel: { kind: 'number', label: 'Custom: kernel k', min: 1, max: 5, step: 1, default: 3 },
  layers: { kind: 'number', label: 'Custom: convolutions', min: 1, max: 12, step: 1, default: 5 },
  dilation: { kind: 'number', label: 'Custom: dilation', min: 1, max: 2, step: 1, default: 1 },
  poolEvery: { kind: 'number', label: 'Custom: 2×2 pool after every … convs (0: none)', min: 0, max: 4, step: 1, default: 0 },
  weights: {
    kind: 'choice',
    label: 'Weights',
    options: [
      { value: 'random', label: 'random (He), ReLU' },
      { value: 'uniform', label: 'all equal, linear' },
    ],
    default: 'random',
  },
  channels: { kind: 'number', label: 'Channels C (for the counts)', min: 1, max: 1024, step: 1, default: 256 },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [fieldParams];
