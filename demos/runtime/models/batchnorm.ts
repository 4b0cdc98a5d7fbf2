/**
 * Batch normalization (Ioffe & Szegedy 2015, arXiv:1502.03167) on tfjs kernels: the training-mode transform
 * over a mini-batch (their Algorithm 1), its backward pass written out as the paper's chain-rule equations,
 * the running statistics that replace the batch's at inference (with the unbiased m/(m − 1) variance), and a
 * small layer object that owns γ, β and those statistics. The normalisation axes are an argument: [0] for a
 * dense layer's [m, n] activations (one mean and variance per feature), [0, 1, 2] for a convolution's
 * [m, p, q, c] feature maps (one per channel, over all m·p·q positions), [1] for S networks stacked as
 * [S, m, n]. Pure tfjs: no React, no DOM.
 */
import { tf } from '../tf';

/** The ε added to the variance before the square root (PyTorch's default). */
export const BN_EPS = 1e-5;

/** What one training-mode pass computes: the output and the batch's (biased) mean and variance. */
export type BatchNormOut = {
  y: tf.Tensor;
  /** μ_B, with the normalised axes kept as size 1 (broadcasts against x). */
  mean: tf.Tensor;
  /** σ²_B = (1/m) Σ (x − μ_B)², the biased variance the transform divides by; axes kept as size 1. */
  variance: tf.Tensor;
};

/** Number of values each statistic averages over: the product of x's sizes along `axes`. */
export function countOver(shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((m, a) => m * shape[a], 1);
}

function checkAxes(x: tf.Tensor, axes: readonly number[]): void {
  if (axes.length === 0 || axes.some((a) => !Number.isInteger(a) || a < 0 || a >= x.rank)) throw new RangeError(`normalisation axes [${axes}] do not fit a tensor of rank ${x.rank}`);
  if (countOver(x.shape, axes) < 2) throw new RangeError('batch normalization needs at least two values per statistic (a batch of one has no variance)');
}

/**
 * Training mode: x̂ = (x − μ_B)/√(σ²_B + ε), y = γ·x̂ + β, with μ_B and σ²_B the mean and biased variance of x
 * over `axes` (tf.moments). γ and β broadcast against x (e.g. [n] for [m, n], [c] for [m, p, q, c]). The
 * gradient through μ_B and σ²_B is tfjs's own (autodiff); `batchNormBackward` spells the same out.
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, axes: readonly number[] = [0], eps = BN_EPS): BatchNormOut {
  checkAxes(x, axes);
  return tf.tidy(() => {
    // tf.moments' arithmetic, with the centred x shared by the variance and the output (fewer kernels).
    const mean = tf.mean(x, [...axes], true);
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), [...axes], true);
    const scale = tf.mul(tf.rsqrt(tf.add(variance, eps)), gamma);
    return { y: tf.add(tf.mul(centred, scale), beta), mean, variance };
  });
}

/**
 * Inference mode: the same affine map with fixed statistics, y = γ·(x − E[x])/√(Var[x] + ε) + β, so each
 * example's output depends on that example alone.
 */
export function batchNormInfer(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = BN_EPS): tf.Tensor {
  return tf.tidy(() => tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta));
}

/** Gradients of the loss with respect to a BN layer's input and parameters. */
export type BatchNormGrads = {
  dx: tf.Tensor;
  /** Shape of γ as given (summed over the normalised axes and any axis γ broadcasts along). */
  dgamma: tf.Tensor;
  dbeta: tf.Tensor;
};

/** Sums g down to `shape` (the inverse of broadcasting to g's shape). */
function sumTo(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || shape[i - lead] === 1) axes.push(i);
  return axes.length ? tf.reshape(tf.sum(g, axes), shape as number[]) : g;
}

/**
 * The backward pass of the training-mode transform as Ioffe & Szegedy write it (§3, after Algorithm 1), for the
 * upstream gradient dy = ∂ℓ/∂y:
 *   ∂ℓ/∂x̂ = ∂ℓ/∂y · γ
 *   ∂ℓ/∂σ²_B = Σ ∂ℓ/∂x̂ · (x − μ_B) · (−½)(σ²_B + ε)^(−3/2)
 *   ∂ℓ/∂μ_B = Σ ∂ℓ/∂x̂ · (−1/√(σ²_B + ε)) + ∂ℓ/∂σ²_B · Σ −2(x − μ_B)/m
 *   ∂ℓ/∂x = ∂ℓ/∂x̂ / √(σ²_B + ε) + ∂ℓ/∂σ²_B · 2(x − μ_B)/m + ∂ℓ/∂μ_B / m
 *   ∂ℓ/∂γ = Σ ∂ℓ/∂y · x̂,   ∂ℓ/∂β = Σ ∂ℓ/∂y
 * with the sums over the m values along `axes`. Every step is a tfjs op; the caller disposes the results.
 */
