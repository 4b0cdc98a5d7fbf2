/**
 * Network in Network, live, on the shipped CNN (demos/runtime/models/zoo.ts buildCnn): a 1×1 convolution mixing
 * the channels of its real conv1 maps, and two classifier heads trained on its frozen pool2 maps, NiN's global
 * average pooling head against a fully connected one. Pure: no React, no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { createFlatTrainer, type ParamInit } from '../runtime/train';
import { gaussian, mulberry32 } from '../runtime/random';
import { sampleBatches } from '../runtime/sampling';
import { MNIST_SIDE } from '../runtime/data/preprocess';
import type { Simulation } from '../runtime/simulation';
import { floatImages } from '../runtime/data/loader';
import type { MnistArrays } from '../runtime/data/idx';

export const CLASSES = 10;
/** The layer of the shipped CNN whose frozen maps the two heads read: pool2, 4×4×32, what its own dense layers read. */
export const BODY = 'pool2';
const PIXELS = MNIST_SIDE * MNIST_SIDE;

/** The first `layer` of a trained sequential model, as a model of its own (it shares the weights: dispose only the original). */
export function trunk(model: tf.LayersModel, layer: string): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });
}

/** Shape [height, width, channels] of one example's output of `t`. */
export function mapShape(t: tf.LayersModel): [number, number, number] {
  const s = t.outputs[0].shape;
  return [s[1]!, s[2]!, s[3]!];
}

/**
 * The trunk's maps for `count` digits of `images` (784 pixels each, in [0, 1]), in chunks with `pause()` awaited
 * between them so that a page stays responsive; returned flat, [count, h, w, c] row-major.
 */
export async function extractMaps(t: tf.LayersModel, images: Float32Array, count: number, chunk = 100, pause: () => Promise<void> = async () => {}): Promise<Float32Array> {
  if (images.length < count * PIXELS) throw new RangeError(`extractMaps: ${images.length / PIXELS} images, asked for ${count}`);
  const [h, w, c] = mapShape(t);
  const per = h * w * c;
  const out = new Float32Array(count * per);
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const maps = tf.tidy(() => t.predict(tf.tensor4d(images.subarray(start * PIXELS, (start + n) * PIXELS), [n, MNIST_SIDE, MNIST_SIDE, 1])) as tf.Tensor);
    out.set(await readAndDispose(maps), start * per);
    if (start + n < count) await pause();
  }
  return out;
}

/**
 * A 1×1 convolution with one output channel: at every position, Σ_c w_c·x_c + b, then ReLU if asked; `maps` is one
 * example's [h, w, c] maps, row-major. A real tf.conv2d with a 1×1×c×1 kernel, read back once.
 */
export async function mix1x1(maps: Float32Array, shape: readonly [number, number, number], weights: readonly number[], bias: number, relu: boolean): Promise<Float32Array> {
  const [h, w, c] = shape;
  if (weights.length !== c) throw new RangeError(`mix1x1: ${weights.length} weights for ${c} channels`);
  const out = tf.tidy(() => {
    const y = tf.add(tf.conv2d(tf.tensor4d(maps, [1, h, w, c]), tf.tensor4d(weights as number[], [1, 1, c, 1]), 1, 'valid'), bias);
    return relu ? tf.relu(y) : y;
  });
  return readAndDispose(out);
}

/** Sizes of a classifier head on the last feature maps: side × side × channels in, `classes` out. */
export interface HeadSizes {
  side: number;
  channels: number;
  classes: number;
  /** Width of each hidden fully connected layer (0: none). */
  hidden: number;
  /** Number of hidden fully connected layers (AlexNet and VGG: 2). */
  layers: number;
}

/** Parameters (weights and biases) of a fully connected head: flatten → hidden layers → classes. */
export function fcHeadParams({ side, channels, classes, hidden, layers }: HeadSizes): number {
  const widths = [side * side * channels, ...(hidden > 0 ? Array(layers).fill(hidden) : []), classes];
  let n = 0;
  for (let i = 1; i < widths.length; i++) n += widths[i - 1] * widths[i] + widths[i];
  return n;
}

/**
 * Parameters of NiN's head: a 1×1 convolution from `channels` to `classes` maps (with a hidden 1×1 layer of
 * `micro` channels first when micro > 0, the last mlpconv's micro network), then global average pooling, which
 * has none. The side of the maps does not enter: that is the point.
 */
export function gapHeadParams({ channels, classes }: Pick<HeadSizes, 'channels' | 'classes'>, micro = 0): number {
  return micro > 0 ? channels * micro + micro + micro * classes + classes : channels * classes + classes;
}

export interface HeadRaceConfig {
  seed: number;
  lr: number;
  /** Hidden channels of the GAP head's micro network (0: a single 1×1 convolution). */
  micro: number;
  batchSize: number;
  /** Adam steps before the run stops by itself. */
  total: number;
  /** Digits whose maps one extraction step computes. */
  chunk: number;
}

export const DEFAULT_RACE: HeadRaceConfig = { seed: 1, lr: 0.01, micro: 0, batchSize: 64, total: 400, chunk: 25 };

