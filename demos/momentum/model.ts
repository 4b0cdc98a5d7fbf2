/**
 * Momentum on a quadratic, understood through its eigen-directions. f(x) = ½ xᵀAx with A = QΛQᵀ: in the
 * coordinates c = Qᵀx every eigen-direction evolves on its own, and gradient descent with heavy-ball or
 * Nesterov momentum is, per direction, a 2×2 linear iteration whose spectral radius is its rate. The closed
 * forms (iteration matrices, spectral radii, convergence regions, critical-damping curves, optimal
 * settings) are plain functions of numbers; `createRun` iterates the real quadratic with tfjs kernels, all
 * chosen optimizers batched as rows of one tensor, so its measured rates can be held to the closed forms.
 * Conventions are torch.optim's, as on the optimizers page: buffer b ← μb + g, x ← x − γb (heavy ball),
 * x ← x − γ(g + μb) (Nesterov), with b₀ = 0 and g = ∇f(x) = Ax.
 * Pure: no React, no DOM; each call is one tf.tidy and one read-back.
 */
import { readAndDispose, tf } from '../runtime/tf';

// ---------------------------------------------------------------------------------------------------
// Closed forms, per eigen-direction
// ---------------------------------------------------------------------------------------------------

/** Gradient descent, heavy-ball momentum (Polyak 1964) and Nesterov momentum (as torch's nesterov=True). */
export type LinearMethod = 'gd' | 'heavy' | 'nesterov';

/** A 2×2 matrix, row-major: [[a, b], [c, d]]. */
export type Mat2 = readonly [number, number, number, number];

/**
 * The iteration matrix of one eigen-direction with curvature λ: the state (b, c) — momentum buffer and
 * error along that direction — maps to R·(b, c) at every step. Heavy ball: b' = μb + λc, c' = c − γb'.
 * Nesterov: b' = μb + λc, c' = c − γ(λc + μb'). Gradient descent is the heavy ball with μ = 0.
 */
export function iterationMatrix(method: LinearMethod, gamma: number, mu: number, lambda: number): Mat2 {
  const m = method === 'gd' ? 0 : mu;
  const h = gamma * lambda;
  if (method === 'nesterov') return [m, lambda, -gamma * m * m, 1 - h * (1 + m)];
  return [m, lambda, -gamma * m, 1 - h];
}

/**
 * The characteristic polynomial z² − s·z + p of the iteration matrix, as (s, p) = (trace, determinant):
 * heavy ball (1 + μ − γλ, μ), Nesterov ((1 + μ)(1 − γλ), μ(1 − γλ)).
 */
export function characteristic(method: LinearMethod, gamma: number, mu: number, lambda: number): { trace: number; det: number } {
  const [a, b, c, d] = iterationMatrix(method, gamma, mu, lambda);
  return { trace: a + d, det: a * d - b * c };
}

/** The largest |z| over the roots of z² − s·z + p = 0. */
function rootRadius(s: number, p: number): number {
  const disc = s * s - 4 * p;
  if (disc < 0) return Math.sqrt(p); // complex pair: |z|² = p
  const r = Math.sqrt(disc);
  return Math.max(Math.abs((s + r) / 2), Math.abs((s - r) / 2));
}

/**
 * The spectral radius of the iteration matrix: the factor by which the error along this direction shrinks
 * per step, asymptotically. Gradient descent: |1 − γλ|.
 */
export function spectralRadius(method: LinearMethod, gamma: number, mu: number, lambda: number): number {
  if (method === 'gd') return Math.abs(1 - gamma * lambda);
  const { trace, det } = characteristic(method, gamma, mu, lambda);
  return rootRadius(trace, det);
}

/** How a direction converges: two real roots (overdamped), a repeated one (critical) or a complex pair (oscillating). */
export type Regime = 'overdamped' | 'critical' | 'oscillating';

export function regime(method: LinearMethod, gamma: number, mu: number, lambda: number, tol = 1e-12): Regime {
  const { trace, det } = characteristic(method, gamma, mu, lambda);
  const disc = trace * trace - 4 * det;
  if (Math.abs(disc) <= tol) return 'critical';
  return disc < 0 ? 'oscillating' : 'overdamped';
}

