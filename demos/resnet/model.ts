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
import { createFlatTrainer } from '../runtime/train';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages } from '../runtime/data/loader';
import { crossEntropy, repeatNets } from '../runtime/models/stacked-mlp';
import { forwardResidual, residualChain, residualParams, residualSegmentParams, residualTrainingChain, weightedLayers, type ResidualShape } from '../runtime/models/residual';
import { callsOfPass, createSegmentedGrad, type ChainResults } from '../runtime/segmented-grad';

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
 * A training step's forward and backward pass is cut at the blocks (../runtime/segmented-grad.ts) and spread over
 * calls, as is the probe's measurement: on wasm one step of the two 22-layer nets (~2,000 kernels) was 15–30 ms of
 * main thread. PASS_UNITS forward segments' worth run per unit of work, a backward segment counting BACKWARD_COST
 * (it recomputes its segment's forward, then differentiates it): a step in three units at the default depth, the
 * probe's pass (256 digits, four times the batch) in PROBE_UNITS-sized units.
 */
export const PASS_UNITS = 16;
export const PROBE_UNITS = 8;
export const BACKWARD_COST = 3;

/** Units of work of one training step of a net of `blocks` blocks (the run's first step takes one). */
export function stepUnits(blocks: number): number {
  return callsOfPass(blocks + 2, blocks + 2, PASS_UNITS, BACKWARD_COST);
}

/** Units of work of one measurement (the probe's pass: stem, blocks and head forward; those and the loss backward). */
export function probeUnits(blocks: number): number {
  return callsOfPass(blocks + 2, blocks + 3, PROBE_UNITS, BACKWARD_COST);
}

/** Units of work of a whole run of `cfg` (at most: its first step and first measurement take one call each). */
export function runUnits(cfg: Pick<ResnetConfig, 'depth' | 'total'>): number {
  return cfg.total * stepUnits(cfg.depth / 2) + Math.ceil(cfg.total / EVAL_EVERY) * probeUnits(cfg.depth / 2);
}

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
   * k units of work (never training past config.total): a part of a training step's pass (stepUnits a step), or
   * of a pending measurement (probeUnits), which starts every EVAL_EVERY steps and at the end, training waiting for
   * it. A call with room for a whole step takes it at once (the trainer's own step). The first call measures the
   * start at once.
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
  const init = residualParams(shape, S, weightSeed);
  // The loss a step minimises: the trainer's own step runs it when a call has room for a whole step; otherwise the
  // pass is segmented and applyGradient takes its gradient.
  const trainer = createFlatTrainer(init, (p, x, y) => loss(p, x as tf.Tensor3D, y as tf.Tensor1D), { kind: 'sgd', lr: cfg.lr, momentum: 0.9 });
  const probe = createSegmentedGrad();
  const pass = createSegmentedGrad();
  // The mini-batch of the step under way, which its pass reads until it finishes: variables that each step's batch is
  // assigned to, so that the tensor count is the same mid-step and between steps.
  const batch = tf.tidy(() => ({ x: tf.variable(tf.zeros([1, cfg.batchSize, 784]), false), y: tf.variable(tf.zeros([cfg.batchSize], 'int32'), false) }));
  // Where each parameter's gradient sits in the segments' results: [segment, offset], for the trainer's flat order.
  const sizeOf = new Map(init.map((q) => [q.name, q.values.length]));
  const place = new Map<string, [number, number]>();
  residualSegmentParams(shape).forEach((ns, i) => ns.reduce((at, n) => (place.set(n, [i, at]), at + sizeOf.get(n)!), 0));
  const flatGradient = (back: (tf.Tensor | null)[]) =>
    tf.concat(init.map((q) => {
      const [i, at] = place.get(q.name)!;
      return tf.slice(back[i]!, at, q.values.length);
    }));
  const units = stepUnits(shape.blocks);
  /** Whether a step's pass is under way; whether one has finished (the first runs in one call: see trainOne). */
  let stepping = false;
  let warm = false;
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
  /** Starts the probe's pass on the current weights: the measurement of step `at`. */
  const startProbe = (at: number) => {
    probe.start(t.probeX, residualChain(shape, trainer.current(), t.shortcut, (z) => crossEntropy(z, t.probeY), measure), { inputGrad: false });
    measuring = at;
  };
  /** A step done: a measurement is due every EVAL_EVERY steps and at the end. */
  const stepped = () => {
    const s = trainer.steps;
    if (s % EVAL_EVERY === 0 || s === cfg.total) startProbe(s);
  };
  /**
   * One unit of a training step (`left`: the units the call has left, this one included): its pass's next segments,
   * the last unit applying the gradient; or the whole step at once, when the call has room for it. False when
   * training is over.
   */
  const trainOne = (left: number): boolean | number => {
    if (!stepping) {
      if (trainer.steps >= cfg.total) return false;
      const rows = tf.tensor1d(sampleBatches(train.count, cfg.batchSize, 1, batches), 'int32');
      batch.x.assign(tf.gather(t.x, rows, 1));
      batch.y.assign(tf.gather(t.y, rows));
      if (warm && left >= units) {
        trainer.step(batch.x, batch.y);
        stepped();
        return units;
      }
      pass.start(batch.x, residualTrainingChain(shape, trainer.current(), t.shortcut, batch.y as tf.Tensor1D, crossEntropy), { inputGrad: false });
      stepping = true;
    }
    // The run's first step in one call: its pass allocates its storage (reused by every later step) at once, so the
    // tensor count is the same after every later call, mid-step or not.
    const r = warm ? pass.advance(PASS_UNITS, BACKWARD_COST) : pass.finish();
    if (!r) return true;
    trainer.applyGradient(flatGradient(r.backward), r.forward[r.forward.length - 1]!);
    stepping = false;
    warm = true;
    stepped();
    return true;
  };

  return {
    config: cfg,
    shape,
    async step(k: number): Promise<ResnetFrame> {
      if (disposed) throw new Error('ResNet demo used after dispose');
      const before = trainer.steps;
      const ats: number[] = [];
      const out = tf.tidy(() => {
        const parts: tf.Tensor[] = [];
        if (last === null && measuring === null) {
          // The first result: the start, measured at once (its pass allocates the probe's storage).
          startProbe(0);
          parts.push(collect(probe.finish()!));
          ats.push(0);
          measuring = null;
        }
        for (let u = 0; u < k; u++) {
          if (measuring !== null) {
            // Training waits for the measurement of step `measuring`: a part of the probe's pass per unit.
            const r = probe.advance(PROBE_UNITS, BACKWARD_COST);
            if (r) {
              parts.push(collect(r));
              ats.push(measuring);
              measuring = null;
            }
            continue;
          }
          const took = trainOne(k - u);
          if (took === false) break;
          if (typeof took === 'number') u += took - 1;
        }
        if (trainer.steps > before) parts.unshift(trainer.meanLossTensor().reshape([-1]));
        return tf.concat(parts.length ? parts : [tf.zeros([0])]);
      });
      const a = await readAndDispose(out);
      const o = trainer.steps > before ? S : 0;
      const size = 2 * S + L * S;
      ats.forEach((at, i) => unpack(at, a.slice(o + i * size, o + (i + 1) * size)));
      return { ...last!, steps: trainer.steps, trainLoss: o > 0 ? a.slice(0, S) : null, measuring: measuring !== null };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      probe.dispose();
      pass.dispose();
      tf.dispose([batch.x, batch.y]);
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
