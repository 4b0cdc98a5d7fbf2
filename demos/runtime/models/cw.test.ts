import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readAndDispose, tf } from '../tf';
import { loadModel } from '../data/models';
import { floatImages } from '../data/loader';
import { logits } from './attacks';
import { createCw, cwSummary } from './cw';
import { fileFetch, loadMnistNode } from '../../../scripts/mnist-node';
import { useNodeBackend } from '../../../scripts/tf-node';

let cnn: tf.LayersModel;
const test = loadMnistNode('test');
const N = 2;

beforeAll(async () => {
  await useNodeBackend('wasm');
  cnn = (await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
});
afterAll(() => cnn?.dispose());

describe('Carlini & Wagner L2', () => {
  it('reaches every target on a few digits, keeps the smallest success, which the network puts in the target class', async () => {
    const images = floatImages(test, 0, N);
    const targets = Array.from(test.labels.subarray(0, N), (l) => (l + 1) % 10);
    const before = tf.memory().numTensors;
    const run = createCw(cnn, images, targets, { iterations: 20, searchSteps: 2, initialC: 10, learningRate: 0.3 });
    const f0 = await run.step(0);
    expect(f0.l2sq.every((v) => v < 1e-6)).toBe(true); // starts at the digit
    expect(Array.from(f0.bestL2)).toEqual(new Array(N).fill(Infinity));
    const f = await run.step(1000);
    expect(f.done).toBe(true);
    expect(f.steps).toBe(40);
    const s = cwSummary(f.bestL2);
    expect(s.success).toBe(1);
    expect(s.meanL2).toBeGreaterThan(0.3);
    // Much smaller than the digits themselves (‖x‖₂ ≈ 9 for an MNIST digit).
    const norm = Math.sqrt(images.reduce((a, v) => a + v * v, 0) / N);
    expect(s.meanL2).toBeLessThan(0.6 * norm);
    const pred = await readAndDispose(tf.tidy(() => tf.argMax(logits(cnn, tf.tensor4d(f.bestImage, [N, 28, 28, 1])), -1).toFloat()));
    expect(Array.from(pred)).toEqual(targets);
    expect(f.bestImage.every((v) => v >= 0 && v <= 1)).toBe(true);
    run.dispose();
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad settings with a message', () => {
    const x = new Float32Array(784);
    expect(() => createCw(cnn, x, [3], { kappa: -1 })).toThrow(/κ/);
    expect(() => createCw(cnn, x, [11])).toThrow(/target/);
    expect(() => createCw(cnn, x, [1, 2])).toThrow(/pixels/);
  });
});
