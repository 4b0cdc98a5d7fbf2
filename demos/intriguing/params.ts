import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';

const NET_OPTIONS = [
  { value: 'cnn-p1', label: 'CNN on training half P1' },
  { value: 'mlp-p2', label: 'MLP on training half P2' },
  { value: 'cnn', label: 'CNN on 55,000 digits' },
  { value: 'mlp', label: 'MLP on 55,000 digits' },
];

/** Units against random directions: which unit of fc1, the seed of the direction, how many test digits. */
export const unitParams = defineParams({
  unit: { kind: 'number', label: 'Unit i of fc1 (0–127)', min: 0, max: 127, step: 1, default: 4 },
  seed: { kind: 'number', label: 'Seed of the random direction v', min: 1, max: 9999, step: 1, default: 1 },
  count: {
    kind: 'choice',
    label: 'Test digits searched',
    options: [
      { value: '1000', label: '1,000' },
      { value: '5000', label: '5,000' },
    ],
    default: '5000',
  },
});

/** The adversarial digit: made on the source network, tried on the target network; the class it aims at. */
export const attackParams = defineParams({
  source: { kind: 'choice', label: 'Attack made on', options: NET_OPTIONS, default: 'cnn-p1' },
  target: { kind: 'choice', label: 'Tried on', options: NET_OPTIONS, default: 'mlp-p2' },
  goal: {
    kind: 'choice',
    label: 'Class l aimed at',
    options: [{ value: 'next', label: 'next digit (y + 1)' }, ...Array.from({ length: 10 }, (_, d) => ({ value: String(d), label: String(d) }))],
    default: 'next',
  },
});

/** The transfer rate over test digits (a Web Worker): how many. */
export const batchParams = defineParams({
  batch: {
    kind: 'choice',
    label: 'Test digits attacked',
    options: [
      { value: '40', label: '40' },
      { value: '100', label: '100' },
      { value: '500', label: '500' },
    ],
    default: '100',
  },
});

/** The digit attacked: a test digit, a drawn one or an upload. */
export const digitParams = digitInputParams(0);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [unitParams, attackParams, batchParams, digitParams];
