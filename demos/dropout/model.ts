/**
 * Dropout demo: two identical small networks (same architecture, same initial weights, same batches)
 * trained side by side on a small noisy two-moons set, one plain and one with inverted dropout on its
 * hidden layers (Srivastava et al. 2014, JMLR 15:1929). The plain one fits the training noise; the
 * dropout one fits it less and generalises better, which the train and test loss curves show.
 * Also: MC dropout (Gal & Ghahramani 2016, arXiv:1506.02142), the predictive mean and spread of T
 * stochastic forward passes.
 *
 * Both networks live in the same tensors, stacked along a leading "net" axis of size 2 (net 0 plain,
 * net 1 dropout): one batched matMul per layer trains both, the runtime's trainer (../runtime/train.ts)
 * updates both with one Adam step over one vector, and at rate 0 the two slices stay bit-identical.
 * Pure: no React, no DOM; each call is one tf.tidy and one read-back.
 */
import { readAndDispose, tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import { mulberry32, type Rng } from '../runtime/random';
import { gridPoints, type Box } from '../runtime/grid';
import { sampleBatches } from '../runtime/sampling';
import { createFlatTrainer } from '../runtime/train';
import { DATA_DEFAULTS, type DataOptions, type MoonsData } from '../runtime/data/moons';
import { pairData, pairSeeds } from './data';
import { accuracy, crossEntropy, forwardStacked, initLayers, stackedMlp, stackedParams, type StackedMlp } from '../runtime/models/stacked-mlp';

// ---------------------------------------------------------------------------------------------------
// Dropout on the stacked MLP (../runtime/models/stacked-mlp.ts)
// ---------------------------------------------------------------------------------------------------

/**
 * Inverted dropout at training time: each unit is kept with probability 1 − p (mask m ~ Bernoulli(1 − p))
 * and kept units are scaled by 1/(1 − p), so E[m·h/(1 − p)] = h and the test-time network is the plain
 * one, with no rescaling. `rate` may be a tensor that broadcasts against h (one rate per stacked net).
 * The uniforms come from the seeded `rng` (so a URL seed replays the masks); at rate 0 every u ≥ 0
 * passes and the scale is 1: the identity, exactly.
 */
export function dropout(h: tf.Tensor, rate: number | tf.Tensor, rng: Rng): tf.Tensor {
  const u = new Float32Array(h.size);
  for (let i = 0; i < u.length; i++) u[i] = rng();
  return tf.tidy(() => {
    const mask = tf.cast(tf.greaterEqual(tf.tensor(u, h.shape), rate), 'float32'); // 1 with probability 1 − p
    return tf.div(tf.mul(h, mask), tf.sub(1, rate)); // scale kept units by 1/(1 − p)
  });
}

/**
 * Logits [S, M, classes] of the S stacked networks for inputs x [1 or S, M, in]. With `rates` (a tensor
 * broadcasting as [S, 1, 1], one dropout rate per net) and `rng`, each hidden layer's ReLU output goes
 * through dropout; with rates = null (test time) there is no dropout at all and the output is
 * deterministic.
 */
export function forward(mlp: StackedMlp, x: tf.Tensor3D, rates: tf.Tensor | null = null, rng?: Rng): tf.Tensor3D {
  return forwardStacked(mlp, x, rates && rng ? (h) => dropout(h, rates, rng) as tf.Tensor3D : undefined);
}


/**
 * MC dropout: T stochastic forward passes (dropout on, at each net's rate) of the points x [M, 2],
 * batched as one pass over T copies of x. Returns the class-1 probability's mean and standard deviation
 * over the T passes (population std, divided by T), each [S, M]. At rate 0 the std is exactly 0.
 */
export function mcDropout(
  mlp: StackedMlp,
  x: tf.Tensor2D,
  rates: tf.Tensor,
  T: number,
  rng: Rng,
): { mean: tf.Tensor2D; std: tf.Tensor2D } {
  return tf.tidy(() => {
    const m = x.shape[0];
    const xs = tf.tile(x, [T, 1]).reshape([1, T * m, x.shape[1]]) as tf.Tensor3D;
    const p1 = tf.softmax(forward(mlp, xs, rates, rng)).gather([1], 2).reshape([mlp.nets, T, m]);
    // Variance of the passes shifted by the first one: same value, better conditioned, and exactly 0
    // when all passes agree (plain moments can leave a rounding residue of ~1e-8).
    const d = tf.sub(p1, p1.slice([0, 0, 0], [mlp.nets, 1, m]));
    const variance = tf.relu(tf.sub(tf.mean(tf.square(d), 1), tf.square(tf.mean(d, 1))));
    return { mean: tf.mean(p1, 1) as tf.Tensor2D, std: tf.sqrt(variance) as tf.Tensor2D };
  });
}

// ---------------------------------------------------------------------------------------------------
// The side-by-side pair
// ---------------------------------------------------------------------------------------------------

/** Everything that defines a run; a seed plus this replays it exactly. */
export interface PairConfig extends DataOptions {
  /** Seeds the data, the shared initial weights and the dropout masks / mini-batches. */
  seed: number;
  /** Hidden layer widths, e.g. [64, 64]: input 2 and output 2 are added around them. */
  hidden: number[];
  /** Dropout rate p ∈ [0, 0.95] of the dropout net's hidden units (the plain net always has 0). */
  rate: number;
  /** Adam learning rate (β₁ 0.9, β₂ 0.999, ε 1e-8, as Kingma & Ba 2015). */
  lr: number;
  /** Mini-batch size; null trains on the full (small) training set every step. */
  batchSize: number | null;
}

/**
 * Defaults for which the story holds (tested on several seeds): after 300 full-batch Adam steps the
 * plain net has the lower train loss and the higher test loss.
 */
export const DEFAULT_CONFIG: PairConfig = {
  ...DATA_DEFAULTS,
  seed: 1,
  hidden: [64, 64],
  rate: 0.5,
  lr: 0.01,
  batchSize: null,
};

/** One network's numbers after a step call (losses are mean cross-entropy, accuracies in [0, 1]). */
export interface NetMetrics {
  /** Loss on the training set, evaluated without dropout. */
  trainLoss: number;
  /** Loss on the test set (always without dropout). */
  testLoss: number;
  trainAcc: number;
  testAcc: number;
  /** The objective actually minimised, averaged over the call's steps: with dropout noise for net 1. */
  objective: number;
}

/** The result of Pair.step: both nets' metrics after the steps. */
export interface PairFrame {
  plain: NetMetrics;
  dropout: NetMetrics;
  /** Training steps taken so far. */
  steps: number;
}

/** Class-1 probability on a grid (layout of gridPoints over `box`), for both nets. */
export interface Boundary {
  resolution: number;
  box: Box;
  plain: Float32Array;
  dropout: Float32Array;
}

/** MC-dropout predictions at given points, for both nets (the plain net's std is 0). */
export interface McPrediction {
  mean: { plain: Float32Array; dropout: Float32Array };
  std: { plain: Float32Array; dropout: Float32Array };
}

/** A plain and a dropout network trained in lockstep. */
export interface Pair {
  readonly config: PairConfig;
  readonly data: MoonsData;
  /** Run k training steps for both nets (one tidy), then evaluate both (one read-back). k = 0 only evaluates. */
  step(k: number): Promise<PairFrame>;
  /**
   * Only the k training steps of `step(k)`, nothing read back: a later step(0) evaluates them (its `objective` the
   * mean over the steps since the previous evaluation), the same numbers as one step(k).
   */
  train(k: number): void;
  /** Class-1 probabilities of both nets over data.box at resolution², dropout off. */
  boundary(resolution: number): Promise<Boundary>;
  /** MC dropout at points (interleaved x₁, x₂): mean and std of T stochastic passes, per net. */
  mcPredict(points: Float32Array, T: number, seed?: number): Promise<McPrediction>;
  /** Both nets' current parameters, each flat layer by layer (w row-major, then b), for inspection and tests. */
  parameters(): Promise<{ plain: Float32Array; dropout: Float32Array }>;
  /** Change the dropout net's rate from the next step on (a slider moved mid-run). */
  setRate(rate: number): void;
  /** Free every tensor; safe to call twice. */
  dispose(): void;
}

function checkRate(rate: number): number {
  if (!(rate >= 0 && rate <= 0.95)) throw new Error(`dropout rate must be in [0, 0.95], got ${rate}`);
  return rate;
}

function metrics(a: Float32Array, net: number): NetMetrics {
  const o = 5 * net;
  return { trainLoss: a[o], testLoss: a[o + 1], trainAcc: a[o + 2], testAcc: a[o + 3], objective: a[o + 4] };
}

/**
 * Build the pair: data, one shared initialisation copied into both nets, all seeded, trained by the
 * runtime's trainer with Adam (β₁ 0.9, β₂ 0.999, ε 1e-8, bias-corrected).
 */
export function createPair(config: Partial<PairConfig> = {}): Pair {
  const cfg: PairConfig = { ...DEFAULT_CONFIG, ...config };
  let rate = checkRate(cfg.rate);
  const seeds = pairSeeds(cfg.seed);
  const data = pairData(cfg.seed, cfg);
  const sizes = [2, ...cfg.hidden, 2];
  const init = initLayers(sizes, seeds.init);
  const rng = mulberry32(seeds.masks); // dropout masks and mini-batches, in the order the steps use them
  const batchSize = cfg.batchSize === null ? null : Math.min(cfg.batchSize, cfg.nTrain);

  const params = stackedParams([init, init]); // identical starting weights: only dropout differs
  // Each net's objective, [2]: net s's parameters reach only net s's loss, so minimising the sum trains
  // each net on its own loss.
  const trainer = createFlatTrainer(
    params,
    (p, x, y, rates) => crossEntropy(forward(stackedMlp(sizes, p), x as tf.Tensor3D, rates, rng), y as tf.Tensor1D),
    { kind: 'adam', lr: cfg.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  );
  const t = tf.tidy(() => ({
    trainX: tf.tensor3d(data.train.x, [1, data.train.n, 2]),
    trainY: tf.tensor1d(data.train.y, 'int32'),
    testX: tf.tensor3d(data.test.x, [1, data.test.n, 2]),
    testY: tf.tensor1d(data.test.y, 'int32'),
  }));
  let disposed = false;
  const alive = () => {
    if (disposed) throw new Error('dropout pair used after dispose');
  };
  /** Both nets with their current parameters, as the trainer holds them (valid until the next step). */
  const current = () => stackedMlp(sizes, trainer.current());
  /** The trainer's step count at the last evaluation. */
  let evaluated = 0;
  const train = (k: number) => {
    alive();
    const idx = batchSize === null || k === 0 ? null : sampleBatches(data.train.n, batchSize, k, rng);
    tf.tidy(() => {
      const rates = tf.tensor3d([0, rate], [2, 1, 1]);
      for (let s = 0; s < k; s++) {
        let x = t.trainX;
        let y = t.trainY;
        if (idx && batchSize) {
          const rows = tf.tensor1d(idx.subarray(s * batchSize, (s + 1) * batchSize), 'int32');
          x = tf.gather(t.trainX, rows, 1);
          y = tf.gather(t.trainY, rows);
        }
        trainer.step(x, y, rates);
      }
    });
  };

  return {
    config: cfg,
    data,
    train,
    async step(k: number): Promise<PairFrame> {
      train(k);
      const out = tf.tidy(() => {
        // The mean over the steps since the previous evaluation (this call's k, or a train() before a step(0)).
        const objective = trainer.steps > evaluated ? trainer.meanLossTensor() : tf.fill([2], NaN);
        evaluated = trainer.steps;
        const mlp = current();
        const train = forward(mlp, t.trainX);
        const test = forward(mlp, t.testX);
        return tf.stack(
          [crossEntropy(train, t.trainY), crossEntropy(test, t.testY), accuracy(train, t.trainY), accuracy(test, t.testY), objective],
          1,
        ); // [2 nets, 5]
      });
      const a = await readAndDispose(out);
      return { plain: metrics(a, 0), dropout: metrics(a, 1), steps: trainer.steps };
    },
    async boundary(resolution: number): Promise<Boundary> {
      alive();
      const pts = gridPoints(data.box, resolution);
      const g = resolution * resolution;
      const out = tf.tidy(() => tf.softmax(forward(current(), tf.tensor3d(pts, [1, g, 2]))).gather([1], 2).reshape([2 * g]));
      const a = await readAndDispose(out);
      return { resolution, box: data.box, plain: a.slice(0, g), dropout: a.slice(g) };
    },
    async mcPredict(points: Float32Array, T: number, seed = 0): Promise<McPrediction> {
      alive();
      const m = points.length / 2;
      const out = tf.tidy(() => {
        const rates = tf.tensor3d([0, rate], [2, 1, 1]);
        const r = mcDropout(current(), tf.tensor2d(points, [m, 2]), rates, T, mulberry32(seed));
        return tf.concat([r.mean.reshape([-1]), r.std.reshape([-1])]);
      });
      const a = await readAndDispose(out);
      return {
        mean: { plain: a.slice(0, m), dropout: a.slice(m, 2 * m) },
        std: { plain: a.slice(2 * m, 3 * m), dropout: a.slice(3 * m) },
      };
    },
    async parameters() {
      alive();
      // The trainer's vector holds each tensor for both nets in turn (w0 of net 0, of net 1, b0 …);
      // a net's own layout is the same tensors without the net axis: w0, b0, w1, …
      const flat = await trainer.read();
      const nets = [new Float32Array(flat.length / 2), new Float32Array(flat.length / 2)];
      let from = 0;
      let to = 0;
      for (const p of params) {
        const n = p.values.length / 2;
        nets.forEach((net, s) => net.set(flat.subarray(from + s * n, from + (s + 1) * n), to));
        from += 2 * n;
        to += n;
      }
      return { plain: nets[0], dropout: nets[1] };
    },
    setRate(p: number) {
      rate = checkRate(p);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      tf.dispose(Object.values(t));
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The pair as the demo's loop drives it
// ---------------------------------------------------------------------------------------------------

/**
 * What the demo draws: both nets' metrics, their decision regions and the points under them. Numbers and typed
 * arrays only: it is posted from the demo's worker to the page.
 */
export interface DropoutFrame extends PairFrame {
  boundary: Boundary;
  data: MoonsData;
}

/**
 * The pair as the kit's loop drives it: k training steps, then both nets' numbers and their decision regions at
 * `resolution`² (step(0): the current state). In the demo's worker a call is one round trip from the page, so the
 * steps and the evaluation go together: apart (the loop's evaluateApart, which keeps a page's own frames short) they
 * took two round trips, each waiting for a display frame.
 */
export function pairSimulation(config: Partial<PairConfig>, resolution: number): Simulation<DropoutFrame> {
  const pair = createPair(config);
  return {
    async step(k) {
      const f = await pair.step(k);
      return { ...f, boundary: await pair.boundary(resolution), data: pair.data };
    },
    dispose: () => pair.dispose(),
  };
}
