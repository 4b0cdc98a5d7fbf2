import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { DIMENSIONS, invertedResidualCost, lostProbability, randomEmbedding, roundTrips, separableCost, spiral } from './model';

describe('the spiral experiment', () => {
  const points = spiral(200);

  it('is a spiral from radius 0.1 to 1, and T is seeded', () => {
    expect(Math.hypot(points[0], points[1])).toBeCloseTo(0.1, 6);
    expect(Math.hypot(points[398], points[399])).toBeCloseTo(1, 6);
    expect(Array.from(randomEmbedding(5, 3))).toEqual(Array.from(randomEmbedding(5, 3)));
    expect(Array.from(randomEmbedding(5, 3))).not.toEqual(Array.from(randomEmbedding(5, 4)));
  });

  it('loses a point with probability (n + 1)/2ⁿ: ¾ at n = 2, ½ at n = 3, 3/16 at n = 5', () => {
    expect([2, 3, 5].map(lostProbability)).toEqual([0.75, 0.5, 0.1875]);
    expect(lostProbability(30)).toBeLessThan(1e-7);
  });

  it('without an activation, every n brings the spiral back exactly and loses nothing', async () => {
    for (const r of await roundTrips(points, DIMENSIONS, 1, 'linear')) {
      expect(r.lost).toBe(0);
      expect(r.exactError).toBeLessThan(1e-4);
      let err = 0;
      for (let i = 0; i < points.length; i++) err = Math.max(err, Math.abs(r.pseudo[i] - points[i]));
      expect(err).toBeLessThan(1e-4);
    }
  });

  it('through ReLU: counts the positive coordinates, recovers the survivors exactly, and loses (n + 1)/2ⁿ on average over T', async () => {
    const before = tf.memory().numTensors;
    const seeds = 40;
    const lost = new Map<number, number>();
    for (let s = 1; s <= seeds; s++) {
      const trips = await roundTrips(points, DIMENSIONS, s, 'relu');
      for (const r of trips) {
        lost.set(r.n, (lost.get(r.n) ?? 0) + r.lost / seeds);
        expect(r.exactError).toBeLessThan(1e-2); // float32 rounding, largest where two active rows are nearly parallel
        // The active count, recomputed here from T.
        const T = randomEmbedding(r.n, s);
        for (const i of [0, 57, 199]) {
          let pos = 0;
          for (let j = 0; j < r.n; j++) if (T[2 * j] * points[2 * i] + T[2 * j + 1] * points[2 * i + 1] > 0) pos++;
          expect(r.active[i]).toBe(pos);
          expect(Number.isNaN(r.exact[2 * i])).toBe(pos < 2);
        }
      }
    }
    for (const n of [2, 3, 5]) expect(Math.abs(lost.get(n)! - lostProbability(n))).toBeLessThan(0.06);
    expect(lost.get(15)!).toBeLessThan(0.01);
    expect(lost.get(30)).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('at n = 30 the pseudo-inverse returns about half the spiral: T⁺·ReLU(Tx) ≈ x/2 for many Gaussian rows', async () => {
    const [r] = await roundTrips(points, [30], 2, 'relu');
    let off = 0;
    let norm = 0;
    for (let i = 0; i < points.length; i++) {
      off += (r.pseudo[i] - points[i] / 2) ** 2;
      norm += (points[i] / 2) ** 2;
    }
    expect(Math.sqrt(off / norm)).toBeLessThan(0.35);
    const [low] = await roundTrips(points, [2], 2, 'relu');
    let offLow = 0;
    for (let i = 0; i < points.length; i++) offLow += (low.pseudo[i] - points[i] / 2) ** 2;
    expect(Math.sqrt(offLow / norm)).toBeGreaterThan(Math.sqrt(off / norm));
  });
});

describe('block cost', () => {
  const shape = { h: 14, cin: 64, cout: 96, t: 6, k: 3 };
  it('follows h²·d′·t·(d′ + k² + d″) and equals the trainable parameters of the block built from tf layers', () => {
    const c = invertedResidualCost(shape);
    expect(c.macs).toBe(14 * 14 * 64 * 6 * (64 + 9 + 96));
    expect(c.params).toBe(64 * 384 + 9 * 384 + 384 * 96);
    const input = tf.input({ shape: [14, 14, 64] });
    let x = tf.layers.conv2d({ filters: 384, kernelSize: 1, useBias: false }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 96, kernelSize: 1, useBias: false }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: x });
    expect(model.countParams()).toBe(c.params);
    model.dispose();
  });
  it('against MobileNet V1’s separable block with the same ends', () => {
    const s = separableCost(shape);
    expect(s.params).toBe(9 * 64 + 64 * 96);
    expect(s.macs).toBe(196 * s.params);
    expect(invertedResidualCost({ ...shape, t: 1 }).params).toBeGreaterThan(s.params); // the extra 1×1
  });
});
