/**
 * Szegedy et al.'s box-constrained adversarial example (arXiv:1312.6199, section 4.1), batched:
 *
 *   minimise over r   c·‖r‖₂² + loss_f(x + r, l)   subject to   x + r ∈ [0, 1]ᵐ
 *
 * with loss_f the cross-entropy of the target class l. The paper solves each problem with box-constrained
 * L-BFGS; here each is solved by projected Adam (a gradient step on r, then x + r clipped back into the box),
 * which needs no line search of its own and runs batched on any tfjs backend. That is the one liberty taken.
 *
 * The penalty c trades distortion for loss: a larger c buys a smaller r but may fail to reach l. The paper
 * line-searches c; we do a per-digit search over rounds: a round that reaches l (arg-max f(x + r) = l at some
 * step) raises c, a round that does not lowers it (doubling until bracketed, then bisecting), and every round
 * starts again from r = 0. The smallest successful r of any step is kept: it approximates D(x, l), the
 * closest image to x in the box that f assigns to l.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { logits } from '../runtime/models/attacks';

/** MNIST pixels per digit. */
export const PIXELS = 784;

/** The search's settings (defaults: what the page and `npm run reproduce -- intriguing` use). */
export interface BoxAttackConfig {
  /** Projected Adam steps per value of c. */
  steps: number;
  /** Values of c tried per digit. */
  rounds: number;
  /** The first c. */
  initialC: number;
  /** Adam's step size, in pixel units. */
  learningRate: number;
}

export const BOX_DEFAULTS: BoxAttackConfig = { steps: 40, rounds: 6, initialC: 1, learningRate: 0.02 };

/** The attack after some steps; arrays per digit (images n × 784). */
export interface BoxFrame {
  steps: number;
  round: number;
  done: boolean;
  /** c of the current round. */
  c: Float64Array;
  /** ‖r‖₂ and the target's cross-entropy at the current iterate. */
  norm: Float32Array;
  loss: Float32Array;
  /** Class probabilities at the current iterate x + r (n × 10). */
  probs: Float32Array;
  /** The current r (n × 784). */
  r: Float32Array;
  /** The smallest ‖r‖₂ that reached the target so far (Infinity: none), and that r (zeros where none). */
  bestNorm: Float32Array;
  bestR: Float32Array;
}

export interface BoxRun {
  /** `k` more Adam steps, crossing rounds as needed (never past the last); k = 0 reports the current state. */
  step(k: number): Promise<BoxFrame>;
  /** Total steps of a full run (steps × rounds). */
  readonly total: number;
  dispose(): void;
}

function checkConfig(c: BoxAttackConfig): void {
  if (!(Number.isInteger(c.steps) && c.steps >= 1)) throw new RangeError(`steps per round must be a whole number ≥ 1, got ${c.steps}`);
  if (!(Number.isInteger(c.rounds) && c.rounds >= 1)) throw new RangeError(`rounds must be a whole number ≥ 1, got ${c.rounds}`);
  if (!(c.initialC > 0 && Number.isFinite(c.initialC))) throw new RangeError(`the first c must be a number > 0, got ${c.initialC}`);
  if (!(c.learningRate > 0 && Number.isFinite(c.learningRate))) throw new RangeError(`the learning rate must be > 0, got ${c.learningRate}`);
}

/**
 * The next c of a digit after a round: success raises it (×2 until a failure bounds it from above, then the
 * midpoint), failure lowers it (÷2 until a success bounds it from below, then the midpoint). `lo`/`hi` are the
 * largest c known to succeed (0: none) and the smallest known to fail (Infinity: none); updated in place.
 */
export function nextC(c: number, success: boolean, bounds: { lo: number; hi: number }): number {
  if (success) bounds.lo = Math.max(bounds.lo, c);
  else bounds.hi = Math.min(bounds.hi, c);
  if (success) return Number.isFinite(bounds.hi) ? (bounds.lo + bounds.hi) / 2 : 2 * c;
  return bounds.lo > 0 ? (bounds.lo + bounds.hi) / 2 : c / 2;
}

/**
 * Starts the attack on `images` (n × 784 pixels in [0, 1]) towards classes `targets` against `model`.
 * Nothing runs until `step`. Owns its tensors until `dispose()` (idempotent).
 */
