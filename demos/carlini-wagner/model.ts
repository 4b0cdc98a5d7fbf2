/**
 * Carlini & Wagner's targeted L2 attack (arXiv:1608.04644) on one digit, as a simulation the kit drives: each
 * step is one Adam step on w (x′ = ½(tanh w + 1)), crossing the binary-search rounds on c. The attack itself is
 * ../runtime/models/cw.ts (batched; `npm run reproduce -- cw` runs it on 100 test digits).
 */
import type { Simulation } from '../runtime/simulation';
import type { tf } from '../runtime/tf';
import { createCw, type CwConfig } from '../runtime/models/cw';

/** What the view draws after a step. */
export interface CwDigitFrame {
  steps: number;
  round: number;
  done: boolean;
  c: number;
  /** ‖δ‖² + c·f, ‖δ‖₂ and f at the current iterate. */
  loss: number;
  l2: number;
  f: number;
  /** Z_t − max_{i≠t} Z_i: positive once the target wins. */
  margin: number;
  logits: Float32Array;
  /** The current iterate x′ and δ = x′ − x. */
  image: Float32Array;
  delta: Float32Array;
  /** The smallest ‖δ‖₂ of a success so far (Infinity: none yet). */
  bestL2: number;
}

/** Z_t − max_{i≠t} Z_i. */
export function targetMargin(z: ArrayLike<number>, target: number): number {
  let other = -Infinity;
  for (let i = 0; i < z.length; i++) if (i !== target) other = Math.max(other, z[i]);
  return z[target] - other;
}

/** The attack on one digit (784 pixels in [0, 1]) towards `target`. */
export function createCwDigit(model: tf.LayersModel, input: Float32Array, target: number, config: Partial<CwConfig> = {}): Simulation<CwDigitFrame> {
  const run = createCw(model, input, [target], config);
  return {
    async step(k: number): Promise<CwDigitFrame> {
      const f = await run.step(k);
      const delta = new Float32Array(784);
      for (let i = 0; i < 784; i++) delta[i] = f.image[i] - input[i];
      return {
        steps: f.steps,
        round: f.round,
        done: f.done,
        c: f.c[0],
        loss: f.loss[0],
        l2: Math.sqrt(f.l2sq[0]),
        f: f.f[0],
        margin: targetMargin(f.logits, target),
        logits: f.logits,
        image: f.image,
        delta,
        bestL2: f.bestL2[0],
      };
    },
    dispose: () => run.dispose(),
  };
}
