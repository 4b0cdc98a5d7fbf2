import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';
import { DEFAULT_K, DEFAULT_LIME } from './model';

const opt = (value: string, label: string) => ({ value, label });

/** LIME's settings: changing one starts the ten runs again. */
export const limeParams = defineParams({
  cls: {
    kind: 'choice',
    label: 'Explain the class',
    options: [opt('top', 'the prediction'), ...Array.from({ length: 10 }, (_, d) => opt(String(d), String(d)))],
    default: 'top',
  },
  block: {
    kind: 'choice',
    label: 'Segments',
    options: [opt('7', '16 blocks of 7×7'), opt('4', '49 blocks of 4×4'), opt('2', '196 blocks of 2×2')],
    default: String(DEFAULT_LIME.block),
  },
  samples: {
    kind: 'choice',
    label: 'Samples per run',
    options: ['50', '100', '200', '500', '1000', '2000'].map((v) => opt(v, v)),
    default: String(DEFAULT_LIME.samples),
  },
  fill: { kind: 'choice', label: 'A switched-off segment is', options: [opt('0', 'black'), opt('0.5', 'grey')], default: '0' },
  width: { kind: 'number', label: 'Kernel width σ', min: 0.05, max: 2, step: 0.05, default: DEFAULT_LIME.width },
  k: { kind: 'number', label: 'Segments shown', min: 1, max: 10, step: 1, default: DEFAULT_K },
  seed: { kind: 'number', label: 'First seed', min: 1, max: 9999, step: 1, default: DEFAULT_LIME.seed },
});

/** The digit explained: its own table, so that picking a digit is a new explanation with the same settings. */
export const digitParams = digitInputParams(0);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [limeParams, digitParams];
