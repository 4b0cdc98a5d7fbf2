/**
 * torch.optim's update rules (single-tensor CPU path of PyTorch 2.x) as batched tfjs kernels: one kernel
 * advances every run of one algorithm at once, each row with its own hyper-parameters.
 *
 * To reproduce torch's float32 numbers step for step, each kernel
 *  - performs the same float32 operations in the same order as torch (e.g. `addcdiv_(m, d, value=v)` is
 *    p + (v·m)/d, `lerp_` uses torch's two-branch formula);
 *  - computes every scalar torch computes in Python (bias corrections, clr, NAdam's μ_t) in double
 *    precision in JS and rounds it to float32 once, exactly as torch casts a Python scalar for a kernel;
 *  - decides torch's Python `if`s (momentum != 0, centered, amsgrad, …) per row: statically when all rows
 *    agree (no extra ops), with a select otherwise.
 */
import { tf } from '../runtime/tf';
import type {
  AdadeltaHyper,
  AdagradHyper,
  AdamaxHyper,
  AdamHyper,
  HyperByOptimizer,
  NAdamHyper,
  OptimizerName,
  RMSpropHyper,
  RpropHyper,
  SGDHyper,
} from './optimizers';

/** Tensors here are [n, 2] or [n, 1]; tfjs's rank types add nothing but casts. */
type T2 = tf.Tensor;

/** An algorithm's state for its rows: torch's state-dict entries, each [n, 2]. */
export type GroupState = Record<string, tf.Tensor>;

/** One torch.optim algorithm applied to n runs (rows) at once. */
export interface GroupKernel {
  /** Fresh state, as torch creates it lazily on the first step. Also resets any JS-side state. */
  init(): GroupState;
  /**
   * optimizer.step() number `t` (1-based) for all rows, given parameters `p` [n, 2] and gradients `g`
   * [n, 2]. Call inside tf.tidy; returns the new parameters and the new state (old state is untouched).
   */
  step(p: T2, g: T2, s: GroupState, t: number): { p: T2; s: GroupState };
  /** Frees the kernel's constant tensors (idempotent). */
  dispose(): void;
}

/** Which kernel (torch class) runs each optimizer id: the three SGD variants share one. */
export type Algorithm = 'sgd' | 'adagrad' | 'adadelta' | 'rmsprop' | 'rprop' | 'adam' | 'adamax' | 'nadam';

/** The torch class behind an optimizer id. */
export function algorithmOf(name: OptimizerName): Algorithm {
  return name === 'momentum' || name === 'nesterov' ? 'sgd' : name;
}

/**
 * Row-wise select for same-shape operands. tf.where broadcasts through three extra copies even when
 * shapes already match; the Select kernel alone does the work.
 */
export function select(condition: tf.Tensor, ifTrue: tf.Tensor, ifFalse: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel('Select', { condition, t: ifTrue, e: ifFalse }) as tf.Tensor;
}

/** A column [n, 1] of per-row values, rounded to float32 once (as torch casts Python scalars). */
function column(values: readonly number[]): T2 {
  return tf.tensor2d(Float32Array.from(values), [values.length, 1]);
}

/** [n, 2] with each row's value in both coordinates. */
function filled(values: readonly number[]): T2 {
  return tf.tensor2d(Float32Array.from(values.flatMap((v) => [v, v])), [values.length, 2]);
}

