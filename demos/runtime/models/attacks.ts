/**
 * Gradient attacks on the shipped MNIST classifiers, in one place for every caller: the FGSM page, its
 * worker, `npm run reproduce -- fgsm`, adversarial training (./train.ts) and later pages.
 *
 * - FGSM (Goodfellow et al. 2015): x' = clip₀¹(x + ε·sign(∇ₓJ(θ, x, y))).
 * - BIM / PGD (Kurakin et al. 2017; Madry et al. 2018): FGSM iterated with step α, each step projected
 *   back onto the L∞ ball of radius ε around x and onto the pixel box [0, 1]. It starts at x (BIM);
 *   `randomStart` starts at a seeded uniform point of the ball, as Madry et al. do.
 *
 * J is the cross-entropy computed from the logits (the network's last layer without its softmax), not
 * from the rounded probabilities: a digit classified with probability 1.0 in float32 still has a usable
 * gradient. Pixels are in [0, 1], images [n, 28, 28, 1].
 */
import { tf } from '../tf';
import type { MnistArrays } from '../data/idx';
import { batchTensors, range } from './classify';

/** Which attack, and its settings. `epsilon` is the L∞ budget in pixel units of [0, 1]. */
export type AttackSpec =
  | { kind: 'fgsm'; epsilon: number }
  | { kind: 'pgd'; epsilon: number; steps: number; stepSize: number; randomStart?: boolean; seed?: number };

/**
 * The class scores before the softmax, Z(x): every layer of a Sequential classifier but the final
 * softmax, which is either a Dense layer's activation or a separate Activation layer. `training` runs
 * dropout as in training (for adversarial training); default inference.
 */
export function logits(model: tf.LayersModel, x: tf.Tensor, training = false): tf.Tensor2D {
  return tf.tidy(() => {
    const layers = model.layers;
    const last = layers[layers.length - 1];
    let h: tf.Tensor = x;
    for (let i = 0; i < layers.length - 1; i++) h = layers[i].apply(h, { training }) as tf.Tensor;
    const config = last.getConfig();
    if (last.getClassName() === 'Activation' && config.activation === 'softmax') return h as tf.Tensor2D;
    if (last.getClassName() === 'Dense' && config.activation === 'softmax') {
      const [kernel, bias] = last.getWeights();
      return (bias ? tf.add(tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D), bias) : tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D)) as tf.Tensor2D;
    }
    throw new Error(`logits: the last layer must be a softmax (Dense or Activation), got ${last.getClassName()}`);
  });
}

/** One-hot targets from class indices (or passes one-hot targets through). */
function asOneHot(y: tf.Tensor, classes: number): tf.Tensor2D {
  return (y.rank === 1 ? tf.oneHot(y.toInt(), classes).toFloat() : y) as tf.Tensor2D;
}

/** Cross-entropy J of every digit (a vector), computed from the logits. */
export function crossEntropy(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, training = false): tf.Tensor1D {
  return tf.tidy(() => {
    const z = logits(model, x, training);
    return tf.losses.softmaxCrossEntropy(asOneHot(y, z.shape[1]), z, undefined, undefined, tf.Reduction.NONE) as tf.Tensor1D;
  });
}

/**
 * ∇ₓ J for every digit of the batch at once: the gradient of the summed loss, so each digit's
 * gradient is its own (not divided by the batch size). `y`: class indices [n] or one-hot [n, classes].
 */
export function inputGradient(model: tf.LayersModel, x: tf.Tensor4D, y: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => tf.grad((xx: tf.Tensor) => tf.sum(crossEntropy(model, xx, y)))(x) as tf.Tensor4D);
}

/**
 * sign(g) ∈ {−1, 0, 1}, exactly: tfjs-backend-wasm's Sign kernel returns 0 for |g| below about 1e-7 (cpu and
 * webgl do not), and the input gradient of a confidently classified digit is often that small, so FGSM on
 * wasm would silently leave those pixels alone. Comparisons are exact on every backend.
 */
export function exactSign(g: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.cast(tf.greater(g, 0), 'float32'), tf.cast(tf.less(g, 0), 'float32')));
}

/**
 * FGSM: clip₀¹(x + ε·sign(∇ₓJ)). Pixels whose gradient is exactly 0 do not move. `sign: 'kernel'` uses the
 * backend's own Sign kernel instead of {@link exactSign}: only the adversarial training of the shipped
 * `cnn-adv` does, because its weights were made that way on wasm (see TrainRecipe.adversarial), and
 * `npm run train -- cnn-adv` must reproduce them.
 */
export function fgsm(model: tf.LayersModel, x: tf.Tensor4D, y: tf.Tensor, epsilon: number, opts: { sign?: 'exact' | 'kernel' } = {}): tf.Tensor4D {
  return tf.tidy(() => {
    const g = inputGradient(model, x, y);
    const s = opts.sign === 'kernel' ? tf.sign(g) : exactSign(g);
    return tf.clipByValue(tf.add(x, tf.mul(s, epsilon)), 0, 1) as tf.Tensor4D;
  });
}

