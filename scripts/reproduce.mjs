// Reproduces a page's headline result in Node, as the page computes it.
// Usage: npm run reproduce -- <target> [--write] [--limit N] [--sweep] [--ablation]
//   deep-compression   prune → share → Huffman on the shipped LeNet-300-100; one line per stage, then
//                      `compression: <ratio>x accuracy: <test accuracy on the 10,000 test digits>`
//   distillation       the distillation page's two students on seeds 1–3: one line per seed, then the mean gain
//   fgsm               FGSM on the shipped cnn, then on the adversarially trained cnn-adv, over the 10,000 test
//                      digits: one line per ε, `eps: 0.25 error: 0.xxxx mean_confidence: 0.xxxx` (cnn-adv's
//                      prefixed `adv-trained `); --limit N: the first N test digits only
//   cw                 Carlini & Wagner's targeted L2 attack on the shipped cnn, the first 100 test digits (--limit N),
//                      target (label + 1) mod 10: `digits: 100 success: 0.xxxx mean_l2: x.xxxx`
//   intriguing         Szegedy et al.'s two properties on the shipped networks: `units:` the label purity of the top 9 test
//                      digits of each fc1 unit of cnn against random directions; `transfer:` the box-constrained attack on
//                      the first 500 test digits (--limit N) of cnn-p1 tried on mlp-p2 (disjoint training halves), the
//                      reverse, cnn on mlp and cnn-p1 on cnn
//   lime               LIME's agreement between ten seeds, by samples per run, on the first five test digits
//   resnet             the ResNet demo's plain and residual nets at its defaults for depths 2…32: one line per depth
//   wide-resnet        the Wide ResNet demo's deep-thin and shallow-wide nets at its defaults, wide blocks 2 and 1, seeds 1–3
//   invariance         the four invariance networks on the first 1,000 test digits (--limit N) shifted by −8…+8 px,
//                      then rotated by −90…+90°: `shift: 3 inv-stride: 0.xxxx inv-pool: … inv-pool-aug: 0.xxxx`
//   transfer           the transfer-learning page's seven networks at k = 1, 5 and 20 digits per class, seeds 1–3:
//                      one line per k and seed (accuracy on the test digits 5–9), then the means per k
//   batchnorm          the batch-normalization demo's plain and BN nets for each setting of its page's "try" box:
//                      one line per quoted step, test accuracy and loss of both and the last hidden layer's spread
//   label-smoothing    the label-smoothing demo's hard and smoothed nets after 600 steps at ε = 0.1, 0.02, 0.3:
//                      accuracy, mean confidence, logit gap and ECE of each, one line per ε
//   prelu              the PReLU demo's three nets after 400 steps: their accuracy, then the slopes per hidden layer
//   pruning            the shipped LeNet-300-100 pruned to 8 / 9 / 26 % (all 10,000 test digits), retrained 300 steps
//                      as the demo does (its 1,000 test digits), and the asides' one-layer cuts
//   schedules          the schedules demo's race at its defaults: per schedule the final train and test loss and the
//                      range of the train loss over the last 50 steps (the page's table)
//   dropout            the dropout demo's pair at its defaults, seeds 1–5, 300 steps: train/test loss and accuracy
//   detection-metrics  the shipped cnn slid over 24 scenes of MNIST test digits; NMS per class; mAP over the digits:
//                      one line per NMS method (--write: ship the scenes and raw windows to public/models/cnn-sliding-window/)
//   one-stage          the one-stage detector page's training job at its defaults (seed 1): mAP@0.5 on 200 held-out
//                      scenes of test digits at every 100 steps, and the training time; --limit N: N steps
//   pose               the pose page's keypoint network trained by its job at its defaults (seed 1, top ends, 400
//                      steps): PCK@0.1 on the digits of 200 held-out scenes every 50 steps, PCK at α = 0.05…0.5 and
//                      the training time; --limit N: N steps
//   stn                the Spatial Transformer page's training job at its defaults (seed 1, 1,000 steps): the STN's and
//                      the plain CNN's accuracy on 1,000 distorted held-out test digits every 100 steps, both test errors
//                      and the training time last; --limit N: N steps
//   efficientnet       the EfficientNet page's search job at its defaults (seed 1, 150 steps, 6 grid candidates) on
//                      wasm: one line per child, the chosen α β γ and the time (--write: demos/efficientnet/shipped.json)
//   capsules           the shipped CapsNet on the 10,000 test digits (--limit N) with 1, 2, 3 and 5 routing iterations,
//                      `iterations: 3 accuracy: 0.xxxx error: x.xx %`; its training time; the parts panel after 3 iterations
//   segmentation       the segmentation page's U-Net training job at its defaults (seed 1), with and without skips:
//                      mean IoU and pixel accuracy on 100 held-out scenes of test digits every 50 steps, the IoU of
//                      each class and the training time; --limit N: N steps; --ablation: then the recipe with one
//                      change undone at a time, `ablation: <change> miou: 0.xxxx … ms_per_step: N`
//   automl             the AutoML pages' searches on the benchmark of public/data/nasbench/ (npm run nasbench): its size,
//                      training time and accuracy range, then for budgets 50…300 and 100 seeds (--limit N: N seeds) the
//                      mean ± std and quartiles of the test accuracy of the best cell found (chosen by validation) by aging
//                      and non-aging evolution, random search, REINFORCE with the LSTM controller and with the independent
//                      softmax: `budget: 100 aging (…): test 85.10 ± 0.40 …`; --sweep: the LSTM's step-size sweep on seed 2
//   xnor               XNOR-Net: cnn, cnn-bwn and cnn-xnor scored binarised on the 10,000 test digits (--limit N),
//                      `full: cnn accuracy: 0.xxxx`, then the page's kernel timings (tfjs conv2d on wasm, JavaScript
//                      float loop, bit-packed XNOR-popcount), one `timing:` line per layer shape
//   super-resolution   the super-resolution page's training job (ESPCN and the denoiser side by side, seed 1) at ×2,
//                      σ = 25 and at ×3, σ = 50: PSNR / SSIM on 100 held-out test digits every 50 steps, then per run
//                      ESPCN against bicubic, the denoiser against its noisy input, and the training time; --limit N: N steps
//   --write            also save each stage's encoded network and the table to public/models/mlp-deep-compression/
import { parseArgs } from 'node:util';
import { importTs } from './run-ts.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { write: { type: 'boolean' }, sweep: { type: 'boolean' }, limit: { type: 'string' }, ablation: { type: 'boolean' } } });
const limit = values.limit === undefined ? undefined : Number(values.limit);
// Each target's function in scripts/reproduce-results.ts.
const TARGETS = {
  'deep-compression': (m) => m.reproduceDeepCompression({ write: values.write }),
  distillation: (m) => m.reproduceDistillation(),
  fgsm: (m) => m.reproduceFgsm({ limit }),
  cw: (m) => m.reproduceCw({ limit }),
  intriguing: (m) => m.reproduceIntriguing({ limit }),
  lime: (m) => m.reproduceLime(),
  resnet: (m) => m.reproduceResnet(),
  'wide-resnet': (m) => m.reproduceWideResnet(),
  invariance: (m) => m.reproduceInvariance({ limit }),
  transfer: (m) => m.reproduceTransfer(),
  batchnorm: (m) => m.reproduceBatchnorm(),
  'label-smoothing': (m) => m.reproduceLabelSmoothing(),
  prelu: (m) => m.reproducePrelu(),
  pruning: (m) => m.reproducePruning(),
  schedules: (m) => m.reproduceSchedules(),
  dropout: (m) => m.reproduceDropout(),
  'detection-metrics': (m) => m.reproduceDetectionMetrics({ write: values.write }),
  'one-stage': (m) => m.reproduceOneStage({ steps: limit }),
  pose: (m) => m.reproducePose({ steps: limit }),
  stn: (m) => m.reproduceStn({ steps: limit }),
  efficientnet: (m) => m.reproduceEfficientnet({ write: values.write }),
  capsules: (m) => m.reproduceCapsules({ limit }),
  'super-resolution': (m) => m.reproduceSuperResolution({ steps: limit }),
  segmentation: (m) => m.reproduceSegmentation({ steps: limit, ablation: values.ablation }),
  automl: (m) => m.reproduceAutoml({ runs: limit, sweep: values.sweep }),
  xnor: (m) => m.reproduceXnor({ limit }),
};
if (positionals.length !== 1 || !(positionals[0] in TARGETS)) {
  console.error(`usage: npm run reproduce -- <${Object.keys(TARGETS).join('|')}> [--write] [--limit N] [--sweep] [--ablation]`);
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