/** Owns a kernel's constant tensors (kept, so a caller's tf.tidy cannot free them). */
class Constants {
  private owned: tf.Tensor[] = [];
  private own<T extends tf.Tensor>(t: T): T {
    this.owned.push(tf.keep(t));
    return t;
  }
  /** Per-row scalar, broadcast over x and y by the arithmetic ops. */
  col(values: readonly number[]): T2 {
    return this.own(column(values));
  }
  /** Per-row value already at full [n, 2] shape (for selects, which do not broadcast for free). */
  full(values: readonly number[]): T2 {
    return this.own(filled(values));
  }
  /** Per-row boolean at full [n, 2] shape. */
  mask(flags: readonly boolean[]): T2 {
    return this.own(tf.tensor2d(flags.flatMap((f) => [f, f]), [flags.length, 2], 'bool'));
  }
  /**
   * torch's per-row Python `if`: returns a chooser that runs only one branch when all rows agree and
   * selects row-wise otherwise.
   */
  branch(flags: readonly boolean[]): (ifTrue: () => T2, ifFalse: () => T2) => T2 {
    if (flags.every((f) => f)) return (a) => a();
    if (!flags.some((f) => f)) return (_a, b) => b();
    const m = this.mask(flags);
    return (a, b) => select(m, a(), b());
  }
  /**
   * torch's `a.lerp_(b, w)` with a Python-scalar weight: a + w·(b−a) when |w| < 0.5, else
   * b − (b−a)·(1−w), all in float32.
   */
  lerp(weights: readonly number[]): (a: T2, b: T2) => T2 {
    const w32 = weights.map(Math.fround);
    const w = this.col(w32);
    const oneMinusW = this.col(w32.map((x) => 1 - x));
    const small = this.branch(w32.map((x) => Math.abs(x) < 0.5));
    return (a, b) => {
      const diff = tf.sub(b, a);
      return small(
        () => tf.add(a, tf.mul(w, diff)),
        () => tf.sub(b, tf.mul(diff, oneMinusW)),
      );
    };
  }
  /** `grad = grad.add(param, alpha=weight_decay)`; no ops at all when every row has weight_decay 0. */
  l2(decays: readonly number[]): (g: T2, p: T2) => T2 {
    if (decays.every((d) => d === 0)) return (g) => g;
    const wd = this.col(decays);
    return (g, p) => tf.add(g, tf.mul(wd, p));
  }
  dispose(): void {
    for (const t of this.owned) t.dispose();
    this.owned = [];
  }
}

/**
 * torch.optim.SGD: g ← g + wd·θ; b ← g on step 1, else μ·b + (1−dampening)·g; d ← g + μ·b (nesterov)
 * or b (momentum ≠ 0) or g; θ ← θ − lr·d.
 */
function sgdKernel(hs: readonly SGDHyper[]): GroupKernel {
  const C = new Constants();
  const negLr = C.col(hs.map((h) => -h.lr));
  const decay = C.l2(hs.map((h) => h.weight_decay));
  const hasBuffer = hs.map((h) => h.momentum !== 0);
  const anyBuffer = hasBuffer.some((b) => b);
  const momentum = C.col(hs.map((h) => h.momentum));
  const keep = C.col(hs.map((h) => 1 - h.dampening));
  const useBuffer = C.branch(hasBuffer);
  const nesterov = C.branch(hs.map((h) => h.nesterov));
  return {
    init: (): GroupState => (anyBuffer ? { momentum_buffer: tf.zeros([hs.length, 2]) } : {}),
    step(p, g0, s, t) {
      const g = decay(g0, p);
      if (!anyBuffer) return { p: tf.add(p, tf.mul(negLr, g)), s };
      // torch clones the first gradient into the buffer: no dampening on step 1.
      const buf = t === 1 ? g : tf.add(tf.mul(s.momentum_buffer, momentum), tf.mul(keep, g));
      const d = useBuffer(
        () => nesterov(() => tf.add(g, tf.mul(momentum, buf)), () => buf),
        () => g,
      );
      return { p: tf.add(p, tf.mul(negLr, d)), s: { momentum_buffer: buf } };
    },
    dispose: () => C.dispose(),
  };
}

/** torch.optim.Adagrad: Σ ← Σ + g²; θ ← θ − clr·g/(√Σ + ε), clr = lr/(1 + (t−1)·lr_decay). */
function adagradKernel(hs: readonly AdagradHyper[]): GroupKernel {
  const C = new Constants();
  const decay = C.l2(hs.map((h) => h.weight_decay));
  const eps = C.col(hs.map((h) => h.eps));
  const anyLrDecay = hs.some((h) => h.lr_decay !== 0);
  const negLr = C.col(hs.map((h) => -h.lr));
  return {
    init: () => ({ sum: filled(hs.map((h) => h.initial_accumulator_value)) }),
    step(p, g0, s, t) {
      const g = decay(g0, p);
      const negClr = anyLrDecay ? column(hs.map((h) => -(h.lr / (1 + (t - 1) * h.lr_decay)))) : negLr;
      const sum = tf.add(s.sum, tf.mul(g, g));
      const std = tf.add(tf.sqrt(sum), eps);
      return { p: tf.add(p, tf.div(tf.mul(negClr, g), std)), s: { sum } };
    },
    dispose: () => C.dispose(),
  };
}

/**
 * torch.optim.Adadelta: v ← ρv + (1−ρ)g²; Δ ← √(u+ε)/√(v+ε)·g; u ← ρu + (1−ρ)Δ²; θ ← θ − lr·Δ.
 */
