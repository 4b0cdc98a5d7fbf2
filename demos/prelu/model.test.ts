import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { sliceDigits } from '../runtime/data/idx';
import { prelu } from '../runtime/models/stacked-mlp';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createPreluRun, LEAKY_SLOPE, preluAt, preluDerivative, slopeGradient, type Digits } from './model';

describe('PReLU', () => {
  it('is ReLU at a = 0, leaky ReLU at a = 0.01, the identity at a = 1, and has derivative 1 or a', () => {
    for (const y of [-2, -0.5, 0, 0.7, 3]) {
      expect(preluAt(y, 0)).toBe(Math.max(0, y));
      expect(preluAt(y, LEAKY_SLOPE)).toBeCloseTo(y > 0 ? y : 0.01 * y, 12);
      expect(preluAt(y, 1)).toBeCloseTo(y, 12);
      const h = 1e-6;
      if (y !== 0) expect(preluDerivative(y, 0.3)).toBeCloseTo((preluAt(y + h, 0.3) - preluAt(y - h, 0.3)) / (2 * h), 6);
    }
    // ∂f/∂a = min(0, y): finite differences in a.
    expect((preluAt(-1.5, 0.3 + 1e-6) - preluAt(-1.5, 0.3 - 1e-6)) / 2e-6).toBeCloseTo(-1.5, 6);
    expect((preluAt(2, 0.3 + 1e-6) - preluAt(2, 0.3 - 1e-6)) / 2e-6).toBeCloseTo(0, 6);
  });

  it('slope gradient Σ min(0, y)·g per channel (or shared) is what tfjs differentiates through the stacked prelu', () => {
    // 3 positions × 2 channels, row-major.
    const y = [-1, 2, 0.5, -3, -2, -0.5];
    const g = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    expect(Array.from(slopeGradient(y, g, 2))).toEqual([-1 * 0.1 + -2 * 0.5, -3 * 0.4 + -0.5 * 0.6].map((v) => expect.closeTo(v, 12)));
    expect(slopeGradient(y, g, 2, true)[0]).toBeCloseTo(-0.1 - 1.2 - 1.0 - 0.3, 12);
    const before = tf.memory().numTensors;
    const grads = tf.tidy(() => {
      const yt = tf.tensor3d(y, [1, 3, 2]);
      const gt = tf.tensor3d(g, [1, 3, 2]);
      const channel = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(prelu(yt, a), gt)))(tf.tensor3d([0.25, 0.25], [1, 1, 2]));
      const shared = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(prelu(yt, a), gt)))(tf.tensor3d([0.25], [1, 1, 1]));
      return [Array.from(channel.dataSync()), Array.from(shared.dataSync())];
    });
    expect(tf.memory().numTensors).toBe(before);
    grads[0].forEach((v, c) => expect(v).toBeCloseTo(slopeGradient(y, g, 2)[c], 5));
    expect(grads[1][0]).toBeCloseTo(slopeGradient(y, g, 2, true)[0], 5);
    expect(() => slopeGradient([1, 2, 3], [1, 2, 3], 2)).toThrow(/channels/);
  });
});

describe('the PReLU demo on wasm', () => {
  let digits: Digits;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    digits = { train: sliceDigits(loadMnistNode('train'), 0, 5000), test: sliceDigits(loadMnistNode('test'), 0, 500) };
  });
  afterAll(() => tf.setBackend('cpu'));

  // A 20-step run that checks the mechanism. The page's numbers (400 steps) come from `npm run reproduce -- prelu`
  // (scripts/reproduce-results.ts).
  it('trains the three nets alike; the PReLU slopes spread out from 0.25 both ways, their means barely moving; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const run = createPreluRun({ total: 20 }, digits);
    const start = await run.step(0);
    const counted = tf.memory().numTensors;
    const f = await run.step(20);
    expect(f.steps).toBe(20);
    expect(f.measuredAt).toBe(20);
    expect(tf.memory().numTensors).toBe(counted);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    // The same start: every slope at its initial 0.25.
    start.slopes.forEach((a) => a.forEach((v) => expect(v).toBeCloseTo(0.25, 6)));
    // Measured after 20 steps: 72.4, 73.2, 73.0 %; slopes 0.226–0.288 and 0.227–0.287, means 0.265 and 0.261, with
    // 3 of 64 in each layer still within 0.001 of 0.25.
    const acc = Array.from(f.accuracy!);
    for (const x of acc) expect(x).toBeGreaterThan(0.6);
    expect(Math.max(...acc) - Math.min(...acc)).toBeLessThan(0.02);
    for (const a of f.slopes) {
      expect(a).toHaveLength(run.config.width);
      expect(Math.min(...a)).toBeLessThan(0.24);
      expect(Math.max(...a)).toBeGreaterThan(0.27);
      expect(a.filter((v) => Math.abs(v - 0.25) > 1e-3).length).toBeGreaterThan(0.9 * a.length);
      expect(Math.abs(mean(a) - 0.25)).toBeLessThan(0.03);
    }
  }, 60_000);
});
