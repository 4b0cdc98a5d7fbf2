/**
 * Initialisation demo: how the spread of the signal changes with depth under four initialisations, forward
 * (the pre-activations) and backward (the gradients), as He et al. (2015, §2.2) derive it, and the same deep
 * networks trained side by side on MNIST digits for a few hundred steps.
 *
 * All S chosen initialisations are one stacked MLP (../runtime/models/stacked-mlp.ts): one batched matMul per
 * layer runs every network, and the runtime's trainer updates all of them with one flat SGD step. Pure: no
 * React, no DOM; each call is one tf.tidy and one read-back.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { gaussian, mulberry32 } from '../runtime/random';
import { sampleBatches } from '../runtime/sampling';
import { createFlatTrainer } from '../runtime/train';
import { chunkedSum, measuredRunUnits, trainOrMeasure } from '../runtime/chunked-eval';
import type { MnistArrays } from '../runtime/data/idx';
import { accuracy, activate, crossEntropy, forwardStacked, initLayers, repeatNets, stackedDigits, stackedMlp, stackedParams, type Activation, type InitStd, type StackedMlp } from '../runtime/models/stacked-mlp';

export type { Activation } from '../runtime/models/stacked-mlp';
export type InitName = 'unit' | 'small' | 'xavier' | 'he';
export const INIT_NAMES: readonly InitName[] = ['unit', 'small', 'xavier', 'he'];

/** The four initialisations: weights w ~ N(0, std²), biases 0. */
export const INITS: Record<InitName, { name: string; std: InitStd }> = {
  unit: { name: 'N(0, 1)', std: () => 1 },
  small: { name: 'N(0, 0.01²)', std: () => 0.01 },
  // Glorot & Bengio's "normalized" variance 2/(fanIn + fanOut) (their uniform draw has the same variance).
  xavier: { name: 'Xavier', std: (fanIn, fanOut) => Math.sqrt(2 / (fanIn + fanOut)) },
  he: { name: 'He', std: (fanIn) => Math.sqrt(2 / fanIn) },
};

/** MNIST images in, ten classes out. */
export const INPUTS = 784;
export const CLASSES = 10;

/** Layer sizes of a network with `depth` hidden layers of `width` units. */
export function layerSizes(depth: number, width: number): number[] {
  return [INPUTS, ...Array.from({ length: depth }, () => width), CLASSES];
}

/**
 * He et al.'s forward prediction for ReLU networks (their eq. 10) on inputs with E[x²] = `inputMeanSquare`:
 * Var[y₁] = n₁·Var[w₁]·E[x²] and, after every ReLU, Var[y_l] = ½·n_l·Var[w_l]·Var[y_{l−1}], n_l the fan-in.
 * Returns the predicted standard deviation of the pre-activations of layers 1 … L (the logits last).
 */
export function predictedForwardStd(init: InitName, sizes: readonly number[], inputMeanSquare = 1): number[] {
  const out: number[] = [];
  let v = inputMeanSquare;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const s = INITS[init].std(sizes[l], sizes[l + 1]);
    v = (l === 0 ? 1 : 0.5) * sizes[l] * s * s * v;
    out.push(Math.sqrt(v));
  }
  return out;
}

/**
 * The backward prediction (their eq. 13) for ReLU networks: a gradient of variance 1 at the logits reaches the
 * input of layer l with Var[Δx_l] = Var[Δx_{l+1}] · ½·n̂_l·Var[w_l] (n̂_l the fan-out; no ½ at the logits,
 * which have no ReLU). Returns the predicted std of the gradient at the input of layers 1 … L (input first).
 */
export function predictedBackwardStd(init: InitName, sizes: readonly number[]): number[] {
  const L = sizes.length - 1;
  const out = new Array<number>(L);
  let v = 1;
  for (let l = L - 1; l >= 0; l--) {
    const s = INITS[init].std(sizes[l], sizes[l + 1]);
    v = (l === L - 1 ? 1 : 0.5) * sizes[l + 1] * s * s * v;
    out[l] = Math.sqrt(v);
  }
  return out;
}

