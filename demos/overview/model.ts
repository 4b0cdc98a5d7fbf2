/**
 * Overview demo ("Training deep networks"): the loss surface of a two-parameter model, the full-batch
 * gradient against mini-batch gradients (their noise shrinking as the batch grows), and a Newton step
 * beside gradient descent on a quadratic, with the cost that keeps Newton out of deep learning.
 *
 * The model is least-squares regression ŷ = w·x + b on a seeded synthetic data set, so θ = (w, b) and
 *   J(θ) = 1/(2N) Σᵢ (w·xᵢ + b − yᵢ)²,   ∇J(θ) = 1/N Σᵢ gᵢ,   gᵢ = (w·xᵢ + b − yᵢ)·(xᵢ, 1).
 * J is a quadratic bowl; x has a non-zero mean so its contours are tilted, elongated ellipses.
 *
 * Pure: no React, no DOM. Every tfjs computation runs in one tf.tidy and reads back once.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { gaussian, mulberry32 } from '../runtime/random';
import { gridPoints, type Box } from '../runtime/grid';
import { sampleBatches } from '../runtime/sampling';

/** A point in a 2-D parameter space: (w, b) for the regression, (θ₁, θ₂) for the quadratic. */
export type Vec2 = [number, number];

/** Symmetric 2×2 matrix stored as its three distinct entries [s₁₁, s₁₂, s₂₂]. */
export type Sym2 = [number, number, number];

/** The regression data: N pairs (xᵢ, yᵢ) drawn from y = w*·x + b* + noise. */
export interface Dataset {
  n: number;
  x: Float32Array;
  y: Float32Array;
  /** The (w*, b*) that generated the data (not the least-squares fit, which differs by noise). */
  trueTheta: Vec2;
  /** Standard deviation of the Gaussian noise on y. */
  noise: number;
}

/** Defaults of the data generator: x ~ N(1, 1) tilts the bowl (its Hessian is [[2, 1], [1, 1]]). */
export const DATA_DEFAULTS = { n: 512, w: 1.5, b: -0.5, xMean: 1, xStd: 1, noise: 0.5 } as const;

/** A box around the data's least-squares minimum that shows the bowl well (for the contour plot). */
export const LOSS_BOX: Box = { xMin: -1.5, xMax: 4.5, yMin: -3.5, yMax: 2.5 };

/** A seeded synthetic regression set of `n` points: xᵢ ~ N(1, 1), yᵢ = 1.5·xᵢ − 0.5 + N(0, 0.5²). */
export function makeDataset(seed: number, n: number = DATA_DEFAULTS.n): Dataset {
  const rng = mulberry32(seed);
  const { w, b, xMean, xStd, noise } = DATA_DEFAULTS;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = xMean + xStd * gaussian(rng);
    y[i] = w * x[i] + b + noise * gaussian(rng);
  }
  return { n, x, y, trueTheta: [w, b], noise };
}

/** The least-squares minimiser θ̂ of J, from the 2×2 normal equations (in float64, in plain JS). */
export function leastSquares(d: Dataset): Vec2 {
  let sx = 0, sxx = 0, sy = 0, sxy = 0;
  for (let i = 0; i < d.n; i++) {
    sx += d.x[i];
    sxx += d.x[i] * d.x[i];
    sy += d.y[i];
    sxy += d.x[i] * d.y[i];
  }
  const det = d.n * sxx - sx * sx;
  return [(d.n * sxy - sx * sy) / det, (sxx * sy - sx * sxy) / det];
}

/**
 * The (constant) Hessian of J, 1/N Σᵢ [[xᵢ², xᵢ], [xᵢ, 1]], and its eigenvalues, largest first. The
 * largest, λₘₐₓ, sets gradient descent's stability limit on this bowl: γ < 2/λₘₐₓ.
 */
export function lossCurvature(d: Dataset): { hessian: Sym2; eigenvalues: Vec2 } {
  let sx = 0, sxx = 0;
  for (let i = 0; i < d.n; i++) {
    sx += d.x[i];
    sxx += d.x[i] * d.x[i];
  }
  const [a, c, e] = [sxx / d.n, sx / d.n, 1];
  const mid = (a + e) / 2;
  const rad = Math.hypot((a - e) / 2, c);
  return { hessian: [a, c, e], eigenvalues: [mid + rad, mid - rad] };
}

