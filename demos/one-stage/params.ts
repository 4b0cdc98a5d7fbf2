import { defineParams } from '../runtime/params';

/** The training run's defaults, shared by the page and `npm run reproduce -- one-stage`. */
export const ONE_STAGE_DEFAULTS = { seed: 1, steps: 600, gamma: 2 } as const;

/** The detector's training run (in a worker). */
export const detectorParams = defineParams({
  steps: {
    kind: 'choice',
    label: 'Training steps',
    options: [
      { value: '300', label: '300' },
      { value: '600', label: '600' },
      { value: '1200', label: '1,200' },
    ],
    default: String(ONE_STAGE_DEFAULTS.steps),
  },
  gamma: { kind: 'number', label: 'Objectness loss: focal γ (0 = cross-entropy)', min: 0, max: 5, step: 0.5, default: ONE_STAGE_DEFAULTS.gamma },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: ONE_STAGE_DEFAULTS.seed },
});

/** The focal-loss panel. */
export const focalParams = defineParams({
  fgamma: { kind: 'number', label: 'Focal γ', min: 0, max: 5, step: 0.1, default: 2 },
  alpha: { kind: 'number', label: 'α (weight of the positives)', min: 0.05, max: 0.95, step: 0.05, default: 0.25 },
});

export const paramTables = [detectorParams, focalParams];
