/**
 * Label-smoothing demo: two copies of one small MLP, the same initial weights and the same mini-batches, one
 * trained on hard one-hot targets and one on smoothed targets q' = (1 − ε)·one-hot + ε/K (Szegedy et al.,
 * 2016, §7), compared on held-out MNIST digits by accuracy, confidence, logit gap and calibration (the
 * reliability diagram and expected calibration error of Guo et al., 2017).
 *
 * The two nets are one stacked MLP (../runtime/models/stacked-mlp.ts) trained by one flat Adam step; the
 * target mixing is the only difference between them. The calibration maths is plain arrays, tested in Node.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import { stepOnBatches } from '../runtime/sampling';
import { createFlatTrainer, stepPlan } from '../runtime/train';
import type { MnistArrays } from '../runtime/data/idx';
import { forwardStacked, initLayers, stackedDigits, stackedMlp, stackedParams } from '../runtime/models/stacked-mlp';

/** MNIST images in, ten classes out. */
export const INPUTS = 784;
export const CLASSES = 10;

function checkEps(eps: number, K: number): void {
  if (!(Number.isInteger(K) && K >= 2)) throw new RangeError(`the number of classes must be a whole number ≥ 2, got ${K}`);
  if (!(eps >= 0 && eps <= 1)) throw new RangeError(`ε must lie in [0, 1], got ${eps}`);
}

/** The smoothed target of one example of class `label`: 1 − ε + ε/K on the label, ε/K on every other class. */
export function smoothTarget(label: number, K: number, eps: number): Float64Array {
  checkEps(eps, K);
  if (!(Number.isInteger(label) && label >= 0 && label < K)) throw new RangeError(`label must be a class in [0, ${K}), got ${label}`);
  const q = new Float64Array(K).fill(eps / K);
  q[label] += 1 - eps;
  return q;
}

/** Cross-entropy −Σ q_k·log softmax(z)_k of logits z against target q (log-sum-exp shifted by the largest logit). */
export function crossEntropyOf(z: ArrayLike<number>, q: ArrayLike<number>): number {
  let m = -Infinity;
  for (let k = 0; k < z.length; k++) m = Math.max(m, z[k]);
  let s = 0;
  for (let k = 0; k < z.length; k++) s += Math.exp(z[k] - m);
  const lse = m + Math.log(s);
  let ce = 0;
  for (let k = 0; k < z.length; k++) if (q[k] > 0) ce -= q[k] * (z[k] - lse);
  return ce;
}

/**
 * The gap z_y − z_j (j ≠ y) at which the smoothed loss is smallest: the softmax then equals the target, so the
 * gap is log(q_y / q_j) = log((1 − ε + ε/K)/(ε/K)) = log(1 + K(1 − ε)/ε). Infinite for ε = 0: hard targets
 * push the logits apart without bound.
 */
export function optimalLogitGap(K: number, eps: number): number {
  checkEps(eps, K);
  return eps === 0 ? Infinity : Math.log1p((K * (1 - eps)) / eps);
}

/** A reliability diagram: the predictions grouped by confidence into equal-width bins on [0, 1]. */
export interface Reliability {
  /** Predictions per bin. */
  count: Int32Array;
  /** Fraction right per bin (NaN for an empty bin). */
  accuracy: Float64Array;
  /** Mean confidence per bin (NaN for an empty bin). */
  confidence: Float64Array;
  /** Expected calibration error Σ_b (n_b/n)·|acc_b − conf_b| (Guo et al., 2017, eq. 3). */
  ece: number;
}

/**
 * Bins predictions with confidence `conf[i]` (the largest softmax probability) and correctness `correct[i]`
 * (1 or 0) into `bins` equal intervals ((b−1)/B, b/B]; a confidence of exactly 0 goes to the first bin.
 */
export function reliability(conf: ArrayLike<number>, correct: ArrayLike<number>, bins = 10): Reliability {
  if (conf.length !== correct.length) throw new RangeError(`${conf.length} confidences but ${correct.length} outcomes`);
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`bins must be a whole number ≥ 1, got ${bins}`);
  const count = new Int32Array(bins);
  const right = new Float64Array(bins);
  const sure = new Float64Array(bins);
  for (let i = 0; i < conf.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(conf[i] * bins) - 1));
    count[b]++;
    right[b] += correct[i];
    sure[b] += conf[i];
  }
  const accuracy = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    accuracy[b] = count[b] ? right[b] / count[b] : NaN;
    confidence[b] = count[b] ? sure[b] / count[b] : NaN;
    if (count[b]) ece += (count[b] / conf.length) * Math.abs(accuracy[b] - confidence[b]);
  }
  return { count, accuracy, confidence, ece };
}

/** Everything that defines a run; a seed plus this replays it exactly. */
export interface SmoothConfig {
  seed: number;
  /** Smoothing of the second net (the first always trains on hard targets). */
  eps: number;
  /** Units in each of the two hidden layers. */
  width: number;
  /** Adam's learning rate. */
  lr: number;
  batchSize: number;
  /** Steps after which training stops. */
  total: number;
  /** Confidence bins of the reliability diagram. */
  bins: number;
}

export const DEFAULT_CONFIG: SmoothConfig = { seed: 1, eps: 0.1, width: 64, lr: 0.002, batchSize: 64, total: 600, bins: 10 };

/** Test metrics are measured every this many steps (and at the start and the end). */
export const EVAL_EVERY = 20;

