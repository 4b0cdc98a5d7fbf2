// Trains one of the shipped models from scratch and writes public/models/<name>/ (tfjs layers format +
// manifest.json). Seeded: the same command on the same backend reproduces the same weights.
// Usage: node scripts/train.mjs <cnn|mlp|cnn-0to4|cnn-gap|cnn-adv|…|capsnet|unet-digits> [--steps N] [--out dir] [--quick] [--backend wasm|cpu]
//   --out dir   parent directory of the model directory (default public/models; --quick: a temp dir)
//   --quick     40-step smoke run on small validation/test slices (never ship its output)
// The logic lives in scripts/train-models.ts (imported via ./run-ts.mjs).
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importTs } from './run-ts.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { steps: { type: 'string' }, out: { type: 'string' }, quick: { type: 'boolean' }, backend: { type: 'string' } },
});
const { trainModel, trainCapsnet, trainUnetDigits, MODEL_NAMES, isModelName } = await importTs('scripts/train-models.ts');
const name = positionals[0];
if (name === 'capsnet' && positionals.length === 1) {
  // The capsules page's CapsNet: its own weights format (demos/capsules/model.ts), not a tfjs layers model.
  const steps = values.steps === undefined ? undefined : Number(values.steps);
  const outRoot = values.out ?? (values.quick ? path.join(os.tmpdir(), 'adl-train-quick') : undefined);
  const { dir, manifest } = await trainCapsnet({ outRoot, steps: steps ?? (values.quick ? 20 : undefined), testCount: values.quick ? 500 : undefined, backend: values.backend ?? 'wasm', log: (l) => console.log(l) });
  console.log(`wrote ${dir}: ${manifest.file.path} ${manifest.file.bytes} B`);
  console.log(`accuracy: ${manifest.test.accuracy3.toFixed(4)}`);
  process.exit(0);
}
if (name === 'unet-digits' && positionals.length === 1) {
  // The segmentation page's U-Net: one flat float32 vector (runtime/data/models.ts loadFlatModel).
  const steps = values.steps === undefined ? undefined : Number(values.steps);
  const outRoot = values.out ?? (values.quick ? path.join(os.tmpdir(), 'adl-train-quick') : undefined);
  const { dir, manifest } = await trainUnetDigits({ outRoot, steps: steps ?? (values.quick ? 10 : undefined), backend: values.backend ?? 'wasm', log: (l) => console.log(l) });
  console.log(`wrote ${dir}: ${manifest.file.path} ${manifest.file.bytes} B`);
  console.log(`mean IoU: ${manifest.test.meanIou}`);
  process.exit(0);
}
if (positionals.length !== 1 || !isModelName(name)) {
  console.error(`usage: node scripts/train.mjs <${[...MODEL_NAMES, 'capsnet', 'unet-digits'].join('|')}> [--steps N] [--out dir] [--quick] [--backend wasm|cpu]`);
  process.exit(2);
}
const steps = values.steps === undefined ? undefined : Number(values.steps);
if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) {
  console.error(`--steps must be a positive integer, got ${values.steps}`);
  process.exit(2);
}
const backend = values.backend ?? 'wasm';
if (backend !== 'wasm' && backend !== 'cpu') {
  console.error(`--backend must be wasm or cpu, got ${backend}`);
  process.exit(2);
}
const outRoot = values.out ?? (values.quick ? path.join(os.tmpdir(), 'adl-train-quick') : path.join('public', 'models'));
const { manifest, dir, losses } = await trainModel(name, { outRoot, steps, quick: values.quick, backend, log: (l) => console.log(l) });
const first = losses.slice(0, 10);
const last = losses.slice(-10);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`loss: first ${first.length} steps ${mean(first).toFixed(4)}, last ${last.length} steps ${mean(last).toFixed(4)}`);
console.log(`wrote ${dir}: ${manifest.files.map((f) => `${f.path} ${f.bytes} B`).join(', ')}`);
console.log(`accuracy: ${manifest.test.accuracy.toFixed(4)}`);
