/**
 * The one trainer of the demos: every training demo minimises its loss through `createFlatTrainer`.
 * tfjs's optimizers launch ~12 kernels per parameter tensor (and upload a scalar per constant) and its
 * adadelta divides by the previous step's E[g²], unlike Zeiler's and ConvNetJS's (on ConvNetJS's MNIST
 * network it does not learn). Here every parameter lives in ONE flat variable; the update rule runs once
 * over the whole vector with constants made once, and the loss is summed on the device so that a loop
 * reads back one number every N steps (`meanLoss`) instead of one per step. On ConvNetJS's MNIST network
 * (`npm run bench`): 206 → 131 kernels per step on wasm, at the same speed there (the convolution
 * gradients dominate), and the loss falls as ConvNetJS's does.
 *
 * Several networks trained in lockstep (the dropout demo's plain and dropout nets, stacked along a
 * leading axis) return a vector of objectives, one per network: the trainer minimises their sum (each
 * network's parameters reach only its own objective, so each gets its own gradient) and keeps the running
 * mean of the vector. Between steps a demo evaluates with `current()`, the parameters as the trainer
 * holds them: no copy, no read-back.
 * Pure tfjs: no React, no DOM.
 */
import { tf } from './tf';

/** One named parameter tensor of a network: shape, initial values, and its L2 weight-decay coefficient. */
export interface ParamInit<N extends string = string> {
  name: N;
  shape: number[];
  /** Initial values, row-major; length = product of shape. */
  values: Float32Array;
  /** Adds l2·θ to this tensor's gradient (the gradient of ½·l2·|θ|²); default 0 (biases). */
  l2?: number;
}

/** An update rule applied to the whole flat parameter vector at once. */
export type UpdateRule =
  /** torch.optim.SGD: buf ← μ·buf + g; θ ← θ − lr·buf (μ = 0: plain gradient descent). */
  | { kind: 'sgd'; lr: number; momentum?: number }
  /**
   * Adadelta as Zeiler (2012, arXiv:1212.5701) and ConvNetJS: E[g²] ← ρE[g²] + (1−ρ)g²;
   * Δ = −√((E[Δ²] + ε)/(E[g²] + ε))·g; E[Δ²] ← ρE[Δ²] + (1−ρ)Δ²; θ ← θ + lr·Δ. Defaults ρ 0.95, ε 1e-6, lr 1.
   */
  | { kind: 'adadelta'; rho?: number; eps?: number; lr?: number }
  /** Adam (Kingma & Ba 2015) with bias correction; defaults β₁ 0.9, β₂ 0.999, ε 1e-8. */
  | { kind: 'adam'; lr: number; beta1?: number; beta2?: number; eps?: number };

/**
 * The loss of a batch given the named parameter tensors and the step's inputs: a scalar, or a vector of
 * objectives (say one per stacked network) whose sum is minimised.
 */
export type LossFn<N extends string> = (params: Record<N, tf.Tensor>, ...inputs: tf.Tensor[]) => tf.Scalar | tf.Tensor1D;

/** A network's parameters in one variable, trained by `step` with one flat update per step. */
export interface FlatTrainer<N extends string = string> {
  /** Number of scalar parameters. */
  readonly size: number;
  /** Steps taken so far. */
  readonly steps: number;
  /**
   * One training step on `inputs` (the loss function's extra arguments; the caller keeps and disposes
   * them). Nothing is read back. May run inside the caller's tf.tidy.
   */
  step(...inputs: tf.Tensor[]): void;
  /**
   * The same step with a gradient computed elsewhere (a pass spread over several calls, ./segmented-grad.ts, on
   * `current()`): `gradient` laid out as the flat vector (the ParamInit list's order, each tensor row-major) and
   * `loss` the step's loss value (a scalar, or the vector of objectives). The update, decay and running loss are
   * `step`'s. The caller keeps and disposes both. May run inside the caller's tf.tidy.
   */
  applyGradient(gradient: tf.Tensor, loss: tf.Tensor): void;
  /**
   * Mean loss of the steps since the previous call (of this or `meanLossTensor`), in one read-back; NaN
   * when no step ran. For a vector loss, the mean of its sum: the objective minimised.
   */
  meanLoss(): Promise<number>;
  /**
   * The same mean, left on the device for a caller that reads it back with other numbers in one
   * read-back: a scalar, or for a vector loss the mean of each component. The caller disposes it (or
   * calls this in a tf.tidy). NaN-filled when no step ran since the previous call.
   */
  meanLossTensor(): tf.Tensor;
  /**
   * The current parameters as named tensors, owned by the trainer: for forward passes between steps
   * (evaluation, plots) without copying. Valid until the next `step` or `dispose`; never dispose them.
   */
  current(): Readonly<Record<N, tf.Tensor>>;
  /** The current parameters as named tensors that the caller owns and disposes (or uses in a tidy). */
  params(): Record<N, tf.Tensor>;
  /** The flat parameter vector (in the order of the ParamInit list), read back. */
  read(): Promise<Float32Array>;
  /**
   * The learning rate of the following steps, in place of the rule's `lr` (a schedule sets it before each
   * step): one number for every parameter, or one rate per stacked network — an array of length S when
   * every parameter tensor's leading axis is the network axis, of size S. Uploaded at each step: S numbers.
   */
  setLearningRate(lr: number | Float32Array): void;
  /** Free every tensor; safe to call twice. */
  dispose(): void;
}

