import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random';
import { rowSampler, sampleBatches } from './sampling';

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

describe('rowSampler', () => {
  it('fills each buffer with the same drawn rows of its array, one rng() per row, and refuses mismatched arrays', () => {
    // Row r of `a` is [r, r] and row r of `b` is [10r]: the rows of a batch must stay paired.
    const a = Float32Array.from({ length: 8 }, (_, i) => Math.floor(i / 2));
    const b = Float32Array.from({ length: 4 }, (_, i) => 10 * i);
    const draws: number[] = [];
    const rng = mulberry32(5);
    const counted = () => {
      const u = rng();
      draws.push(Math.floor(u * 4));
      return u;
    };
    const next = rowSampler(counted, 4, 3, [a, 2], [b, 1]);
    const [x, y] = next();
    expect(draws).toHaveLength(3);
    expect(Array.from(x)).toEqual(draws.flatMap((r) => [r, r]));
    expect(Array.from(y)).toEqual(draws.map((r) => 10 * r));
    expect(next()[0]).toBe(x); // the buffers are reused
    expect(() => rowSampler(rng, 4, 3, [a, 3])).toThrow(/not 4 rows of 3/);
    expect(() => rowSampler(rng, 4, 0, [a, 2])).toThrow(/batch size/);
  });
});