function adadeltaKernel(hs: readonly AdadeltaHyper[]): GroupKernel {
  const C = new Constants();
  const decay = C.l2(hs.map((h) => h.weight_decay));
  const rho = C.col(hs.map((h) => h.rho));
  const oneMinusRho = C.col(hs.map((h) => 1 - h.rho));
  const eps = C.col(hs.map((h) => h.eps));
  const negLr = C.col(hs.map((h) => -h.lr));
  return {
    init: () => ({ square_avg: tf.zeros([hs.length, 2]), acc_delta: tf.zeros([hs.length, 2]) }),
    step(p, g0, s) {
      const g = decay(g0, p);
      const square_avg = tf.add(tf.mul(s.square_avg, rho), tf.mul(tf.mul(oneMinusRho, g), g));
      const std = tf.sqrt(tf.add(square_avg, eps));
      const delta = tf.mul(tf.div(tf.sqrt(tf.add(s.acc_delta, eps)), std), g);
      const acc_delta = tf.add(tf.mul(s.acc_delta, rho), tf.mul(tf.mul(oneMinusRho, delta), delta));
      return { p: tf.add(p, tf.mul(negLr, delta)), s: { square_avg, acc_delta } };
    },
    dispose: () => C.dispose(),
  };
}

/**
 * torch.optim.RMSprop: v ← αv + (1−α)g²; centered: ḡ ← lerp(ḡ, g, 1−α), a ← √(v − ḡ²) + ε, else
 * a ← √v + ε; momentum > 0: b ← μb + g/a, θ ← θ − lr·b; else θ ← θ − lr·g/a.
 */
function rmspropKernel(hs: readonly RMSpropHyper[]): GroupKernel {
  const C = new Constants();
  const n = hs.length;
  const decay = C.l2(hs.map((h) => h.weight_decay));
  const alpha = C.col(hs.map((h) => h.alpha));
  const oneMinusAlpha = C.col(hs.map((h) => 1 - h.alpha));
  const eps = C.col(hs.map((h) => h.eps));
  const negLr = C.col(hs.map((h) => -h.lr));
  const momentum = C.col(hs.map((h) => h.momentum));
  const anyCentered = hs.some((h) => h.centered);
  const anyMomentum = hs.some((h) => h.momentum > 0);
  const centered = C.branch(hs.map((h) => h.centered));
  const withMomentum = C.branch(hs.map((h) => h.momentum > 0));
  const gradAvgLerp = C.lerp(hs.map((h) => 1 - h.alpha));
  return {
    init() {
      const s: GroupState = { square_avg: tf.zeros([n, 2]) };
      if (anyMomentum) s.momentum_buffer = tf.zeros([n, 2]);
      if (anyCentered) s.grad_avg = tf.zeros([n, 2]);
      return s;
    },
    step(p, g0, s) {
      const g = decay(g0, p);
      const next: GroupState = {};
      next.square_avg = tf.add(tf.mul(s.square_avg, alpha), tf.mul(tf.mul(oneMinusAlpha, g), g));
      if (anyCentered) next.grad_avg = gradAvgLerp(s.grad_avg, g);
      // addcmul(ḡ, ḡ, value=-1) is v + (−ḡ)·ḡ, bit-identical to v − ḡ·ḡ.
      const root = centered(
        () => tf.sqrt(tf.sub(next.square_avg, tf.mul(next.grad_avg, next.grad_avg))),
        () => tf.sqrt(next.square_avg),
      );
      const avg = tf.add(root, eps);
      if (anyMomentum) next.momentum_buffer = tf.add(tf.mul(s.momentum_buffer, momentum), tf.div(g, avg));
      const p1 = withMomentum(
        () => tf.add(p, tf.mul(negLr, next.momentum_buffer)),
        () => tf.add(p, tf.div(tf.mul(negLr, g), avg)),
      );
      return { p: p1, s: next };
    },
    dispose: () => C.dispose(),
  };
}

/**
 * torch.optim.Rprop: per coordinate, s ← clamp(s·η⁺) if g·g_prev > 0, clamp(s·η⁻) and g ← 0 if < 0,
 * s unchanged if = 0; θ ← θ − sign(g)·s; g_prev ← g. Step sizes start at lr.
 */
