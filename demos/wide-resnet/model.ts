/**
 * Wide ResNet demo (Zagoruyko & Komodakis 2016, arXiv:1605.07146).
 *
 * 1. The counts of WRN-n-k on CIFAR (32×32×3 inputs), from closed formulas: the network is a 3×3 stem of 16
 *    channels, then three groups of N = (n − 4)/6 pre-activation basic blocks, BN-ReLU-conv3×3-BN-ReLU-conv3×3,
 *    at widths 16k, 32k and 64k on 32×32, 16×16 and 8×8 maps (the first block of a group strides and, when the
 *    width changes, has a 1×1 projection shortcut), then BN-ReLU, global average pooling and a linear classifier.
 *    Convolutions have no bias; batch norm has a scale and a shift per channel; the classifier has a bias.
 *    Multiply-adds count the convolution and linear weights once per output position (no bias, no batch norm).
 *    `buildWrn` builds the same network as real tf layers so that a test can hold the formulas to it.
 *
 * 2. A live comparison on MNIST: a deep-thin and a shallow-wide residual stack of dense layers with about the
 *    same number of parameters (../runtime/models/residual.ts), trained on the same mini-batches, with the
 *    wall time per step of each on the reader's backend. The two have different shapes, so they cannot share
 *    one batched matMul: each is its own trainer, timed on its own (one read-back each, which is what makes
 *    the timing honest on an asynchronous backend), and they take turns, one net per call: the deep-thin net
 *    trains a few steps, then the shallow-wide one the same steps on the same batches, each net's numbers
 *    the same as if both trained in one call.
 *
 * The counting (1, and the live comparison's shapes) is ./counts.ts, tfjs-free and re-exported here. Pure: no React,
 * no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import { sampleBatches } from '../runtime/sampling';
import { createFlatTrainer, stepPlan, type FlatTrainer } from '../runtime/train';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages } from '../runtime/data/loader';
import { crossEntropy } from '../runtime/models/stacked-mlp';
import { forwardResidual, residualParams, type ResidualShape } from '../runtime/models/residual';
import { blocksPerGroup, DEFAULT_CONFIG, EVAL_EVERY, NETS, shapesOf, type WideConfig, type WideFrame } from './counts';

export * from './counts';

/**
 * WRN-n-k as a real tf.LayersModel (functional API, channels last), the same architecture the formulas count:
 * for tests that hold `wrnCount` to the trainable weights tfjs allocates. The caller disposes the model.
 */
export function buildWrn(n: number, k: number, classes = 10, size = 32): tf.LayersModel {
  const N = blocksPerGroup(n);
  const input = tf.input({ shape: [size, size, 3] });
  const conv = (filters: number, kernel: number, stride: number) => tf.layers.conv2d({ filters, kernelSize: kernel, strides: stride, padding: 'same', useBias: false });
  const bnRelu = (x: tf.SymbolicTensor) => tf.layers.activation({ activation: 'relu' }).apply(tf.layers.batchNormalization().apply(x)) as tf.SymbolicTensor;
  let h = conv(16, 3, 1).apply(input) as tf.SymbolicTensor;
  let cin = 16;
  for (let g = 0; g < 3; g++) {
    const c = 16 * k * 2 ** g;
    for (let b = 0; b < N; b++) {
      const stride = b === 0 && g > 0 ? 2 : 1;
      const a = bnRelu(h);
      const branch = conv(c, 3, 1).apply(bnRelu(conv(c, 3, stride).apply(a) as tf.SymbolicTensor)) as tf.SymbolicTensor;
      const short = cin !== c ? (conv(c, 1, stride).apply(a) as tf.SymbolicTensor) : h;
      h = tf.layers.add().apply([branch, short]) as tf.SymbolicTensor;
      cin = c;
    }
  }
  const pooled = tf.layers.globalAveragePooling2d({}).apply(bnRelu(h)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: classes }).apply(pooled) as tf.SymbolicTensor });
}

