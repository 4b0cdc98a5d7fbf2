import { describe, expect, it } from 'vitest';
import { tf } from './tf';

/** d/dx of Σ c · reduce(x, axes): c broadcast back over the reduced axes (divided by their size for a mean). */
function check(op: 'sum' | 'mean', shape: number[], axis: number | number[], keepDims: boolean): number {
  return tf.tidy(() => {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
  const reduced = tf[op](x, axis, keepDims);
  const c = tf.randomNormal(reduced.shape, 0, 1, 'float32', 4);
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf[op](v, axis, keepDims), c)))(x);
  const axes = tf.util.parseAxisParam(axis, shape);
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const n = axes.reduce((m, a) => m * shape[a], 1);
  const want = tf.div(tf.add(tf.zeros(shape), tf.reshape(c, kept)), op === 'mean' ? n : 1);
  expect(g.shape).toEqual(shape);
  return tf.max(tf.abs(tf.sub(g, want))).dataSync()[0];
  });
}

describe('Sum and Mean gradients (reduce-grads.ts)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on ${backend}: c broadcast back over the reduced axes, over one axis, several, a negative one and all, kept or not`, async () => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      for (const op of ['sum', 'mean'] as const) {
        expect(check(op, [2, 3, 4, 5], [0, 2, 3], true)).toBeLessThan(1e-6); // a batch norm's statistics
        expect(check(op, [2, 3, 4, 5], 1, false)).toBeLessThan(1e-6);
        expect(check(op, [6, 7], -1, false)).toBeLessThan(1e-6);
        expect(check(op, [6, 7], [0, 1], false)).toBeLessThan(1e-6);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
