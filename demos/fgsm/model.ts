/**
 * FGSM and adversarial training (Goodfellow, Shlens & Szegedy 2015, arXiv:1412.6572) on the reader's digit:
 * the shipped `cnn` and the adversarially trained `cnn-adv` are each attacked with their own gradient
 * (white box), by FGSM or by PGD / BIM (iterated FGSM, Kurakin et al. 2017; Madry et al. 2018). The attacks
 * themselves live in ../runtime/models/attacks.ts, shared with the curves' worker (./curves.ts), the
 * reproduce script and the adversarial training of cnn-adv.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { attack, crossEntropy, logits, type AttackSpec } from '../runtime/models/attacks';

/** MNIST pixels per digit. */
export const PIXELS = 784;

/** What one network does with one digit, before and after the attack. */
export interface DigitAttack {
  /** The class the attack pushes away from: the true label of a test digit, else the network's own answer. */
  target: number;
  /** Class probabilities on the digit and on the attacked digit. */
  clean: Float32Array;
  adversarial: Float32Array;
  /** The attacked digit x' (784 pixels in [0, 1]) and the perturbation δ = x' − x. */
  image: Float32Array;
  delta: Float32Array;
  /** Cross-entropy J(x) and J(x') for `target`. */
  lossClean: number;
  lossAdversarial: number;
  /** The attacked class's logit Z_t at x and at x′. */
  logitClean: number;
  logitAdversarial: number;
  /** ∇ₓZ_t(x)ᵀδ: the change of Z_t if the network were linear around x (the linearity argument). */
  linearPrediction: number;
}

/** The arg-max of an array (−1 when empty). */
export function argMax(p: ArrayLike<number>): number {
  let k = -1;
  for (let i = 0; i < p.length; i++) if (k < 0 || p[i] > p[k]) k = i;
  return k;
}

/**
 * Attacks one digit (784 pixels in [0, 1]) on `model`; with no `label`, the network's own answer on the digit is
 * the class attacked (a drawn or uploaded digit has no label). One read-back; no tensor left behind.
 */
export async function attackDigit(model: tf.LayersModel, input: Float32Array, spec: AttackSpec, label?: number): Promise<DigitAttack> {
  if (input.length !== PIXELS) throw new RangeError(`attackDigit: ${input.length} pixels, expected ${PIXELS}`);
  if (label !== undefined && !(Number.isInteger(label) && label >= 0 && label < 10)) throw new RangeError(`attackDigit: label must be a class 0–9, got ${label}`);
  const x = tf.tensor4d(input, [1, 28, 28, 1]);
  try {
    const target = label ?? argMax(await readAndDispose(tf.tidy(() => logits(model, x).reshape([-1]))));
    const out = tf.tidy(() => {
      const y = tf.tensor1d([target], 'int32');
      const xAdv = attack(model, x, y, spec);
      const zt = (xx: tf.Tensor) => tf.sum(tf.mul(logits(model, xx), tf.oneHot(y, 10).toFloat()));
      const gz = tf.grad(zt)(x);
      return tf.concat([
        tf.softmax(logits(model, x)).reshape([-1]),
        tf.softmax(logits(model, xAdv)).reshape([-1]),
        xAdv.reshape([-1]),
        crossEntropy(model, x, y),
        crossEntropy(model, xAdv, y),
        zt(x).reshape([1]),
        zt(xAdv).reshape([1]),
        tf.sum(tf.mul(gz, tf.sub(xAdv, x))).reshape([1]),
      ]);
    });
    const v = await readAndDispose(out);
    const image = v.slice(20, 20 + PIXELS);
    const delta = new Float32Array(PIXELS);
    for (let i = 0; i < PIXELS; i++) delta[i] = image[i] - input[i];
    const o = 20 + PIXELS;
    return {
      target,
      clean: v.slice(0, 10),
      adversarial: v.slice(10, 20),
      image,
      delta,
      lossClean: v[o],
      lossAdversarial: v[o + 1],
      logitClean: v[o + 2],
      logitAdversarial: v[o + 3],
      linearPrediction: v[o + 4],
    };
  } finally {
    x.dispose();
  }
}

/**
 * The PGD used for the curves at budget ε: `steps` steps of α = 2.5·ε/steps, so that the iterates can cross
 * the ball and back whatever ε is (Madry et al.'s choice of step size relative to ε).
 */
export function curvePgd(epsilon: number, steps: number): AttackSpec {
  return { kind: 'pgd', epsilon, steps, stepSize: (2.5 * epsilon) / steps };
}

/** ε·Σ|wᵢ|: how far a linear unit wᵀx moves when x moves by η = ε·sign(w), the largest change with ‖η‖∞ ≤ ε. */
export function linearShift(w: ArrayLike<number>, epsilon: number): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += Math.abs(w[i]);
  return epsilon * s;
}
