import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { mulberry32 } from '../random';
import { createMlpScorer } from './mlp';

describe('createMlpScorer', () => {
  it('scores as a plain forward pass does, re-runs only from the replaced layer, and frees its tensors', async () => {
    const rng = mulberry32(11);
    const layer = (inputs: number, units: number) => ({ inputs, units, kernel: Float32Array.from({ length: inputs * units }, () => rng() - 0.5), bias: Float32Array.from({ length: units }, () => rng() - 0.5) });
    const layers = [layer(5, 4), layer(4, 3)];
    const n = 50;
    const images = Float32Array.from({ length: n * 5 }, () => rng());
    // Reference in plain JS.
    const predict = (ls: typeof layers, i: number) => {
      let h = Array.from(images.subarray(i * 5, i * 5 + 5));
      ls.forEach((l, li) => {
        const y = Array.from({ length: l.units }, (_, u) => h.reduce((s, v, r) => s + v * l.kernel[r * l.units + u], l.bias[u]));
        h = li < ls.length - 1 ? y.map((v) => Math.max(0, v)) : y;
      });
      return h.indexOf(Math.max(...h));
    };
    const labels = Array.from({ length: n }, (_, i) => (i % 2 ? predict(layers, i) : (predict(layers, i) + 1) % 3));
    const before = tf.memory().numTensors;
    const scorer = createMlpScorer(layers, images, labels, n);
    expect(await scorer.accuracy()).toBe(0.5);
    const other = layer(4, 3);
    const expected = labels.filter((y, i) => predict([layers[0], other], i) === y).length / n;
    expect(await scorer.accuracy(new Map([[1, other]]))).toBeCloseTo(expected, 10);
    scorer.dispose();
    scorer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(scorer.accuracy()).rejects.toThrow();
    expect(() => createMlpScorer(layers, images, labels, n + 1)).toThrow(RangeError);
  });
});
