import { defineParams } from '../runtime/params';

/** The ShuffleNet demo's parameters: the drawing's groups and channels per group, which V2 guideline to time, a seed. */
export const shufflenetParams = defineParams({
  g: {
    kind: 'choice',
    label: 'Groups g',
    options: ['1', '2', '3', '4', '8'].map((v) => ({ value: v, label: v })),
    default: '3',
  },
  n: { kind: 'number', label: 'Channels per group n', min: 1, max: 8, step: 1, default: 4 },
  guideline: {
    kind: 'choice',
    label: 'V2 experiment to time',
    options: [
      { value: 'g1', label: 'G1: channel ratio c1:c2' },
      { value: 'g2', label: 'G2: number of groups' },
    ],
    default: 'g1',
  },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [shufflenetParams];
