/**
 * Feeding MNIST digits to a classifier and scoring it: class subsets, batch tensors, accuracy.
 * Shared by the training script, the eval command and browser demos, so all score a model identically.
 */
import { tf } from '../tf';
import type { MnistArrays } from '../data/idx';

/**
 * The digits of `data` whose label is in `digits`, in their original order, relabelled to the label's
 * index in `digits` (so a 5-class model on 0–4 sees labels 0..4). Copies the selected pixels.
 */
export function selectDigits(data: MnistArrays, digits: readonly number[]): MnistArrays {
  const index = new Int16Array(256).fill(-1);
  digits.forEach((d, i) => (index[d] = i));
  const size = data.rows * data.cols;
  let count = 0;
  for (let i = 0; i < data.count; i++) if (index[data.labels[i]] >= 0) count++;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  for (let i = 0, k = 0; i < data.count; i++) {
    const c = index[data.labels[i]];
    if (c < 0) continue;
    images.set(data.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k++] = c;
  }
  return { count, rows: data.rows, cols: data.cols, images, labels };
}

/** Digits [start, end) of `data` (a view, no copy). */
export function sliceRange(data: MnistArrays, start: number, end: number): MnistArrays {
  const size = data.rows * data.cols;
  return { count: end - start, rows: data.rows, cols: data.cols, images: data.images.subarray(start * size, end * size), labels: data.labels.subarray(start, end) };
}

/**
 * A batch as tensors: x [n, rows, cols, 1] with pixels / 255, y one-hot [n, classes]. `indices` picks
 * the digits (e.g. a shuffled mini-batch); the caller disposes both tensors.
 */
export function batchTensors(data: MnistArrays, indices: ArrayLike<number>, classes: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const size = data.rows * data.cols;
  const n = indices.length;
  const xs = new Float32Array(n * size);
  const ys = new Float32Array(n * classes);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    const src = data.images.subarray(i * size, (i + 1) * size);
    for (let p = 0; p < size; p++) xs[k * size + p] = src[p] / 255;
    ys[k * classes + data.labels[i]] = 1;
  }
  return { x: tf.tensor4d(xs, [n, data.rows, data.cols, 1]), y: tf.tensor2d(ys, [n, classes]) };
}

/** Indices start, start + 1, …, end − 1. */
export function range(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, k) => start + k);
}

/** Result of {@link accuracy}. */
export interface AccuracyResult {
  /** correct / count. */
  accuracy: number;
  correct: number;
  count: number;
}

/**
 * The arg-max class of digits [start, end) of `data`: one batch, one read-back, no tensor left behind. The
 * chunk of work behind {@link accuracy} and of evaluations that report progress as they go.
 */
export async function predictClasses(model: tf.LayersModel, data: MnistArrays, start: number, end: number): Promise<Int32Array> {
  const classes = (model.outputs[0].shape as number[])[1];
  const pred = tf.tidy(() => {
    const { x } = batchTensors(data, range(start, end), classes);
    return tf.argMax(model.predict(x) as tf.Tensor2D, -1);
  });
  try {
    return (await pred.data()) as Int32Array;
  } finally {
    pred.dispose();
  }
}

/**
 * Counts label/prediction pairs into `confusion`, a row-major classes × classes matrix (row: the true label,
 * column: the prediction); returns how many were right.
 */
export function tally(confusion: Uint32Array, classes: number, labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let correct = 0;
  for (let k = 0; k < predicted.length; k++) {
    confusion[labels[k] * classes + predicted[k]]++;
    if (labels[k] === predicted[k]) correct++;
  }
  return correct;
}

/**
 * Fraction of digits whose arg-max prediction equals the label, in batches of `batchSize` (bounded
 * memory, one read-back per batch). Labels must already be class indices (see {@link selectDigits}).
 * The batch size does not change a prediction (checked on wasm and cpu), only memory and time.
 */
export async function accuracy(model: tf.LayersModel, data: MnistArrays, batchSize = 1000): Promise<AccuracyResult> {
  let correct = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const end = Math.min(start + batchSize, data.count);
    const got = await predictClasses(model, data, start, end);
    for (let k = 0; k < got.length; k++) if (got[k] === data.labels[start + k]) correct++;
  }
  return { accuracy: data.count === 0 ? 0 : correct / data.count, correct, count: data.count };
}
