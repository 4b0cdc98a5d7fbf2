import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createSmoothRun, crossEntropyOf, optimalLogitGap, reliability, smoothTarget, type Digits } from './model';

describe('smoothed targets', () => {
  it('put 1 − ε + ε/K on the label and ε/K on every other class, for every example', () => {
    expect(Array.from(smoothTarget(2, 4, 0.2))).toEqual([0.05, 0.05, 0.85, 0.05].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(smoothTarget(0, 3, 0))).toEqual([1, 0, 0]);
    expect(smoothTarget(7, 10, 0.1).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(() => smoothTarget(0, 10, 1.5)).toThrow(/ε/);
  });
  it('give a cross-entropy that is (1 − ε)·CE(one-hot) + ε·CE(uniform)', () => {
    const z = [1.5, -0.3, 0.2, 2.0, -1.1];
    const eps = 0.3;
    const hard = crossEntropyOf(z, smoothTarget(3, 5, 0));
    const uniform = crossEntropyOf(z, new Array(5).fill(1 / 5));
    expect(crossEntropyOf(z, smoothTarget(3, 5, eps))).toBeCloseTo((1 - eps) * hard + eps * uniform, 12);
    // Hand check: logits (0, 0) against (1, 0) cost log 2.
    expect(crossEntropyOf([0, 0], [1, 0])).toBeCloseTo(Math.LN2, 12);
  });
});

describe('the optimal logit gap', () => {
  it('is log(1 + K(1 − ε)/ε): log 91 ≈ 4.51 for K = 10, ε = 0.1; log 9001 ≈ 9.10 for ImageNet’s K = 1000', () => {
    expect(optimalLogitGap(10, 0.1)).toBeCloseTo(Math.log(91), 12);
    expect(optimalLogitGap(1000, 0.1)).toBeCloseTo(Math.log(9001), 12);
    expect(optimalLogitGap(10, 0)).toBe(Infinity);
    expect(optimalLogitGap(10, 1)).toBe(0); // ε = 1: the uniform target, no gap at all
    // Spreading ε over the K − 1 wrong classes only (the label keeps 1 − ε) is the uniform mixture with εK/(K − 1):
    // gap log((1 − ε)(K − 1)/ε) = log 81 ≈ 4.39 for K = 10, ε = 0.1.
    expect(optimalLogitGap(10, (0.1 * 10) / 9)).toBeCloseTo(Math.log(81), 12);
    expect(Math.log(81)).toBeCloseTo(4.39, 2);
  });
  it('matches a numerical minimisation of the smoothed loss over the gap (gradient descent on all K logits)', () => {
    for (const [K, eps] of [[10, 0.1], [10, 0.3], [5, 0.05]] as const) {
      const q = smoothTarget(0, K, eps);
      const z = new Array<number>(K).fill(0);
      // ∂CE/∂z = softmax(z) − q; the loss is convex in z, so plain descent converges.
      for (let it = 0; it < 20000; it++) {
        const m = Math.max(...z);
        const e = z.map((v) => Math.exp(v - m));
        const s = e.reduce((a, b) => a + b, 0);
        for (let k = 0; k < K; k++) z[k] -= 0.5 * (e[k] / s - q[k]);
      }
      for (let j = 1; j < K; j++) expect(z[0] - z[j]).toBeCloseTo(optimalLogitGap(K, eps), 6);
      // And no other gap does better: nudging it either way raises the loss.
      const at = (g: number) => crossEntropyOf([g, ...new Array(K - 1).fill(0)], q);
      const g = optimalLogitGap(K, eps);
      expect(at(g)).toBeLessThan(at(g + 0.01));
      expect(at(g)).toBeLessThan(at(g - 0.01));
    }
  });
});

describe('reliability and ECE', () => {
  it('bins by confidence into ((b−1)/B, b/B] and weighs each bin’s |accuracy − confidence| by its share', () => {
    // Bin 0.9: confidences 0.95, 0.95 with one right; bin 0.6: 0.55 right, 0.55 right.
    const r = reliability([0.95, 0.95, 0.55, 0.55], [1, 0, 1, 1], 10);
    expect(Array.from(r.count)).toEqual([0, 0, 0, 0, 0, 2, 0, 0, 0, 2]);
    expect(r.accuracy[9]).toBeCloseTo(0.5, 12);
    expect(r.confidence[5]).toBeCloseTo(0.55, 12);
    expect(Number.isNaN(r.accuracy[0])).toBe(true);
    // ECE = ½·|0.5 − 0.95| + ½·|1 − 0.55| = 0.45.
    expect(r.ece).toBeCloseTo(0.45, 12);
    // A boundary value goes to the lower bin; 0 to the first.
    expect(Array.from(reliability([0.5, 0], [1, 0], 2).count)).toEqual([2, 0]);
  });
  it('is zero when every bin’s accuracy equals its confidence', () => {
    expect(reliability([0.75, 0.75, 0.75, 0.75, 1], [1, 1, 1, 0, 1], 4).ece).toBeCloseTo(0, 12);
  });
});

// A 60-step run that checks the mechanism. The page's numbers (600 steps at ε = 0.1, 0.02 and 0.3) come from
// `npm run reproduce -- label-smoothing` (scripts/reproduce-results.ts).
describe('the label-smoothing demo on wasm', () => {
  let digits: Digits;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    digits = { train: sliceDigits(loadMnistNode('train'), 0, 5000), test: sliceDigits(loadMnistNode('test'), 0, 500) };
  });
  afterAll(() => tf.setBackend('cpu'));

  it('after 60 steps both nets are about as accurate, the smoothed one less confident, its gap settled near the optimum; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const run = createSmoothRun({ total: 60 }, digits);
    const start = await run.step(0);
    const counted = tf.memory().numTensors;
    const at40 = await run.step(40);
    expect(at40.measuredAt).toBe(40);
    const f = await run.step(20);
    expect(f.steps).toBe(60);
    expect(tf.memory().numTensors).toBe(counted);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Same weights at the start: the same predictions.
    expect(start.test![0].confidence).toBeCloseTo(start.test![1].confidence, 6);
    // Measured: 85.2 % and 85.6 % right, confidence 82.1 % and 70.9 %, gap 6.7 and 4.1.
    const [hard, smooth] = f.test!;
    expect(hard.accuracy).toBeGreaterThan(0.8);
    expect(Math.abs(hard.accuracy - smooth.accuracy)).toBeLessThan(0.03);
    expect(smooth.confidence).toBeLessThan(hard.confidence - 0.05);
    expect(smooth.gap).toBeLessThan(hard.gap);
    // The smoothed net's gap has already settled near the optimum log 91 ≈ 4.51 (measured: max logit minus the mean
    // of the others, over right and wrong digits alike, so a little below); the hard net's is still growing.
    expect(Math.abs(smooth.gap / optimalLogitGap(10, 0.1) - 1)).toBeLessThan(0.15);
    expect(Math.abs(smooth.gap - at40.test![1].gap)).toBeLessThan(0.2);
    expect(hard.gap - at40.test![0].gap).toBeGreaterThan(0.5);
    // Its confidence stays below the target's top 1 − ε + ε/K = 0.91 and below its accuracy: under-confident,
    // and so worse calibrated than the hard net, which on this small net tracks its accuracy.
    expect(smooth.confidence).toBeLessThan(0.91);
    expect(smooth.confidence).toBeLessThan(smooth.accuracy);
    expect(smooth.reliability.ece).toBeGreaterThan(hard.reliability.ece);
  }, 60_000);
});
