// Reproduces a page's headline result in Node, as the page computes it.
// Usage: npm run reproduce -- deep-compression [--write] | fgsm [--limit N] | cw [--limit N]
//   deep-compression   prune → share → Huffman on the shipped LeNet-300-100; one line per stage, then
//                      `compression: <ratio>x accuracy: <test accuracy on the 10,000 test digits>`
//   fgsm               FGSM on the shipped cnn, then on the adversarially trained cnn-adv, over the 10,000 test
//                      digits: one line per ε, `eps: 0.25 error: 0.xxxx mean_confidence: 0.xxxx` (cnn-adv's
//                      prefixed `adv-trained `); --limit N: the first N test digits only
//   cw                 Carlini & Wagner's targeted L2 attack on the shipped cnn, the first 100 test digits (--limit N),
//                      target (label + 1) mod 10: `digits: 100 success: 0.xxxx mean_l2: x.xxxx`
//   --write            also save each stage's encoded network and the table to public/models/mlp-deep-compression/
import { parseArgs } from 'node:util';
import { importTs } from './run-ts.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { write: { type: 'boolean' }, limit: { type: 'string' } } });
const TARGETS = ['deep-compression', 'fgsm', 'cw'];
if (positionals.length !== 1 || !TARGETS.includes(positionals[0])) {
  console.error(`usage: npm run reproduce -- <${TARGETS.join('|')}> [--write] [--limit N]`);
  process.exit(2);
}
try {
  const { reproduceDeepCompression, reproduceFgsm, reproduceCw } = await importTs('scripts/reproduce.ts');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new Error(`--limit must be a positive integer, got ${values.limit}`);
  if (positionals[0] === 'fgsm') {
    await reproduceFgsm({ limit });
  } else if (positionals[0] === 'cw') {
    await reproduceCw({ limit });
  } else {
    await reproduceDeepCompression({ write: values.write });
  }
} catch (e) {
  console.error(`reproduce ${positionals[0]}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