/** Everything that defines a run; a seed plus this replays it exactly. */
export interface InitConfig {
  seed: number;
  inits: readonly InitName[];
  act: Activation;
  /** Hidden layers. */
  depth: number;
  width: number;
  /** Plain SGD's learning rate (no momentum: the initialisation alone decides what trains). */
  lr: number;
  batchSize: number;
  /** Steps after which training stops. */
  total: number;
  /** Random inputs per propagation measurement. */
  probe: number;
}

export const DEFAULT_CONFIG: InitConfig = {
  seed: 1,
  inits: INIT_NAMES,
  act: 'relu',
  depth: 20,
  width: 64,
  lr: 0.05,
  batchSize: 64,
  total: 200,
  probe: 128,
};

/** Spread of the signal through the networks at their current weights: [layer][net]. */
export interface Propagation {
  /** Std of the pre-activations of layers 1 … L (the logits last), over the probe inputs and units. */
  forward: Float32Array[];
  /** Std of the gradient at the input of layers 1 … L (the image first), for unit-variance gradients at the logits. */
  backward: Float32Array[];
}

/** The propagation and the test metrics are measured every this many steps (and at the start and the end). */
export const EVAL_EVERY = 10;
/** Test digits of one measurement job (see {@link measurementJobs}). */
export const TEST_CHUNK = 100;

/**
 * Jobs of one measurement, on a snapshot of the weights: the propagation through each net (one job per net),
 * then the test digits TEST_CHUNK at a time. A job is a unit of work, as a training step is, so no frame carries a
 * whole measurement; the numbers are those of the snapshot's step all the same.
 */
export function measurementJobs(nets: number, testDigits: number): number {
  return nets + (testDigits > 0 ? Math.ceil(testDigits / TEST_CHUNK) : 0);
}

/** Units of work of a whole run: `total` steps and a measurement of `jobs` jobs every EVAL_EVERY steps and at the end. */
export const runUnits = (total: number, jobs: number) => measuredRunUnits(total, EVAL_EVERY, jobs);

/** What the view draws after a step call; per-net arrays follow config.inits. */
export interface InitFrame {
  steps: number;
  /** The propagation at the last complete measurement (step `measuredAt`; the next one is a few units of work away). */
  propagation: Propagation;
  measuredAt: number;
  /** Mean training cross-entropy of each net over this call's steps; null when none ran. */
  trainLoss: Float32Array | null;
  /** With digits: cross-entropy and accuracy on the held-out digits at `measuredAt`, per net (NaN once a net diverged). */
  testLoss: Float32Array | null;
  testAcc: Float32Array | null;
}

/** Training digits and held-out digits for the networks. */
export interface Digits {
  train: MnistArrays;
  test: MnistArrays;
}

export interface InitRun {
  readonly config: InitConfig;
  readonly sizes: readonly number[];
  /**
   * k units of work, each one SGD step (none without digits; never past config.total) or one job of a pending
   * measurement (see {@link measurementJobs}): a measurement starts every EVAL_EVERY steps and at the end, and
   * training waits for it. step(0) measures the current step at once (so does the first call).
   */
  step(k: number): Promise<InitFrame>;
  dispose(): void;
}

function check(cfg: InitConfig): void {
  if (cfg.inits.length === 0) throw new RangeError('choose at least one initialisation');
  if (!(Number.isInteger(cfg.depth) && cfg.depth >= 1 && cfg.depth <= 100)) throw new RangeError(`depth must be a whole number in [1, 100], got ${cfg.depth}`);
  if (!(Number.isInteger(cfg.width) && cfg.width >= 2)) throw new RangeError(`width must be a whole number ≥ 2, got ${cfg.width}`);
  if (!(cfg.lr > 0)) throw new RangeError(`the learning rate must be positive, got ${cfg.lr}`);
}

/**
 * Std over the last two axes of x (samples and units: [S, M, n] → [S], or [L, S, M, n] → [L, S], one per layer and
 * net), each scaled by its largest |x| first so that values near float32's limit (an exploding network) still give a
 * finite spread until x itself overflows.
 */
export function spread<T extends tf.Tensor>(x: T): tf.Tensor {
  return tf.tidy(() => {
    const axes = [x.rank - 2, x.rank - 1];
    const m = tf.max(tf.abs(x), axes, true);
    const safe = tf.where(tf.greater(m, 0), m, tf.onesLike(m));
    const { variance } = tf.moments(tf.div(x, safe), axes);
    return tf.mul(tf.sqrt(variance), safe.reshape(variance.shape));
  });
}