/** Projection onto {x' : ‖x' − x‖∞ ≤ ε} ∩ [0, 1]ⁿ (coordinate-wise: the two boxes intersect in a box). */
export function project(xAdv: tf.Tensor4D, x: tf.Tensor4D, epsilon: number): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.minimum(tf.maximum(xAdv, tf.sub(x, epsilon)), tf.add(x, epsilon)), 0, 1) as tf.Tensor4D);
}

/**
 * BIM / PGD: `steps` FGSM steps of size `stepSize`, each projected back (see {@link project}). With
 * `randomStart`, starts from x plus seeded uniform noise in [−ε, ε] (projected).
 */
export function pgd(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  y: tf.Tensor,
  opts: { epsilon: number; steps: number; stepSize: number; randomStart?: boolean; seed?: number },
): tf.Tensor4D {
  let cur: tf.Tensor4D = opts.randomStart
    ? tf.tidy(() => project(tf.add(x, tf.randomUniform(x.shape, -opts.epsilon, opts.epsilon, 'float32', opts.seed ?? 1)) as tf.Tensor4D, x, opts.epsilon))
    : tf.clone(x);
  for (let k = 0; k < opts.steps; k++) {
    const next = tf.tidy(() => project(tf.add(cur, tf.mul(exactSign(inputGradient(model, cur, y)), opts.stepSize)) as tf.Tensor4D, x, opts.epsilon));
    cur.dispose();
    cur = next;
  }
  return cur;
}

/** The adversarial batch for `spec` (a new tensor; the caller disposes it). ε = 0 returns a copy of x. */
export function attack(model: tf.LayersModel, x: tf.Tensor4D, y: tf.Tensor, spec: AttackSpec): tf.Tensor4D {
  if (!(spec.epsilon >= 0)) throw new Error(`attack: epsilon must be ≥ 0, got ${spec.epsilon}`);
  if (spec.epsilon === 0) return tf.clone(x);
  if (spec.kind === 'fgsm') return fgsm(model, x, y, spec.epsilon);
  if (!(Number.isInteger(spec.steps) && spec.steps >= 1)) throw new Error(`attack: PGD needs a whole number of steps ≥ 1, got ${spec.steps}`);
  if (!(spec.stepSize > 0)) throw new Error(`attack: PGD step size must be > 0, got ${spec.stepSize}`);
  return pgd(model, x, y, spec);
}

/** How a batch of digits fared under an attack. */
export interface AttackTally {
  count: number;
  /** Digits the network got wrong on the attacked images. */
  wrong: number;
  /** Sum over the wrong digits of the probability given to the (wrong) predicted class. */
  wrongConfidenceSum: number;
}

/** An empty tally to add batches into. */
export function emptyTally(): AttackTally {
  return { count: 0, wrong: 0, wrongConfidenceSum: 0 };
}

/** a + b. */
export function addTally(a: AttackTally, b: AttackTally): AttackTally {
  return { count: a.count + b.count, wrong: a.wrong + b.wrong, wrongConfidenceSum: a.wrongConfidenceSum + b.wrongConfidenceSum };
}

/**
 * Error rate and mean confidence of a tally. Mean confidence is Goodfellow et al.'s measure: the average
 * probability the network gives its answer on the digits it gets wrong (0 when it gets none wrong).
 */
export function summarizeTally(t: AttackTally): { error: number; meanConfidence: number } {
  return { error: t.count === 0 ? 0 : t.wrong / t.count, meanConfidence: t.wrong === 0 ? 0 : t.wrongConfidenceSum / t.wrong };
}

/**
 * Attacks digits [start, end) of `data` (labels = class indices) and scores the network on the attacked
 * images: one batch, one read-back, no tensor left behind. The chunk of work of the error-against-ε
 * curves, the reproduce script and the tests alike.
 */
export async function attackRange(model: tf.LayersModel, data: MnistArrays, start: number, end: number, spec: AttackSpec): Promise<AttackTally> {
  const classes = (model.outputs[0].shape as number[])[1];
  const out = tf.tidy(() => {
    const { x, y } = batchTensors(data, range(start, end), classes);
    const xAdv = attack(model, x, y, spec);
    const p = tf.softmax(logits(model, xAdv));
    return tf.stack([tf.argMax(p, -1).toFloat(), tf.max(p, -1)]);
  });
  let v: Float32Array;
  try {
    v = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  const n = end - start;
  const t = emptyTally();
  t.count = n;
  for (let k = 0; k < n; k++) {
    if (v[k] !== data.labels[start + k]) {
      t.wrong++;
      t.wrongConfidenceSum += v[n + k];
    }
  }
  return t;
}

/** {@link attackRange} over digits [0, limit) of `data` in batches of `batchSize`. */
export async function attackSet(model: tf.LayersModel, data: MnistArrays, spec: AttackSpec, opts: { limit?: number; batchSize?: number } = {}): Promise<AttackTally> {
  const n = Math.min(opts.limit ?? data.count, data.count);
  const bs = opts.batchSize ?? 500;
  let t = emptyTally();
  for (let s = 0; s < n; s += bs) t = addTally(t, await attackRange(model, data, s, Math.min(s + bs, n), spec));
  return t;
}