/**
 * The largest γλ for which a direction converges, given μ ∈ [0, 1): gradient descent 2, heavy ball 2(1 + μ),
 * Nesterov 2(1 + μ)/(1 + 2μ) (Jury's conditions on the characteristic polynomial).
 */
export function stableLimit(method: LinearMethod, mu: number): number {
  if (method === 'gd') return 2;
  if (method === 'heavy') return 2 * (1 + mu);
  return (2 * (1 + mu)) / (1 + 2 * mu);
}

/**
 * The momentum at which a direction with γλ = h is critically damped (repeated root): heavy ball
 * μ = (1 − √h)², Nesterov μ = (1 − √h)/(1 + √h) (for h ≤ 1; above 1 Nesterov's roots are always real).
 * NaN where no μ ∈ [0, 1) is critical.
 */
export function criticalMomentum(method: Exclude<LinearMethod, 'gd'>, gamma: number, lambda: number): number {
  const s = Math.sqrt(gamma * lambda);
  if (method === 'heavy') {
    const mu = (1 - s) ** 2;
    return mu < 1 ? mu : NaN;
  }
  return s <= 1 ? (1 - s) / (1 + s) : NaN;
}

/** The rate on the whole spectrum: the largest spectral radius over the eigenvalues. */
export function spectrumRate(method: LinearMethod, gamma: number, mu: number, lambdas: readonly number[]): number {
  let r = 0;
  for (const l of lambdas) r = Math.max(r, spectralRadius(method, gamma, mu, l));
  return r;
}

/** A setting of (γ, μ) and the rate it gives. */
export interface Setting {
  gamma: number;
  mu: number;
  rate: number;
}

/**
 * The best constant setting on a spectrum in [λ_min, λ_max], κ = λ_max/λ_min:
 * gradient descent γ = 2/(λ_min + λ_max), rate (κ − 1)/(κ + 1);
 * heavy ball (Polyak 1964) γ = 4/(√λ_max + √λ_min)², μ = ((√κ − 1)/(√κ + 1))², rate (√κ − 1)/(√κ + 1);
 * Nesterov γ = 4/(3λ_max + λ_min), μ = (√(3κ + 1) − 2)/(√(3κ + 1) + 2), rate 1 − 2/√(3κ + 1)
 * (Lessard, Recht & Packard 2016; model.test.ts checks each against a search over the plane).
 */
export function optimum(method: LinearMethod, lmin: number, lmax: number): Setting {
  const k = lmax / lmin;
  if (method === 'gd') return { gamma: 2 / (lmin + lmax), mu: 0, rate: (k - 1) / (k + 1) };
  if (method === 'heavy') {
    const q = (Math.sqrt(k) - 1) / (Math.sqrt(k) + 1);
    return { gamma: 4 / (Math.sqrt(lmax) + Math.sqrt(lmin)) ** 2, mu: q * q, rate: q };
  }
  const r = Math.sqrt(3 * k + 1);
  return { gamma: 4 / (3 * lmax + lmin), mu: (r - 2) / (r + 2), rate: 1 - 2 / r };
}

/**
 * Nesterov's constant setting for strongly convex functions, as the optimizers page states it: γ = 1/λ_max,
 * μ = (√κ − 1)/(√κ + 1). On a quadratic it puts λ_min exactly on the critical curve, with rate 1 − 1/√κ.
 */
export function nesterovClassic(lmin: number, lmax: number): Setting {
  const s = Math.sqrt(lmax / lmin);
  const gamma = 1 / lmax;
  const mu = (s - 1) / (s + 1);
  return { gamma, mu, rate: spectrumRate('nesterov', gamma, mu, [lmin, lmax]) };
}

/** Steps for a rate ρ < 1 to shrink the error by `factor` (1e-6: a millionth): ⌈ln factor / ln ρ⌉. */
export function predictedSteps(rate: number, factor = 1e-6): number {
  if (!(rate < 1)) return Infinity;
  if (rate <= 0) return 1;
  return Math.ceil(Math.log(factor) / Math.log(rate));
}

/** n eigenvalues spaced evenly on a log scale from λ_min to λ_max (λ_min first). */
export function spectrum(lmin: number, lmax: number, n: number): number[] {
  if (!(lmin > 0 && lmax >= lmin)) throw new RangeError(`need 0 < λ_min ≤ λ_max, got ${lmin}, ${lmax}`);
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`need at least 2 eigenvalues, got ${n}`);
  return Array.from({ length: n }, (_, i) => lmin * (lmax / lmin) ** (i / (n - 1)));
}