/**
 * Slots and constants of one rule: `update(θ, g, t, lr)` returns the new θ and assigns its own slots; `lr`
 * (a scalar or one rate per parameter) replaces the rule's own when given.
 */
interface RuleState {
  update(theta: tf.Tensor1D, g: tf.Tensor1D, t: number, lr: tf.Tensor | null): tf.Tensor1D;
  dispose(): void;
}

/** Constants as kept scalars: `tf.mul(0.95, x)` would upload a new scalar every step. */
function constants<K extends string>(values: Record<K, number>): Record<K, tf.Scalar> {
  const out = {} as Record<K, tf.Scalar>;
  for (const k of Object.keys(values) as K[]) out[k] = tf.keep(tf.scalar(values[k]));
  return out;
}

/** A zero-filled optimizer slot (the tidy frees the initial value; variables survive it). */
function slot(size: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros([size]), false));
}

function ruleState(rule: UpdateRule, size: number): RuleState {
  const slots: tf.Variable[] = [];
  const make = () => {
    const v = slot(size);
    slots.push(v);
    return v;
  };
  let c: Record<string, tf.Scalar> = {};
  let update: RuleState['update'];
  if (rule.kind === 'sgd') {
    const mu = rule.momentum ?? 0;
    c = constants({ lr: rule.lr, mu });
    const buf = mu > 0 ? make() : null;
    update = (theta, g, _t, lr) => {
      if (!buf) return tf.sub(theta, tf.mul(lr ?? c.lr, g));
      buf.assign(tf.add(tf.mul(c.mu, buf), g));
      return tf.sub(theta, tf.mul(lr ?? c.lr, buf));
    };
  } else if (rule.kind === 'adadelta') {
    const rho = rule.rho ?? 0.95;
    c = constants({ rho, rest: 1 - rho, eps: rule.eps ?? 1e-6, lr: rule.lr ?? 1 });
    const g2 = make();
    const dx2 = make();
    update = (theta, g, _t, lr) => {
      const eg2 = tf.add(tf.mul(c.rho, g2), tf.mul(c.rest, tf.square(g)));
      const dx = tf.mul(tf.sqrt(tf.div(tf.add(dx2, c.eps), tf.add(eg2, c.eps))), g); // −Δ
      g2.assign(eg2);
      dx2.assign(tf.add(tf.mul(c.rho, dx2), tf.mul(c.rest, tf.square(dx))));
      if (lr) return tf.sub(theta, tf.mul(lr, dx));
      return tf.sub(theta, rule.lr === undefined || rule.lr === 1 ? dx : tf.mul(c.lr, dx));
    };
  } else {
    const b1 = rule.beta1 ?? 0.9;
    const b2 = rule.beta2 ?? 0.999;
    c = constants({ b1, b2, r1: 1 - b1, r2: 1 - b2, eps: rule.eps ?? 1e-8, lr: rule.lr });
    const m = make();
    const v = make();
    update = (theta, g, t, lr) => {
      m.assign(tf.add(tf.mul(c.b1, m), tf.mul(c.r1, g)));
      v.assign(tf.add(tf.mul(c.b2, v), tf.mul(c.r2, tf.square(g))));
      // The bias corrections change every step: two scalars per step, the price of torch's exact ε placement.
      const mHat = tf.div(m, 1 - b1 ** t);
      const vHat = tf.div(v, 1 - b2 ** t);
      return tf.sub(theta, tf.mul(lr ?? c.lr, tf.div(mHat, tf.add(tf.sqrt(vHat), c.eps))));
    };
  }
  return {
    update,
    dispose: () => tf.dispose([...slots, ...Object.values(c)]),
  };
}