/**
 * Forward and backward spread through `mlp` for probe inputs x [1, M, in] and a unit-variance gradient g
 * [1, M, classes] at the logits: the backward pass is written out (Δx = Δy·Wᵀ, then through the
 * non-linearity's derivative) so that every layer's gradient is measured, not only the parameters'. The hidden
 * layers (all `width` wide) are measured stacked, a few ops for all of them rather than a few per layer.
 * Returns [2, L, S]: forward std per layer, then backward std per layer.
 */
export function measure(mlp: StackedMlp, x: tf.Tensor3D, g: tf.Tensor3D, act: Activation): tf.Tensor3D {
  return tf.tidy(() => {
    const S = mlp.nets;
    const L = mlp.layers.length;
    let h: tf.Tensor3D = repeatNets(x, S);
    const pre: tf.Tensor3D[] = [];
    mlp.layers.forEach(({ w, b }, l) => {
      const y = tf.add(tf.matMul(h, w), b) as tf.Tensor3D;
      pre.push(y);
      if (l < L - 1) h = activate(y, act);
    });
    const back: tf.Tensor3D[] = new Array(L);
    let dy: tf.Tensor3D = repeatNets(g, S);
    for (let l = L - 1; l >= 0; l--) {
      const dx = tf.matMul(dy, mlp.layers[l].w, false, true) as tf.Tensor3D;
      back[l] = dx;
      if (l > 0) {
        const y = pre[l - 1];
        const slope = act === 'relu' ? tf.cast(tf.greater(y, 0), 'float32') : tf.sub(1, tf.square(tf.tanh(y)));
        dy = tf.mul(dx, slope) as tf.Tensor3D;
      }
    }
    // Forward: hidden layers 1 … L−1 stacked, then the logits; backward: the image's gradient, then the hidden ones.
    const forward = tf.concat([spread(tf.stack(pre.slice(0, L - 1))), spread(pre[L - 1]).reshape([1, S])]);
    const backward = tf.concat([spread(back[0]).reshape([1, S]), spread(tf.stack(back.slice(1)))]);
    return tf.stack([forward, backward]) as tf.Tensor3D;
  });
}

/**
 * The chosen initialisations of one architecture as a stacked network, all drawn from the same seeded
 * normal numbers (only the scale differs), probed with seeded N(0, 1) inputs; with digits, trained by SGD
 * on the same seeded mini-batches and evaluated on the held-out digits.
 */