/** Trainable parameters and conv/dense multiply-adds of a built model, read off its layers (batch 1). */
export function countLayers(model: tf.LayersModel): { params: number; macs: number } {
  let params = 0;
  let macs = 0;
  for (const layer of model.layers) {
    for (const w of layer.trainableWeights) params += w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
    const kernel = layer.trainableWeights.find((w) => w.name.includes('kernel'));
    if (!kernel) continue;
    const out = layer.outputShape as (number | null)[];
    const positions = out.slice(1, -1).reduce<number>((a, b) => a * (b ?? 1), 1);
    macs += kernel.shape.reduce<number>((a, b) => a * (b ?? 1), 1) * positions;
  }
  return { params, macs };
}

export interface WideRun {
  readonly config: WideConfig;
  readonly shapes: [ResidualShape, ResidualShape];
  /**
   * The first call measures both nets at their initial weights. After it, calls alternate between the nets: the
   * deep-thin net takes up to k SGD steps (never past config.total), then the shallow-wide net takes the same
   * steps on the same mini-batches, whatever k; each measures itself on the held-out digits when due.
   */
  step(k: number): Promise<WideFrame>;
  dispose(): void;
}

function check(cfg: WideConfig, data: MnistArrays): void {
  if (!(Number.isInteger(cfg.thinWidth) && cfg.thinWidth >= 2)) throw new RangeError(`the thin width must be a whole number ≥ 2, got ${cfg.thinWidth}`);
  if (!(Number.isInteger(cfg.thinBlocks) && cfg.thinBlocks >= 1 && cfg.thinBlocks <= 32)) throw new RangeError(`the thin net's blocks must be a whole number in [1, 32], got ${cfg.thinBlocks}`);
  if (!(Number.isInteger(cfg.wideBlocks) && cfg.wideBlocks >= 1 && cfg.wideBlocks <= cfg.thinBlocks)) throw new RangeError(`the wide net's blocks must be a whole number in [1, ${cfg.thinBlocks}] (no deeper than the thin net), got ${cfg.wideBlocks}`);
  if (!(cfg.lr > 0)) throw new RangeError(`the learning rate must be positive, got ${cfg.lr}`);
  if (data.rows * data.cols !== 784) throw new RangeError(`expected 28×28 digits, got ${data.rows}×${data.cols}`);
  if (data.count < cfg.probe + cfg.batchSize) throw new RangeError(`need at least ${cfg.probe + cfg.batchSize} digits, got ${data.count}`);
}

/** The seeds of a run: each net's initial weights, then the stream of mini-batch rows both nets share. */
export function runSeeds(seed: number): { weights: [number, number]; batches: () => number } {
  const seeds = mulberry32(seed);
  const weights: [number, number] = [Math.floor(seeds() * 2 ** 32), Math.floor(seeds() * 2 ** 32)];
  return { weights, batches: mulberry32(Math.floor(seeds() * 2 ** 32)) };
}

/**
 * A deep-thin and a shallow-wide residual stack of about the same parameter count, from seeded He-normal
 * weights, trained by SGD with momentum 0.9 on the same seeded mini-batches of all but the last `probe` digits.
 * One net per call (see WideRun.step), so that no call runs both nets' steps.
 */
