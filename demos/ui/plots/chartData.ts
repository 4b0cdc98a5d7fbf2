/**
 * From a chart's series (number arrays or typed-array views of a history) to what uPlot draws: aligned x and y
 * arrays, gaps as null, long series reduced to at most `maxPoints` points. Pure, tested in Node.
 */

/** The x of point i: `{ step, start }` gives start + i·step (default 0, 1); an array gives x[i] (a step number per frame). */
export type XSpec = { step?: number; start?: number } | ArrayLike<number>;

const isArray = (x: XSpec): x is ArrayLike<number> => typeof (x as ArrayLike<number>).length === 'number';

/** The x value of raw point i. An x array shorter than the series is continued one unit per point. */
export function xAt(x: XSpec | undefined, i: number): number {
  if (!x) return i;
  if (isArray(x)) {
    const n = x.length;
    if (i < n) return x[i];
    return n ? x[n - 1] + (i - n + 1) : i;
  }
  return (x.start ?? 0) + i * (x.step ?? 1);
}

/** True when every x is a whole number (step counts), so axis ticks should be too. */
export function integerX(x: XSpec | undefined): boolean {
  if (!x) return true;
  if (isArray(x)) return x.length === 0 || (Number.isInteger(x[0]) && Number.isInteger(x[x.length - 1]));
  return Number.isInteger(x.start ?? 0) && Number.isInteger(x.step ?? 1);
}

export interface PlotData {
  /** uPlot's aligned data: the x values, then one array per series (null: nothing drawn there). */
  data: [number[], ...(number | null)[][]];
  /** The raw index behind each drawn point, or null when every point is drawn (no reduction). */
  index: Int32Array | null;
  /** [min, max] of what is drawn (on a log scale only values > 0 are), or null. */
  extent: [number, number] | null;
  /** Raw points in the longest series. */
  length: number;
}

/**
 * Aligns the series on one x axis. A value is drawn when finite (and > 0 on a log scale); otherwise the line
 * has a gap. Past `maxPoints` points, each bucket of consecutive points keeps its minimum and maximum in their
 * order (two points per bucket), so spikes and divergences survive the reduction; uPlot then draws
 * ≤ `maxPoints` points whatever the run length. One pass over the data.
 */
export function plotData(series: readonly ArrayLike<number>[], x: XSpec | undefined, log: boolean, maxPoints = 2000): PlotData {
  let n = 0;
  for (const s of series) n = Math.max(n, s.length);
  const ok = (v: number) => Number.isFinite(v) && (!log || v > 0);
  let lo = Infinity;
  let hi = -Infinity;

  if (n <= maxPoints) {
    const xs = new Array<number>(n);
    for (let i = 0; i < n; i++) xs[i] = xAt(x, i);
    const ys = series.map((s) => {
      const y = new Array<number | null>(n).fill(null);
      for (let i = 0; i < s.length; i++) {
        const v = s[i];
        if (!ok(v)) continue;
        y[i] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      return y;
    });
    return { data: [xs, ...ys], index: null, extent: lo <= hi ? [lo, hi] : null, length: n };
  }

  const size = Math.ceil(n / Math.max(1, Math.floor(maxPoints / 2)));
  // Each bucket of `size` raw points is drawn at its first and last x (one slot when it has one point).
  const starts: number[] = [];
  const index: number[] = [];
  for (let s = 0; s < n; s += size) {
    starts.push(s);
    index.push(s);
    if (Math.min(n, s + size) - 1 > s) index.push(Math.min(n, s + size) - 1);
  }
  const ys = series.map((s) => {
    const y = new Array<number | null>(index.length).fill(null);
    let k = 0;
    for (const start of starts) {
      const two = Math.min(n, start + size) - 1 > start;
      let iMin = -1;
      let iMax = -1;
      for (let i = start, end = Math.min(s.length, start + size); i < end; i++) {
        const v = s[i];
        if (!ok(v)) continue;
        if (iMin < 0 || v < s[iMin]) iMin = i;
        if (iMax < 0 || v > s[iMax]) iMax = i;
      }
      if (iMin >= 0) {
        // The two extremes in the order they happened.
        y[k] = s[Math.min(iMin, iMax)];
        if (two) y[k + 1] = s[Math.max(iMin, iMax)];
        if (s[iMin] < lo) lo = s[iMin];
        if (s[iMax] > hi) hi = s[iMax];
      }
      k += two ? 2 : 1;
    }
    return y;
  });
  const xs = index.map((i) => xAt(x, i));
  return { data: [xs, ...ys], index: Int32Array.from(index), extent: lo <= hi ? [lo, hi] : null, length: n };
}

/** At most `max` row indices spread evenly over 0 … n−1, first and last included (the data table). */
export function tableRows(n: number, max = 50): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return [n - 1];
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

/** Identity of a series' data for change detection: a typed-array view over the same buffer, offset and length,
 * with the same first and last values, is the same data (an append-only history hands out a new view per call). */
export function dataKey(v: ArrayLike<number>): unknown[] {
  const t = v as Partial<Float64Array>;
  const n = v.length;
  return t.buffer ? [t.buffer, t.byteOffset, n, n ? v[0] : NaN, n ? v[n - 1] : NaN] : [v, n];
}