/** Residuals rᵢ = w·xᵢ + b − yᵢ for K parameter vectors at once: theta [K, 2] → [K, N]. */
function residuals(x: tf.Tensor1D, y: tf.Tensor1D, theta: tf.Tensor2D): tf.Tensor2D {
  const design = tf.stack([x, tf.onesLike(x)], 0) as tf.Tensor2D; // [2, N]: rows x and 1
  return tf.sub(tf.matMul(theta, design), y);
}

/** Per-example gradients gᵢ = rᵢ·(xᵢ, 1) at one θ: [N, 2]. Their mean is ∇J. */
function perExampleGradients(x: tf.Tensor1D, y: tf.Tensor1D, theta: Vec2): tf.Tensor2D {
  const r = residuals(x, y, tf.tensor2d([theta], [1, 2])).reshape([-1, 1]);
  return tf.mul(r, tf.stack([x, tf.onesLike(x)], 1)) as tf.Tensor2D;
}

/**
 * Covariance of the rows of m [K, 2] as [c₁₁, c₁₂, c₂₂]: divided by K − 1 when `unbiased` (a sample's
 * estimate), by K otherwise (the population's own covariance, e.g. over all N examples).
 */
function covRows(m: tf.Tensor2D, unbiased: boolean): tf.Tensor1D {
  const k = m.shape[0];
  const centred = tf.sub(m, tf.mean(m, 0));
  const c = tf.div(tf.matMul(centred, centred, true, false), unbiased ? Math.max(k - 1, 1) : k);
  return tf.gather(c.reshape([4]), [0, 1, 3]) as tf.Tensor1D;
}

function readSym(a: Float32Array, at: number): Sym2 {
  return [a[at], a[at + 1], a[at + 2]];
}

/**
 * J(w, b) on a resolution × resolution grid over `box` (x axis w, y axis b; layout of gridPoints),
 * in one batched computation: all grid points' predictions as one [G, 2]×[2, N] matrix product.
 */
export async function lossGrid(d: Dataset, box: Box = LOSS_BOX, resolution = 64): Promise<Float32Array> {
  const pts = gridPoints(box, resolution);
  const t = tf.tidy(() => {
    const r = residuals(tf.tensor1d(d.x), tf.tensor1d(d.y), tf.tensor2d(pts, [resolution * resolution, 2]));
    return tf.mul(0.5, tf.mean(tf.square(r), 1));
  });
  const out = await readAndDispose(t);
  return out;
}

/** The full-batch picture at one θ. */
export interface FullGradient {
  /** J(θ). */
  loss: number;
  /** ∇J(θ) = (∂J/∂w, ∂J/∂b). */
  grad: Vec2;
  /**
   * Covariance Σ of the per-example gradients gᵢ over the N examples (divided by N): the σ² that sets
   * the mini-batch noise. Diagonal entries are the per-coordinate σ².
   */
  exampleCov: Sym2;
}

/** Loss, gradient and per-example gradient covariance at θ, with one read-back. */
export async function fullGradient(d: Dataset, theta: Vec2): Promise<FullGradient> {
  const t = tf.tidy(() => {
    const x = tf.tensor1d(d.x);
    const y = tf.tensor1d(d.y);
    const g = perExampleGradients(x, y, theta);
    const loss = tf.mul(0.5, tf.mean(tf.square(residuals(x, y, tf.tensor2d([theta], [1, 2]))))).reshape([1]);
    return tf.concat([loss, tf.mean(g, 0), covRows(g, false)]);
  });
  const a = await readAndDispose(t);
  return { loss: a[0], grad: [a[1], a[2]], exampleCov: readSym(a, 3) };
}

/**
 * Variance of one coordinate of a mini-batch mean gradient when the B examples are drawn without
 * replacement from N whose gradients have population variance σ² (divided by N):
 *   Var = (σ²/B)·(N − B)/(N − 1).
 * The finite-population factor (N − B)/(N − 1) takes it to 0 at B = N: every "batch" is the full set.
 */