export function batchNormBackward(dy: tf.Tensor, x: tf.Tensor, gamma: tf.Tensor, axes: readonly number[] = [0], eps = BN_EPS): BatchNormGrads {
  checkAxes(x, axes);
  const m = countOver(x.shape, axes);
  return tf.tidy(() => {
    const ax = [...axes];
    const { mean, variance } = tf.moments(x, ax, true);
    const centred = tf.sub(x, mean);
    const inv = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(centred, inv);
    const dxhat = tf.mul(dy, gamma);
    const dvar = tf.mul(tf.sum(tf.mul(dxhat, centred), ax, true), tf.mul(-0.5, tf.pow(inv, 3)));
    const dmean = tf.add(tf.sum(tf.mul(dxhat, tf.neg(inv)), ax, true), tf.mul(dvar, tf.div(tf.sum(tf.mul(-2, centred), ax, true), m)));
    const dx = tf.add(tf.add(tf.mul(dxhat, inv), tf.mul(dvar, tf.div(tf.mul(2, centred), m))), tf.div(dmean, m));
    return { dx, dgamma: sumTo(tf.mul(dy, xhat), gamma.shape), dbeta: sumTo(dy, gamma.shape) };
  });
}

/**
 * One update of the running statistics from a batch's: E ← (1 − α)·E + α·μ_B and Var ← (1 − α)·Var + α·σ²_B·m/(m − 1),
 * α the momentum (PyTorch's convention: the weight of the new batch, default 0.1). The factor m/(m − 1) makes the
 * batch variance unbiased, as Ioffe & Szegedy's inference statistics are (Algorithm 2, step 10).
 */
export function updateRunning(running: { mean: tf.Tensor; variance: tf.Tensor }, batch: { mean: tf.Tensor; variance: tf.Tensor }, m: number, momentum = 0.1): { mean: tf.Tensor; variance: tf.Tensor } {
  if (!(m >= 2)) throw new RangeError(`the unbiased variance needs m ≥ 2 values, got ${m}`);
  return tf.tidy(() => ({
    mean: tf.add(tf.mul(1 - momentum, running.mean), tf.mul(momentum, batch.mean)),
    variance: tf.add(tf.mul(1 - momentum, running.variance), tf.mul(momentum * (m / (m - 1)), batch.variance)),
  }));
}

/** Options of a BatchNorm layer. */
export interface BatchNormOptions {
  /** Axes the statistics run over: [0] for [m, n] (default), [0, 1, 2] for [m, p, q, c]. */
  axes?: readonly number[];
  eps?: number;
  /** Weight of each new batch in the running statistics; default 0.1. */
  momentum?: number;
}

/**
 * A BN layer over `features` features (or channels, the last axis): γ = 1 and β = 0 as trainable variables,
 * running mean 0 and variance 1. `forward(x, true)` normalises with the batch's statistics and updates the
 * running ones; `forward(x, false)` uses the running ones. `dispose()` frees everything; safe twice.
 */
export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
  readonly axes: readonly number[];
  readonly eps: number;
  readonly momentum: number;
  private disposed = false;

  constructor(readonly features: number, opts: BatchNormOptions = {}) {
    if (!(Number.isInteger(features) && features >= 1)) throw new RangeError(`features must be a whole number ≥ 1, got ${features}`);
    this.axes = opts.axes ?? [0];
    this.eps = opts.eps ?? BN_EPS;
    this.momentum = opts.momentum ?? 0.1;
    [this.gamma, this.beta, this.runningMean, this.runningVar] = tf.tidy(() => [
      tf.variable(tf.ones([features]), true),
      tf.variable(tf.zeros([features]), true),
      tf.variable(tf.zeros([features]), false),
      tf.variable(tf.ones([features]), false),
    ]);
  }

  /** y for x whose last axis has `features` entries; in training mode the running statistics move too. */
  forward(x: tf.Tensor, training: boolean): tf.Tensor {
    if (this.disposed) throw new Error('BatchNorm used after dispose');
    if (x.shape[x.rank - 1] !== this.features) throw new RangeError(`expected ${this.features} features on the last axis, got shape [${x.shape}]`);
    if (!training) return batchNormInfer(x, this.runningMean, this.runningVar, this.gamma, this.beta, this.eps);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTrain(x, this.gamma, this.beta, this.axes, this.eps);
      const next = updateRunning({ mean: this.runningMean, variance: this.runningVar }, { mean: mean.reshape([-1]), variance: variance.reshape([-1]) }, countOver(x.shape, this.axes), this.momentum);
      this.runningMean.assign(next.mean);
      this.runningVar.assign(next.variance);
      return y;
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.gamma, this.beta, this.runningMean, this.runningVar]);
  }
}
