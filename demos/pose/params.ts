import { defineParams } from '../runtime/params';

/** The training run's defaults, shared by the page and `npm run reproduce -- pose`. */
export const POSE_DEFAULTS = { seed: 1, steps: 400, keypoint: 'top' } as const;

/** The keypoint network's training run (in a worker). */
export const poseParams = defineParams({
  keypoint: {
    kind: 'choice',
    label: 'Keypoint',
    options: [
      { value: 'top', label: 'top end of each digit' },
      { value: 'centre', label: 'centre of mass of each digit' },
    ],
    default: POSE_DEFAULTS.keypoint,
  },
  steps: {
    kind: 'choice',
    label: 'Training steps',
    options: [
      { value: '200', label: '200' },
      { value: '400', label: '400' },
      { value: '800', label: '800' },
    ],
    default: String(POSE_DEFAULTS.steps),
  },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: POSE_DEFAULTS.seed },
});

/** The PCK threshold: read live, no retraining. */
export const pckParams = defineParams({
  alpha: { kind: 'number', label: 'PCK threshold α (× the digit’s height)', min: 0.02, max: 0.5, step: 0.01, default: 0.1 },
});

export const paramTables = [poseParams, pckParams];
