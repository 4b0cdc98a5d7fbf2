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
    // Buckets of 1024 (the power of two that makes ≤ 1000 of them): 977 buckets, two points each.
    expect(p.size).toBe(1024);
    expect(p.data[0].length).toBe(2 * 977);
    const ys = p.data[1] as number[];
    expect(Math.max(...ys)).toBe(50);
    expect(Math.min(...ys)).toBe(0.001);
    expect(p.extent).toEqual([0.001, 50]);
    // The spike's bucket (390: points 399 360 … 400 383) is drawn at its first and last x.
    const b = 390;
    expect(p.index!.slice(2 * b, 2 * b + 2)).toEqual([399_360, 400_383]);
    expect(p.data[0].slice(2 * b, 2 * b + 2)).toEqual([798_720, 800_766]);
    // Its minimum (1.0, at a multiple of 7) comes before the spike, so the spike is the second point.
    expect(ys.slice(2 * b, 2 * b + 2)).toEqual([1, 50]);
    // x stays increasing, as uPlot needs.
    for (let k = 1; k < p.data[0].length; k++) expect(p.data[0][k]).toBeGreaterThan(p.data[0][k - 1]);
  });

  it('an append to a history reduces incrementally to exactly what a full pass gives', () => {
    // Views over growing buffers, like the runtime's History: a new view per append, the same buffer until it grows.
    let cap = 4096;
    let bufs = [new Float64Array(cap), new Float64Array(cap)];
    let steps = new Float64Array(cap);
    let n = 0;
    let stopped = -1; // the second series stops growing (a diverged run) part-way
    const push = (k: number) => {
      for (let j = 0; j < k; j++, n++) {
        if (n === cap) {
          cap *= 2;
          bufs = bufs.map((b) => { const g = new Float64Array(cap); g.set(b); return g; });
          const g = new Float64Array(cap);
          g.set(steps);
          steps = g;
        }
        bufs[0][n] = Math.sin(n / 100) + (n % 997 === 0 ? 5 : 1.5);
        bufs[1][n] = n % 13 === 0 ? NaN : Math.cos(n / 50) + 1.5;
        steps[n] = 6 * n;
      }
      if (n > 30_000 && stopped < 0) stopped = n;
    };
    const views = () => [bufs[0].subarray(0, n), bufs[1].subarray(0, stopped < 0 ? n : stopped)];
    let prev: ReturnType<typeof plotData> | undefined;
    let reused = 0;
    for (const k of [1, 2500, 7, 1, 900, 3000, 1, 17, 20_000, 5, 12_000, 1, 1]) {
      push(k);
      const inc = plotData(views(), steps.subarray(0, n), true, 2000, prev);
      const full = plotData(views(), steps.subarray(0, n), true, 2000);
      expect(inc.data).toEqual(full.data);
      expect(inc.index).toEqual(full.index);
      expect(inc.extent).toEqual(full.extent);
      if (prev && inc.data[0] === prev.data[0]) reused++; // the incremental path keeps the arrays
      prev = inc;
    }
    // Appends within a bucket size and a buffer: after 7, 1, 900, 1, 17, 5, 1 and 1 more points.
    expect(reused).toBe(8);
    expect(n).toBeGreaterThan(38_000);
  });

  it('new data that is not an append (a reset) is reduced from scratch', () => {
    const buf = new Float64Array(8000);
    buf.fill(2, 0, 6000);
    const first = plotData([buf.subarray(0, 6000)], undefined, false, 2000);
    // Reset and refill with other values, longer than before: the same buffer, a different first value.
    buf.fill(3, 0, 7000);
    const again = plotData([buf.subarray(0, 7000)], undefined, false, 2000, first);
    expect(again.extent).toEqual([3, 3]);
    expect((again.data[1] as number[]).every((y) => y === 3)).toBe(true);
  });

  it('a shorter series in a reduced chart ends with nulls', () => {
    const long = new Float64Array(5000).fill(1);
    const short = new Float64Array(1000).fill(2);
    const p = plotData([long, short], undefined, false, 100);
    // Buckets of 128: the short series fills buckets 0 … 7 (points 0 … 999), two slots each.
    expect(p.size).toBe(128);
    const ys = p.data[2];
    expect(ys.slice(0, 16).every((y) => y === 2)).toBe(true);
    expect(ys.slice(16).every((y) => y === null)).toBe(true);
    expect(ys.length).toBe(2 * Math.ceil(5000 / 128));
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
