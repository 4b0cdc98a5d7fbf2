/**
 * Carlini & Wagner's targeted L2 attack (Carlini & Wagner 2017, arXiv:1608.04644), batched: every digit of the
 * batch is its own problem (the loss is a sum of per-digit terms, and Adam works coordinate by coordinate), so
 * n digits cost one forward and backward pass per iteration.
 *
 *   minimise over w   ‖x′ − x‖₂² + c·f(x′),   x′ = ½(tanh w + 1)  (always inside [0, 1]: no clipping)
 *   f(x′) = max( max_{i≠t} Z(x′)_i − Z(x′)_t , −κ )
 *
 * Adam on w for `iterations` steps, then a binary search on c per digit: if the round found an adversarial
 * example, c is lowered to the middle of [lo, c]; if not, raised (×10 until a success bounds it, then bisected).
 * Each round restarts w at the digit and Adam afresh. The best (smallest-L2) success is kept on the device.
 * The attacked class is `target`; success means Z_t exceeds every other logit by at least κ (f = −κ).
 */
import { readAndDispose, tf } from '../tf';
import { logits } from './attacks';

/** The attack's settings. The defaults suit the shipped MNIST networks in a browser: far fewer steps than the paper's runs, so a larger Adam rate. */
export interface CwConfig {
  /** Confidence margin κ ≥ 0: how far the target's logit must lead. */
  kappa: number;
  /** Adam steps per value of c. */
  iterations: number;
  /** Values of c tried (binary-search rounds). */
  searchSteps: number;
  /** The first c. */
  initialC: number;
  learningRate: number;
}

export const CW_DEFAULTS: CwConfig = { kappa: 0, iterations: 100, searchSteps: 5, initialC: 1, learningRate: 0.1 };

/** What the attack shows after some steps, per digit (arrays of length n, logits and images n × …). */
export interface CwFrame {
  /** Adam steps taken in all, and in the current round; the round (0-based). */
  steps: number;
  roundStep: number;
  round: number;
  /** All rounds done. */
  done: boolean;
  /** c of the current round. */
  c: Float32Array;
  /** The objective ‖δ‖² + c·f, its parts ‖δ‖₂² and f, at the current iterate. */
  loss: Float32Array;
  l2sq: Float32Array;
  f: Float32Array;
  /** Z(x′) at the current iterate, n × 10. */
  logits: Float32Array;
  /** The current iterate x′ (n × 784). */
  image: Float32Array;
  /** The smallest ‖δ‖₂ (not squared) of a success so far, or Infinity; and that example (n × 784, x where none). */
  bestL2: Float32Array;
  bestImage: Float32Array;
}

/** A running attack: `step(k)` takes k more Adam steps (crossing rounds as needed); `dispose()` frees everything. */
export interface CwRun {
  step(k: number): Promise<CwFrame>;
  dispose(): void;
}

const BIG = 1e10;

function checkConfig(c: CwConfig): void {
  if (!(c.kappa >= 0 && Number.isFinite(c.kappa))) throw new RangeError(`κ must be a number ≥ 0, got ${c.kappa}`);
  if (!(Number.isInteger(c.iterations) && c.iterations >= 1)) throw new RangeError(`iterations must be a whole number ≥ 1, got ${c.iterations}`);
  if (!(Number.isInteger(c.searchSteps) && c.searchSteps >= 1)) throw new RangeError(`search steps must be a whole number ≥ 1, got ${c.searchSteps}`);
  if (!(c.initialC > 0 && Number.isFinite(c.initialC))) throw new RangeError(`the first c must be > 0, got ${c.initialC}`);
  if (!(c.learningRate > 0)) throw new RangeError(`the learning rate must be > 0, got ${c.learningRate}`);
}

/**
 * Starts the attack on digits `images` (n × 784 pixels in [0, 1]) towards classes `targets` (n). Nothing runs
 * until `step`; the first `step(0)` reports the start (x′ = x).
 */
