/**
 * Batch-normalization demo: two deep MLPs on MNIST, identical but for batch normalization, trained side by side
 * by plain SGD at one learning rate. Every hidden layer of the second net normalises its pre-activations with
 * the mini-batch's statistics (runtime/models/batchnorm.ts) before the non-linearity; the first does not. Every
 * few steps the demo scores both on held-out digits (the BN net with its running statistics, as at inference)
 * and takes a histogram of what each non-linearity receives, layer by layer, on a fixed batch of digits.
 *
 * Each net has its own flat trainer (../runtime/train.ts), and a step is two units of work, one net per call: the
 * plain net's SGD step on the mini-batch, then the BN net's on the same one (on wasm one step of both took 30–50 ms
 * of main thread, too long for a frame). Each net's numbers are those of both trained in one call: neither's
 * gradient depends on the other. Pure: no React, no DOM; one read-back per call.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import { sampleBatches } from '../runtime/sampling';
import { createFlatTrainer, type ParamInit } from '../runtime/train';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages } from '../runtime/data/loader';
import { initLayers } from '../runtime/models/stacked-mlp';
import { BN_EPS, batchNormInfer, batchNormTrain, updateRunning } from '../runtime/models/batchnorm';
import { chunkedSum, measuredRunUnits, trainOrMeasure } from '../runtime/chunked-eval';

export type Activation = 'relu' | 'sigmoid';
/** The two nets, in stacking order. */
export const NETS = ['plain', 'bn'] as const;
export const INPUTS = 784;
export const CLASSES = 10;

export interface BnConfig {
  seed: number;
  act: Activation;
  /** Hidden layers. */
  depth: number;
  width: number;
  /** Plain SGD's learning rate, the same for both nets. */
  lr: number;
  /** Mini-batch size m (Ioffe & Szegedy's MNIST experiment used 60). */
  batchSize: number;
  /** Steps after which training stops. */
  total: number;
  /** Digits in the fixed batch whose activations are histogrammed. */
  probe: number;
  /** Weight of each batch in the running statistics. */
  momentum: number;
}

export const DEFAULT_CONFIG: BnConfig = {
  seed: 1,
  act: 'relu',
  depth: 10,
  width: 64,
  lr: 0.2,
  batchSize: 60,
  total: 400,
  probe: 100,
  momentum: 0.1,
};

/** Histograms of the non-linearities' inputs span [−HIST_RANGE, HIST_RANGE]; values beyond land in the end bins. */
export const HIST_RANGE = 4;
export const HIST_BINS = 32;
/** Test metrics and histograms are measured every this many steps (and at the start and the end). */
export const EVAL_EVERY = 20;
/** Test digits of one measurement job (see {@link measurementJobs}). */
export const TEST_CHUNK = 100;

/**
 * Jobs of one measurement, on a snapshot of the weights and running statistics: the test digits TEST_CHUNK at a
 * time, then the probe batch's histograms. A job is a unit of work, as a training step is, so no frame carries a
 * whole measurement; the snapshot is of the measured step, so the numbers are the same at any frame rate.
 */
export const measurementJobs = (testDigits: number) => Math.ceil(testDigits / TEST_CHUNK) + 1;

/** Units of work of one training step: the plain net's half, then the BN net's. */
export const STEP_UNITS = 2;

/** Units of work of a whole run: `total` steps and a measurement of `jobs` jobs every EVAL_EVERY steps and at the end. */
export const runUnits = (total: number, jobs: number) => measuredRunUnits(STEP_UNITS * total, STEP_UNITS * EVAL_EVERY, jobs);

/** Layer sizes: 784 → depth × width → 10. */
export function layerSizes(depth: number, width: number): number[] {
  return [INPUTS, ...Array.from({ length: depth }, () => width), CLASSES];
}

/**
 * Counts of `values` in `bins` equal bins over [lo, hi], as fractions of the finite values; values outside go to
 * the end bins (so a blown-up layer shows as mass piled at the edges). Writes into `out` at `at`.
 */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins: number, out = new Float32Array(bins), at = 0): Float32Array {
  if (!(hi > lo) || !(bins >= 1)) throw new RangeError(`a histogram needs lo < hi and at least one bin, got [${lo}, ${hi}] and ${bins}`);
  const w = (hi - lo) / bins;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / w)));
    out[at + b]++;
    n++;
  }
  if (n > 0) for (let b = 0; b < bins; b++) out[at + b] /= n;
  return out;
}

