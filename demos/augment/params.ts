import { defineParams } from '../runtime/params';

/** The augmentations, in the papers' sizes (224 crops of images rescaled to side S). */
export const augmentParams = defineParams({
  scale: {
    kind: 'choice',
    label: 'Training scale S',
    options: [
      { value: '256', label: 'S = 256 (fixed)' },
      { value: '384', label: 'S = 384 (fixed)' },
      { value: 'jitter', label: 'S ∈ [256, 512] (scale jittering)' },
    ],
    default: 'jitter',
  },
  crop: { kind: 'toggle', label: 'Random crop position (else centre)', default: true },
  flip: { kind: 'toggle', label: 'Random horizontal flip', default: true },
  sigma: { kind: 'number', label: 'Colour jitter σ of α (AlexNet: 0.1)', min: 0, max: 2, step: 0.05, default: 0.1 },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [augmentParams];
