import { defineParams } from '../runtime/params';

/**
 * The MobileNet demo's parameters. D_K and D_F shape both the cost formula and the timed kernels (whose channel
 * counts are swept); M and N only the formula; α and the input side the whole-network count.
 */
export const mobilenetParams = defineParams({
  k: {
    kind: 'choice',
    label: 'Kernel D_K',
    options: ['1', '3', '5', '7'].map((v) => ({ value: v, label: `${v}×${v}` })),
    default: '3',
  },
  m: { kind: 'number', label: 'Input channels M', min: 1, max: 1024, step: 1, default: 512, log: true },
  n: { kind: 'number', label: 'Output channels N', min: 1, max: 1024, step: 1, default: 512, log: true },
  f: {
    kind: 'choice',
    label: 'Feature map D_F',
    options: ['7', '14', '28', '56'].map((v) => ({ value: v, label: `${v}×${v}` })),
    default: '14',
  },
  alpha: {
    kind: 'choice',
    label: 'Width multiplier α',
    options: ['1', '0.75', '0.5', '0.25'].map((v) => ({ value: v, label: v })),
    default: '1',
  },
  input: {
    kind: 'choice',
    label: 'Input side (ρ·224)',
    options: ['224', '192', '160', '128'].map((v) => ({ value: v, label: v })),
    default: '224',
  },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [mobilenetParams];