/** One measurement: test metrics per net and, per hidden layer and net, the histogram and spread of the non-linearity's input. */
export interface Snapshot {
  step: number;
  /** Cross-entropy and accuracy on the held-out digits per net; the BN net uses its running statistics. */
  testLoss: Float32Array;
  testAcc: Float32Array;
  /** [layer][net × HIST_BINS]: fractions of the probe activations per bin. */
  hist: Float32Array[];
  /** [layer][net]: standard deviation of the non-linearity's input over the probe batch and units. */
  std: Float32Array[];
}

export interface BnFrame {
  steps: number;
  /** Mean training cross-entropy per net over this call's steps; null when none ran. */
  trainLoss: Float32Array | null;
  /** Every measurement so far, oldest first (the model's own list: read, never modify). */
  snapshots: readonly Snapshot[];
}

export interface Digits {
  train: MnistArrays;
  test: MnistArrays;
}

export interface BnRun {
  readonly config: BnConfig;
  readonly sizes: readonly number[];
  /**
   * k units of work, each one net's half of an SGD step (never past config.total; see {@link STEP_UNITS}; a call
   * that ends between the halves returns the same step count and no training loss) or one job of a pending
   * measurement (see {@link measurementJobs}): a measurement starts every EVAL_EVERY steps and at the end, and training waits for it.
   * step(0) completes a pending one at once; the run's first call measures its start at once.
   */
  step(k: number): Promise<BnFrame>;
  dispose(): void;
}

/** The statistics the BN net normalises with: the batch's (training), or fixed ones [H, n] (inference). */
type Norm = { kind: 'batch'; seen?: { mean: tf.Tensor[]; variance: tf.Tensor[] } } | { kind: 'fixed'; mean: tf.Tensor; variance: tf.Tensor };

/** Initial standard deviation: He's √(2/n) for ReLU, LeCun's √(1/n) for the sigmoid. */
export function initStd(act: Activation, fanIn: number): number {
  return Math.sqrt((act === 'relu' ? 2 : 1) / fanIn);
}

function check(cfg: BnConfig): void {
  if (!(Number.isInteger(cfg.depth) && cfg.depth >= 1 && cfg.depth <= 50)) throw new RangeError(`depth must be a whole number in [1, 50], got ${cfg.depth}`);
  if (!(Number.isInteger(cfg.width) && cfg.width >= 2)) throw new RangeError(`width must be a whole number ≥ 2, got ${cfg.width}`);
  if (!(cfg.lr > 0 && Number.isFinite(cfg.lr))) throw new RangeError(`the learning rate must be positive, got ${cfg.lr}`);
  if (!(Number.isInteger(cfg.batchSize) && cfg.batchSize >= 2)) throw new RangeError(`batch normalization needs a mini-batch of at least 2, got ${cfg.batchSize}`);
}

/**
 * The plain and the BN network of one architecture from the same seeded weights, trained by SGD on the same
 * seeded mini-batches of `digits.train` and measured on `digits.test` (its first `probe` digits are the
 * histogram batch). Without digits, nothing trains and nothing is measured.
 */