export function minibatchVariance(sigma2: number, n: number, batchSize: number): number {
  if (n <= 1) return 0;
  return (sigma2 / batchSize) * ((n - batchSize) / (n - 1));
}

/** Many mini-batch gradients at one θ and their spread, next to the full-batch gradient. */
export interface MinibatchGradients {
  batchSize: number;
  count: number;
  /** count gradients, interleaved (∂J/∂w, ∂J/∂b) per batch: ready to draw as arrows from θ. */
  grads: Float32Array;
  /** Their empirical mean (→ the full gradient as count grows: the estimate is unbiased). */
  mean: Vec2;
  /** Their empirical covariance (divided by count − 1). */
  cov: Sym2;
  /** The full-batch gradient ∇J(θ). */
  full: Vec2;
  /** Per-example gradient covariance over the data (see FullGradient.exampleCov). */
  exampleCov: Sym2;
  /** Theoretical per-coordinate variance of a mini-batch gradient (minibatchVariance of exampleCov). */
  theoryVar: Vec2;
}

/**
 * `count` mini-batch gradients of size `batchSize` at θ (each batch drawn without replacement, batches
 * seeded by `seed`), computed in one batched gather + mean, with the full gradient and both the empirical
 * and theoretical spread, read back once.
 */
export async function minibatchGradients(
  d: Dataset,
  theta: Vec2,
  batchSize: number,
  count: number,
  seed: number,
): Promise<MinibatchGradients> {
  const idx = sampleBatches(d.n, batchSize, count, mulberry32(seed));
  const t = tf.tidy(() => {
    const g = perExampleGradients(tf.tensor1d(d.x), tf.tensor1d(d.y), theta);
    const batches = tf.mean(tf.gather(g, tf.tensor1d(idx, 'int32')).reshape([count, batchSize, 2]), 1) as tf.Tensor2D;
    return tf.concat([batches.reshape([-1]), tf.mean(batches, 0), covRows(batches, true), tf.mean(g, 0), covRows(g, false)]);
  });
  const a = await readAndDispose(t);
  const k = 2 * count;
  const exampleCov = readSym(a, k + 7);
  return {
    batchSize,
    count,
    grads: a.slice(0, k),
    mean: [a[k], a[k + 1]],
    cov: readSym(a, k + 2),
    full: [a[k + 5], a[k + 6]],
    exampleCov,
    theoryVar: [minibatchVariance(exampleCov[0], d.n, batchSize), minibatchVariance(exampleCov[2], d.n, batchSize)],
  };
}

/** Settings of a side-by-side run of full-batch gradient descent and mini-batch SGD. */
export interface DescentConfig {
  start: Vec2;
  lr: number;
  batchSize: number;
  seed: number;
}

/** What one call of Descent.step returns. */
export interface DescentFrame {
  /** Positions after each of the k steps: 4 numbers per step, (w, b) of full-batch GD then of SGD. */
  path: Float32Array;
  /** J at the final positions: [full-batch GD, SGD]. */
  loss: Vec2;
  /** Steps taken since creation or the last reset. */
  steps: number;
}

/** Full-batch GD and mini-batch SGD stepping side by side from one start, same learning rate. */
export interface Descent {
  /** Take k steps of both; one tidy, one read-back. */
  step(k: number): Promise<DescentFrame>;
  /** Move both back to `start` (default: the configured start) and restart the step count. */
  reset(start?: Vec2): void;
  /** Free the variables; safe to call twice. */
  dispose(): void;
}

/**
 * Create the GD-vs-SGD race on J. Both positions live in one [2, 2] variable (row 0 full-batch, row 1
 * SGD) so each step is a handful of ops for both; SGD's batches come from the seeded stream, so a seed
 * replays the same wiggles.
 */