export function createCw(model: tf.LayersModel, images: Float32Array, targets: ArrayLike<number>, config: Partial<CwConfig> = {}): CwRun {
  const cfg: CwConfig = { ...CW_DEFAULTS, ...config };
  checkConfig(cfg);
  const n = targets.length;
  if (n < 1 || images.length !== n * 784) throw new RangeError(`createCw: ${images.length} pixels for ${n} targets, expected ${n * 784}`);
  for (let i = 0; i < n; i++) if (!(Number.isInteger(targets[i]) && targets[i] >= 0 && targets[i] < 10)) throw new RangeError(`target must be a class 0–9, got ${targets[i]}`);

  const x = tf.tensor4d(images, [n, 28, 28, 1]);
  const onehot = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(targets), 'int32'), 10).toFloat());
  // w with ½(tanh w + 1) = x: atanh of 2x − 1, pulled in slightly so that 0 and 1 stay finite.
  // (Computed here: not every backend has an atanh kernel.)
  const start = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const u = (2 * images[i] - 1) * 0.999999;
    start[i] = 0.5 * Math.log((1 + u) / (1 - u));
  }
  const w0 = tf.tensor4d(start, [n, 28, 28, 1]);
  // tf.variable keeps its own handle on the data: the initial tensor is freed at once.
  const own = (t: tf.Tensor): tf.Variable => {
    const v = tf.variable(t);
    t.dispose();
    return v;
  };
  const w = own(w0.clone());
  const c = own(tf.fill([n], cfg.initialC));
  const lo = own(tf.zeros([n]));
  const hi = own(tf.fill([n], BIG));
  const bestL2sq = own(tf.fill([n], Infinity));
  const bestImage = own(x.clone());
  const roundSuccess = own(tf.zeros([n], 'bool'));
  let optimizer = tf.train.adam(cfg.learningRate);
  let steps = 0;
  let roundStep = 0;
  let round = 0;
  let disposed = false;

  /** ‖δ‖², f and the logits at x′ = ½(tanh w + 1). */
  const parts = (wt: tf.Tensor) => {
    const xa = tf.mul(tf.add(tf.tanh(wt), 1), 0.5) as tf.Tensor4D;
    const z = logits(model, xa);
    const real = tf.sum(tf.mul(z, onehot), 1);
    const other = tf.max(tf.sub(z, tf.mul(onehot, 1e4)), 1);
    const f = tf.maximum(tf.sub(other, real), -cfg.kappa);
    const l2sq = tf.sum(tf.square(tf.sub(xa, x)), [1, 2, 3]);
    return { xa, z, f, l2sq };
  };

  /** Keeps the best success of this step; marks the round's successes. */
  const track = () =>
    tf.tidy(() => {
      const { xa, f, l2sq } = parts(w);
      const success = tf.lessEqual(f, -cfg.kappa + 1e-6) as tf.Tensor1D;
      const better = tf.logicalAnd(success, tf.less(l2sq, bestL2sq));
      bestL2sq.assign(tf.where(better, l2sq, bestL2sq));
      bestImage.assign(tf.where(better.reshape([n, 1, 1, 1]).tile([1, 28, 28, 1]), xa, bestImage as tf.Tensor));
      roundSuccess.assign(tf.logicalOr(roundSuccess, success));
    });

  /** The binary search on c, on the device; then a fresh start of w and Adam. */
  const nextRound = () => {
    tf.tidy(() => {
      const ok = roundSuccess;
      const newHi = tf.where(ok, tf.minimum(hi, c), hi);
      const newLo = tf.where(ok, lo, tf.maximum(lo, c));
      const bounded = tf.less(newHi, BIG / 10);
      c.assign(tf.where(bounded, tf.div(tf.add(newLo, newHi), 2), tf.mul(c, 10)));
      hi.assign(newHi);
      lo.assign(newLo);
      roundSuccess.assign(tf.zeros([n], 'bool'));
      w.assign(w0);
    });
    optimizer.dispose();
    optimizer = tf.train.adam(cfg.learningRate);
    round++;
    roundStep = 0;
  };

  const total = cfg.iterations * cfg.searchSteps;
  return {
    async step(k: number): Promise<CwFrame> {
      if (disposed) throw new Error('createCw: step after dispose');
      for (let i = 0; i < k && steps < total; i++) {
        if (roundStep === cfg.iterations) nextRound();
        tf.tidy(() => {
          optimizer.minimize(() => {
            const { f, l2sq } = parts(w);
            return tf.sum(tf.add(l2sq, tf.mul(c, f))) as tf.Scalar;
          }, false, [w]);
        });
        track();
        steps++;
        roundStep++;
      }
      const out = tf.tidy(() => {
        const { xa, z, f, l2sq } = parts(w);
        return tf.concat([c, tf.add(l2sq, tf.mul(c, f)), l2sq, f, z.reshape([-1]), xa.reshape([-1]), tf.sqrt(bestL2sq), bestImage.reshape([-1])]);
      });
      const v = await readAndDispose(out);
      let o = 0;
      const take = (len: number) => v.slice(o, (o += len));
      return {
        steps,
        roundStep,
        round,
        done: steps >= total,
        c: take(n),
        loss: take(n),
        l2sq: take(n),
        f: take(n),
        logits: take(10 * n),
        image: take(784 * n),
        bestL2: take(n),
        bestImage: take(784 * n),
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      optimizer.dispose();
      tf.dispose([x, onehot, w0, w, c, lo, hi, bestL2sq, bestImage, roundSuccess]);
    },
  };
}

/** Success rate and mean L2 distortion of the successes, from a finished run's `bestL2`. */
export function cwSummary(bestL2: ArrayLike<number>): { success: number; meanL2: number; count: number } {
  let ok = 0;
  let sum = 0;
  for (let i = 0; i < bestL2.length; i++) {
    if (Number.isFinite(bestL2[i])) {
      ok++;
      sum += bestL2[i];
    }
  }
  return { success: bestL2.length ? ok / bestL2.length : 0, meanL2: ok ? sum / ok : NaN, count: bestL2.length };
}
