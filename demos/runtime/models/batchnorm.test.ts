import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { gaussian, mulberry32 } from '../random';
import { BatchNorm, batchNormBackward, batchNormInfer, batchNormTrain, countOver, updateRunning } from './batchnorm';

const rng = mulberry32(7);
/** Seeded values with mean `mu` and std `sd` (features of very different scales, as a raw layer's are). */
const normals = (n: number, mu = 0, sd = 1) => Float32Array.from({ length: n }, () => mu + sd * gaussian(rng));

/** Per-column mean and (biased) variance of a row-major [rows, cols] array, in float64. */
function columnStats(a: ArrayLike<number>, rows: number, cols: number) {
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += a[r * cols + c] / rows;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) variance[c] += (a[r * cols + c] - mean[c]) ** 2 / rows;
  return { mean, variance };
}

describe('batch normalization, training mode', () => {
  it('gives every feature mean 0 and variance 1 over the mini-batch (γ = 1, β = 0), whatever the input’s scale', async () => {
    const m = 32;
    const n = 5;
    const raw = new Float32Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) raw[i * n + j] = 3 * j - 4 + (j + 1) ** 2 * gaussian(rng);
    const x = tf.tensor2d(raw, [m, n]);
    const [g, b] = [tf.ones([n]), tf.zeros([n])];
    const { y, mean, variance } = batchNormTrain(x, g, b);
    const out = columnStats(await y.data(), m, n);
    const ref = columnStats(raw, m, n);
    const [mu, v] = [await mean.data(), await variance.data()];
    for (let j = 0; j < n; j++) {
      expect(Math.abs(out.mean[j])).toBeLessThan(1e-5);
      // 1 − ε/(σ² + ε): the ε in the denominator keeps the variance just under 1.
      expect(out.variance[j]).toBeCloseTo(ref.variance[j] / (ref.variance[j] + 1e-5), 4);
      expect(mu[j]).toBeCloseTo(ref.mean[j], 4);
      expect(v[j] / ref.variance[j]).toBeCloseTo(1, 4); // the biased variance, 1/m
    }
    tf.dispose([x, g, b, y, mean, variance]);
  });

  it('γ and β set each feature’s mean and standard deviation', async () => {
    const x = tf.tensor2d(normals(64 * 3, 5, 2), [64, 3]);
    const g = tf.tensor1d([0.5, 2, 3]);
    const b = tf.tensor1d([-1, 0, 4]);
    const { y, mean, variance } = batchNormTrain(x, g, b);
    const s = columnStats(await y.data(), 64, 3);
    [-1, 0, 4].forEach((beta, j) => expect(s.mean[j]).toBeCloseTo(beta, 4));
    [0.5, 2, 3].forEach((gamma, j) => expect(Math.sqrt(s.variance[j])).toBeCloseTo(gamma, 3));
    tf.dispose([x, g, b, y, mean, variance]);
  });

  it('for a convolution’s [m, p, q, c] maps, one mean and variance per channel over all m·p·q positions', async () => {
    const [m, p, q, c] = [4, 5, 6, 3];
    const raw = normals(m * p * q * c, 2, 3);
    const x = tf.tensor4d(raw, [m, p, q, c]);
    const [g, b] = [tf.ones([c]), tf.zeros([c])];
    const { y, mean, variance } = batchNormTrain(x, g, b, [0, 1, 2]);
    expect(mean.shape).toEqual([1, 1, 1, c]);
    expect(countOver(x.shape, [0, 1, 2])).toBe(120);
    const ref = columnStats(raw, m * p * q, c); // channels last: rows are the 120 positions
    const out = columnStats(await y.data(), m * p * q, c);
    const mu = await mean.data();
    for (let k = 0; k < c; k++) {
      expect(mu[k]).toBeCloseTo(ref.mean[k], 4);
      expect(Math.abs(out.mean[k])).toBeLessThan(1e-5);
      expect(out.variance[k]).toBeCloseTo(1, 4);
    }
    tf.dispose([x, g, b, y, mean, variance]);
  });

  it('refuses statistics over a single value', () => {
    const x = tf.ones([1, 4]);
    expect(() => batchNormTrain(x, tf.ones([4]), tf.zeros([4]))).toThrow(/at least two/);
    x.dispose();
  });
});