/** One net's numbers on the held-out digits. */
export interface NetEval {
  accuracy: number;
  /** Mean largest softmax probability. */
  confidence: number;
  /** Mean over digits of the largest logit minus the mean of the other nine. */
  gap: number;
  reliability: Reliability;
}

/** What the view draws after a step call. */
export interface SmoothFrame {
  steps: number;
  /** Mean training loss of [hard, smoothed] over this call's steps (each against its own targets); null when none ran. */
  trainLoss: Float32Array | null;
  /** With digits: [hard, smoothed] on the held-out digits at step `measuredAt`. */
  test: [NetEval, NetEval] | null;
  measuredAt: number;
}

/** Training digits and held-out digits for the networks. */
export interface Digits {
  train: MnistArrays;
  test: MnistArrays;
}

export interface SmoothRun {
  readonly config: SmoothConfig;
  /** Up to k Adam steps (none without digits; never past config.total), then the test metrics when due. */
  step(k: number): Promise<SmoothFrame>;
  dispose(): void;
}

/** Turns read-back per-digit confidences, outcomes and gaps of one net into its NetEval. */
function evaluate(conf: Float32Array, correct: Float32Array, gap: Float32Array, bins: number): NetEval {
  const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
  return { accuracy: mean(correct), confidence: mean(conf), gap: mean(gap), reliability: reliability(conf, correct, bins) };
}

/**
 * A hard-target net and a smoothed-target net, both 784 → width → width → 10 with ReLU, drawn from the same
 * seeded He-normal weights and trained by Adam on the same seeded mini-batches.
 */
export function createSmoothRun(config: Partial<SmoothConfig> = {}, digits: Digits | null = null): SmoothRun {
  const cfg: SmoothConfig = { ...DEFAULT_CONFIG, ...config };
  checkEps(cfg.eps, CLASSES);
  if (!(Number.isInteger(cfg.width) && cfg.width >= 2)) throw new RangeError(`width must be a whole number ≥ 2, got ${cfg.width}`);
  if (!(cfg.lr > 0)) throw new RangeError(`the learning rate must be positive, got ${cfg.lr}`);
  const seeds = mulberry32(cfg.seed);
  const seedOf = () => Math.floor(seeds() * 2 ** 32);
  const sizes = [INPUTS, cfg.width, cfg.width, CLASSES];
  const weights = initLayers(sizes, seedOf());
  const batches = mulberry32(seedOf());
  const epsilons = [0, cfg.eps];

  const t = tf.tidy(() => ({
    eps: tf.tensor3d(epsilons, [2, 1, 1]),
    ...(digits && stackedDigits(digits, 2)),
  }));
  // Per net s: −mean over the batch of Σ_k q'_k log softmax(z)_k with q' = (1 − ε_s)·one-hot + ε_s/K.
  const trainer = createFlatTrainer(
    stackedParams([weights, weights]),
    (p, x, y) => {
      const logits = forwardStacked(stackedMlp(sizes, p), x as tf.Tensor3D);
      const onehot = tf.oneHot(y as tf.Tensor1D, CLASSES);
      const q = tf.add(tf.mul(onehot, tf.sub(1, t.eps)), tf.div(t.eps, CLASSES));
      return tf.neg(tf.mean(tf.sum(tf.mul(q, tf.logSoftmax(logits)), 2), 1)) as tf.Tensor1D;
    },
    { kind: 'adam', lr: cfg.lr },
  );
  const N = digits?.test.count ?? 0;
  let disposed = false;
  let last: Pick<SmoothFrame, 'test' | 'measuredAt'> | null = null;

  return {
    config: cfg,
    async step(k: number): Promise<SmoothFrame> {
      if (disposed) throw new Error('label-smoothing demo used after dispose');
      const { n, after, due } = stepPlan(trainer.steps, k, cfg.total, EVAL_EVERY, last !== null, digits !== null);
      if (n === 0 && !due) return { ...last!, steps: after, trainLoss: null };
      const out = tf.tidy(() => {
        if (n > 0) stepOnBatches(trainer, t.trainX!, t.trainY!, n, cfg.batchSize, batches);
        const parts = n > 0 ? [trainer.meanLossTensor().reshape([-1])] : [];
        if (due && t.testX) {
          const logits = forwardStacked(stackedMlp(sizes, trainer.current()), t.testX); // [2, N, K]
          const top = tf.max(logits, 2); // [2, N]
          const conf = tf.max(tf.softmax(logits), 2);
          const correct = tf.cast(tf.equal(tf.argMax(logits, 2), t.testY!), 'float32');
          const others = tf.div(tf.sub(tf.sum(logits, 2), top), CLASSES - 1);
          parts.push(conf.reshape([-1]), correct.reshape([-1]), tf.sub(top, others).reshape([-1]));
        }
        return parts.length ? tf.concat(parts) : tf.zeros([0]);
      });
      const a = await readAndDispose(out);
      const o = n > 0 ? 2 : 0;
      if (due) {
        const net = (s: number) => evaluate(a.subarray(o + s * N, o + (s + 1) * N), a.subarray(o + (2 + s) * N, o + (3 + s) * N), a.subarray(o + (4 + s) * N, o + (5 + s) * N), cfg.bins);
        last = { test: digits ? [net(0), net(1)] : null, measuredAt: after };
      }
      return { ...last!, steps: after, trainLoss: n > 0 ? a.slice(0, 2) : null };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      tf.dispose(Object.values(t));
    },
  };
}
