import { describe, expect, it } from 'vitest';
import { makeData } from './moons';

describe('two-moons data', () => {
  it('is seeded, balanced, and its test set does not depend on the training-set size', () => {
    const a = makeData(4, { nTrain: 60 });
    const b = makeData(4, { nTrain: 60 });
    const c = makeData(4, { nTrain: 100 });
    expect(Array.from(a.train.x)).toEqual(Array.from(b.train.x));
    expect(Array.from(a.test.x)).toEqual(Array.from(c.test.x));
    expect(Array.from(makeData(5).train.x)).not.toEqual(Array.from(a.train.x));
    expect(a.train.n).toBe(60);
    expect(a.test.n).toBe(1000);
    expect(a.train.x.length).toBe(120);
  });

  it('flips labels at the requested rate and jitters points by the requested noise', () => {
    const n = 20000;
    const d = makeData(1, { nTrain: n, nTest: 2, noise: 0, flip: 0.1 });
    // Classes alternate by index, so a label that differs from i mod 2 was flipped.
    let flipped = 0;
    for (let i = 0; i < n; i++) if (d.train.y[i] !== i % 2) flipped++;
    expect(Math.abs(flipped / n - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / n));
    // With no jitter, class-0 points lie on the unit circle centred at (−½, −¼).
    for (let i = 0; i < 200; i += 2) {
      expect(Math.hypot(d.train.x[2 * i] + 0.5, d.train.x[2 * i + 1] + 0.25)).toBeCloseTo(1, 5);
    }
  });
});
