import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readAndDispose, tf } from '../tf';
import type { MnistArrays } from '../data/idx';
import { loadModel } from '../data/models';
import { batchTensors, range, sliceRange } from './classify';
import { attack, attackSet, inputGradient, summarizeTally } from './attacks';
import { fileFetch, loadMnistNode } from '../../../scripts/mnist-node';
import { useNodeBackend } from '../../../scripts/tf-node';

// The shipped networks and the first 20 MNIST test digits, on wasm as the reproduce script runs.
const N = 20;
let cnn: tf.LayersModel;
let adv: tf.LayersModel;
let digits: MnistArrays;

beforeAll(async () => {
  await useNodeBackend('wasm');
  const fetchFn = fileFetch(path.resolve('public/models'));
  [cnn, adv] = await Promise.all(['cnn', 'cnn-adv'].map(async (name) => (await loadModel(name, { baseUrl: '/', fetch: fetchFn })).model));
  digits = sliceRange(loadMnistNode('test'), 0, N);
});
afterAll(() => {
  cnn?.dispose();
  adv?.dispose();
});

describe('FGSM', () => {
  it('moves every pixel with a nonzero gradient by exactly ε (unless the box [0, 1] stops it), the others not at all', async () => {
    const eps = 0.25;
    const before = tf.memory().numTensors;
    const { x, y } = batchTensors(digits, range(0, N), 10);
    const gs = await readAndDispose(inputGradient(cnn, x, y));
    const advs = await readAndDispose(attack(cnn, x, y, { kind: 'fgsm', epsilon: eps }));
    const xs = await readAndDispose(x);
    y.dispose();
    let moved = 0;
    let clipped = 0;
    let outside = 0;
    let worst = 0;
    let linf = 0;
    for (let i = 0; i < xs.length; i++) {
      const d = advs[i] - xs[i];
      linf = Math.max(linf, Math.abs(d));
      if (!(advs[i] >= 0 && advs[i] <= 1)) outside++;
      if (gs[i] === 0) {
        if (d !== 0) worst = Math.max(worst, Math.abs(d));
      } else {
        const free = xs[i] + Math.sign(gs[i]) * eps;
        const want = Math.min(1, Math.max(0, free));
        worst = Math.max(worst, Math.abs(advs[i] - want));
        if (want === free) moved++;
        else clipped++;
      }
    }
    expect(outside).toBe(0);
    expect(worst).toBeLessThan(1e-6); // each pixel exactly x ± ε (clipped), or unmoved where the gradient is 0
    expect(linf).toBeCloseTo(eps, 6); // ‖δ‖∞ = ε
    expect(moved).toBeGreaterThan(0.3 * xs.length);
    expect(clipped).toBeGreaterThan(0); // black background pixels pushed below 0 stay at 0
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('PGD / BIM', () => {
  it('stays in the ε-ball and the box, and is at least as strong as FGSM on both networks', async () => {
    const eps = 0.25;
    const { x, y } = batchTensors(digits, range(0, N), 10);
    const p = tf.tidy(() => attack(cnn, x, y, { kind: 'pgd', epsilon: eps, steps: 5, stepSize: 0.1 }));
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(p, x))));
    const [lo, hi, dist] = [tf.min(p), tf.max(p), d].map((t) => t.dataSync()[0]);
    tf.dispose([x, y, p, d]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(dist).toBeLessThanOrEqual(eps + 1e-6);
    for (const net of [cnn, adv]) {
      const f = summarizeTally(await attackSet(net, digits, { kind: 'fgsm', epsilon: eps }));
      const g = summarizeTally(await attackSet(net, digits, { kind: 'pgd', epsilon: eps, steps: 5, stepSize: 0.1 }));
      expect(g.error).toBeGreaterThanOrEqual(f.error);
    }
  });

  it('rejects bad settings with a message and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const x = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
    const y = tf.tensor1d([0], 'int32');
    expect(() => attack(cnn, x, y, { kind: 'fgsm', epsilon: -1 })).toThrow(/epsilon/);
    expect(() => attack(cnn, x, y, { kind: 'pgd', epsilon: 0.1, steps: 0, stepSize: 0.1 })).toThrow(/steps/);
    expect(() => attack(cnn, x, y, { kind: 'pgd', epsilon: 0.1, steps: 2, stepSize: 0 })).toThrow(/step size/);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
