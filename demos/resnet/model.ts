/**
 * ResNet demo: the degradation problem on MNIST. A plain and a residual network of the same depth and the
 * same initial weights (He et al. 2016, arXiv:1512.03385) train side by side with the same mini-batches;
 * the only difference is the shortcut of each two-layer block, relu(F(h) + h) against relu(F(h)). The view
 * draws both training losses and, every few steps, the norm of each layer's weight gradient.
 *
 * Both networks are one stacked computation (../runtime/models/residual.ts): a shortcut scale of 0 or 1 per
 * net, one batched matMul per layer, one flat update by the runtime's trainer. Pure: no React, no DOM;
 * each call is one tf.tidy and one read-back.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import { sampleBatches } from '../runtime/sampling';
import { createFlatTrainer, stepPlan } from '../runtime/train';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages } from '../runtime/data/loader';
import { crossEntropy, repeatNets } from '../runtime/models/stacked-mlp';
import { forwardResidual, residualChain, residualParams, weightedLayers, type ResidualShape } from '../runtime/models/residual';
import { createSegmentedGrad, type ChainResults } from '../runtime/segmented-grad';

/** The two networks, in the order of every per-net array. */
export const NETS = ['plain', 'residual'] as const;
/** Their shortcut scales: none for the plain net, the identity for the residual one. */
export const SHORTCUTS = [0, 1];

/** Everything that defines a run; a seed plus this replays it exactly. */
export interface ResnetConfig {
  seed: number;
  /** Hidden width×width layers, two per block (even, ≥ 2); the nets have depth + 2 weighted layers. */
  depth: number;
  width: number;
  /** Batch norm after every hidden layer's matMul, as the paper's blocks have it. */
  batchNorm: boolean;
  /** SGD with momentum 0.9, as in the paper. */
  lr: number;
  batchSize: number;
  /** Steps after which training stops. */
  total: number;
  /** Fixed training digits on which the loss, the error and the gradient norms are measured. */
  probe: number;
}

export const DEFAULT_CONFIG: ResnetConfig = {
  seed: 1,
  depth: 20,
  width: 32,
  batchNorm: true,
  lr: 0.01,
  batchSize: 64,
  total: 300,
  probe: 256,
};

/** Measurements are taken every this many steps (and at the start and the end). */
export const EVAL_EVERY = 10;
/**
 * Units of the probe's segmented pass per call (each one block's forward, or its backward): after the first, a
 * measurement runs over the calls that follow its step, training waiting for it, so that no call runs the whole
 * pass (two nets × 22 layers on 256 digits, ~100 ms on wasm) in one task.
 */
export const PROBE_UNITS_PER_CALL = 9;

/** What the view draws after a step call; per-net arrays follow NETS. */
export interface ResnetFrame {
  steps: number;
  /** Mean training cross-entropy of each net over this call's steps; null when none ran. */
  trainLoss: Float32Array | null;
  /** Step of the last measurement. */
  measuredAt: number;
  /** Cross-entropy and error rate on the probe's training digits at `measuredAt`. */
  probeLoss: Float32Array;
  probeError: Float32Array;
  /** ‖∂loss/∂W_l‖ for every weighted layer l (the stem first, the classifier last), per net: [layer][net]. */
  gradNorms: Float32Array[];
  /** A measurement of step `steps` is under way (training resumes when it is done). */
  measuring: boolean;
}

export interface ResnetRun {
  readonly config: ResnetConfig;
  readonly shape: ResidualShape;
  /**
   * Up to k SGD steps (never past config.total), then the measurements when due; while one is under way, a
   * call (k > 0) runs a part of it instead of training.
   */
  step(k: number): Promise<ResnetFrame>;
  dispose(): void;
}

/** The architecture of a config: 784 pixels in, a stem, depth/2 blocks, ten classes out. */
export function shapeOf(cfg: Pick<ResnetConfig, 'depth' | 'width' | 'batchNorm'>): ResidualShape {
  return { inputs: 784, width: cfg.width, blocks: cfg.depth / 2, classes: 10, batchNorm: cfg.batchNorm };
}

function check(cfg: ResnetConfig, train: MnistArrays): void {
  if (!(Number.isInteger(cfg.depth) && cfg.depth >= 2 && cfg.depth <= 64 && cfg.depth % 2 === 0)) throw new RangeError(`depth must be an even whole number in [2, 64], got ${cfg.depth}`);
  if (!(Number.isInteger(cfg.width) && cfg.width >= 2)) throw new RangeError(`width must be a whole number ≥ 2, got ${cfg.width}`);
  if (!(cfg.lr > 0)) throw new RangeError(`the learning rate must be positive, got ${cfg.lr}`);
  if (train.rows * train.cols !== 784) throw new RangeError(`expected 28×28 digits, got ${train.rows}×${train.cols}`);
  const least = Math.max(cfg.batchSize, cfg.probe, cfg.batchNorm ? 2 : 1);
  if (train.count < least) throw new RangeError(`need at least ${least} training digits, got ${train.count}`);
}

/**
 * A plain and a residual network of `config.depth` hidden layers, from the same seeded He-normal weights,
 * trained by SGD with momentum on the same seeded mini-batches of `train`.
 */