export function createBoxAttack(model: tf.LayersModel, images: Float32Array, targets: ArrayLike<number>, config: Partial<BoxAttackConfig> = {}): BoxRun {
  const cfg: BoxAttackConfig = { ...BOX_DEFAULTS, ...config };
  checkConfig(cfg);
  const n = targets.length;
  if (n < 1 || images.length !== n * PIXELS) throw new RangeError(`createBoxAttack: ${images.length} pixels for ${n} targets, expected ${n * PIXELS}`);
  for (let i = 0; i < n; i++) if (!(Number.isInteger(targets[i]) && targets[i] >= 0 && targets[i] < 10)) throw new RangeError(`target must be a class 0–9, got ${targets[i]}`);

  const x = tf.tensor4d(images, [n, 28, 28, 1]);
  const labels = tf.tensor1d(Int32Array.from(targets), 'int32');
  const yOne = tf.tidy(() => tf.oneHot(labels, 10).toFloat());
  // A variable shares its initial tensor's data, but that tensor still counts until it is disposed.
  const fresh = (init: tf.Tensor): tf.Variable => {
    const v = tf.variable(init);
    init.dispose();
    return v;
  };
  const r = fresh(tf.zeros([n, 28, 28, 1]));
  const best = fresh(tf.zeros([n, 28, 28, 1]));
  const bestSq = fresh(tf.fill([n], Infinity));
  const reached = fresh(tf.zeros([n], 'bool'));
  const cHost = new Float64Array(n).fill(cfg.initialC);
  const bounds = Array.from({ length: n }, () => ({ lo: 0, hi: Infinity }));
  let cDev = tf.tensor1d(Float32Array.from(cHost));
  let adam = tf.train.adam(cfg.learningRate);
  let steps = 0;
  let round = 0;
  let disposed = false;
  const total = cfg.steps * cfg.rounds;

  /** The target's cross-entropy per digit, the logits and ‖r‖² at x + rr. */
  const evaluate = (rr: tf.Tensor) => {
    const z = logits(model, tf.add(x, rr));
    const loss = tf.losses.softmaxCrossEntropy(yOne, z, undefined, undefined, tf.Reduction.NONE) as tf.Tensor1D;
    const sq = tf.sum(tf.square(rr), [1, 2, 3]);
    return { z, loss, sq };
  };

  const adamStep = () => {
    tf.tidy(() => {
      adam.minimize(() => {
        const { loss, sq } = evaluate(r);
        return tf.sum(tf.add(tf.mul(cDev, sq), loss)) as tf.Scalar;
      }, false, [r]);
      // The box: x + r back into [0, 1].
      r.assign(tf.sub(tf.clipByValue(tf.add(x, r), 0, 1), x));
      const { z, sq } = evaluate(r);
      const hit = tf.equal(tf.argMax(z, 1).toInt(), labels);
      const better = tf.logicalAnd(hit, tf.less(sq, bestSq));
      bestSq.assign(tf.where(better, sq, bestSq));
      best.assign(tf.where(tf.tile(better.reshape([n, 1, 1, 1]), [1, 28, 28, 1]), r, best));
      reached.assign(tf.logicalOr(reached, hit));
    });
  };

  const newRound = async () => {
    const ok = await readAndDispose(reached.toFloat());
    for (let i = 0; i < n; i++) cHost[i] = nextC(cHost[i], ok[i] > 0, bounds[i]);
    cDev.dispose();
    cDev = tf.tensor1d(Float32Array.from(cHost));
    tf.tidy(() => {
      reached.assign(tf.zeros([n], 'bool'));
      r.assign(tf.zerosLike(r));
    });
    adam.dispose();
    adam = tf.train.adam(cfg.learningRate);
    round++;
  };

  return {
    total,
    async step(k: number): Promise<BoxFrame> {
      if (disposed) throw new Error('createBoxAttack: step after dispose');
      for (let i = 0; i < k && steps < total; i++) {
        if (steps > 0 && steps % cfg.steps === 0 && steps / cfg.steps > round) await newRound();
        adamStep();
        steps++;
      }
      const out = tf.tidy(() => {
        const { z, loss, sq } = evaluate(r);
        return tf.concat([tf.sqrt(sq), loss, tf.softmax(z).reshape([-1]), r.reshape([-1]), tf.sqrt(bestSq), best.reshape([-1])]);
      });
      const v = await readAndDispose(out);
      let o = 0;
      const take = (len: number) => v.slice(o, (o += len));
      return {
        steps,
        round,
        done: steps >= total,
        c: cHost.slice(),
        norm: take(n),
        loss: take(n),
        probs: take(10 * n),
        r: take(PIXELS * n),
        bestNorm: take(n),
        bestR: take(PIXELS * n),
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      adam.dispose();
      tf.dispose([x, labels, yOne, r, best, bestSq, reached, cDev]);
    },
  };
}

/** Runs a whole attack to the end (for jobs and scripts); `onRound` after each round. Disposes the run. */
export async function runBoxAttack(
  model: tf.LayersModel,
  images: Float32Array,
  targets: ArrayLike<number>,
  config: Partial<BoxAttackConfig> = {},
  onRound?: (round: number) => Promise<void> | void,
): Promise<BoxFrame> {
  const run = createBoxAttack(model, images, targets, config);
  const cfg = { ...BOX_DEFAULTS, ...config };
  try {
    let f = await run.step(0);
    for (let k = 0; k < cfg.rounds; k++) {
      f = await run.step(cfg.steps);
      await onRound?.(k);
    }
    return f;
  } finally {
    run.dispose();
  }
}

/**
 * The paper's distortion measure: √(Σᵢ rᵢ² / m), the root mean square change per pixel (m = 784; pixels in
 * [0, 1]). Szegedy et al.'s MNIST table reports its average over the adversarial examples found.
 */
export function rmsDistortion(r: ArrayLike<number>, offset = 0, m = PIXELS): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += r[offset + i] * r[offset + i];
  return Math.sqrt(s / m);
}

/** Class probabilities of `model` for n digits (n × 784 pixels): one batch, one read-back. */
export async function predictProbs(model: tf.LayersModel, images: Float32Array): Promise<Float32Array> {
  const n = images.length / PIXELS;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`predictProbs: ${images.length} pixels is not a whole number of digits`);
  return readAndDispose(tf.tidy(() => tf.softmax(logits(model, tf.tensor4d(images, [n, 28, 28, 1]))).reshape([-1])));
}

/** The arg-max of each row of an n × k array. */
export function rowArgMax(p: ArrayLike<number>, k = 10): Int32Array {
  const n = Math.floor(p.length / k);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + b]) b = j;
    out[i] = b;
  }
  return out;
}
