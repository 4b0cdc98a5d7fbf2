import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { shufflePermutation } from '../runtime/models/grouped';
import { createGuidelineTimer, shuffledChannels, flops1x1, G1_CASES, G2_CASES, guidelineCases, guidelineSteps, mac1x1, macLowerBound, PAPER_SHUFFLENET, shufflenetCost, STAGE2_CHANNELS, unitCost } from './model';

describe('ShuffleNet’s cost', () => {
  it('a unit costs hw(2cm/g + 9m), against ResNet’s hw(2cm + 9m²) and ResNeXt’s hw(2cm + 9m²/g)', () => {
    const u = unitCost(240, 60, 3, 28);
    expect(u.resnet).toBe(784 * (2 * 240 * 60 + 9 * 3600));
    expect(u.resnext).toBe(784 * (2 * 240 * 60 + 3 * 3600));
    expect(u.shufflenet).toBe(784 * (9600 + 540));
    expect(u.shufflenet).toBeLessThan(u.resnext);
    expect(unitCost(240, 60, 1, 28).resnext).toBe(u.resnet);
  });

  it('counts ShuffleNet 1×’s convolutions to the paper’s Table 1 complexity for g = 1, 2, 3, 4, 8, to its rounding', () => {
    for (const row of PAPER_SHUFFLENET) {
      const c = shufflenetCost(row.g);
      expect(Math.abs(c.convMacs / 1e6 - row.mflops)).toBeLessThanOrEqual(0.51);
      // with the 1000-way classifier the count is 0.6 to 1.5 million more
      expect(c.macs - c.convMacs).toBe(STAGE2_CHANNELS[row.g] * 4 * 1000);
    }
    // the notes' table: counted convolutions and the same widths with dense 1×1 layers, classifier left out
    const notes = { 1: [142.5, 142.5], 2: [140.0, 265.0], 3: [136.5, 376.6], 4: [133.3, 480.3], 8: [136.8, 944.5] } as const;
    for (const [g, [conv, dense]] of Object.entries(notes)) {
      const c = shufflenetCost(Number(g));
      expect(Math.abs(c.convMacs / 1e6 - conv)).toBeLessThan(0.05);
      expect(Math.abs((c.macsUngrouped - (c.macs - c.convMacs)) / 1e6 - dense)).toBeLessThan(0.05);
    }
  });

  it('groups are what keeps the wider networks cheap: the same widths with dense 1×1 layers cost far more', () => {
    const g8 = shufflenetCost(8);
    expect(g8.macsUngrouped / g8.macs).toBeGreaterThan(5);
    const g1 = shufflenetCost(1);
    expect(g1.macsUngrouped).toBe(g1.macs);
    expect(() => shufflenetCost(5)).toThrow(/Table 1/);
  });
});

describe('ShuffleNet V2’s memory access cost', () => {
  it('MAC = hw(c1 + c2) + c1c2/g, its bound 2√(hwB) + B/hw is reached at c1 = c2 and exceeded otherwise', () => {
    expect(mac1x1(2, 3, 4, 5)).toBe(6 * 9 + 20);
    const b = flops1x1(28, 28, 128, 128);
    expect(mac1x1(28, 28, 128, 128)).toBeCloseTo(macLowerBound(28, 28, b), 6);
    for (const c of G1_CASES.slice(1)) {
      expect(mac1x1(28, 28, c.c1, c.c2)).toBeGreaterThan(macLowerBound(28, 28, flops1x1(28, 28, c.c1, c.c2)));
    }
  });

  it('the paper’s cases hold the FLOPs within 6 % while MAC grows with the ratio (G1) and with the groups (G2)', () => {
    for (const cases of [G1_CASES, G2_CASES]) {
      const f = cases.map((c) => flops1x1(56, 56, c.c1, c.c2, c.g));
      for (const v of f) expect(Math.abs(v / f[0] - 1)).toBeLessThan(0.06);
      const m = cases.map((c) => mac1x1(56, 56, c.c1, c.c2, c.g));
      for (let i = 1; i < m.length; i++) expect(m[i]).toBeGreaterThan(m[i - 1]);
    }
    for (const c of guidelineCases('g2', 0.5)) expect(c.c1 % c.g).toBe(0);
  });
});

describe('the guideline timer', () => {
  it('times every case with real kernels, keeps the tensor count flat across steps, and frees all', async () => {
    const before = tf.memory().numTensors;
    const timer = createGuidelineTimer({ guideline: 'g2', side: 2, scale: 0.1, repeats: 1 });
    const first = await timer.step(0);
    expect(first.rows.map((r) => r.g)).toEqual([1, 2, 4, 8]);
    expect(first.rows.every((r) => Number.isNaN(r.ms))).toBe(true);
    await timer.step(1);
    const held = tf.memory().numTensors;
    const last = await timer.step(guidelineSteps(1));
    expect(tf.memory().numTensors).toBe(held);
    expect(last.done).toBe(true);
    for (const r of last.rows) expect(r.ms).toBeGreaterThan(0);
    timer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the shuffle on a real map', () => {
  it('moves channel values as shufflePermutation says, and frees what it makes', () => {
    const before = tf.memory().numTensors;
    expect(shuffledChannels(12, 3)).toEqual(shufflePermutation(12, 3));
    expect(shuffledChannels(6, 1)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
