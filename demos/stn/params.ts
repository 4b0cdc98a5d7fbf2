import { defineParams } from '../runtime/params';

/** The training run's defaults, shared by the page and `npm run reproduce -- stn`. */
export const STN_DEFAULTS = { seed: 1, steps: 1000 } as const;

/** θ set by hand: rotation, scale, shear and shift, and the test digit it samples. */
export const thetaParams = defineParams({
  degrees: { kind: 'number', label: 'Rotate (°, counter-clockwise)', min: -180, max: 180, step: 5, default: 30 },
  scale: { kind: 'number', label: 'Zoom', min: 0.4, max: 2.5, step: 0.05, default: 1.3 },
  shear: { kind: 'number', label: 'Shear', min: -1, max: 1, step: 0.05, default: 0 },
  tx: { kind: 'number', label: 'Centre x (−1 … 1)', min: -1, max: 1, step: 0.05, default: 0 },
  ty: { kind: 'number', label: 'Centre y (−1 … 1)', min: -1, max: 1, step: 0.05, default: 0 },
  digit: { kind: 'number', label: 'Held-out digit no.', min: 0, max: 999, step: 1, default: 0 },
});

/** The training run (in a worker). */
export const trainParams = defineParams({
  steps: {
    kind: 'choice',
    label: 'Training steps (32 digits each)',
    options: [
      { value: '500', label: '500' },
      { value: '1000', label: '1,000' },
      { value: '2000', label: '2,000' },
    ],
    default: String(STN_DEFAULTS.steps),
  },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: STN_DEFAULTS.seed },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [thetaParams, trainParams];
