import { describe, expect, it } from 'vitest';
import { dataKey, integerX, plotData, tableRows, xAt } from './chartData';

describe('x values', () => {
  it('from a step and start, or an array continued past its end', () => {
    expect([0, 1, 5].map((i) => xAt(undefined, i))).toEqual([0, 1, 5]);
    expect([0, 1, 5].map((i) => xAt({ step: 6 }, i))).toEqual([0, 6, 30]);
    expect([0, 2].map((i) => xAt({ step: 0.5, start: 1 }, i))).toEqual([1, 2]);
    const steps = new Float64Array([0, 6, 12]);
    expect([0, 2, 3, 4].map((i) => xAt(steps, i))).toEqual([0, 12, 13, 14]);
  });
  it('knows when ticks must be whole numbers', () => {
    expect(integerX(undefined)).toBe(true);
    expect(integerX({ step: 6 })).toBe(true);
    expect(integerX({ step: 0.1 })).toBe(false);
    expect(integerX([0, 0.5, 1])).toBe(true); // judged by the ends: a step count from 0
    expect(integerX([0.5, 1.5])).toBe(false);
  });
});

describe('plotData', () => {
  it('aligns series of different lengths, gaps as null', () => {
    const p = plotData([[3, NaN, 1], new Float32Array([2, 4])], { step: 10 }, false);
    expect(p.data).toEqual([
      [0, 10, 20],
      [3, null, 1],
      [2, 4, null],
    ]);
    expect(p.index).toBeNull();
    expect(p.extent).toEqual([1, 4]);
    expect(p.length).toBe(3);
  });

  it('on a log scale, zeros and negatives are gaps and stay out of the extent', () => {
    const p = plotData([[1, 0, 0.01, -3, 100]], undefined, true);
    expect(p.data[1]).toEqual([1, null, 0.01, null, 100]);
    expect(p.extent).toEqual([0.01, 100]);
    expect(plotData([[0, -1]], undefined, true).extent).toBeNull();
  });

  it('reduces 10⁶ points to ≤ maxPoints, keeping each bucket’s extremes in order', () => {
    const n = 1_000_000;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = 1 + (i % 7) / 10;
    v[400_123] = 50; // a spike
    v[700_001] = 0.001; // a dip
    const p = plotData([v], { step: 2 }, false, 2000);
    expect(p.data[0].length).toBeLessThanOrEqual(2000);
    expect(p.data[0].length).toBe(2000);
    expect(p.index).not.toBeNull();
    const ys = p.data[1];
    expect(Math.max(...(ys as number[]))).toBe(50);
    expect(Math.min(...(ys as number[]))).toBe(0.001);
    expect(p.extent).toEqual([0.001, 50]);
    // Bucket of 1000 points around the spike: slot 2b is its first x, slot 2b+1 its last.
    const b = Math.floor(400_123 / 1000);
    expect(p.index![2 * b]).toBe(b * 1000);
    expect(p.index![2 * b + 1]).toBe(b * 1000 + 999);
    expect(p.data[0][2 * b]).toBe(2 * b * 1000);
    // The spike comes after the bucket's minimum (1.0 at its first multiple of 7), so it is the second slot.
    expect(ys[2 * b]).toBe(1);
    expect(ys[2 * b + 1]).toBe(50);
    // x stays increasing, as uPlot needs.
    for (let k = 1; k < p.data[0].length; k++) expect(p.data[0][k]).toBeGreaterThan(p.data[0][k - 1]);
  });

  it('a shorter series in a reduced chart ends with nulls', () => {
    const long = new Float64Array(5000).fill(1);
    const short = new Float64Array(1000).fill(2);
    const p = plotData([long, short], undefined, false, 100);
    const ys = p.data[2];
    expect(ys.slice(0, 20).every((y) => y === 2)).toBe(true);
    expect(ys.slice(21).every((y) => y === null)).toBe(true);
  });
});

describe('tableRows', () => {
  it('all rows when few, else ≤ max spread evenly with the first and last', () => {
    expect(tableRows(3, 50)).toEqual([0, 1, 2]);
    const r = tableRows(1_000_000, 50);
    expect(r.length).toBe(50);
    expect(r[0]).toBe(0);
    expect(r[49]).toBe(999_999);
    expect(new Set(r).size).toBe(50);
    expect(tableRows(101, 5)).toEqual([0, 25, 50, 75, 100]);
    expect(tableRows(0, 50)).toEqual([]);
  });
});

describe('dataKey', () => {
  it('sees two views of the same history as the same data, and an append as new', () => {
    const buf = new Float64Array(16);
    buf.set([1, 2, 3]);
    const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
    expect(same(dataKey(buf.subarray(0, 3)), dataKey(buf.subarray(0, 3)))).toBe(true);
    expect(same(dataKey(buf.subarray(0, 3)), dataKey(buf.subarray(0, 4)))).toBe(false);
    const arr = [1, 2];
    expect(same(dataKey(arr), dataKey(arr))).toBe(true);
    expect(same(dataKey(arr), dataKey([1, 2]))).toBe(false);
  });
});
