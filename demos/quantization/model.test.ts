import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { loadDenseWeights, type DenseWeights } from '../runtime/compress/layers';
import { createMlpScorer, type MlpScorer } from '../runtime/compress/mlp';
import { kmeans1d } from '../runtime/compress/kmeans';
import { floatImages } from '../runtime/data/loader';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createQuantization, histogram, layersOf, shareWeights, sweepUnits, SWEEP_POINTS, type TestDigits } from './model';

// The shipped LeNet-300-100 and all 10,000 test digits (the numbers the notes quote).
let layers: DenseWeights[];
let test: TestDigits;
let scorer: MlpScorer;
beforeAll(async () => {
  await useNodeBackend('wasm');
  layers = (await loadDenseWeights('mlp', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).layers;
  const t = loadMnistNode('test');
  test = { images: floatImages(t), labels: t.labels, count: t.count };
  scorer = createMlpScorer(layers, test.images, test.labels, test.count);
}, 120_000);

const accuracyWith = (choice: 'fc1' | 'fc2' | 'fc3' | 'all', bits: number) =>
  scorer.accuracy(new Map(layersOf(choice, 3).map((l) => [l, shareWeights(layers[l], bits).layer])));
const pct = (a: number) => (100 * a).toFixed(2);

describe('k-means weight sharing of one layer', () => {
  it('gives 2^bits shared values, each weight its nearest one, and an error that falls with the bits', () => {
    let last = Infinity;
    for (const bits of [1, 2, 3, 4, 5]) {
      const s = shareWeights(layers[1], bits);
      expect(s.centroids.length).toBe(2 ** bits);
      const w = layers[1].kernel;
      for (let i = 0; i < w.length; i += 97) {
        const d = Math.abs(w[i] - s.layer.kernel[i]);
        for (const c of s.centroids) expect(d).toBeLessThanOrEqual(Math.abs(w[i] - c) + 1e-6);
      }
      expect(s.mse).toBeLessThan(last);
      last = s.mse;
      expect(Array.from(s.layer.bias)).toEqual(Array.from(layers[1].bias));
    }
    // The linear start is kmeans1d's default: same codebook.
    expect(Array.from(shareWeights(layers[2], 3).centroids)).toEqual(Array.from(kmeans1d(layers[2].kernel, 8, 50).centroids));
  });

  it('linear start keeps the rare large weights: its outermost shared values sit closer to the extremes than the density start\'s', () => {
    const w = layers[0].kernel;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of w) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    // The 1 % of weights with the largest magnitudes, and each start's error on them.
    const mags = Float64Array.from(w, Math.abs).sort();
    const cut = mags[Math.floor(0.99 * mags.length)];
    const bigError = (kernel: Float32Array) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < w.length; i++) if (Math.abs(w[i]) >= cut) (s += (kernel[i] - w[i]) ** 2), n++;
      return Math.sqrt(s / n);
    };
    // fc1 at 4 bits (16 shared values), both starts run to convergence.
    const lin = shareWeights(layers[0], 4, 'linear');
    const den = shareWeights(layers[0], 4, 'density');
    expect(hi - lin.centroids[15]).toBeLessThan(hi - den.centroids[15]);
    expect(lin.centroids[0] - lo).toBeLessThan(den.centroids[0] - lo);
    // RMS error on the largest 1 %: 0.019 against 0.030 (the notes quote these).
    expect([bigError(lin.layer.kernel).toFixed(3), bigError(den.layer.kernel).toFixed(3)]).toEqual(['0.019', '0.030']);
    // …while the density start fits the crowd near zero better (a lower mean squared error overall).
    expect(den.mse).toBeLessThan(lin.mse);
  });

  it('histogram counts every weight once', () => {
    const h = histogram(layers[2].kernel, 40, -0.5, 0.5);
    expect(h.reduce((a, b) => a + b, 0)).toBe(layers[2].kernel.length);
  });
});

describe('accuracy against bits on the 10,000 test digits (the notes quote these)', () => {
  it('the unclustered network scores 98.19 %; all three layers at 1, 2, 3, 4 bits: 86.87, 97.32, 97.95, 98.19 %', async () => {
    expect(pct(await scorer.accuracy())).toBe('98.19');
    const all = [];
    for (const b of [1, 2, 3, 4]) all.push(pct(await accuracyWith('all', b)));
    expect(all).toEqual(['86.87', '97.32', '97.95', '98.19']);
  }, 60_000);

  it('one layer at 1 bit: fc1 94.53 %, fc2 97.57 %, output 97.22 % — the big layer is the sensitive one', async () => {
    expect([pct(await accuracyWith('fc1', 1)), pct(await accuracyWith('fc2', 1)), pct(await accuracyWith('fc3', 1))]).toEqual(['94.53', '97.57', '97.22']);
  }, 60_000);
});

describe('the demo\'s simulation', () => {
  it('scores the chosen setting first, then fills the sweep one unit of work per step, reuses the cache and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const small = { images: test.images.subarray(0, 200 * 784), labels: test.labels, count: 200 };
    const cache = new Map();
    const sim = createQuantization(layers, small, { layer: 'fc2', bits: 2, init: 'linear', seed: 1 }, cache);
    const f0 = await sim.step(0);
    const during = tf.memory().numTensors;
    expect([f0.steps, f0.points]).toEqual([0, 0]);
    expect(f0.shown.name).toBe(layers[1].name);
    expect(f0.shown.shared.centroids.length).toBe(4);
    expect(f0.accuracy).toBeNaN(); // scored by the first unit, not at step 0
    expect(Array.from(f0.sweep.fc1).every(Number.isNaN)).toBe(true);
    const f1 = await sim.step(1); // fc2 is clustered at 2 bits already (for the histogram): the unit scores it
    expect([f1.steps, f1.points]).toEqual([1, 1]);
    expect(f1.sweep.fc2[1]).toBe(f1.accuracy);
    // The same number as in one go: fc2's shared weights at 2 bits, scored on the 200 digits.
    const once = createMlpScorer(layers, small.images, small.labels, small.count);
    expect(f1.accuracy).toBe(await once.accuracy(new Map([[1, shareWeights(layers[1], 2).layer]])));
    once.dispose();
    // bits-major order after the chosen point: a unit sorts fc1's weights, one clusters it, one scores it.
    let f = await sim.step(3);
    expect([f.steps, f.points]).toEqual([4, 2]);
    expect(Number.isNaN(f.sweep.fc1[0])).toBe(false);
    expect(tf.memory().numTensors).toBe(during);
    while (f.points < SWEEP_POINTS) f = await sim.step(1);
    expect(f.steps).toBeLessThanOrEqual(sweepUnits(3)); // the view's budget: the run ends by converging
    expect((await sim.step(1)).steps).toBe(f.steps); // nothing left to do
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Another run on the same cache finds every point done: its own setting costs no step either.
    const size = cache.size;
    const again = createQuantization(layers, small, { layer: 'all', bits: 5, init: 'linear', seed: 1 }, cache);
    const g = await again.step(1);
    expect([g.steps, g.points]).toEqual([0, SWEEP_POINTS]);
    expect(cache.size).toBe(size);
    expect(g.accuracy).toBe(f.sweep.all[4]);
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => shareWeights(layers[2], 0)).toThrow(RangeError);
  }, 60_000);
});
