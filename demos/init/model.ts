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
import { callsOfPass, createSegmentedGrad, type ChainSegment } from '../runtime/segmented-grad';
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

/**
 * A training step's forward and backward pass is cut into segments of layers (../runtime/segmented-grad.ts) and
 * spread over several units of work, so that no frame carries a whole step of the deep nets (on wasm one step of
 * four 20-layer nets took 30–50 ms). The first layer (784 inputs: as much arithmetic as several hidden layers) is a
 * segment of its own; the others hold SEGMENT_LAYERS layers each, the loss in the last one.
 */
export const SEGMENT_LAYERS = 4;
/** Forward segments' worth of the pass run per unit of work, a backward segment counting BACKWARD_COST of them. */
export const PASS_UNITS = 6;
export const BACKWARD_COST = 3;

/** The weight layers [from, to) of each segment of a net with `layers` weight layers. */
export function segmentLayers(layers: number): [number, number][] {
  const out: [number, number][] = [[0, 1]];
  for (let l = 1; l < layers; l += SEGMENT_LAYERS) out.push([l, Math.min(layers, l + SEGMENT_LAYERS)]);
  return out;
}

/** Units of work of one training step of a net with `depth` hidden layers (the run's first step takes one). */
export function stepUnits(depth: number): number {
  const n = segmentLayers(depth + 1).length;
  return callsOfPass(n, n, PASS_UNITS, BACKWARD_COST);
}

/**
 * Units of work of a whole run: `total` steps of `depth` hidden layers (the first in one unit) and a measurement of
 * `jobs` jobs every EVAL_EVERY steps and at the end.
 */
export function runUnits(total: number, jobs: number, depth = DEFAULT_CONFIG.depth): number {
  const u = stepUnits(depth);
  return measuredRunUnits(total, EVAL_EVERY, jobs) + (total - 1) * (u - 1);
}

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
 * A training step's pass through the stacked nets `mlp` as a chain of segments (../runtime/segmented-grad.ts), the
 * weight layers [from, to) of `segments` each, the last one ending in the cross-entropy per net against `labels`
 * (its forward result: the step's loss). Each segment's backward result is its parameters' gradient laid end to end
 * in the trainer's order (w, b per layer), so that the segments' results joined are the flat gradient. The first
 * segment takes the mini-batch [1, M, 784], repeated for the nets as forwardStacked does.
 */
export function trainingChain(mlp: StackedMlp, labels: tf.Tensor1D, act: Activation, segments: readonly [number, number][]): ChainSegment[] {
  const L = mlp.layers.length;
  return segments.map(([from, to]) => ({
    params: mlp.layers.slice(from, to).flatMap(({ w, b }) => [w, b]),
    apply(x: tf.Tensor, ps: tf.Tensor[]): tf.Tensor {
      let h = from === 0 ? repeatNets(x as tf.Tensor3D, mlp.nets) : (x as tf.Tensor3D);
      for (let l = from; l < to; l++) {
        h = tf.add(tf.matMul(h, ps[2 * (l - from)] as tf.Tensor3D), ps[2 * (l - from) + 1]) as tf.Tensor3D;
        if (l < L - 1) h = activate(h, act);
      }
      return to === L ? crossEntropy(h, labels) : h;
    },
    ...(to === L ? { forward: (loss: tf.Tensor) => loss } : {}),
    backward: (_dIn: tf.Tensor, dParams: tf.Tensor[]) => tf.concat(dParams.map((d) => tf.reshape(d, [-1]))),
  }));
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

  // The loss a step minimises: the trainer's own step runs it when a call has room for a whole step; otherwise the
  // pass is segmented (below) and applyGradient takes its gradient.
  const trainer = createFlatTrainer(
    stackedParams(nets),
    (p, x, y) => crossEntropy(forwardStacked(stackedMlp(sizes, p), x as tf.Tensor3D, undefined, cfg.act), y as tf.Tensor1D),
    { kind: 'sgd', lr: cfg.lr },
  );
  const pass = createSegmentedGrad();
  // The mini-batch of the step under way, which its pass reads until it finishes: variables that each step's batch
  // is assigned to, so that the tensor count is the same mid-step and between steps.
  const batch = tf.tidy(() => ({ x: tf.variable(tf.zeros([1, cfg.batchSize, INPUTS]), false), y: tf.variable(tf.zeros([cfg.batchSize], 'int32'), false) }));
  /** Whether a step's pass is under way; whether one has finished (the first runs in one call: see trainOne). */
  let stepping = false;
  let warm = false;
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
      let n = 0; // training steps completed in this call
      const units = stepUnits(cfg.depth);
      // One unit of a training step: its pass's next segments; the last unit applies the gradient. A call with room
      // for a whole step (a fast backend's, a test's) takes it at once, as the trainer's own step: the same numbers
      // without the segments' recomputed forward.
      const trainOne = (left: number): boolean | number => {
        let took: number | true = true;
        if (!stepping) {
          if (!digits || trainer.steps >= cfg.total) return false;
          const rows = tf.tensor1d(sampleBatches(digits.train.count, cfg.batchSize, 1, batches), 'int32');
          batch.x.assign(tf.gather(t.trainX!, rows, 1));
          batch.y.assign(tf.gather(t.trainY!, rows));
          if (warm && left >= units) {
            trainer.step(batch.x, batch.y);
            took = units;
          } else {
            pass.start(batch.x, trainingChain(stackedMlp(sizes, trainer.current()), batch.y as tf.Tensor1D, cfg.act, segmentLayers(L)), { inputGrad: false });
            stepping = true;
          }
        }
        if (stepping) {
          // The run's first step in one call: its pass allocates its storage (reused by every later step) at once,
          // so the tensor count is the same after every later call, mid-step or not.
          const r = warm ? pass.advance(PASS_UNITS, BACKWARD_COST) : pass.finish();
          if (!r) return true;
          trainer.applyGradient(tf.concat(r.backward as tf.Tensor[]), r.forward[r.forward.length - 1]!);
          stepping = false;
          warm = true;
        }
        n++;
        const s = trainer.steps;
        if (s % EVAL_EVERY === 0 || s === cfg.total) evaluation.start(s, trainer.params());
        return took;
      };
      const atOnce = k === 0 || !last; // step(0), and the first result: the current step's numbers, at once
      if (atOnce && evaluation.at === null && last?.measuredAt !== before) evaluation.start(before, trainer.params());
      if (!atOnce && evaluation.at === null && !stepping && (!digits || before >= cfg.total)) return { ...last!, steps: before, trainLoss: null }; // nothing to do
      const ats: number[] = [];
      const out = tf.tidy(() => {
        const done = trainOrMeasure(evaluation, k, trainOne, atOnce);
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
      pass.dispose();
      tf.dispose([batch.x, batch.y]);
      tf.dispose(Object.values(t));
    },
  };
}