function rpropKernel(hs: readonly RpropHyper[]): GroupKernel {
  const C = new Constants();
  const n = hs.length;
  const etaMinus = C.full(hs.map((h) => h.etas[0]));
  const etaPlus = C.full(hs.map((h) => h.etas[1]));
  const one = C.full(hs.map(() => 1));
  const zero = C.full(hs.map(() => 0));
  const minStep = C.col(hs.map((h) => h.step_sizes[0]));
  const maxStep = C.col(hs.map((h) => h.step_sizes[1]));
  return {
    init: () => ({ prev: tf.zeros([n, 2]), step_size: filled(hs.map((h) => h.lr)) }),
    step(p, g, s) {
      // Comparisons instead of tf.sign: the wasm backend's Sign returns 0 for |x| below ~1e-7.
      const product = tf.mul(g, s.prev);
      const flipped = tf.less(product, zero);
      const factor = select(tf.greater(product, zero), etaPlus, select(flipped, etaMinus, one));
      // torch's clamp_(min, max) is min(max(x, min), max).
      const step_size = tf.minimum(tf.maximum(tf.mul(s.step_size, factor), minStep), maxStep);
      const gKept = select(flipped, zero, g);
      // addcmul_(sign(g), s, value=-1) adds exactly −s, +s or 0 to θ.
      const move = select(tf.greater(gKept, zero), step_size, select(tf.less(gKept, zero), tf.neg(step_size), zero));
      return { p: tf.sub(p, move), s: { prev: gKept, step_size } };
    },
    dispose: () => C.dispose(),
  };
}

/**
 * torch.optim.Adam: m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²; (amsgrad: v̂ ← max(v̂, v));
 * θ ← θ − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε).
 */
function adamKernel(hs: readonly AdamHyper[]): GroupKernel {
  const C = new Constants();
  const n = hs.length;
  const decay = C.l2(hs.map((h) => h.weight_decay));
  const firstMoment = C.lerp(hs.map((h) => 1 - h.betas[0]));
  const beta2 = C.col(hs.map((h) => h.betas[1]));
  const oneMinusBeta2 = C.col(hs.map((h) => 1 - h.betas[1]));
  const eps = C.col(hs.map((h) => h.eps));
  const anyAmsgrad = hs.some((h) => h.amsgrad);
  const amsgrad = C.branch(hs.map((h) => h.amsgrad));
  return {
    init() {
      const s: GroupState = { exp_avg: tf.zeros([n, 2]), exp_avg_sq: tf.zeros([n, 2]) };
      if (anyAmsgrad) s.max_exp_avg_sq = tf.zeros([n, 2]);
      return s;
    },
    step(p, g0, s, t) {
      const g = decay(g0, p);
      const next: GroupState = {
        exp_avg: firstMoment(s.exp_avg, g),
        exp_avg_sq: tf.add(tf.mul(s.exp_avg_sq, beta2), tf.mul(tf.mul(oneMinusBeta2, g), g)),
      };
      const negStepSize = column(hs.map((h) => -(h.lr / (1 - h.betas[0] ** t))));
      const bc2Sqrt = column(hs.map((h) => Math.sqrt(1 - h.betas[1] ** t)));
      if (anyAmsgrad) next.max_exp_avg_sq = tf.maximum(s.max_exp_avg_sq, next.exp_avg_sq);
      const root = amsgrad(
        () => tf.sqrt(next.max_exp_avg_sq),
        () => tf.sqrt(next.exp_avg_sq),
      );
      const denom = tf.add(tf.div(root, bc2Sqrt), eps);
      return { p: tf.add(p, tf.div(tf.mul(negStepSize, next.exp_avg), denom)), s: next };
    },
    dispose: () => C.dispose(),
  };
}

/** torch.optim.Adamax: m ← lerp(m, g, 1−β₁); u ← max(β₂u, |g| + ε); θ ← θ − lr/(1−β₁ᵗ) · m/u. */
function adamaxKernel(hs: readonly AdamaxHyper[]): GroupKernel {
  const C = new Constants();
  const n = hs.length;
  const decay = C.l2(hs.map((h) => h.weight_decay));
  const firstMoment = C.lerp(hs.map((h) => 1 - h.betas[0]));
  const beta2 = C.col(hs.map((h) => h.betas[1]));
  const eps = C.col(hs.map((h) => h.eps));
  return {
    init: () => ({ exp_avg: tf.zeros([n, 2]), exp_inf: tf.zeros([n, 2]) }),
    step(p, g0, s, t) {
      const g = decay(g0, p);
      const exp_avg = firstMoment(s.exp_avg, g);
      const exp_inf = tf.maximum(tf.mul(s.exp_inf, beta2), tf.add(tf.abs(g), eps));
      const negClr = column(hs.map((h) => -(h.lr / (1 - h.betas[0] ** t))));
      return { p: tf.add(p, tf.div(tf.mul(negClr, exp_avg), exp_inf)), s: { exp_avg, exp_inf } };
    },
    dispose: () => C.dispose(),
  };
}

