import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { loadModel, type LoadedModel } from '../runtime/data/models';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages } from '../runtime/data/loader';
import { toMnistInput } from '../runtime/data/preprocess';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { argMax, describeArchitecture, dropoutBeforeOutput, INPUT_SIZE, predict } from './model';

// The real shipped model (public/models/cnn/), loaded the way the browser loads it, on real test digits.
let loaded: LoadedModel;
let test: MnistArrays;
let before: number;
beforeAll(async () => {
  await tf.setBackend('cpu');
  before = tf.memory().numTensors;
  loaded = await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
  test = loadMnistNode('test');
}, 60_000);
afterAll(() => loaded?.model.dispose());

describe('predict with the shipped CNN', () => {
  it('classifies the first 20 MNIST test digits as their labels, with probabilities summing to 1', async () => {
    let correct = 0;
    for (let i = 0; i < 20; i++) {
      const probs = await predict(loaded.model, floatImages(test, i, i + 1));
      expect(probs.length).toBe(10);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      for (const q of probs) expect(q).toBeGreaterThanOrEqual(0);
      if (argMax(probs) === test.labels[i]) correct++;
    }
    // A ≥ 99 % model may miss one of 20 easy digits at most (the first 20 are all classified right by any decent CNN).
    expect(correct).toBeGreaterThanOrEqual(19);
  });

  it('gives the same answer one digit at a time as the model gives for a batch', async () => {
    const n = 8;
    const batch = tf.tidy(() => (loaded.model.predict(tf.tensor4d(floatImages(test, 100, 100 + n), [n, 28, 28, 1])) as tf.Tensor).arraySync() as number[][]);
    for (let k = 0; k < n; k++) {
      const one = await predict(loaded.model, floatImages(test, 100 + k, 101 + k));
      for (let c = 0; c < 10; c++) expect(one[c]).toBeCloseTo(batch[k][c], 5);
    }
  });

  it('reads a drawn vertical stroke, put through toMnistInput, as a 1', async () => {
    const W = 280;
    const img = new Uint8Array(W * W);
    for (let y = 40; y < 240; y++) for (let x = 130; x < 150; x++) img[y * W + x] = 255;
    const r = toMnistInput({ data: img, width: W, height: W });
    if (!r.ok) throw new Error('expected a digit');
    expect(argMax(await predict(loaded.model, r.image))).toBe(1);
  });

  it('leaves no tensor behind, and none at all once the model is disposed', async () => {
    const withModel = tf.memory().numTensors;
    expect(withModel).toBeGreaterThan(before); // the weights
    for (let i = 0; i < 5; i++) await predict(loaded.model, floatImages(test, i, i + 1));
    expect(tf.memory().numTensors).toBe(withModel);
    const again = await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
    expect(tf.memory().numTensors).toBe(2 * withModel - before);
    again.model.dispose();
    expect(tf.memory().numTensors).toBe(withModel);
  });

  it('refuses an input of the wrong size without leaking', async () => {
    const n = tf.memory().numTensors;
    await expect(predict(loaded.model, new Float32Array(INPUT_SIZE - 1))).rejects.toThrow(/783 pixels/);
    expect(tf.memory().numTensors).toBe(n);
  });
});

describe('manifest facts', () => {
  it('the shipped manifest has a dropout layer right before the output, as the zoo builds it', () => {
    expect(dropoutBeforeOutput(loaded.manifest)).toBe(true);
    expect(loaded.manifest.params).toBe(loaded.model.countParams());
  });
  it('describeArchitecture lists layers with their widths, skipping Flatten', () => {
    const architecture = [
      { name: 'c', type: 'Conv2D', outputShape: [24, 24, 16], params: 416 },
      { name: 'p', type: 'MaxPooling2D', outputShape: [12, 12, 16], params: 0 },
      { name: 'f', type: 'Flatten', outputShape: [2304], params: 0 },
      { name: 'd', type: 'Dropout', outputShape: [2304], params: 0 },
      { name: 'o', type: 'Dense', outputShape: [10], params: 23050 },
    ];
    expect(describeArchitecture({ architecture })).toBe('Conv2D 16 → MaxPooling2D → Dropout → Dense 10');
    expect(dropoutBeforeOutput({ architecture })).toBe(true);
    expect(dropoutBeforeOutput({ architecture: architecture.slice(0, 3) })).toBe(false);
  });
  it('argMax takes the first of equal maxima and -1 for nothing', () => {
    expect(argMax([0.1, 0.7, 0.2])).toBe(1);
    expect(argMax([0.5, 0.5])).toBe(0);
    expect(argMax([])).toBe(-1);
  });
});
