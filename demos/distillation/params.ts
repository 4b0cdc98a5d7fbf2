import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';
import { DEFAULT_CONFIG } from './model';

/** The distillation demo's training parameters: changing one restarts the two students. */
export const distillParams = defineParams({
  T: { kind: 'number', label: 'Temperature T', min: 1, max: 20, step: 0.5, default: DEFAULT_CONFIG.T },
  alpha: { kind: 'number', label: 'Soft-target weight α', min: 0, max: 1, step: 0.05, default: DEFAULT_CONFIG.alpha },
  perClass: {
    kind: 'choice',
    label: 'Labelled digits per class',
    options: ['10', '20', '50', '100'].map((v) => ({ value: v, label: v })),
    default: String(DEFAULT_CONFIG.perClass),
  },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** The digit whose soft targets are drawn: not a training parameter, so changing it restarts nothing. */
export const digitParams = digitInputParams(4);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [distillParams, digitParams];
