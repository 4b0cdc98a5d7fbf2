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

/** What a series (or an x array) was when last reduced: enough to tell an append from new data. */
interface Seen {
  src: ArrayLike<number>;
  buffer: unknown;
  offset: number;
  length: number;
  first: number;
  last: number;
}

function seen(v: ArrayLike<number>): Seen {
  const t = v as Partial<Float64Array>;
  const n = v.length;
  return { src: v, buffer: t.buffer, offset: t.byteOffset ?? 0, length: n, first: n ? v[0] : NaN, last: n ? v[n - 1] : NaN };
}

/**
 * True when `v` is `was` with values appended: the same array grown, or a longer view over the same buffer
 * (an append-only history hands out a new view per call), whose first and last-seen values are unchanged.
 */
function appended(was: Seen, v: ArrayLike<number>): boolean {
  const t = v as Partial<Float64Array>;
  const same = was.buffer ? t.buffer === was.buffer && t.byteOffset === was.offset : v === was.src;
  return same && v.length >= was.length && (was.length === 0 || (Object.is(v[0], was.first) && Object.is(v[was.length - 1], was.last)));
}

export interface PlotData {
  /** uPlot's aligned data: the x values, then one array per series (null: nothing drawn there). */
  data: [number[], ...(number | null)[][]];
  /** The raw index behind each drawn point, or null when every point is drawn (no reduction). */
  index: number[] | null;
  /** [min, max] of what is drawn (on a log scale only values > 0 are), or null. */
  extent: [number, number] | null;
  /** Raw points in the longest series. */
  length: number;
  /** Points per bucket when reduced (a power of two), else 0. */
  size: number;
  log: boolean;
  /** How x was given (an array, a step and start, or the index), and the series then the x array as they were:
   * for the next call's append check. */
  xKey: string;
  seen: Seen[];
}

/**
 * Aligns the series on one x axis. A value is drawn when finite (and > 0 on a log scale); otherwise the line
 * has a gap. Past `maxPoints` points, buckets of 2^k consecutive points keep their minimum and maximum in
 * their order (drawn at the bucket's first and last x), so spikes and divergences survive and uPlot draws
 * between maxPoints/2 and maxPoints points whatever the run length.
 *
 * With `prev` (this function's last result, whose arrays it then reuses and changes), data that only grew
 * since is reduced incrementally: only buckets from the one that held the old end are recomputed, so an
 * append costs O(new points) until the bucket size doubles. Anything else is one pass over all the data.
 */
export function plotData(series: readonly ArrayLike<number>[], x: XSpec | undefined, log: boolean, maxPoints = 2000, prev?: PlotData): PlotData {
  let n = 0;
  for (const s of series) n = Math.max(n, s.length);
  const xArr = x && isArray(x) ? x : null;
  const now = [...series, ...(xArr ? [xArr] : [])].map(seen);
  const xKey = xArr ? 'array' : x ? `${(x as { step?: number }).step ?? 1}|${(x as { start?: number }).start ?? 0}` : 'index';
  const ok = (v: number) => Number.isFinite(v) && (!log || v > 0);

  if (n <= maxPoints) {
    let lo = Infinity;
    let hi = -Infinity;
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
    return { data: [xs, ...ys], index: null, extent: lo <= hi ? [lo, hi] : null, length: n, size: 0, log, xKey, seen: now };
  }

  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = 2 ** Math.ceil(Math.log2(n / buckets));
  // Reuse `prev` when everything only grew: recompute from the last bucket of the longest series, or from the
  // first bucket a shorter series grew into.
  const grew =
    prev &&
    prev.size === size &&
    prev.log === log &&
    prev.xKey === xKey &&
    prev.seen.length === now.length &&
    prev.data.length === series.length + 1 &&
    prev.seen.every((w, k) => appended(w, k < series.length ? series[k] : xArr!));
  let from = 0;
  if (grew) {
    from = Math.floor(prev.length / size);
    now.forEach((v, k) => {
      if (v.length > prev.seen[k].length) from = Math.min(from, Math.floor(prev.seen[k].length / size));
    });
  }
  const [xs, ...ys] = grew ? prev.data : ([[], ...series.map(() => [])] as PlotData['data']);
  const index = grew ? prev.index! : [];
  let [lo, hi] = grew && prev.extent ? prev.extent : [Infinity, -Infinity];
  // Every bucket before the last is full (2 slots), so bucket b starts at slot 2b.
  for (const a of [xs, index, ...ys]) a.length = 2 * from;

  for (let start = from * size; start < n; start += size) {
    const last = Math.min(n, start + size) - 1;
    index.push(start);
    xs.push(xAt(x, start));
    if (last > start) {
      index.push(last);
      xs.push(xAt(x, last));
    }
    series.forEach((s, k) => {
      let iMin = -1;
      let iMax = -1;
      for (let i = start, end = Math.min(s.length, last + 1); i < end; i++) {
        const v = s[i];
        if (!ok(v)) continue;
        if (iMin < 0 || v < s[iMin]) iMin = i;
        if (iMax < 0 || v > s[iMax]) iMax = i;
      }
      const y = ys[k];
      if (iMin < 0) {
        y.push(null);
        if (last > start) y.push(null);
        return;
      }
      // The two extremes in the order they happened.
      y.push(s[Math.min(iMin, iMax)]);
      if (last > start) y.push(s[Math.max(iMin, iMax)]);
      if (s[iMin] < lo) lo = s[iMin];
      if (s[iMax] > hi) hi = s[iMax];
    });
  }
  return { data: [xs, ...ys], index, extent: lo <= hi ? [lo, hi] : null, length: n, size, log, xKey, seen: now };
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
