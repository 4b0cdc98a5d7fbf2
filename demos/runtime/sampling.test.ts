import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random';
import { sampleBatches } from './sampling';

describe('sampleBatches', () => {
  it('draws sorted batches of distinct indices, reproducibly from the seed', () => {
    const a = sampleBatches(50, 7, 100, mulberry32(1));
    expect(Array.from(a)).toEqual(Array.from(sampleBatches(50, 7, 100, mulberry32(1))));
    expect(Array.from(a)).not.toEqual(Array.from(sampleBatches(50, 7, 100, mulberry32(2))));
    for (let c = 0; c < 100; c++) {
      const b = Array.from(a.subarray(7 * c, 7 * c + 7));
      for (let j = 1; j < 7; j++) expect(b[j]).toBeGreaterThan(b[j - 1]); // sorted and distinct
      expect(b[0]).toBeGreaterThanOrEqual(0);
      expect(b[6]).toBeLessThan(50);
    }
  });

  it('includes every index with probability B/N, and pairs with the without-replacement probability', () => {
    const n = 10, B = 4, count = 20000;
    const a = sampleBatches(n, B, count, mulberry32(3));
    const hits = new Array<number>(n).fill(0);
    let pair01 = 0;
    for (let c = 0; c < count; c++) {
      const b = a.subarray(B * c, B * c + B);
      for (const i of b) hits[i]++;
      if (b.includes(0) && b.includes(1)) pair01++;
    }
    const p = B / n;
    for (const h of hits) expect(Math.abs(h / count - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / count));
    // Both 0 and 1 in a batch: (B/N)·((B − 1)/(N − 1)) = 0.4·(3/9); with replacement it would differ.
    const q = (B / n) * ((B - 1) / (n - 1));
    expect(Math.abs(pair01 / count - q)).toBeLessThan(4.5 * Math.sqrt((q * (1 - q)) / count));
    expect(Array.from(sampleBatches(5, 5, 3, mulberry32(1)))).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(() => sampleBatches(5, 6, 1, mulberry32(1))).toThrow(/batch size/);
  });
});
