import { defineParams } from '../runtime/params';

/** The training run's defaults, shared by the page and `npm run reproduce -- super-resolution`. */
export const SR_DEFAULTS = { seed: 1, steps: 400, scale: 2, sigma: 25 } as const;

/** The two networks' training run (in a worker) and what the held-out digits get: the scale and the noise. */
export const restoreParams = defineParams({
  scale: {
    kind: 'choice',
    label: 'Upscaling factor',
    options: [
      { value: '2', label: '×2 (14 → 28 px)' },
      { value: '3', label: '×3 (9 → 27 px)' },
    ],
    default: String(SR_DEFAULTS.scale),
  },
  sigma: { kind: 'number', label: 'Noise σ (of 255)', min: 5, max: 75, step: 5, default: SR_DEFAULTS.sigma },
  steps: { kind: 'choice', label: 'Training steps', options: ['200', '400', '800'].map((v) => ({ value: v, label: v })), default: String(SR_DEFAULTS.steps) },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: SR_DEFAULTS.seed },
});

export const paramTables = [restoreParams];