/** Test accuracy is measured every this many Adam steps (and at the end). */
export const EVAL_EVERY = 20;

/** Digits as the loaders give them: 784 pixels each in [0, 1], and labels. */
export interface DigitSet {
  images: Float32Array;
  labels: ArrayLike<number>;
  count: number;
}

/** The first `count` digits of a loaded set, as {@link createHeadRace} takes them. */
export const digitSet = (d: MnistArrays, count: number): DigitSet => ({ images: floatImages(d, 0, count), labels: d.labels.subarray(0, count), count });

/** What the page sends the demo's worker for one race (the URL's values: `micro` is a choice, a string). */
export interface RaceParams {
  micro: string;
  lr: number;
  seed: number;
}

export interface HeadFrame {
  /** Simulation steps so far: first one per chunk of digits whose maps are extracted, then one per Adam step. */
  steps: number;
  /** Fraction of the digits whose frozen maps are extracted; training starts at 1. */
  extracted: number;
  /** Adam steps taken. */
  trained: number;
  /** Test accuracy of [GAP head, FC head] after `measuredAt` Adam steps; null before the first measurement. */
  accuracy: [number, number] | null;
  measuredAt: number;
  /** Mean training loss of [GAP, FC] over the Adam steps of this call; null when none ran. */
  loss: [number, number] | null;
}

export interface HeadRace extends Simulation<HeadFrame> {
  readonly params: { gap: number; fc: number };
  /** Extraction steps, then `total` Adam steps: the run's length. */
  readonly length: number;
}

/** Steps of a whole run: one per chunk of each set's digits, then the Adam steps. */
export function runLength(trainCount: number, testCount: number, cfg: Pick<HeadRaceConfig, 'chunk' | 'total'> = DEFAULT_RACE): number {
  return Math.ceil(trainCount / cfg.chunk) + Math.ceil(testCount / cfg.chunk) + cfg.total;
}

type Name = 'gw1' | 'gb1' | 'gw2' | 'gb2' | 'fw' | 'fb';

function normal(n: number, std: number, rng: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = std * gaussian(rng);
  return out;
}

/**
 * Two heads on the same frozen maps of `body` (a trunk of a trained network), trained together by one Adam
 * (their parameters are disjoint, so the sum of the losses trains each on its own loss): the GAP head
 * 1×1 conv [→ ReLU → 1×1 conv] → mean over the positions → softmax (the class maps linear, as in cnn-gap), and the FC head flatten → dense →
 * softmax; He-initialised, biases 0, the same batches. The run first extracts the maps, `chunk` digits per
 * step, into tensors allocated at creation (so the tensor count never changes), then trains.
 */