export function createBnRun(config: Partial<BnConfig> = {}, digits: Digits | null = null): BnRun {
  const cfg: BnConfig = { ...DEFAULT_CONFIG, ...config };
  check(cfg);
  const seeds = mulberry32(cfg.seed);
  const weightSeed = Math.floor(seeds() * 2 ** 32);
  const batches = mulberry32(Math.floor(seeds() * 2 ** 32));
  const sizes = layerSizes(cfg.depth, cfg.width);
  const S = NETS.length;
  const H = cfg.depth;
  const n = cfg.width;
  const net = initLayers(sizes, weightSeed, (fanIn) => initStd(cfg.act, fanIn));
  // The plain net: weights w and biases b. The BN net: the same initial weights v, no bias before BN (β takes
  // its place: the batch mean would cancel it), γ = 1, β = 0 on the hidden layers, and a bias c on the logits.
  const plainParams: ParamInit[] = net.flatMap((layer, l) => [
    { name: `w${l}`, shape: [layer.fanIn, layer.fanOut], values: layer.w.slice() },
    { name: `b${l}`, shape: [layer.fanOut], values: new Float32Array(layer.fanOut) },
  ]);
  const bnParams: ParamInit[] = net.flatMap((layer, l) => {
    const shape = [layer.fanIn, layer.fanOut];
    return l < H
      ? [
          { name: `v${l}`, shape, values: layer.w.slice() },
          { name: `g${l}`, shape: [layer.fanOut], values: new Float32Array(layer.fanOut).fill(1) },
          { name: `be${l}`, shape: [layer.fanOut], values: new Float32Array(layer.fanOut) },
        ]
      : [
          { name: `v${l}`, shape, values: layer.w.slice() },
          { name: `c${l}`, shape: [layer.fanOut], values: new Float32Array(layer.fanOut) },
        ];
  });
  const act = (y: tf.Tensor): tf.Tensor => (cfg.act === 'relu' ? tf.relu(y) : tf.sigmoid(y));

  const t = digits
    ? tf.tidy(() => ({
        trainX: tf.tensor2d(floatImages(digits.train), [digits.train.count, INPUTS]),
        trainY: tf.tensor1d(Int32Array.from(digits.train.labels), 'int32'),
        testX: tf.tensor2d(floatImages(digits.test), [digits.test.count, INPUTS]),
        testY: tf.tensor1d(Int32Array.from(digits.test.labels), 'int32'),
      }))
    : null;
  // Running statistics of the BN net's hidden layers, [H, n] each.
  const running = tf.tidy(() => ({ mean: tf.variable(tf.zeros([H, n]), false), variance: tf.variable(tf.ones([H, n]), false) }));

  /** Logits [M, 10] of the plain net for x [M, 784]; `inputs` collects each non-linearity's input. */
  function forwardPlain(p: Record<string, tf.Tensor>, x: tf.Tensor2D, inputs?: tf.Tensor[]): tf.Tensor2D {
    let h: tf.Tensor = x;
    for (let l = 0; l <= H; l++) {
      h = tf.add(tf.matMul(h as tf.Tensor2D, p[`w${l}`] as tf.Tensor2D), p[`b${l}`]);
      if (l === H) break;
      inputs?.push(h);
      h = act(h);
    }
    return h as tf.Tensor2D;
  }

  /**
   * Logits of the BN net: with norm 'batch' every hidden layer normalises with the batch's statistics (kept
   * for the running averages when `seen` is given); with 'fixed', with the running ones (inference).
   */
  function forwardBn(p: Record<string, tf.Tensor>, x: tf.Tensor2D, norm: Norm, inputs?: tf.Tensor[]): tf.Tensor2D {
    let h: tf.Tensor = x;
    for (let l = 0; l < H; l++) {
      const y = tf.matMul(h as tf.Tensor2D, p[`v${l}`] as tf.Tensor2D);
      let z: tf.Tensor;
      if (norm.kind === 'batch') {
        const o = batchNormTrain(y, p[`g${l}`], p[`be${l}`], [0]);
        z = o.y;
        if (norm.seen) {
          norm.seen.mean.push(tf.keep(o.mean));
          norm.seen.variance.push(tf.keep(o.variance));
        }
      } else {
        const at = (v: tf.Tensor) => tf.slice(v, [l, 0], [1, n]);
        z = batchNormInfer(y, at(norm.mean), at(norm.variance), p[`g${l}`], p[`be${l}`]);
      }
      inputs?.push(z);
      h = act(z);
    }
    return tf.add(tf.matMul(h as tf.Tensor2D, p[`v${H}`] as tf.Tensor2D), p[`c${H}`]) as tf.Tensor2D;
  }

  let seen: { mean: tf.Tensor[]; variance: tf.Tensor[] } = { mean: [], variance: [] };
  const trainers = [
    createFlatTrainer(plainParams, (p, x, y) => crossEntropy2d(forwardPlain(p, x as tf.Tensor2D), tf.oneHot(y as tf.Tensor1D, CLASSES)), { kind: 'sgd', lr: cfg.lr }),
    createFlatTrainer(bnParams, (p, x, y) => crossEntropy2d(forwardBn(p, x as tf.Tensor2D, { kind: 'batch', seen }), tf.oneHot(y as tf.Tensor1D, CLASSES)), { kind: 'sgd', lr: cfg.lr }),
  ];
  /** Training steps completed: both nets' halves. */
  const stepsDone = () => trainers[1].steps;
  // The step under way's mini-batch, which the BN net takes after the plain one: variables that each step's batch is
  // assigned to, so that the tensor count is the same between the halves and between steps.
  const batch = tf.tidy(() => ({ x: tf.variable(tf.zeros([cfg.batchSize, INPUTS]), false), y: tf.variable(tf.zeros([cfg.batchSize], 'int32'), false) }));
  /** Whether the plain net has taken its half of the step under way. */
  let half = false;
  const snapshots: Snapshot[] = [];
  let disposed = false;
  const testCount = digits ? digits.test.count : 0;
  const chunks = Math.ceil(testCount / TEST_CHUNK);
  const per = cfg.probe * n; // probe values per net and layer
  const size = 2 * S + H * S * per; // one measurement: test loss sums and correct counts per net, then the probe values
  /**
   * Job j of a measurement of snapshot `p` (the parameters and the running statistics `rm`, `rv`), as a vector
   * [size] that is zero but for its own part, so that the jobs' sum is the measurement: j < chunks a chunk of the
   * test digits, then the probe batch's non-linearity inputs.
   */
  const job = (p: Record<string, tf.Tensor>, j: number): tf.Tensor => {
    if (j < chunks) {
      const from = j * TEST_CHUNK;
      const rows = Math.min(TEST_CHUNK, testCount - from);
      const x = tf.slice(t!.testX, [from, 0], [rows, INPUTS]);
      const y = tf.slice(t!.testY, [from], [rows]) as tf.Tensor1D;
      const onehot = tf.oneHot(y, CLASSES);
      const logits = [forwardPlain(p, x), forwardBn(p, x, { kind: 'fixed', mean: p.rm, variance: p.rv })];
      const sums = tf.mul(tf.stack([...logits.map((z) => crossEntropy2d(z, onehot)), ...logits.map((z) => accuracy2d(z, y))]), rows);
      return tf.pad(sums, [[0, size - 2 * S]]);
    }
    const probe = tf.slice(t!.testX, [0, 0], [cfg.probe, INPUTS]);
    const plainIn: tf.Tensor[] = [];
    const bnIn: tf.Tensor[] = [];
    forwardPlain(p, probe, plainIn);
    forwardBn(p, probe, { kind: 'batch' }, bnIn);
    const values: tf.Tensor[] = [];
    for (let l = 0; l < H; l++) values.push(plainIn[l].reshape([-1]), bnIn[l].reshape([-1]));
    return tf.pad(tf.concat(values), [[2 * S, 0]]);
  };
  const evaluation = chunkedSum<Record<string, tf.Tensor>>(measurementJobs(testCount), 1, (p, j) => job(p, j));
  const snapshot = () => ({ ...trainers[0].params(), ...trainers[1].params(), rm: tf.clone(running.mean), rv: tf.clone(running.variance) });

  /** Moves the running statistics towards the batch statistics the last step used, and frees those. */
  function absorbSeen(): void {
    const batch = { mean: tf.concat(seen.mean), variance: tf.concat(seen.variance) };
    const next = updateRunning(running, batch, cfg.batchSize, cfg.momentum);
    running.mean.assign(next.mean);
    running.variance.assign(next.variance);
    tf.dispose([...seen.mean, ...seen.variance]);
    seen = { mean: [], variance: [] };
  }

  return {
    config: cfg,
    sizes,
    async step(k: number): Promise<BnFrame> {
      if (disposed) throw new Error('batch-norm demo used after dispose');
      if (!t) return { steps: 0, trainLoss: null, snapshots };
      let steps = 0; // steps completed in this call
      const stepLosses: tf.Tensor[] = []; // each one's training loss per net
      // Measurements fall on the multiples of EVAL_EVERY (and the last step), each on a snapshot of its step, one job
      // per unit of work; training waits for them, so a run replays the same snapshots at any frame rate. A call's
      // completed measurements come back in its one read-back.
      // One net's half of a step per unit; the step's losses are read (on the device) once both halves ran, so a
      // call's mean covers the same steps for both nets wherever it ends.
      const trainOne = () => {
        if (!half) {
          if (stepsDone() >= cfg.total) return false;
          const rows = tf.tensor1d(sampleBatches(t.trainX.shape[0], cfg.batchSize, 1, batches), 'int32');
          batch.x.assign(tf.gather(t.trainX, rows));
          batch.y.assign(tf.gather(t.trainY, rows));
          trainers[0].step(batch.x, batch.y);
          half = true;
          return true;
        }
        trainers[1].step(batch.x, batch.y);
        absorbSeen();
        half = false;
        steps++;
        stepLosses.push(tf.concat(trainers.map((tr) => tr.meanLossTensor().reshape([-1]))));
        const s = stepsDone();
        if (s % EVAL_EVERY === 0 || s === cfg.total) evaluation.start(s, snapshot());
        return true;
      };
      const first = snapshots.length === 0 && evaluation.at === null;
      if (first) evaluation.start(stepsDone(), snapshot()); // the run's first result: measured at once
      if (k > 0 && !first && evaluation.at === null && !half && stepsDone() >= cfg.total) return { steps: stepsDone(), trainLoss: null, snapshots };
      const done: number[] = []; // steps of the measurements completed in this call
      const out = tf.tidy(() => {
        const units = trainOrMeasure(evaluation, k, trainOne, first || k === 0);
        const measured = units.measured.map((m) => (done.push(m.at), m.total));
        const losses = steps > 0 ? [tf.div(tf.addN(stepLosses), steps)] : [];
        const all = tf.concat([...losses, ...measured].length ? [...losses, ...measured] : [tf.zeros([0])]);
        tf.dispose(measured); // kept by chunkedSum, so not the tidy's to free
        return all;
      });
      const a = await readAndDispose(out);
      let o = steps > 0 ? S : 0;
      for (const step of done) {
        const hist: Float32Array[] = [];
        const std: Float32Array[] = [];
        for (let l = 0; l < H; l++) {
          const hl = new Float32Array(S * HIST_BINS);
          const sl = new Float32Array(S);
          for (let s = 0; s < S; s++) {
            const v = a.subarray(o + 2 * S + (l * S + s) * per, o + 2 * S + (l * S + s + 1) * per);
            histogram(v, -HIST_RANGE, HIST_RANGE, HIST_BINS, hl, s * HIST_BINS);
            sl[s] = stdOf(v);
          }
          hist.push(hl);
          std.push(sl);
        }
        const mean = (from: number) => a.slice(o + from, o + from + S).map((v) => v / testCount);
        snapshots.push({ step, testLoss: mean(0), testAcc: mean(S), hist, std });
        o += size;
      }
      return { steps: stepsDone(), trainLoss: steps > 0 ? a.slice(0, S) : null, snapshots };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([...seen.mean, ...seen.variance]);
      evaluation.dispose();
      trainers.forEach((tr) => tr.dispose());
      tf.dispose([batch.x, batch.y]);
      if (t) tf.dispose(Object.values(t));
      tf.dispose([running.mean, running.variance]);
    },
  };
}

/** Mean softmax cross-entropy of logits [M, C] against one-hot targets [M, C]. */
export function crossEntropy2d(logits: tf.Tensor2D, onehot: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/** Fraction of rows whose largest logit is the label. */
export function accuracy2d(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
}

/** Population standard deviation of the values (NaN if any is not finite). */
export function stdOf(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const m = s / v.length;
  let q = 0;
  for (let i = 0; i < v.length; i++) q += (v[i] - m) ** 2;
  return Math.sqrt(q / v.length);
}

export { BN_EPS };
