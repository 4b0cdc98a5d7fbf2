/**
 * Building and training one cell of the benchmark with tfjs: the same code trains every cell in Node
 * (scripts/nasbench.ts) and a single child live in the reader's browser ("train this child live").
 */
import { tf } from '../tf';
import { mulberry32 } from '../random';
import type { MnistArrays } from '../data/idx';
import { accuracy, sliceRange } from '../models/classify';
import { trainClassifier } from '../models/train';
import { decode, STAGE_WIDTHS, STEM_CHANNELS } from './space';

/** How every cell is trained and scored: the benchmark's fixed settings (also written to its manifest). */
export interface BenchSettings {
  /** Training digits [start, end) of the MNIST training set (all within the 30,000 the site publishes). */
  trainRange: [number, number];
  /** Held-out training digits [start, end) for the validation accuracy (never trained on). */
  validationRange: [number, number];
  /** Test digits [start, end) of the MNIST test set for the test accuracy. */
  testRange: [number, number];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seeds the initial weights and the shuffle: the same for every cell. */
  seed: number;
}

/** The benchmark's settings. */
export const BENCH_SETTINGS: BenchSettings = {
  trainRange: [0, 2000],
  validationRange: [28000, 29000],
  testRange: [0, 5000],
  epochs: 1,
  batchSize: 32,
  learningRate: 3e-3,
  seed: 1,
};

/**
 * The untrained network of cell `index` (see ./space.ts), weights drawn from `seed` (He normal for the
 * convolutions, Glorot uniform for the dense layer). Input [n, 28, 28, 1], output softmax over 10 digits.
 */
export function buildCell(index: number, seed: number): tf.LayersModel {
  const arch = decode(index);
  const rng = mulberry32(seed);
  const next = () => Math.floor(rng() * 0x7fffffff);
  const he = () => tf.initializers.heNormal({ seed: next() });
  const conv = (name: string, filters: number, kernelSize: number) =>
    tf.layers.conv2d({ name, filters, kernelSize, padding: 'same', activation: 'relu', kernelInitializer: he() });
  const input = tf.input({ shape: [28, 28, 1] });
  let h = tf.layers.averagePooling2d({ name: 'down', poolSize: 2 }).apply(input) as tf.SymbolicTensor;
  h = conv('stem', STEM_CHANNELS, 3).apply(h) as tf.SymbolicTensor;
  arch.forEach((c, s) => {
    const width = STAGE_WIDTHS[s][c.width];
    const name = `s${s + 1}`;
    switch (c.op) {
      case 'conv3':
        h = conv(`${name}_conv3`, width, 3).apply(h) as tf.SymbolicTensor;
        break;
      case 'sep3':
        h = tf.layers
          .separableConv2d({ name: `${name}_sep3`, filters: width, kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: he(), pointwiseInitializer: he() })
          .apply(h) as tf.SymbolicTensor;
        break;
      case 'pool':
        h = tf.layers.maxPooling2d({ name: `${name}_pool`, poolSize: 3, strides: 1, padding: 'same' }).apply(h) as tf.SymbolicTensor;
        h = conv(`${name}_conv1`, width, 1).apply(h) as tf.SymbolicTensor;
        break;
      case 'skip':
        break;
    }
    if (s === 0) h = tf.layers.maxPooling2d({ name: 'reduce', poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: 'output', units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: `nasbench_${index}` });
}

/** The data a cell is trained and scored on (see {@link benchData}). */
export interface BenchData {
  train: MnistArrays;
  validation: MnistArrays;
  test: MnistArrays;
}

/** Slices the benchmark's digits out of the MNIST training and test sets (views, no copy). */
export function benchData(trainSet: MnistArrays, testSet: MnistArrays, settings: BenchSettings = BENCH_SETTINGS): BenchData {
  const need = (set: MnistArrays, [a, b]: [number, number], what: string) => {
    if (b > set.count) throw new RangeError(`nasbench: ${what} digits up to ${b} needed, only ${set.count} loaded`);
    return sliceRange(set, a, b);
  };
  return {
    train: need(trainSet, settings.trainRange, 'training'),
    validation: need(trainSet, settings.validationRange, 'training (validation)'),
    test: need(testSet, settings.testRange, 'test'),
  };
}

/** What training one cell measured. */
export interface CellResult {
  validationAccuracy: number;
  testAccuracy: number;
  /** Wall-clock seconds of training (not scoring). */
  trainSeconds: number;
  /** Trainable parameters of the built tfjs model. */
  params: number;
}

/**
 * Trains cell `index` from scratch with the benchmark's settings (Adam, cross-entropy, one seed for all
 * cells) on the current tfjs backend, then scores it on the validation and test digits. Every tensor it
 * makes is disposed. `onStep` reports progress (step, loss) for a live view; `maxSteps` cuts it short (tests).
 */
export async function trainCell(
  index: number,
  data: BenchData,
  opts: { settings?: BenchSettings; onStep?: (step: number, loss: number) => void; maxSteps?: number } = {},
): Promise<CellResult> {
  const s = opts.settings ?? BENCH_SETTINGS;
  const model = buildCell(index, s.seed);
  try {
    const t0 = performance.now();
    await trainClassifier(model, data.train, {
      recipe: { epochs: s.epochs, batchSize: s.batchSize, optimizer: 'adam', learningRate: s.learningRate, lrDecayPerEpoch: 1, seed: s.seed, validationCount: 0 },
      onStep: opts.onStep,
      maxSteps: opts.maxSteps,
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    const validationAccuracy = (await accuracy(model, data.validation)).accuracy;
    const testAccuracy = (await accuracy(model, data.test)).accuracy;
    return { validationAccuracy, testAccuracy, trainSeconds, params: model.countParams() };
  } finally {
    model.dispose();
  }
}