export function createInitRun(config: Partial<InitConfig> = {}, digits: Digits | null = null): InitRun {
  const cfg: InitConfig = { ...DEFAULT_CONFIG, ...config };
  check(cfg);
  const seeds = mulberry32(cfg.seed);
  const seedOf = () => Math.floor(seeds() * 2 ** 32);
  const sizes = layerSizes(cfg.depth, cfg.width);
  const weightSeed = seedOf();
  const nets = cfg.inits.map((name) => initLayers(sizes, weightSeed, INITS[name].std));
  const probeRng = mulberry32(seedOf());
  const normals = (n: number) => Float32Array.from({ length: n }, () => gaussian(probeRng));
  const batches = mulberry32(seedOf());
  const S = cfg.inits.length;
  const L = sizes.length - 1;

  const trainer = createFlatTrainer(
    stackedParams(nets),
    (p, x, y) => crossEntropy(forwardStacked(stackedMlp(sizes, p), x as tf.Tensor3D, undefined, cfg.act), y as tf.Tensor1D),
    { kind: 'sgd', lr: cfg.lr },
  );
  const t = tf.tidy(() => ({
    // One copy per measurement job (one net at a time): not repeated for the S nets.
    probeX: tf.tensor3d(normals(cfg.probe * INPUTS), [1, cfg.probe, INPUTS]),
    probeG: tf.tensor3d(normals(cfg.probe * CLASSES), [1, cfg.probe, CLASSES]),
    ...(digits && stackedDigits(digits, S)),
  }));
  const testCount = digits ? digits.test.count : 0;
  const P = 2 * L * S; // propagation values in a measurement, then S test cross-entropy sums and S correct counts
  /**
   * Job j of a measurement of `p`, as a vector [P + 2S] that is zero but for its own part, so that the sum of the
   * jobs is the measurement: j < S the propagation through net j, then the test digits TEST_CHUNK at a time.
   */
  const job = (p: Readonly<Record<string, tf.Tensor>>, j: number): tf.Tensor => {
    const mlp = stackedMlp(sizes, p);
    if (j < S) {
      const one: StackedMlp = { sizes, nets: 1, layers: mlp.layers.map(({ w, b }) => ({ w: tf.slice(w, [j, 0, 0], [1, -1, -1]), b: tf.slice(b, [j, 0, 0], [1, -1, -1]) })) };
      const m = measure(one, t.probeX, t.probeG, cfg.act); // [2, L, 1]
      return tf.pad(tf.pad(m, [[0, 0], [0, 0], [j, S - 1 - j]]).reshape([-1]), [[0, 2 * S]]);
    }
    const from = (j - S) * TEST_CHUNK;
    const size = Math.min(TEST_CHUNK, testCount - from);
    const y = tf.slice(t.testY!, [from], [size]) as tf.Tensor1D;
    const logits = forwardStacked(mlp, tf.slice(t.testX!, [0, from, 0], [S, size, INPUTS]), undefined, cfg.act);
    return tf.pad(tf.mul(tf.concat([crossEntropy(logits, y), accuracy(logits, y)]), size), [[P, 0]]);
  };
  const evaluation = chunkedSum<Record<string, tf.Tensor>>(measurementJobs(S, testCount), 1, (p, j) => job(p, j));
  let disposed = false;
  let last: Omit<InitFrame, 'steps' | 'trainLoss'> | null = null;

  return {
    config: cfg,
    sizes,
    async step(k: number): Promise<InitFrame> {
      if (disposed) throw new Error('initialisation demo used after dispose');
      const before = trainer.steps;
      // Measuring costs more than a step (a pass over the probes and the test digits through every net): every
      // EVAL_EVERY steps and at the end, on a snapshot, one job per unit of work; training waits for it.
      const trainOne = () => {
        if (!digits || trainer.steps >= cfg.total) return false;
        const rows = tf.tensor1d(sampleBatches(digits.train.count, cfg.batchSize, 1, batches), 'int32');
        trainer.step(tf.gather(t.trainX!, rows, 1), tf.gather(t.trainY!, rows));
        const s = trainer.steps;
        if (s % EVAL_EVERY === 0 || s === cfg.total) evaluation.start(s, trainer.params());
        return true;
      };
      const atOnce = k === 0 || !last; // step(0), and the first result: the current step's numbers, at once
      if (atOnce && evaluation.at === null && last?.measuredAt !== before) evaluation.start(before, trainer.params());
      if (!atOnce && evaluation.at === null && (!digits || before >= cfg.total)) return { ...last!, steps: before, trainLoss: null }; // nothing to do
      let n = 0;
      const ats: number[] = [];
      const out = tf.tidy(() => {
        const done = trainOrMeasure(evaluation, k, trainOne, atOnce);
        n = done.trained;
        const measured = done.measured.map((m) => (ats.push(m.at), m.total));
        // The trainer knows its loss's shape only after a first step: read the mean only when steps ran.
        const parts = n > 0 ? [trainer.meanLossTensor().reshape([-1]), ...measured] : measured;
        const all = tf.concat(parts.length ? parts : [tf.zeros([0])]);
        tf.dispose(measured); // kept by chunkedSum, so not the tidy's to free
        return all;
      });
      const a = await readAndDispose(out);
      ats.forEach((at, i) => {
        const o = (n > 0 ? S : 0) + i * (P + 2 * S);
        const rows = (from: number) => Array.from({ length: L }, (_, l) => a.slice(from + l * S, from + (l + 1) * S));
        const m = o + P;
        last = {
          propagation: { forward: rows(o), backward: rows(o + L * S) },
          measuredAt: at,
          testLoss: digits ? a.slice(m, m + S).map((v) => v / testCount) : null,
          testAcc: digits ? a.slice(m + S, m + 2 * S).map((v) => v / testCount) : null,
        };
      });
      return { ...last!, steps: trainer.steps, trainLoss: n > 0 ? a.slice(0, S) : null };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      evaluation.dispose();
      tf.dispose(Object.values(t));
    },
  };
}