/**
 * torch.optim.NAdam: μ_t = β₁(1 − ½·0.96^(tψ)); m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²;
 * d = √(v/(1−β₂ᵗ)) + ε; θ ← θ − lr(1−μ_t)/(1−Πμ_{≤t}) · g/d − lr·μ_{t+1}/(1−Πμ_{≤t+1}) · m/d.
 * torch keeps Πμ in a float32 tensor; so do we (in JS, rounded with Math.fround).
 */
function nadamKernel(hs: readonly NAdamHyper[]): GroupKernel {
  const C = new Constants();
  const n = hs.length;
  const coupled = C.l2(hs.map((h) => (h.decoupled_weight_decay ? 0 : h.weight_decay)));
  const anyDecoupled = hs.some((h) => h.decoupled_weight_decay && h.weight_decay !== 0);
  const shrink = C.col(hs.map((h) => (h.decoupled_weight_decay ? 1 - h.lr * h.weight_decay : 1)));
  const firstMoment = C.lerp(hs.map((h) => 1 - h.betas[0]));
  const beta2 = C.col(hs.map((h) => h.betas[1]));
  const oneMinusBeta2 = C.col(hs.map((h) => 1 - h.betas[1]));
  const eps = C.col(hs.map((h) => h.eps));
  let muProduct: number[] = hs.map(() => 1);
  return {
    init() {
      muProduct = hs.map(() => 1);
      return { exp_avg: tf.zeros([n, 2]), exp_avg_sq: tf.zeros([n, 2]) };
    },
    step(p0, g0, s, t) {
      const g = coupled(g0, p0);
      const p = anyDecoupled ? tf.mul(p0, shrink) : p0;
      const gradCoef: number[] = [];
      const momentCoef: number[] = [];
      hs.forEach((h, i) => {
        const [b1] = h.betas;
        const mu = b1 * (1 - 0.5 * 0.96 ** (t * h.momentum_decay));
        const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * h.momentum_decay));
        muProduct[i] = Math.fround(muProduct[i] * Math.fround(mu));
        gradCoef.push((-h.lr * (1 - mu)) / (1 - muProduct[i]));
        momentCoef.push((-h.lr * muNext) / (1 - muProduct[i] * muNext));
      });
      const exp_avg = firstMoment(s.exp_avg, g);
      const exp_avg_sq = tf.add(tf.mul(s.exp_avg_sq, beta2), tf.mul(tf.mul(oneMinusBeta2, g), g));
      const bc2 = column(hs.map((h) => 1 - h.betas[1] ** t));
      const denom = tf.add(tf.sqrt(tf.div(exp_avg_sq, bc2)), eps);
      const p1 = tf.add(p, tf.div(tf.mul(column(gradCoef), g), denom));
      const p2 = tf.add(p1, tf.div(tf.mul(column(momentCoef), exp_avg), denom));
      return { p: p2, s: { exp_avg, exp_avg_sq } };
    },
    dispose: () => C.dispose(),
  };
}

/** Builds the kernel for one algorithm and its rows' (resolved, validated) hyper-parameters. */
export function makeKernel(algorithm: Algorithm, hypers: readonly HyperByOptimizer[OptimizerName][]): GroupKernel {
  switch (algorithm) {
    case 'sgd':
      return sgdKernel(hypers as SGDHyper[]);
    case 'adagrad':
      return adagradKernel(hypers as AdagradHyper[]);
    case 'adadelta':
      return adadeltaKernel(hypers as AdadeltaHyper[]);
    case 'rmsprop':
      return rmspropKernel(hypers as RMSpropHyper[]);
    case 'rprop':
      return rpropKernel(hypers as RpropHyper[]);
    case 'adam':
      return adamKernel(hypers as AdamHyper[]);
    case 'adamax':
      return adamaxKernel(hypers as AdamaxHyper[]);
    case 'nadam':
      return nadamKernel(hypers as NAdamHyper[]);
  }
}
