// Reproduces a page's headline result in Node, as the page computes it.
// Usage: npm run reproduce -- <target> [--write] [--limit N]
//   deep-compression   prune → share → Huffman on the shipped LeNet-300-100; one line per stage, then
//                      `compression: <ratio>x accuracy: <test accuracy on the 10,000 test digits>`
//   distillation       the distillation page's two students on seeds 1–3: one line per seed, then the mean gain
//   fgsm               FGSM on the shipped cnn, then on the adversarially trained cnn-adv, over the 10,000 test
//                      digits: one line per ε, `eps: 0.25 error: 0.xxxx mean_confidence: 0.xxxx` (cnn-adv's
//                      prefixed `adv-trained `); --limit N: the first N test digits only
//   cw                 Carlini & Wagner's targeted L2 attack on the shipped cnn, the first 100 test digits (--limit N),
//                      target (label + 1) mod 10: `digits: 100 success: 0.xxxx mean_l2: x.xxxx`
//   lime               LIME's agreement between ten seeds, by samples per run, on the first five test digits
//   resnet             the ResNet demo's plain and residual nets at its defaults for depths 2…32: one line per depth
//   wide-resnet        the Wide ResNet demo's deep-thin and shallow-wide nets at its defaults, wide blocks 2 and 1, seeds 1–3
//   one-stage          the one-stage detector page's training job at its defaults (seed 1): mAP@0.5 on 200 held-out
//                      scenes of test digits at every 100 steps, and the training time; --limit N: N steps
//   --write            also save each stage's encoded network and the table to public/models/mlp-deep-compression/
import { parseArgs } from 'node:util';
import { importTs } from './run-ts.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { write: { type: 'boolean' }, limit: { type: 'string' } } });
const limit = values.limit === undefined ? undefined : Number(values.limit);
// Each target's function in scripts/reproduce-results.ts.
const TARGETS = {
  'deep-compression': (m) => m.reproduceDeepCompression({ write: values.write }),
  distillation: (m) => m.reproduceDistillation(),
  fgsm: (m) => m.reproduceFgsm({ limit }),
  cw: (m) => m.reproduceCw({ limit }),
  lime: (m) => m.reproduceLime(),
  resnet: (m) => m.reproduceResnet(),
  'wide-resnet': (m) => m.reproduceWideResnet(),
  'one-stage': (m) => m.reproduceOneStage({ steps: limit }),
};
if (positionals.length !== 1 || !(positionals[0] in TARGETS)) {
  console.error(`usage: npm run reproduce -- <${Object.keys(TARGETS).join('|')}> [--write] [--limit N]`);
  process.exit(2);
}
if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
  console.error(`--limit must be a positive integer, got ${values.limit}`);
  process.exit(2);
}
try {
  await TARGETS[positionals[0]](await importTs('scripts/reproduce-results.ts'));
} catch (e) {
  console.error(`reproduce ${positionals[0]}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