/**
 * Build a trainer for the parameters `init`, minimising `loss` with `rule`. Each `step` runs in one
 * tf.tidy: the gradient is taken with respect to named tensors split off the flat variable outside the
 * gradient tape (so the backward pass has no slice gradients), the gradients come back per tensor and
 * are joined into one vector, L2 decay is added, the rule updates everything at once, and the updated
 * vector is split again for the next step and for `current()`.
 */
export function createFlatTrainer<N extends string>(init: readonly ParamInit<N>[], loss: LossFn<N>, rule: UpdateRule): FlatTrainer<N> {
  if (init.length === 0) throw new RangeError('a trainer needs at least one parameter tensor');
  const sizes = init.map((p) => {
    const n = p.shape.reduce((a, b) => a * b, 1);
    if (p.values.length !== n) throw new RangeError(`parameter ${p.name}: ${p.values.length} values for shape [${p.shape}]`);
    return n;
  });
  const size = sizes.reduce((a, b) => a + b, 0);
  const flat = new Float32Array(size);
  const decay = new Float32Array(size);
  let at = 0;
  init.forEach((p, i) => {
    flat.set(p.values, at);
    decay.fill(p.l2 ?? 0, at, at + sizes[i]);
    at += sizes[i];
  });
  const theta = tf.tidy(() => tf.variable(tf.tensor1d(flat), true));
  const l2 = decay.some((d) => d !== 0) ? tf.keep(tf.tensor1d(decay)) : null;
  const state = ruleState(rule, size);
  let lossSum: tf.Tensor = tf.keep(tf.scalar(0));
  let lossShape: number[] = [];
  let pending = 0;
  let steps = 0;
  let disposed = false;
  /** The rate set by setLearningRate (null: the rule's), and for per-net rates each parameter's net. */
  let lr: number | Float32Array | null = null;
  let netOf: tf.Tensor1D | null = null;
  let netOfNets = 0;

  const alive = () => {
    if (disposed) throw new Error('trainer used after dispose');
  };
  /** The step's learning rate as a tensor (inside the step's tidy), or null for the rule's own. */
  const lrTensor = (): tf.Tensor | null => {
    if (lr === null) return null;
    if (typeof lr === 'number') return tf.scalar(lr);
    return tf.gather(tf.tensor1d(lr), netOf as tf.Tensor1D);
  };
  const split = (t: tf.Tensor): Record<N, tf.Tensor> => {
    const parts = init.length === 1 ? [t] : tf.split(t, sizes);
    const out = {} as Record<N, tf.Tensor>;
    init.forEach((p, i) => (out[p.name] = tf.reshape(parts[i], p.shape)));
    return out;
  };
  const keepAll = (named: Record<N, tf.Tensor>) => {
    for (const v of Object.values<tf.Tensor>(named)) tf.keep(v);
    return named;
  };
  const names = init.map((p) => p.name);
  // The parameters as named tensors, split off the flat variable once per step (after its update) and
  // shared by the next step's gradient and by every evaluation in between.
  let views = keepAll(tf.tidy(() => split(theta)));

  /** Hands over the loss sum of the steps since the previous call, and their number. */
  function drain(): { sum: tf.Tensor; n: number } {
    alive();
    const out = { sum: lossSum, n: pending };
    lossSum = tf.keep(tf.scalar(0));
    pending = 0;
    return out;
  }

  function meanLossTensor(): tf.Tensor {
    const { sum, n } = drain();
    if (n === 0) {
      sum.dispose();
      return tf.fill(lossShape, NaN);
    }
    const mean = tf.div(sum, n);
    sum.dispose();
    return mean;
  }

  /** One step from the loss value and the flat gradient that `compute` returns (run inside the step's tidy). */
  function update(compute: () => { value: tf.Tensor; g: tf.Tensor1D }): void {
    const t = steps + 1;
    const next = tf.tidy(() => {
      const { value, g: raw } = compute();
      const g = l2 ? (tf.add(raw, tf.mul(l2, theta)) as tf.Tensor1D) : raw;
      const updated = state.update(theta as tf.Tensor1D, g, t, lrTensor());
      return { theta: updated, views: split(updated), sum: tf.add(lossSum, value), shape: value.shape };
    });
    // Kept: a caller's enclosing tidy must not free the trainer's state.
    theta.assign(next.theta);
    tf.dispose([next.theta, lossSum, ...Object.values<tf.Tensor>(views)]);
    views = keepAll(next.views);
    lossSum = tf.keep(next.sum);
    lossShape = next.shape;
    steps = t;
    pending += 1;
  }

  return {
    size,
    get steps() {
      return steps;
    },
    step(...inputs: tf.Tensor[]) {
      alive();
      update(() => {
        const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => {
          const named = {} as Record<N, tf.Tensor>;
          names.forEach((n, i) => (named[n] = ps[i]));
          const l = loss(named, ...inputs);
          if (l.rank > 1) throw new RangeError(`the loss must be a scalar or a vector, got shape [${l.shape}]`);
          return l; // a vector's gradient is its sum's (dy defaults to ones)
        })(names.map((n) => views[n]));
        const g = (grads.length === 1 ? tf.reshape(grads[0], [size]) : tf.concat(grads.map((d) => tf.reshape(d, [-1])))) as tf.Tensor1D;
        return { value, g };
      });
    },
    applyGradient(gradient: tf.Tensor, value: tf.Tensor) {
      alive();
      if (gradient.size !== size) throw new RangeError(`a gradient of ${gradient.size} values for ${size} parameters`);
      if (value.rank > 1) throw new RangeError(`the loss must be a scalar or a vector, got shape [${value.shape}]`);
      update(() => ({ value, g: tf.reshape(gradient, [size]) as tf.Tensor1D }));
    },
    meanLossTensor,
    async meanLoss() {
      const { sum, n } = drain();
      try {
        return n === 0 ? NaN : Array.from(await sum.data()).reduce((a, b) => a + b, 0) / n;
      } finally {
        sum.dispose();
      }
    },
    current() {
      alive();
      return views;
    },
    params() {
      alive();
      const out = {} as Record<N, tf.Tensor>;
      for (const n of names) out[n] = tf.clone(views[n]);
      return out;
    },
    setLearningRate(rate: number | Float32Array) {
      alive();
      if (typeof rate !== 'number') {
        const S = rate.length;
        const bad = init.find((p) => p.shape[0] !== S);
        if (bad) throw new RangeError(`${S} per-net rates, but parameter ${bad.name} has shape [${bad.shape}]: its leading axis must be the ${S} nets`);
        if (!netOf || netOfNets !== S) {
          const index = new Int32Array(size);
          let from = 0;
          sizes.forEach((n) => {
            for (let s = 0; s < S; s++) index.fill(s, from + (s * n) / S, from + ((s + 1) * n) / S);
            from += n;
          });
          netOf?.dispose();
          netOf = tf.keep(tf.tensor1d(index, 'int32'));
          netOfNets = S;
        }
        rate = Float32Array.from(rate);
      }
      lr = rate;
    },
    async read() {
      alive();
      return Float32Array.from(await theta.data());
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      state.dispose();
      tf.dispose([theta, lossSum, ...Object.values<tf.Tensor>(views), ...(l2 ? [l2] : []), ...(netOf ? [netOf] : [])]);
    },
  };
}

