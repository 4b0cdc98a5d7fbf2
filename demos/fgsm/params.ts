import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';

/** The attack on the reader's digit: which one, its L∞ budget ε and (PGD) its steps. */
export const attackParams = defineParams({
  attack: {
    kind: 'choice',
    label: 'Attack',
    options: [
      { value: 'fgsm', label: 'FGSM (one step)' },
      { value: 'pgd', label: 'PGD / BIM (iterated)' },
    ],
    default: 'fgsm',
  },
  eps: { kind: 'number', label: 'ε (L∞ budget, pixels in [0, 1])', min: 0, max: 0.5, step: 0.01, default: 0.25 },
  steps: { kind: 'number', label: 'PGD steps', min: 1, max: 40, step: 1, default: 10 },
  stepSize: { kind: 'number', label: 'PGD step size α', min: 0.005, max: 0.25, step: 0.005, default: 0.05 },
});

/** The error-against-ε curves: how many test digits the worker attacks. */
export const curveParams = defineParams({
  count: {
    kind: 'choice',
    label: 'Test digits for the curves',
    options: [
      { value: '200', label: '200' },
      { value: '1000', label: '1,000' },
      { value: '10000', label: 'all 10,000' },
    ],
    default: '1000',
  },
});

/** The digit attacked: a test digit, a drawn one or an upload. */
export const digitParams = digitInputParams(0);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [attackParams, curveParams, digitParams];