/**
 * The error along each eigen-direction over `steps` steps, iterating each 2×2 matrix in float64 from
 * (b, c) = (0, c₀): row-major [steps + 1][n], row k the |c_i| after k steps. The reference for the tfjs run.
 */
export function directIteration(method: LinearMethod, gamma: number, mu: number, lambdas: readonly number[], steps: number, c0: readonly number[] = lambdas.map(() => 1)): Float64Array {
  const n = lambdas.length;
  const out = new Float64Array((steps + 1) * n);
  lambdas.forEach((l, i) => {
    const [a, b, c, d] = iterationMatrix(method, gamma, mu, l);
    let u = 0;
    let e = c0[i];
    out[i] = e;
    for (let k = 1; k <= steps; k++) {
      [u, e] = [a * u + b * e, c * u + d * e];
      out[k * n + i] = e;
    }
  });
  return out;
}

/**
 * Steps until the error norm ‖c_k‖ first falls below `factor`·‖c₀‖, iterating the 2×2 matrices in float64
 * (Infinity if not within `max` steps): the "run" count beside the predicted ⌈ln factor / ln ρ⌉.
 */
export function stepsToReach(method: LinearMethod, gamma: number, mu: number, lambdas: readonly number[], factor = 1e-6, max = 100_000): number {
  const mats = lambdas.map((l) => iterationMatrix(method, gamma, mu, l));
  const u = lambdas.map(() => 0);
  const e = lambdas.map(() => 1);
  const goal = factor * factor * lambdas.length;
  for (let k = 1; k <= max; k++) {
    let sq = 0;
    mats.forEach(([a, b, c, d], i) => {
      [u[i], e[i]] = [a * u[i] + b * e[i], c * u[i] + d * e[i]];
      sq += e[i] * e[i];
    });
    if (sq < goal) return k;
  }
  return Infinity;
}

// ---------------------------------------------------------------------------------------------------
// The (γ, μ) plane
// ---------------------------------------------------------------------------------------------------

/** The plane's extent: γ from 0 to past the widest stable γ (heavy ball at μ → 1: 4/λ_max), μ in [0, 1). */
export function planeBox(lmax: number): { xMin: number; xMax: number; yMin: number; yMax: number } {
  return { xMin: 0, xMax: 4.2 / lmax, yMin: 0, yMax: 1 };
}

/**
 * The rate over the spectrum on an ny × nx grid of (γ, μ) (row 0 at μ = 0, column 0 at γ = 0, as
 * ContourCanvas reads it), capped at `cap` so that diverging settings share one colour.
 */