export function createHeadRace(body: tf.LayersModel, train: DigitSet, test: DigitSet, config: Partial<HeadRaceConfig> = {}): HeadRace {
  const cfg: HeadRaceConfig = { ...DEFAULT_RACE, ...config };
  if (!(cfg.lr > 0)) throw new RangeError(`the learning rate must be positive, got ${cfg.lr}`);
  if (!(Number.isInteger(cfg.micro) && cfg.micro >= 0)) throw new RangeError(`micro channels must be a whole number ≥ 0, got ${cfg.micro}`);
  const [h, w, c] = mapShape(body);
  const P = h * w;
  const K = CLASSES;
  const rng = mulberry32(cfg.seed);
  const m = cfg.micro;
  const init: ParamInit<Name>[] =
    m > 0
      ? [
          { name: 'gw1', shape: [c, m], values: normal(c * m, Math.sqrt(2 / c), rng) },
          { name: 'gb1', shape: [m], values: new Float32Array(m) },
          { name: 'gw2', shape: [m, K], values: normal(m * K, Math.sqrt(2 / m), rng) },
          { name: 'gb2', shape: [K], values: new Float32Array(K) },
        ]
      : [
          { name: 'gw1', shape: [c, K], values: normal(c * K, Math.sqrt(2 / c), rng) },
          { name: 'gb1', shape: [K], values: new Float32Array(K) },
        ];
  init.push({ name: 'fw', shape: [P * c, K], values: normal(P * c * K, Math.sqrt(2 / (P * c)), rng) }, { name: 'fb', shape: [K], values: new Float32Array(K) });
  const params = {
    gap: init.filter((p) => p.name[0] === 'g').reduce((s, p) => s + p.values.length, 0),
    fc: init.filter((p) => p.name[0] === 'f').reduce((s, p) => s + p.values.length, 0),
  };

  // The digits in extraction order: the training set, then the test set.
  const sets = [train, test];
  const total = train.count + test.count;
  const extractSteps = runLength(train.count, test.count, cfg) - cfg.total;
  const buffers = sets.map((d) => new Float32Array(d.count * P * c));
  const t = tf.tidy(() => ({
    trainX: tf.variable(tf.zeros([train.count, P * c]), false),
    trainY: tf.tensor1d(Int32Array.from(train.labels), 'int32'),
    testX: tf.variable(tf.zeros([test.count, P * c]), false),
    testY: tf.tensor1d(Int32Array.from(test.labels), 'int32'),
  }));
  const logits = (p: Readonly<Record<Name, tf.Tensor>>, x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] => {
    const n = x.shape[0];
    let y = tf.add(tf.matMul(x.reshape([n * P, c]), p.gw1 as tf.Tensor2D), p.gb1);
    if (m > 0) y = tf.add(tf.matMul(tf.relu(y), p.gw2 as tf.Tensor2D), p.gb2);
    return [tf.mean(y.reshape([n, P, K]), 1) as tf.Tensor2D, tf.add(tf.matMul(x, p.fw as tf.Tensor2D), p.fb) as tf.Tensor2D];
  };
  const ce = (z: tf.Tensor2D, y: tf.Tensor1D) => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(y, K), tf.logSoftmax(z)), 1)));
  const trainer = createFlatTrainer(
    init,
    (p, x, y) => {
      const [zg, zf] = logits(p, x as tf.Tensor2D);
      return tf.stack([ce(zg, y as tf.Tensor1D), ce(zf, y as tf.Tensor1D)]) as tf.Tensor1D;
    },
    { kind: 'adam', lr: cfg.lr },
  );
  const batches = mulberry32(cfg.seed + 1);
  let done = 0; // digits extracted so far, over both sets
  let extractions = 0;
  let last: Pick<HeadFrame, 'accuracy' | 'measuredAt'> = { accuracy: null, measuredAt: 0 };
  let disposed = false;

  /** Maps of the next chunk of digits; when the last lands, the buffers go up into the variables. */
  async function extractChunk(): Promise<void> {
    const s = done < train.count ? 0 : 1;
    const start = s === 0 ? done : done - train.count;
    const n = Math.min(cfg.chunk, sets[s].count - start);
    const maps = tf.tidy(() => body.predict(tf.tensor4d(sets[s].images.subarray(start * PIXELS, (start + n) * PIXELS), [n, MNIST_SIDE, MNIST_SIDE, 1])) as tf.Tensor);
    buffers[s].set(await readAndDispose(maps), start * P * c);
    done += n;
    extractions++;
    if (done === total) {
      tf.tidy(() => {
        t.trainX.assign(tf.tensor2d(buffers[0], [train.count, P * c]));
        t.testX.assign(tf.tensor2d(buffers[1], [test.count, P * c]));
      });
    }
  }

  return {
    params,
    length: extractSteps + cfg.total,
    async step(k: number): Promise<HeadFrame> {
      if (disposed) throw new Error('NiN demo used after dispose');
      let left = k;
      while (left > 0 && done < total) {
        await extractChunk();
        left--;
      }
      if (disposed) throw new Error('NiN demo disposed during a step');
      const before = trainer.steps;
      const n = done < total ? 0 : Math.max(0, Math.min(left, cfg.total - before));
      const after = before + n;
      const due = done === total && (last.accuracy === null || Math.floor(before / EVAL_EVERY) !== Math.floor(after / EVAL_EVERY) || (n > 0 && after === cfg.total));
      let loss: [number, number] | null = null;
      if (n > 0 || due) {
        const out = tf.tidy(() => {
          for (let s = 0; s < n; s++) {
            const rows = tf.tensor1d(sampleBatches(train.count, cfg.batchSize, 1, batches), 'int32');
            trainer.step(tf.gather(t.trainX, rows), tf.gather(t.trainY, rows));
          }
          const parts: tf.Tensor[] = [n > 0 ? trainer.meanLossTensor().reshape([-1]) : tf.fill([2], NaN)];
          if (due) for (const z of logits(trainer.current(), t.testX as tf.Tensor2D)) parts.push(tf.mean(tf.cast(tf.equal(tf.argMax(z, 1), t.testY), 'float32')).reshape([1]));
          return tf.concat(parts);
        });
        const a = await readAndDispose(out);
        if (n > 0) loss = [a[0], a[1]];
        if (due) last = { accuracy: [a[2], a[3]], measuredAt: after };
      }
      return { ...last, steps: extractions + after, extracted: done / total, trained: after, loss };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      tf.dispose(Object.values(t));
    },
  };
}

/**
 * What a network with NiN's head (zoo's buildCnnGap) computes for one digit: its class maps (the last 1×1
 * convolution `mapsLayer`, [h·w, classes] row-major) and its class probabilities, softmax of the maps' means.
 */
export async function classMaps(model: tf.LayersModel, image: Float32Array, mapsLayer = 'cccp2'): Promise<{ maps: Float32Array; probs: Float32Array; shape: [number, number, number] }> {
  if (image.length !== PIXELS) throw new RangeError(`classMaps: ${image.length} pixels, expected ${PIXELS}`);
  const body = trunk(model, mapsLayer);
  const shape = mapShape(body);
  const out = tf.tidy(() => {
    const x = tf.tensor4d(image, [1, MNIST_SIDE, MNIST_SIDE, 1]);
    return tf.concat([(body.predict(x) as tf.Tensor).reshape([-1]), (model.predict(x) as tf.Tensor).reshape([-1])]);
  });
  const a = await readAndDispose(out);
  const n = shape[0] * shape[1] * shape[2];
  return { maps: a.slice(0, n), probs: a.slice(n), shape };
}
