/**
 * PReLU demo (He, Zhang, Ren & Sun 2015, arXiv:1502.01852): f(y) = max(0, y) + a·min(0, y) with the slope a
 * learned with the weights, one per channel (channel-wise) or one per layer (channel-shared). Three copies of
 * one MLP, the same initial weights and mini-batches, are trained side by side on MNIST: ReLU (a = 0 fixed),
 * leaky ReLU (a = 0.01 fixed) and PReLU (a learned from 0.25, without weight decay, as in the paper). The
 * view draws the functions and their derivatives, the test accuracy of the three, and the slopes the PReLU
 * net learns in each layer.
 *
 * The three nets are one stacked MLP (../runtime/models/stacked-mlp.ts, PReLU through its `slopes`) trained by
 * one flat Adam step; a mask keeps the fixed slopes fixed (their gradient is multiplied by 0).
 */
import { readAndDispose, tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import { stepOnBatches } from '../runtime/sampling';
import { createFlatTrainer, type ParamInit, stepPlan } from '../runtime/train';
import type { MnistArrays } from '../runtime/data/idx';
import { crossEntropy, forwardStacked, initLayers, stackedDigits, stackedMlp, stackedParams } from '../runtime/models/stacked-mlp';

export const INPUTS = 784;
export const CLASSES = 10;

/** f(y) = max(0, y) + a·min(0, y). */
export function preluAt(y: number, a: number): number {
  return Math.max(0, y) + a * Math.min(0, y);
}

/** ∂f/∂y: 1 for y > 0, a for y < 0 (a at y = 0, as the subgradient frameworks take). */
export function preluDerivative(y: number, a: number): number {
  return y > 0 ? 1 : a;
}

/**
 * ∂E/∂a of a PReLU layer from its pre-activations y and the gradients g = ∂E/∂f(y) arriving from above, both
 * [positions × channels] row-major: Σ over positions of min(0, y)·g, one sum per channel (He et al. eq. 2),
 * or with `shared` one sum over every position and channel (eq. 3).
 */
export function slopeGradient(y: ArrayLike<number>, g: ArrayLike<number>, channels: number, shared = false): Float64Array {
  if (y.length !== g.length) throw new RangeError(`${y.length} pre-activations but ${g.length} gradients`);
  if (!(Number.isInteger(channels) && channels >= 1 && y.length % channels === 0)) {
    throw new RangeError(`channels must divide the ${y.length} values, got ${channels}`);
  }
  const out = new Float64Array(shared ? 1 : channels);
  for (let i = 0; i < y.length; i++) out[shared ? 0 : i % channels] += Math.min(0, y[i]) * g[i];
  return out;
}

/** The three networks, in stack order. */
export const NETS = ['ReLU', 'leaky ReLU', 'PReLU'] as const;
/** The fixed slopes of the first two nets. */
export const LEAKY_SLOPE = 0.01;

export interface PreluConfig {
  seed: number;
  /** 'channel': one slope per hidden unit; 'shared': one per layer. */
  mode: 'channel' | 'shared';
  /** The PReLU net's initial slope (He et al.: 0.25). */
  init: number;
  width: number;
  lr: number;
  batchSize: number;
  total: number;
}

export const DEFAULT_CONFIG: PreluConfig = { seed: 1, mode: 'channel', init: 0.25, width: 64, lr: 0.002, batchSize: 64, total: 400 };

/** Test accuracy and slopes are measured every this many steps (and at the start and the end). */
export const EVAL_EVERY = 20;

export interface PreluFrame {
  steps: number;
  /** Mean training loss of the three nets over this call's steps; null when none ran. */
  trainLoss: Float32Array | null;
  /** Test accuracy of [ReLU, leaky, PReLU] at `measuredAt`; null without digits. */
  accuracy: Float32Array | null;
  /** The PReLU net's slopes per hidden layer at `measuredAt` (width values each, or one when shared). */
  slopes: Float32Array[];
  measuredAt: number;
}

export interface Digits {
  train: MnistArrays;
  test: MnistArrays;
}

export interface PreluRun {
  readonly config: PreluConfig;
  step(k: number): Promise<PreluFrame>;
  dispose(): void;
}

/**
 * ReLU, leaky-ReLU and PReLU nets, 784 → width → width → 10, from the same seeded He-normal weights, trained
 * by Adam on the same seeded mini-batches. Without digits nothing trains, and the frames report the slopes.
 */
export function createPreluRun(config: Partial<PreluConfig> = {}, digits: Digits | null = null): PreluRun {
  const cfg: PreluConfig = { ...DEFAULT_CONFIG, ...config };
  if (!(Number.isInteger(cfg.width) && cfg.width >= 1)) throw new RangeError(`width must be a whole number ≥ 1, got ${cfg.width}`);
  if (!(cfg.lr > 0)) throw new RangeError(`the learning rate must be positive, got ${cfg.lr}`);
  if (!Number.isFinite(cfg.init)) throw new RangeError(`the initial slope must be a number, got ${cfg.init}`);
  if (cfg.mode !== 'channel' && cfg.mode !== 'shared') throw new RangeError(`mode must be 'channel' or 'shared', got ${String(cfg.mode)}`);
  const seeds = mulberry32(cfg.seed);
  const seedOf = () => Math.floor(seeds() * 2 ** 32);
  const sizes = [INPUTS, cfg.width, cfg.width, CLASSES];
  const weights = initLayers(sizes, seedOf());
  const batches = mulberry32(seedOf());
  const S = NETS.length;
  const units = cfg.mode === 'channel' ? cfg.width : 1;
  const hiddenLayers = sizes.length - 2;
  const slopeNames = Array.from({ length: hiddenLayers }, (_, l) => `a${l}`);
  const start = [0, LEAKY_SLOPE, cfg.init];
  const slopeInits: ParamInit[] = slopeNames.map((name) => ({
    name,
    shape: [S, 1, units],
    values: Float32Array.from({ length: S * units }, (_, i) => start[Math.floor(i / units)]),
  }));

  const t = tf.tidy(() => ({
    // Only the PReLU net's slopes learn: the others' gradients are multiplied by 0.
    learn: tf.tensor3d([0, 0, 1], [S, 1, 1]),
    fixed: tf.tensor3d([0, LEAKY_SLOPE, 0], [S, 1, 1]),
    ...(digits && stackedDigits(digits, S)),
  }));
  // a·learn + fixed·(1 − learn): ReLU's 0 and leaky ReLU's 0.01 stay constants; the gradient reaches only PReLU's a.
  const slopesOf = (p: Readonly<Record<string, tf.Tensor>>) => slopeNames.map((n) => tf.add(tf.mul(p[n], t.learn), t.fixed));
  const trainer = createFlatTrainer(
    [...stackedParams([weights, weights, weights]), ...slopeInits],
    (p, x, y) => crossEntropy(forwardStacked(stackedMlp(sizes, p), x as tf.Tensor3D, undefined, 'relu', slopesOf(p)), y as tf.Tensor1D),
    { kind: 'adam', lr: cfg.lr },
  );
  let disposed = false;
  let last: Pick<PreluFrame, 'accuracy' | 'slopes' | 'measuredAt'> | null = null;

  return {
    config: cfg,
    async step(k: number): Promise<PreluFrame> {
      if (disposed) throw new Error('PReLU demo used after dispose');
      const { n, after, due } = stepPlan(trainer.steps, k, cfg.total, EVAL_EVERY, last !== null, digits !== null);
      if (n === 0 && !due) return { ...last!, steps: after, trainLoss: null };
      const out = tf.tidy(() => {
        if (n > 0) stepOnBatches(trainer, t.trainX!, t.trainY!, n, cfg.batchSize, batches);
        const parts: tf.Tensor[] = n > 0 ? [trainer.meanLossTensor().reshape([-1])] : [];
        if (due) {
          const p = trainer.current();
          for (const name of slopeNames) parts.push(p[name].slice([S - 1, 0, 0], [1, 1, units]).reshape([-1]));
          if (t.testX) {
            const logits = forwardStacked(stackedMlp(sizes, p), t.testX, undefined, 'relu', slopesOf(p));
            parts.push(tf.mean(tf.cast(tf.equal(tf.argMax(logits, 2), t.testY!), 'float32'), 1));
          }
        }
        return tf.concat(parts);
      });
      const a = await readAndDispose(out);
      let o = n > 0 ? S : 0;
      if (due) {
        const slopes = slopeNames.map(() => a.slice(o, (o += units)));
        last = { slopes, accuracy: t.testX ? a.slice(o, o + S) : null, measuredAt: after };
      }
      return { ...last!, steps: after, trainLoss: n > 0 ? a.slice(0, S) : null };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      tf.dispose(Object.values(t));
    },
  };
}