/**
 * How far one `step(k)` call of a training demo goes, and whether its metrics are due: n = min(k, total − steps)
 * steps (none when `canTrain` is false), and `due` at the first measurement, whenever the step count crosses a
 * multiple of `every`, and at `total`.
 */
export function stepPlan(steps: number, k: number, total: number, every: number, measured: boolean, canTrain = true): { n: number; after: number; due: boolean } {
  const n = canTrain ? Math.max(0, Math.min(k, total - steps)) : 0;
  const after = steps + n;
  const due = !measured || Math.floor(steps / every) !== Math.floor(after / every) || after === total;
  return { n, after, due };
}

/** The initial values of `init` laid end to end, in order: the flat vector a trainer built from them starts at. */
export function flatInit(init: readonly ParamInit[]): Float32Array {
  const flat = new Float32Array(init.reduce((a, p) => a + p.values.length, 0));
  let at = 0;
  for (const p of init) {
    flat.set(p.values, at);
    at += p.values.length;
  }
  return flat;
}

/**
 * Named tensors of the shapes of `init` cut from a flat vector laid out as {@link flatInit} lays it (a trainer's
 * `read()`). The caller owns them (build them in a tf.tidy). Throws a RangeError when the length does not match.
 */
export function paramsFromFlat<N extends string>(init: readonly ParamInit<N>[], flat: Float32Array): Record<N, tf.Tensor> {
  const size = init.reduce((a, p) => a + p.values.length, 0);
  if (flat.length !== size) throw new RangeError(`${flat.length} parameters, expected ${size}`);
  const params = {} as Record<N, tf.Tensor>;
  let at = 0;
  for (const p of init) {
    params[p.name] = tf.tensor(flat.subarray(at, at + p.values.length), p.shape);
    at += p.values.length;
  }
  return params;
}

/** The cosine schedule's rate at step t (0-based) of T: lr·½(1 + cos(πt/T)), 0 from T on. */
export function cosineRate(lr: number, t: number, total: number): number {
  return t >= total ? 0 : (lr * (1 + Math.cos((Math.PI * t) / total))) / 2;
}
