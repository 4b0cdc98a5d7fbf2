import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';

const opt = (value: string, label: string) => ({ value, label });

/** What is explained, and how: changing one recomputes the five maps for the same digit. */
export const explainParams = defineParams({
  target: {
    kind: 'choice',
    label: 'Explain',
    options: [opt('class', 'a class score'), opt('conv1', 'a conv1 unit'), opt('conv2', 'a conv2 unit')],
    default: 'class',
  },
  cls: {
    kind: 'choice',
    label: 'Class',
    options: [opt('top', 'the prediction'), ...Array.from({ length: 10 }, (_, d) => opt(String(d), String(d)))],
    default: 'top',
  },
  unit: { kind: 'number', label: 'Channel', min: 0, max: 31, step: 1, default: 5 },
  randomize: {
    kind: 'choice',
    label: 'Sanity check',
    options: [
      opt('none', 'off'),
      opt('output', 're-draw the output layer'),
      opt('fc1', 're-draw fc1 and above'),
      opt('conv2', 're-draw conv2 and above'),
      opt('conv1', 're-draw every layer'),
    ],
    default: 'none',
  },
  steps: { kind: 'number', label: 'Integrated-gradient steps', min: 1, max: 128, step: 1, default: 8 },
  seed: { kind: 'number', label: 'Seed of the re-drawn weights', min: 1, max: 9999, step: 1, default: 1 },
});

/** The digit explained: not an explanation setting, so it has its own table (and URL keys). */
export const digitParams = digitInputParams(0);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [explainParams, digitParams];
