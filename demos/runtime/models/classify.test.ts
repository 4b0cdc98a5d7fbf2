import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { MnistArrays } from '../data/idx';
import { accuracy, batchTensors, predictClasses, range, selectDigits, sliceRange, tally } from './classify';

/** n 2×2 "digits": pixel p of digit i is (10·i + p) mod 256, labels as given. */
function tiny(labels: number[]): MnistArrays {
  const images = Uint8Array.from({ length: labels.length * 4 }, (_, k) => (10 * Math.floor(k / 4) + (k % 4)) % 256);
  return { count: labels.length, rows: 2, cols: 2, images, labels: Uint8Array.from(labels) };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('selectDigits', () => {
  it('keeps the chosen classes in order, relabelled to their index, with their own pixels', () => {
    const data = tiny([3, 7, 0, 3, 9, 1]);
    const sel = selectDigits(data, [0, 1, 3]);
    expect(sel.count).toBe(4);
    // digits 0, 2, 3, 5 of the input (labels 3, 0, 3, 1) → indices 2, 0, 2, 1
    expect([...sel.labels]).toEqual([2, 0, 2, 1]);
    expect([...sel.images.subarray(0, 4)]).toEqual([0, 1, 2, 3]);
    expect([...sel.images.subarray(4, 8)]).toEqual([20, 21, 22, 23]);
    expect([...sel.images.subarray(12, 16)]).toEqual([50, 51, 52, 53]);
  });

  it('sliceRange views digits [start, end)', () => {
    const s = sliceRange(tiny([5, 6, 7, 8]), 1, 3);
    expect(s.count).toBe(2);
    expect([...s.labels]).toEqual([6, 7]);
    expect([...s.images]).toEqual([10, 11, 12, 13, 20, 21, 22, 23]);
  });
});

describe('batchTensors', () => {
  it('scales pixels by 1/255 and one-hot encodes the picked digits', async () => {
    const data = tiny([2, 0, 1]);
    const { x, y } = batchTensors(data, [2, 0], 3);
    expect(x.shape).toEqual([2, 2, 2, 1]);
    const xs = await x.data();
    expect(xs[0]).toBeCloseTo(20 / 255, 6);
    expect(xs[7]).toBeCloseTo(3 / 255, 6);
    expect(await y.array()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    x.dispose();
    y.dispose();
  });
});

/** Linear model with no bias: class 0 scores pixel 0, class 1 scores pixel 1 → predicts the larger. */
function pixelModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 2, useBias: false, activation: 'softmax' })],
  });
  const w = tf.tensor2d([1, 0, 0, 1, 0, 0, 0, 0], [4, 2]);
  model.layers[1].setWeights([w]);
  w.dispose();
  return model;
}

/** Pixels [a, b, ·, ·] and a label: a > b → class 0. Digits 2 and 3 are predicted wrong. */
const ROWS = [
  [9, 1, 0, 0, 0],
  [1, 9, 0, 0, 1],
  [9, 1, 0, 0, 1], // wrong
  [2, 8, 0, 0, 0], // wrong
  [7, 3, 0, 0, 0],
];
const DATA: MnistArrays = {
  count: 5,
  rows: 2,
  cols: 2,
  images: Uint8Array.from(ROWS.flatMap((r) => r.slice(0, 4))),
  labels: Uint8Array.from(ROWS.map((r) => r[4])),
};

describe('accuracy', () => {
  it('counts arg-max hits across batch boundaries and leaks no tensors', async () => {
    const model = pixelModel();
    const before = tf.memory().numTensors;
    const r = await accuracy(model, DATA, 2);
    expect(r).toEqual({ accuracy: 3 / 5, correct: 3, count: 5 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('range lists start..end-1', () => {
    expect([...range(3, 6)]).toEqual([3, 4, 5]);
  });
});

describe('predictClasses and tally: evaluation in chunks', () => {
  it('predicts a slice of digits, and a confusion matrix fills chunk by chunk', async () => {
    const model = pixelModel();
    const before = tf.memory().numTensors;
    expect([...(await predictClasses(model, DATA, 1, 4))]).toEqual([1, 0, 1]);
    expect(tf.memory().numTensors).toBe(before);
    const confusion = new Uint32Array(4);
    let correct = 0;
    for (const [s, e] of [[0, 2], [2, 5]]) correct += tally(confusion, 2, DATA.labels.subarray(s, e), await predictClasses(model, DATA, s, e));
    expect(correct).toBe(3);
    // Rows are true labels, columns predictions: label 0 predicted 0 twice and 1 once; label 1 predicted 1 once and 0 once.
    expect([...confusion]).toEqual([2, 1, 1, 1]);
    model.dispose();
  });
});