export function ratePlane(method: LinearMethod, lambdas: readonly number[], nx: number, ny: number, cap = 1): Float32Array {
  const { xMax } = planeBox(Math.max(...lambdas));
  const out = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const mu = j / (ny - 1);
    for (let i = 0; i < nx; i++) {
      const gamma = (i / (nx - 1)) * xMax;
      out[j * nx + i] = Math.min(cap, spectrumRate(method, gamma, Math.min(mu, 0.9999), lambdas));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The rotated quadratic, iterated with tfjs
// ---------------------------------------------------------------------------------------------------

/**
 * The eigenbasis Q (n × n, row-major, columns the eigenvectors): Givens rotations by `angle` (radians) in the
 * planes (1, 2), (2, 3), …, (n − 1, n), applied in turn to the identity. angle 0: the axes themselves.
 */
export function eigenbasis(n: number, angle: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  for (let p = 0; p + 1 < n; p++) {
    // Q ← G·Q with G the rotation in rows p, p + 1.
    for (let col = 0; col < n; col++) {
      const a = q[p * n + col];
      const b = q[(p + 1) * n + col];
      q[p * n + col] = c * a - s * b;
      q[(p + 1) * n + col] = s * a + c * b;
    }
  }
  return q;
}

/** A = QΛQᵀ (n × n, row-major). */
export function hessian(lambdas: readonly number[], angle: number): Float64Array {
  const n = lambdas.length;
  const q = eigenbasis(n, angle);
  const a = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += q[r * n + k] * lambdas[k] * q[c * n + k];
    a[r * n + c] = s;
  }
  return a;
}

/** Every optimizer the run can race: the three linear methods and Adam. */
export type Method = LinearMethod | 'adam';
export const METHODS: readonly Method[] = ['gd', 'heavy', 'nesterov', 'adam'];
export const METHOD_NAMES: Record<Method, string> = { gd: 'GD, best γ', heavy: 'heavy ball', nesterov: 'Nesterov', adam: 'Adam' };

export interface RunConfig {
  /** The Hessian's eigenvalues (all positive). */
  lambdas: number[];
  /** Rotation of the eigenbasis away from the coordinate axes, radians (eigenbasis()). */
  angle: number;
  /** The optimizers raced, one row each, in this order. */
  methods: Method[];
  /** Learning rate and momentum of the heavy ball and Nesterov rows. */
  gamma: number;
  mu: number;
  /** Adam's learning rate (β₁ 0.9, β₂ 0.999, ε 1e-8, as torch.optim.Adam). */
  adamLr: number;
}

export const DEFAULT_RUN: RunConfig = {
  lambdas: spectrum(0.01, 1, 4),
  angle: 0,
  methods: ['gd', 'heavy', 'nesterov', 'adam'],
  gamma: 1,
  mu: 0.9,
  adamLr: 0.03,
};

export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** The steps a call advanced, one entry per step (the initial state on the first call). */
export interface RunFrame {
  /** Steps taken so far. */
  steps: number;
  /** The step number of each reported state. */
  at: number[];
  /** Per reported state, per row: the error along each eigen-direction, c = Qᵀx ([state][row][i], flat). */
  coords: Float32Array;
  /** Per reported state, per row: f(x) = ½ xᵀAx ([state][row], flat). */
  loss: Float32Array;
}

export interface Run {
  readonly config: RunConfig;
  /** The optimum (gd) row's γ, for the legend. */
  readonly gdGamma: number;
  step(k: number): Promise<RunFrame>;
  dispose(): void;
}

function checkRun(cfg: RunConfig): void {
  if (cfg.lambdas.length < 1 || !cfg.lambdas.every((l) => l > 0 && Number.isFinite(l))) throw new RangeError('the eigenvalues must be positive and finite');
  if (cfg.methods.length === 0) throw new RangeError('race at least one optimizer');
  if (!(cfg.gamma > 0)) throw new RangeError(`the learning rate γ must be positive, got ${cfg.gamma}`);
  if (!(cfg.mu >= 0 && cfg.mu < 1)) throw new RangeError(`the momentum μ must be in [0, 1), got ${cfg.mu}`);
  if (!(cfg.adamLr > 0)) throw new RangeError(`Adam's learning rate must be positive, got ${cfg.adamLr}`);
}

/**
 * The quadratic f(x) = ½ xᵀAx, A = QΛQᵀ, minimised from x₀ = Q·(1, …, 1) (error 1 along every
 * eigen-direction) by each method of `methods`, one row of an [R, n] tensor per method, all rows updated by
 * the same kernels each step. Gradient descent runs at its best γ = 2/(λ_min + λ_max); heavy ball and
 * Nesterov at (γ, μ); Adam at its own rate. A library result: a diverging row grows to ±∞ or NaN.
 */
export function createRun(config: Partial<RunConfig> = {}): Run {
  const cfg: RunConfig = { ...DEFAULT_RUN, ...config };
  checkRun(cfg);
  const n = cfg.lambdas.length;
  const R = cfg.methods.length;
  const lmin = Math.min(...cfg.lambdas);
  const lmax = Math.max(...cfg.lambdas);
  const gdGamma = optimum('gd', lmin, lmax).gamma;
  const q = eigenbasis(n, cfg.angle);
  const a = hessian(cfg.lambdas, cfg.angle);
  // Per-row coefficients: b ← μb + g; Δ = νg + ωb; x ← x − γΔ (heavy: ν 0, ω 1; Nesterov: ν 1, ω μ).
  const col = (f: (m: Method) => number) => Float32Array.from(cfg.methods, f);
  const x0 = new Float32Array(R * n);
  for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += q[i * n + k];
    x0[r * n + i] = s;
  }
  const t = tf.tidy(() => ({
    A: tf.tensor2d(Float32Array.from(a), [n, n]),
    Q: tf.tensor2d(Float32Array.from(q), [n, n]),
    gamma: tf.tensor2d(col((m) => (m === 'gd' ? gdGamma : m === 'adam' ? cfg.adamLr : cfg.gamma)), [R, 1]),
    mu: tf.tensor2d(col((m) => (m === 'heavy' || m === 'nesterov' ? cfg.mu : 0)), [R, 1]),
    nu: tf.tensor2d(col((m) => (m === 'nesterov' ? 1 : 0)), [R, 1]),
    omega: tf.tensor2d(col((m) => (m === 'nesterov' ? cfg.mu : 1)), [R, 1]),
    adam: tf.tile(tf.tensor2d(cfg.methods.map((m) => (m === 'adam' ? 1 : 0)), [R, 1], 'bool'), [1, n]),
    half: tf.scalar(0.5),
    b1: tf.scalar(ADAM.beta1),
    b2: tf.scalar(ADAM.beta2),
    r1: tf.scalar(1 - ADAM.beta1),
    r2: tf.scalar(1 - ADAM.beta2),
    eps: tf.scalar(ADAM.eps),
  }));
  const hasAdam = cfg.methods.includes('adam');
  const v = tf.tidy(() => ({
    x: tf.variable(tf.tensor2d(x0, [R, n])),
    b: tf.variable(tf.zeros([R, n])),
    m: tf.variable(tf.zeros([R, n])),
    s: tf.variable(tf.zeros([R, n])),
  }));
  let steps = 0;
  let reported = -1;
  let disposed = false;

  /** Eigen-coordinates Qᵀx (as rows: xQ) and the loss ½ xᵀAx of every row. */
  const observe = (x: tf.Tensor2D) => {
    const c = tf.matMul(x, t.Q);
    const loss = tf.mul(t.half, tf.sum(tf.mul(tf.matMul(x, t.A), x), 1));
    return [c.reshape([-1]), loss];
  };

  const one = () => {
    steps += 1;
    const x = v.x as tf.Tensor2D;
    const g = tf.matMul(x, t.A); // A is symmetric: each row's gradient is xA
    const b = tf.add(tf.mul(t.mu, v.b), g);
    let d = tf.add(tf.mul(t.nu, g), tf.mul(t.omega, b));
    if (hasAdam) {
      const m = tf.add(tf.mul(t.b1, v.m), tf.mul(t.r1, g));
      const s = tf.add(tf.mul(t.b2, v.s), tf.mul(t.r2, tf.square(g)));
      const mHat = tf.div(m, 1 - ADAM.beta1 ** steps);
      const sHat = tf.div(s, 1 - ADAM.beta2 ** steps);
      d = tf.where(t.adam, tf.div(mHat, tf.add(tf.sqrt(sHat), t.eps)), d);
      v.m.assign(m);
      v.s.assign(s);
    }
    v.b.assign(b);
    v.x.assign(tf.sub(x, tf.mul(t.gamma, d)));
  };

  return {
    config: cfg,
    gdGamma,
    async step(k: number): Promise<RunFrame> {
      if (disposed) throw new Error('momentum run used after dispose');
      const at: number[] = [];
      const out = tf.tidy(() => {
        const parts: tf.Tensor[] = [];
        if (reported < steps) {
          parts.push(...observe(v.x as tf.Tensor2D));
          at.push(steps);
        }
        for (let s = 0; s < k; s++) {
          one();
          parts.push(...observe(v.x as tf.Tensor2D));
          at.push(steps);
        }
        return parts.length ? tf.concat(parts.map((p) => p.reshape([-1]))) : tf.zeros([0]);
      });
      reported = steps;
      const flat = await readAndDispose(out);
      const per = R * n + R;
      const coords = new Float32Array(at.length * R * n);
      const loss = new Float32Array(at.length * R);
      at.forEach((_, j) => {
        coords.set(flat.subarray(j * per, j * per + R * n), j * R * n);
        loss.set(flat.subarray(j * per + R * n, (j + 1) * per), j * R);
      });
      return { steps, at, coords, loss };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([...Object.values(t), ...Object.values(v)]);
    },
  };
}