describe('the backward pass (Ioffe & Szegedy’s chain rule, written out)', () => {
  const m = 6;
  const n = 3;
  const xs = normals(m * n, 1, 2);
  const rs = normals(m * n); // ℓ = Σ r·y: then ∂ℓ/∂y = r
  const gs = Float32Array.from([0.7, 1.3, -0.4]);
  const bs = Float32Array.from([0.2, -0.1, 0.5]);
  const lossAt = (x: Float32Array, g = gs, b = bs) =>
    tf.tidy(() => tf.sum(tf.mul(tf.tensor2d(rs, [m, n]), batchNormTrain(tf.tensor2d(x, [m, n]), tf.tensor1d(g), tf.tensor1d(b)).y)).dataSync()[0]);

  it('matches central finite differences of the loss for x, γ and β', async () => {
    const before = tf.memory().numTensors;
    const { dx, dgamma, dbeta } = tf.tidy(() => batchNormBackward(tf.tensor2d(rs, [m, n]), tf.tensor2d(xs, [m, n]), tf.tensor1d(gs)));
    const [gx, gg, gb] = [await dx.data(), await dgamma.data(), await dbeta.data()];
    tf.dispose([dx, dgamma, dbeta]);
    expect(tf.memory().numTensors).toBe(before);
    const h = 1e-2;
    const fd = (f: (d: number) => number) => (f(h) - f(-h)) / (2 * h);
    const bump = (a: Float32Array, i: number, d: number) => {
      const c = a.slice();
      c[i] += d;
      return c;
    };
    for (let i = 0; i < m * n; i++) expect(gx[i], `∂ℓ/∂x[${i}]`).toBeCloseTo(fd((d) => lossAt(bump(xs, i, d))), 2);
    for (let j = 0; j < n; j++) {
      expect(gg[j], `∂ℓ/∂γ[${j}]`).toBeCloseTo(fd((d) => lossAt(xs, bump(gs, j, d))), 2);
      expect(gb[j], `∂ℓ/∂β[${j}]`).toBeCloseTo(fd((d) => lossAt(xs, gs, bump(bs, j, d))), 2);
    }
    // The gradient with respect to x sums to zero per feature: a shift of a whole column changes nothing.
    const col = columnStats(gx, m, n);
    for (let j = 0; j < n; j++) expect(Math.abs(col.mean[j])).toBeLessThan(1e-5);
  });

  it('agrees with tfjs’s autodiff through the forward ops, for dense and convolutional shapes', async () => {
    for (const [shape, axes] of [
      [[8, 4], [0]],
      [[2, 3, 3, 4], [0, 1, 2]],
    ] as [number[], number[]][]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const c = shape[shape.length - 1];
      const x = tf.tensor(normals(size, -1, 3), shape);
      const r = tf.tensor(normals(size), shape);
      const g = tf.tensor1d(normals(c, 1, 0.5));
      const b = tf.tensor1d(normals(c));
      const auto = tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(r, batchNormTrain(xx, gg, bb, axes).y)))([x, g, b]);
      const mine = batchNormBackward(r, x, g, axes);
      const pairs: [tf.Tensor, tf.Tensor][] = [
        [mine.dx, auto[0]],
        [mine.dgamma, auto[1]],
        [mine.dbeta, auto[2]],
      ];
      for (const [a, e] of pairs) {
        expect(a.shape).toEqual(e.shape);
        const [av, ev] = [await a.data(), await e.data()];
        av.forEach((v, i) => expect(Math.abs(v - ev[i])).toBeLessThan(1e-4 * (1 + Math.abs(ev[i]))));
      }
      tf.dispose([x, r, g, b, ...auto, mine.dx, mine.dgamma, mine.dbeta]);
    }
  });
});

describe('inference statistics', () => {
  it('the running variance takes the unbiased m/(m − 1) batch variance', async () => {
    const m = 4;
    const x = tf.tensor2d([1, 10, 2, 20, 3, 30, 6, 60], [m, 2]);
    const { mean, variance } = tf.moments(x, 0);
    const r = { mean: tf.zeros([2]), variance: tf.ones([2]) };
    const next = updateRunning(r, { mean, variance }, m, 1); // momentum 1: the batch's own estimate
    const [mu, v] = [await next.mean.data(), await next.variance.data()];
    expect(Array.from(mu)).toEqual([3, 30]);
    // Σ(x − 3)² = 4 + 1 + 0 + 9 = 14: biased 14/4, unbiased 14/3.
    expect(v[0]).toBeCloseTo(14 / 3, 5);
    expect(v[1]).toBeCloseTo(1400 / 3, 3);
    expect(() => updateRunning(r, { mean, variance }, 1)).toThrow(/m ≥ 2/);
    tf.dispose([x, mean, variance, r.mean, r.variance, next.mean, next.variance]);
  });

  it('a BatchNorm layer learns the population’s statistics and uses them at inference, one example at a time', async () => {
    const before = tf.memory().numTensors;
    const bn = new BatchNorm(2, { momentum: 0.05 });
    for (let s = 0; s < 300; s++) {
      const xb = tf.tensor2d(Float32Array.from({ length: 32 * 2 }, (_, i) => (i % 2 ? 10 + 0.5 * gaussian(rng) : -3 + 2 * gaussian(rng))), [32, 2]);
      tf.dispose([bn.forward(xb, true), xb]);
    }
    const [mu, v] = [await bn.runningMean.data(), await bn.runningVar.data()];
    expect(mu[0]).toBeCloseTo(-3, 0);
    expect(mu[1]).toBeCloseTo(10, 1);
    expect(v[0] / 4).toBeGreaterThan(0.8);
    expect(v[0] / 4).toBeLessThan(1.2);
    expect(v[1] / 0.25).toBeGreaterThan(0.8);
    expect(v[1] / 0.25).toBeLessThan(1.2);
    // Inference: each example normalised with the running statistics, the same alone or in any batch.
    const pair = tf.tensor2d([-3, 10, 1, 11], [2, 2]);
    const one = tf.tensor2d([1, 11], [1, 2]);
    const outs = [bn.forward(pair, false), bn.forward(one, false), batchNormInfer(one, bn.runningMean, bn.runningVar, bn.gamma, bn.beta)];
    const [yPair, yOne, expected] = await Promise.all(outs.map((o) => o.data()));
    expect(yOne[0]).toBeCloseTo(yPair[2], 6);
    expect(yOne[1]).toBeCloseTo(yPair[3], 6);
    expect(yOne[0]).toBeCloseTo((1 - mu[0]) / Math.sqrt(v[0] + 1e-5), 5);
    expect(yOne[1]).toBeCloseTo(expected[1], 6);
    // The running statistics do not move at inference.
    expect((await bn.runningMean.data())[0]).toBe(mu[0]);
    tf.dispose([pair, one, ...outs]);
    bn.dispose();
    bn.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