export function createDescent(d: Dataset, config: DescentConfig): Descent {
  const { lr, batchSize } = config;
  const rng = mulberry32(config.seed);
  const x = tf.tensor1d(d.x);
  const y = tf.tensor1d(d.y);
  const theta = tf.tidy(() => tf.variable(tf.tensor2d([config.start, config.start]))); // tidy frees the initialiser
  let steps = 0;
  let disposed = false;
  return {
    async step(k: number): Promise<DescentFrame> {
      if (disposed) throw new Error('Descent used after dispose');
      const idx = sampleBatches(d.n, batchSize, k, rng);
      const out = tf.tidy(() => {
        const batches = tf.tensor2d(idx, [k, batchSize], 'int32');
        const path: tf.Tensor[] = [];
        for (let s = 0; s < k; s++) {
          const r = residuals(x, y, theta); // [2, N]: residuals at both positions
          const gi = tf.stack([tf.mul(r, x), r], 2); // [2, N, 2]: per-example gradients at both
          const full = tf.mean(gi.gather([0]), 1); // [1, 2]
          const mini = tf.mean(tf.gather(gi.gather([1]), batches.gather([s]).reshape([-1]), 1), 1); // [1, 2]
          theta.assign(tf.sub(theta, tf.mul(lr, tf.concat([full, mini], 0))));
          path.push(theta.reshape([4]));
        }
        const loss = tf.mul(0.5, tf.mean(tf.square(residuals(x, y, theta)), 1));
        return tf.concat([...path, loss]);
      });
      const a = await readAndDispose(out);
      steps += k;
      return { path: a.slice(0, 4 * k), loss: [a[4 * k], a[4 * k + 1]], steps };
    },
    reset(start: Vec2 = config.start) {
      if (disposed) return;
      tf.tidy(() => theta.assign(tf.tensor2d([start, start])));
      steps = 0;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      theta.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Newton against gradient descent on a quadratic f(θ) = ½ θᵀAθ − bᵀθ, in plain float64 JS: the problem
// is 2×2, so tfjs dispatch would cost more than the arithmetic, and float64 shows Newton's exactness.
// ---------------------------------------------------------------------------------------------------

/** A 2-D quadratic f(θ) = ½ θᵀAθ − bᵀθ with A symmetric positive definite. */
export interface Quadratic {
  /** A as [a₁₁, a₁₂, a₂₂]. */
  A: Sym2;
  b: Vec2;
  /** Eigenvalues of A, largest first: λₘₐₓ and λₘᵢₙ = λₘₐₓ/κ. */
  eigenvalues: Vec2;
  /** Unit eigenvector of the largest eigenvalue, at angleDeg from the θ₁ axis. */
  axis: Vec2;
  /** The minimiser θ* = A⁻¹b. */
  minimiser: Vec2;
  kappa: number;
  angleDeg: number;
}

/**
 * The quadratic with eigenvalues λₘₐₓ = 1 and λₘᵢₙ = 1/κ, its steep axis rotated by angleDeg, and b chosen so
 * the minimiser sits at `minimiser` (A = R·diag(λₘₐₓ, λₘₐₓ/κ)·Rᵀ, b = Aθ*).
 */
export function quadratic(kappa: number, angleDeg: number, minimiser: Vec2 = [1, 0.5]): Quadratic {
  if (!(kappa >= 1)) throw new Error(`condition number must be ≥ 1, got ${kappa}`);
  const lmax = 1;
  const lmin = lmax / kappa;
  const a = (angleDeg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const A: Sym2 = [lmax * c * c + lmin * s * s, (lmax - lmin) * c * s, lmax * s * s + lmin * c * c];
  const b: Vec2 = [A[0] * minimiser[0] + A[1] * minimiser[1], A[1] * minimiser[0] + A[2] * minimiser[1]];
  return { A, b, eigenvalues: [lmax, lmin], axis: [c, s], minimiser: [...minimiser], kappa, angleDeg };
}

/** f(θ) = ½ θᵀAθ − bᵀθ. */
export function quadraticValue(q: Quadratic, t: Vec2): number {
  const [a, c, d] = q.A;
  return 0.5 * (a * t[0] * t[0] + 2 * c * t[0] * t[1] + d * t[1] * t[1]) - q.b[0] * t[0] - q.b[1] * t[1];
}

/** ∇f(θ) = Aθ − b. */
export function quadraticGrad(q: Quadratic, t: Vec2): Vec2 {
  const [a, c, d] = q.A;
  return [a * t[0] + c * t[1] - q.b[0], c * t[0] + d * t[1] - q.b[1]];
}

/** f on a resolution × resolution grid over `box` (layout of gridPoints), for contours. */
export function quadraticGrid(q: Quadratic, box: Box, resolution: number): Float32Array {
  const pts = gridPoints(box, resolution);
  const out = new Float32Array(resolution * resolution);
  for (let k = 0; k < out.length; k++) out[k] = quadraticValue(q, [pts[2 * k], pts[2 * k + 1]]);
  return out;
}

/**
 * Gradient descent θ ← θ − γ∇f(θ) from `start`: the steps + 1 visited points, start included.
 * Along each eigenvector the error is multiplied by (1 − γλ) per step, so it converges iff γ < 2/λₘₐₓ.
 */
export function gdPath(q: Quadratic, start: Vec2, lr: number, steps: number): Vec2[] {
  const path: Vec2[] = [[...start]];
  let t: Vec2 = [...start];
  for (let s = 0; s < steps; s++) {
    const g = quadraticGrad(q, t);
    t = [t[0] - lr * g[0], t[1] - lr * g[1]];
    path.push(t);
  }
  return path;
}

/**
 * One Newton step θ ← θ − H⁻¹∇f(θ) with H = A. On a quadratic it lands on θ* = A⁻¹b from anywhere:
 * θ − A⁻¹(Aθ − b) = A⁻¹b. (2×2 inverse by the adjugate formula.)
 */
export function newtonStep(q: Quadratic, start: Vec2): Vec2 {
  const [a, c, d] = q.A;
  const g = quadraticGrad(q, start);
  const det = a * d - c * c;
  return [start[0] - (d * g[0] - c * g[1]) / det, start[1] - (-c * g[0] + a * g[1]) / det];
}

/** Multiply-add counts (and memory) of one first-order step against one Newton step, n parameters. */
/** Gradient descent against one Newton step from the same start: what the page draws and says of them. */
export interface GdVsNewton {
  /** The steps + 1 points GD visits (gdPath). */
  gd: Vec2[];
  /** Where one Newton step lands (θ*). */
  newton: Vec2;
  /** ‖θ_steps − θ*‖ after the GD steps. */
  gdError: number;
  /** γ ≥ 2/λₘₐₓ: the error along the steep axis grows by |1 − γλₘₐₓ| ≥ 1 per step. */
  diverges: boolean;
}

/** `steps` GD steps of rate `lr` and one Newton step from `start` on q. */
export function gdVsNewton(q: Quadratic, start: Vec2, lr: number, steps: number): GdVsNewton {
  const gd = gdPath(q, start, lr, steps);
  const end = gd[gd.length - 1];
  return { gd, newton: newtonStep(q, start), gdError: Math.hypot(end[0] - q.minimiser[0], end[1] - q.minimiser[1]), diverges: lr >= 2 / q.eigenvalues[0] };
}

export interface CostRow {
  n: number;
  /**
   * One gradient for one example of a dense network: forward n, backward 2n (gradients with respect to
   * the layer inputs and to the weights): 3n. O(n).
   */
  gradient: number;
  /**
   * Forming the Hessian: n Hessian-vector products (Pearlmutter 1994), each costing about two gradients:
   * 2·3n·n = 6n². O(n²).
   */
  formHessian: number;
  /**
   * Solving H·Δ = g by Cholesky: (n³ − n)/6 for the factor plus n(n − 1) for the two triangular solves.
   * O(n³).
   */
  solve: number;
  /** Bytes of a float32 gradient: 4n. */
  gradientBytes: number;
  /** Bytes of the Hessian's lower triangle in float32: 4·n(n + 1)/2. */
  hessianBytes: number;
  /** (formHessian + solve) / gradient: how many gradient steps one Newton step costs. */
  ratio: number;
}

/** The cost story behind first-order training, for a small table (n = 2, 10³, 10⁶, 2.5·10⁷ …). */
export function costComparison(n: number): CostRow {
  const gradient = 3 * n;
  const formHessian = 6 * n * n;
  const solve = (n * n * n - n) / 6 + n * (n - 1);
  return {
    n,
    gradient,
    formHessian,
    solve,
    gradientBytes: 4 * n,
    hessianBytes: 2 * n * (n + 1),
    ratio: (formHessian + solve) / gradient,
  };
}
