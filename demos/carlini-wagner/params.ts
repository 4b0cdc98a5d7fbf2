import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';
import { CW_DEFAULTS } from '../runtime/models/cw';

/** The targeted attack: which class to reach, the margin κ and the search's budget. Changing one restarts it. */
export const cwParams = defineParams({
  target: {
    kind: 'choice',
    label: 'Target class t',
    options: Array.from({ length: 10 }, (_, d) => ({ value: String(d), label: String(d) })),
    default: '3',
  },
  kappa: { kind: 'number', label: 'Confidence κ', min: 0, max: 20, step: 0.5, default: CW_DEFAULTS.kappa },
  iterations: { kind: 'number', label: 'Adam steps per c', min: 10, max: 200, step: 10, default: CW_DEFAULTS.iterations },
  searchSteps: { kind: 'number', label: 'Binary-search rounds on c', min: 1, max: 9, step: 1, default: CW_DEFAULTS.searchSteps },
});

/** The digit attacked. */
export const digitParams = digitInputParams(0);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [cwParams, digitParams];
