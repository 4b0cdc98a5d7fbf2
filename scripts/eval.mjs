// Scores a shipped model the way the browser loads it: public/models/<name>/ through loadModel and the
// MNIST test shards of public/data/mnist/ through loadMnist (a file-backed fetch at the site's URLs).
// Usage: node scripts/eval.mjs <cnn|mlp|cnn-0to4> [--backend wasm|cpu] [--root dir]   (`npm run eval -- cnn`)
//   --root dir   the directory served as the site root (default public; needs models/ and data/mnist/)
// Last line of output: `accuracy: 0.9912` (full 10k test set; the 0–4 digits for cnn-0to4).
import { parseArgs } from 'node:util';
import { importTs } from './run-ts.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { backend: { type: 'string' }, root: { type: 'string' } } });
const { evalShipped, MODEL_NAMES, isModelName } = await importTs('scripts/eval-models.ts');
const name = positionals[0];
if (positionals.length !== 1 || !isModelName(name)) {
  console.error(`usage: node scripts/eval.mjs <${MODEL_NAMES.join('|')}> [--backend wasm|cpu] [--root dir]`);
  process.exit(2);
}
const backend = values.backend ?? 'wasm';
if (backend !== 'wasm' && backend !== 'cpu') {
  console.error(`--backend must be wasm or cpu, got ${backend}`);
  process.exit(2);
}
try {
  const r = await evalShipped(name, { backend, publicDir: values.root ?? 'public' });
  console.log(`${name}: ${r.manifest.title}`);
  console.log(`test digits: ${r.count} (${r.manifest.test.subset}); ${r.correct} correct`);
  console.log(`manifest says ${r.manifest.test.accuracy.toFixed(4)}; load ${r.loadSeconds.toFixed(2)} s, eval ${r.evalSeconds.toFixed(2)} s on ${backend}`);
  console.log(`accuracy: ${r.accuracy.toFixed(4)}`);
} catch (e) {
  console.error(`eval ${name}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
