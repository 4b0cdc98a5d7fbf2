import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { createKernelTimer, layerCost, mobilenetCost, PAPER_MOBILENETS, predictedRatio, separableBlockModel, separableParams, standardParams, sweepSteps } from './model';

describe('cost of one layer', () => {
  it('matches a hand count: D_K=3, M=2, N=4, D_F=5', () => {
    const c = layerCost({ k: 3, m: 2, n: 4, f: 5 });
    // standard: each of 25 outputs × 4 channels reads 3·3·2 inputs
    expect(c.standard).toBe(25 * 4 * 18);
    // depthwise: 25 outputs × 2 channels × 9 taps; pointwise: 25 outputs × 4 channels × 2 inputs
    expect(c.depthwise).toBe(25 * 2 * 9);
    expect(c.pointwise).toBe(25 * 4 * 2);
    expect(c.separable).toBe(650);
  });
  it('its ratio is 1/N + 1/D_K² at every shape, about 1/8 to 1/9 for 3×3 and 512 channels', () => {
    for (const s of [{ k: 3, m: 32, n: 64, f: 112 }, { k: 5, m: 7, n: 3, f: 9 }, { k: 1, m: 4, n: 4, f: 2 }]) {
      expect(layerCost(s).ratio).toBeCloseTo(predictedRatio(s.k, s.n), 12);
    }
    const r = 1 / layerCost({ k: 3, m: 512, n: 512, f: 14 }).ratio;
    expect(r).toBeGreaterThan(8);
    expect(r).toBeLessThan(9);
  });
  it('rejects shapes that are not whole positive numbers', () => {
    expect(() => layerCost({ k: 0, m: 1, n: 1, f: 1 })).toThrow(/D_K/);
    expect(() => layerCost({ k: 3, m: 1.5, n: 1, f: 1 })).toThrow(/M/);
  });
});

describe('a separable block as real tfjs layers', () => {
  it('holds D_K²·M + M·N weights, against D_K²·M·N for a standard layer', () => {
    const shape = { k: 3, m: 6, n: 10 };
    const model = separableBlockModel(shape, 4);
    try {
      expect(model.countParams()).toBe(separableParams(shape));
      expect(separableParams(shape)).toBe(9 * 6 + 60);
      expect(standardParams(shape)).toBe(540);
    } finally {
      model.dispose();
    }
  });
});

describe('MobileNet counted layer by layer', () => {
  it('reproduces the paper’s mult-adds and parameters for every α and resolution of Tables 6 and 7', () => {
    for (const row of PAPER_MOBILENETS) {
      const c = mobilenetCost(row.alpha, row.input);
      expect(Math.abs(c.macs / 1e6 - row.macsM)).toBeLessThan(1); // the paper rounds to whole millions
      expect(c.params / 1e6).toBeCloseTo(row.paramsM, 1);
    }
  });
  it('puts about 95 % of the mult-adds and 75 % of the parameters in the 1×1 convolutions (Table 2)', () => {
    const c = mobilenetCost();
    expect((100 * c.byKind.pointwise.macs) / c.macs).toBeCloseTo(94.86, 1);
    expect((100 * c.byKind.pointwise.params) / c.params).toBeCloseTo(74.59, 1);
    expect((100 * c.byKind.depthwise.macs) / c.macs).toBeCloseTo(3.06, 1);
    expect((100 * c.byKind.depthwise.params) / c.params).toBeCloseTo(1.06, 1);
    expect((100 * c.byKind.fc.params) / c.params).toBeCloseTo(24.33, 1);
    expect((100 * c.byKind.fc.macs) / c.macs).toBeCloseTo(0.18, 1);
  });
  it('gives the first 3×3 convolution 1.91 % of the mult-adds: Table 2 prints 1.19 %, which leaves its column short of 100', () => {
    const c = mobilenetCost();
    expect((100 * c.byKind.conv.macs) / c.macs).toBeCloseTo(1.91, 1);
    expect(94.86 + 3.06 + 1.19 + 0.18).toBeLessThan(99.5);
    expect(94.86 + 3.06 + 1.91 + 0.18).toBeCloseTo(100, 1);
  });
  it('scales by about α² and ρ²', () => {
    const full = mobilenetCost(1, 224).macs;
    expect(mobilenetCost(0.5, 224).macs / full).toBeGreaterThan(0.24);
    expect(mobilenetCost(0.5, 224).macs / full).toBeLessThan(0.3);
    expect(mobilenetCost(1, 112).macs / full).toBeCloseTo(0.25, 1);
  });
});

describe('the kernel timer', () => {
  it('returns finite positive medians per shape, keeps the tensor count flat across steps and frees all on dispose', async () => {
    const before = tf.memory().numTensors;
    const timer = createKernelTimer({ k: 3, f: 4, channels: [2, 4], repeats: 2 });
    const first = await timer.step(0);
    expect(first.rows.map((r) => r.samples)).toEqual([0, 0]);
    expect(first.rows[1].predicted).toBeCloseTo(1 / (1 / 4 + 1 / 9), 12);
    await timer.step(1);
    const held = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await timer.step(1);
      expect(tf.memory().numTensors).toBe(held);
    }
    const last = await timer.step(sweepSteps(2, 2));
    expect(last.done).toBe(true);
    expect(last.steps).toBe(sweepSteps(2, 2));
    for (const r of last.rows) {
      expect(r.samples).toBe(2);
      for (const v of [r.standardMs, r.separableMs, r.depthwiseMs, r.measured]) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
    }
    timer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('takes the median of its samples, read from the clock it is given', async () => {
    // Durations per timed run: standard, separable, depthwise; a warm-up then two samples.
    const durations = [5, 1, 1, 9, 2, 1, 7, 4, 1];
    let calls = 0;
    let t = 0;
    const now = () => (calls++ % 2 === 0 ? t : (t += durations[(calls - 2) / 2]));
    const timer = createKernelTimer({ k: 3, f: 2, channels: [2], repeats: 2, now });
    const f = await timer.step(9); // one path per step
    timer.dispose();
    expect(f.rows[0].standardMs).toBe(8);
    expect(f.rows[0].separableMs).toBe(3);
    expect(f.rows[0].measured).toBeCloseTo(8 / 3, 12);
  });
});
