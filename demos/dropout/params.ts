import { defineParams } from '../runtime/params';

/** The dropout demo's parameters: one table for controls, URL and validation. */
export const dropoutParams = defineParams({
  rate: { kind: 'number', label: 'Dropout rate p (right net)', min: 0, max: 0.9, step: 0.05, default: 0.5 },
  width: {
    kind: 'choice',
    label: 'Hidden layers',
    options: [
      { value: '16', label: '2 × 16' },
      { value: '32', label: '2 × 32' },
      { value: '64', label: '2 × 64' },
      { value: '128', label: '2 × 128' },
    ],
    default: '64',
  },
  nTrain: { kind: 'number', label: 'Training points', min: 20, max: 400, step: 10, default: 80 },
  noise: { kind: 'number', label: 'Noise', min: 0, max: 0.5, step: 0.01, default: 0.25 },
  lr: { kind: 'number', label: 'Adam learning rate', min: 0.001, max: 0.05, step: 0.001, default: 0.01, log: true },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [dropoutParams];