export function createResnetRun(train: MnistArrays, config: Partial<ResnetConfig> = {}): ResnetRun {
  const cfg: ResnetConfig = { ...DEFAULT_CONFIG, ...config };
  check(cfg, train);
  const shape = shapeOf(cfg);
  const seeds = mulberry32(cfg.seed);
  const weightSeed = Math.floor(seeds() * 2 ** 32);
  const batches = mulberry32(Math.floor(seeds() * 2 ** 32));
  const S = NETS.length;
  const L = weightedLayers(shape);

  const t = tf.tidy(() => {
    const x = tf.tensor3d(floatImages(train), [1, train.count, 784]);
    const y = tf.tensor1d(Int32Array.from(train.labels), 'int32');
    return {
      x,
      y,
      shortcut: tf.tensor3d(SHORTCUTS, [S, 1, 1]),
      probeX: repeatNets(tf.slice(x, [0, 0, 0], [1, cfg.probe, 784]), S), // once, not at every measurement
      probeY: tf.slice(y, 0, cfg.probe),
    };
  });
  const loss = (p: Record<string, tf.Tensor>, x: tf.Tensor3D, y: tf.Tensor1D) => crossEntropy(forwardResidual(shape, p, x, t.shortcut), y);
  const trainer = createFlatTrainer(residualParams(shape, S, weightSeed), (p, x, y) => loss(p, x as tf.Tensor3D, y as tf.Tensor1D), { kind: 'sgd', lr: cfg.lr, momentum: 0.9 });
  const probe = createSegmentedGrad();
  const measure = (logits: tf.Tensor3D) => tf.concat([crossEntropy(logits, t.probeY), tf.sub(1, tf.mean(tf.cast(tf.equal(tf.argMax(logits, 2), t.probeY), 'float32'), 1))]);
  let disposed = false;
  let last: Omit<ResnetFrame, 'steps' | 'trainLoss' | 'measuring'> | null = null;
  /** The step whose measurement is under way (training waits for it), or null. */
  let measuring: number | null = null;
  /** The probe's numbers as one vector: loss and error per net, then the gradient norms [layer][net]. */
  const collect = (r: ChainResults) => tf.concat([r.forward[shape.blocks + 1]!, ...r.backward.filter((b): b is tf.Tensor => b !== null)]);
  const unpack = (at: number, a: Float32Array) => {
    last = {
      measuredAt: at,
      probeLoss: a.slice(0, S),
      probeError: a.slice(S, 2 * S),
      gradNorms: Array.from({ length: L }, (_, l) => a.slice(2 * S + l * S, 2 * S + (l + 1) * S)),
    };
  };

  return {
    config: cfg,
    shape,
    async step(k: number): Promise<ResnetFrame> {
      if (disposed) throw new Error('ResNet demo used after dispose');
      if (measuring !== null) {
        // A few segments of the probe's forward and backward pass per call, on the weights of step `measuring`.
        const r = k > 0 ? probe.advance(PROBE_UNITS_PER_CALL) : null;
        if (r) {
          const at = measuring;
          measuring = null;
          unpack(at, await readAndDispose(collect(r)));
        }
        return { ...last!, steps: trainer.steps, trainLoss: null, measuring: measuring !== null };
      }
      const plan = stepPlan(trainer.steps, k, cfg.total, EVAL_EVERY, last !== null);
      const { n, after } = plan;
      const due = plan.due && !(n === 0 && last?.measuredAt === after); // not the same weights again, at the end
      if (n === 0 && !due) return { ...last!, steps: after, trainLoss: null, measuring: false };
      const first = last === null;
      const out = tf.tidy(() => {
        for (let s = 0; s < n; s++) {
          const rows = tf.tensor1d(sampleBatches(train.count, cfg.batchSize, 1, batches), 'int32');
          trainer.step(tf.gather(t.x, rows, 1), tf.gather(t.y, rows));
        }
        const parts = n > 0 ? [trainer.meanLossTensor().reshape([-1])] : [];
        if (due) {
          // The probe's pass on these weights: all of it for the first result, else over the following calls.
          probe.start(t.probeX, residualChain(shape, trainer.current(), t.shortcut, (z) => crossEntropy(z, t.probeY), measure), { inputGrad: false });
          measuring = after;
          if (first) parts.push(collect(probe.finish()!));
        }
        return tf.concat(parts);
      });
      const a = await readAndDispose(out);
      const o = n > 0 ? S : 0;
      if (first) {
        measuring = null;
        unpack(after, a.slice(o));
      }
      return { ...last!, steps: after, trainLoss: n > 0 ? a.slice(0, S) : null, measuring: measuring !== null };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      probe.dispose();
      tf.dispose(Object.values(t));
    },
  };
}

/**
 * Weights of one residual block's convolutions (no biases, no batch norm, identity shortcut), at `channels`
 * channels in and out: 'basic' is two 3×3 convolutions at that width; 'bottleneck' reduces to channels/4 with
 * a 1×1, runs a 3×3 there and expands back with a 1×1 (He et al. 2016, Fig. 5).
 */
export function blockWeights(kind: 'basic' | 'bottleneck', channels: number): number {
  if (kind === 'basic') return 2 * 9 * channels * channels;
  const inner = channels / 4;
  return channels * inner + 9 * inner * inner + inner * channels;
}