export function createWideRun(data: MnistArrays, config: Partial<WideConfig> = {}): WideRun {
  const cfg: WideConfig = { ...DEFAULT_CONFIG, ...config };
  check(cfg, data);
  const shapes = shapesOf(cfg);
  const { weights: weightSeeds, batches } = runSeeds(cfg.seed);
  const trainCount = data.count - cfg.probe;
  const t = tf.tidy(() => {
    const x = tf.tensor3d(floatImages(data), [1, data.count, 784]);
    const y = tf.tensor1d(Int32Array.from(data.labels), 'int32');
    return { x, y, one: tf.ones([1, 1, 1]), probeX: tf.slice(x, [0, trainCount, 0], [1, cfg.probe, 784]), probeY: tf.slice(y, trainCount, cfg.probe) };
  });
  const trainers: FlatTrainer[] = shapes.map((shape, i) =>
    createFlatTrainer(residualParams(shape, 1, weightSeeds[i]), (p, x, y) => crossEntropy(forwardResidual(shape, p, x as tf.Tensor3D, t.one), y as tf.Tensor1D), { kind: 'sgd', lr: cfg.lr, momentum: 0.9 }),
  );
  const time = [0, 0];
  const timed = [0, 0];
  const calls = [0, 0];
  let disposed = false;
  let last: Pick<WideFrame, 'measuredAt' | 'probeLoss' | 'probeError'> | null = null;
  /** The steps the deep-thin net took and the shallow-wide one has yet to take, with what the first measured. */
  let ahead: { rows: Int32Array[]; after: number; due: boolean; loss: number; probe: Float32Array | null } | null = null;

  /** Net i's `rows` steps, timed with their one read-back; returns the mean training loss. */
  const train = async (i: number, rows: Int32Array[]): Promise<number> => {
    const start = performance.now();
    const out = tf.tidy(() => {
      for (const r of rows) {
        const idx = tf.tensor1d(r, 'int32');
        trainers[i].step(tf.gather(t.x, idx, 1), tf.gather(t.y, idx));
      }
      return trainers[i].meanLossTensor().reshape([-1]);
    });
    const loss = (await readAndDispose(out))[0];
    if (calls[i]++ > 0) {
      time[i] += performance.now() - start;
      timed[i] += rows.length;
    }
    return loss;
  };
  /** Net i's cross-entropy and error rate on the held-out digits, at its current weights (not read back). */
  const probe = (i: number) =>
    tf.tidy(() => {
      const logits = forwardResidual(shapes[i], trainers[i].current(), t.probeX, t.one);
      const wrong = tf.sub(1, tf.mean(tf.cast(tf.equal(tf.argMax(logits, 2), t.probeY), 'float32'), 1));
      return tf.concat([crossEntropy(logits, t.probeY), wrong]);
    });
  const frame = (trainLoss: Float32Array | null): WideFrame => ({
    ...last!,
    steps: trainers[1].steps,
    trainLoss,
    msPerStep: Float64Array.from(time, (s, i) => (timed[i] > 0 ? s / timed[i] : NaN)),
    halfway: ahead !== null,
  });

  return {
    config: cfg,
    shapes,
    async step(k: number): Promise<WideFrame> {
      if (disposed) throw new Error('Wide ResNet demo used after dispose');
      if (last === null) {
        // The first result: both nets at their initial weights, at once.
        const a = await readAndDispose(tf.tidy(() => tf.concat([probe(0), probe(1)])));
        last = { measuredAt: 0, probeLoss: Float32Array.of(a[0], a[2]), probeError: Float32Array.of(a[1], a[3]) };
        return frame(null);
      }
      if (ahead) {
        // The shallow-wide net catches up on the deep-thin net's batches.
        const group = ahead;
        const loss = await train(1, group.rows);
        if (disposed) return frame(null);
        if (group.due) {
          const [l, e] = await readAndDispose(probe(1));
          last = { measuredAt: group.after, probeLoss: Float32Array.of(group.probe![0], l), probeError: Float32Array.of(group.probe![1], e) };
        }
        ahead = null;
        return frame(Float32Array.of(group.loss, loss));
      }
      const { n, after, due } = stepPlan(trainers[0].steps, k, cfg.total, EVAL_EVERY, true);
      if (n === 0) return frame(null);
      const rows = Array.from({ length: n }, () => sampleBatches(trainCount, cfg.batchSize, 1, batches));
      const loss = await train(0, rows);
      if (disposed) return frame(null);
      ahead = { rows, after, due, loss, probe: due ? await readAndDispose(probe(0)) : null };
      return frame(null);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainers.forEach((tr) => tr.dispose());
      tf.dispose(Object.values(t));
    },
  };
}

