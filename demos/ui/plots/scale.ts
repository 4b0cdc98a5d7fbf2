/**
 * Axis arithmetic shared by the line chart and the contour plot: extents, ranges, ticks and their labels.
 * Pure functions (no DOM), tested in Node.
 */

// The number formats live in the runtime, so that workers' messages write numbers as the views do.
export { formatInt, formatNumber, formatPercent } from '../../runtime/format';

/** [min, max] of the finite values (only those > 0 when `positive`), or null when there is none. A loop, not a
 * spread into Math.min: that throws "Maximum call stack size exceeded" past ~10⁵ values. */
export function extent(values: ArrayLike<number>, positive = false): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (positive && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The y range to draw: fixed ends where given, else the data's extent padded (linear) or widened to whole
 * decades (log). No data gives [0, 1] (log: [1, 10]); a constant gives a band around it. */
export function valueRange(data: [number, number] | null, log: boolean, fixed: { min?: number; max?: number } = {}): [number, number] {
  const want = (v: number | undefined) => v !== undefined && Number.isFinite(v) && (!log || v > 0);
  let lo: number;
  let hi: number;
  if (log) {
    const [a, b] = data ?? [1, 10];
    lo = 10 ** Math.floor(Math.log10(a));
    hi = 10 ** Math.ceil(Math.log10(b));
    if (hi <= lo) {
      lo /= 10;
      hi *= 10;
    }
  } else if (!data) {
    [lo, hi] = [0, 1];
  } else {
    const [a, b] = data;
    const pad = b > a ? 0.05 * (b - a) : Math.abs(a) * 0.1 || 1;
    [lo, hi] = [a - pad, b + pad];
  }
  if (want(fixed.min)) lo = fixed.min!;
  if (want(fixed.max)) hi = fixed.max!;
  if (!(hi > lo)) hi = log ? lo * 10 : lo + 1;
  return [lo, hi];
}

const round = (v: number) => Number(v.toPrecision(12));

/** The tick spacing for [lo, hi]: 1, 2 or 5 × 10^k, the smallest giving at most `count` intervals. */
export function tickStep(lo: number, hi: number, count: number): number {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw * (1 - 1e-9)) return round(m * p);
  return 10 * p;
}

/** Round-number ticks inside [lo, hi], at most about `count` + 1 of them; `integer` keeps steps ≥ 1 (step counts). */
export function linearTicks(lo: number, hi: number, count: number, integer = false): number[] {
  if (!(hi >= lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  let step = tickStep(lo, hi, count);
  if (integer) step = Math.max(1, step);
  const first = Math.ceil(lo / step - 1e-9);
  const out: number[] = [];
  for (let k = first; k * step <= hi + step * 1e-9 && out.length < 1000; k++) out.push(round(k * step) || 0);
  return out;
}

/**
 * The densest round-number ticks along an axis `length` px long whose labels fit side by side: at most one tick
 * per `spacing` px, fewer while the widest label plus a gap does not fit (long labels such as 2×10⁵ need room).
 */
export function fittingTicks(lo: number, hi: number, length: number, width: (label: string) => number, integer = false, spacing = 50, gap = 14): number[] {
  for (let count = Math.max(1, Math.floor(length / spacing)); count >= 1; count--) {
    const ticks = linearTicks(lo, hi, count, integer);
    const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    const widest = Math.max(0, ...ticks.map((t) => width(tickLabel(t, step))));
    if (count === 1 || ticks.length * (widest + gap) <= length) return ticks;
  }
  return [];
}

/**
 * Ticks for a log10 axis over [lo, hi] (both > 0): powers of ten, every k-th decade when there are more than
 * `count`; when three ticks per decade fit in `count`, the 1-2-5 multiples too, so a short range still has ticks.
 */
export function logTicks(lo: number, hi: number, count: number): number[] {
  if (!(lo > 0 && hi >= lo) || !Number.isFinite(hi)) return [];
  const e0 = Math.floor(Math.log10(lo) + 1e-9);
  const e1 = Math.ceil(Math.log10(hi) - 1e-9);
  const inside = (v: number) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const out: number[] = [];
  if (3 * (e1 - e0) <= count) {
    for (let e = e0; e <= e1; e++) for (const m of [1, 2, 5]) if (inside(round(m * 10 ** e))) out.push(round(m * 10 ** e));
    return out;
  }
  const every = Math.max(1, Math.ceil((e1 - e0 + 1) / Math.max(1, count)));
  for (let e = Math.ceil(e0 / every) * every; e <= e1; e += every) if (inside(round(10 ** e))) out.push(round(10 ** e));
  return out;
}

const SUP: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
const minus = (s: string) => s.replace(/^-/, '−');

/** m·10^e written for people: plain for 10⁻³ ≤ |v| < 10⁵, else "2×10⁻⁵" (a power of ten alone: "10⁻⁵"). */
function scientific(v: number, digits: number): string {
  const [m, e] = v.toExponential(digits).split('e');
  const mant = String(Number(m));
  const pow = `10${String(Number(e)).replace(/./g, (c) => SUP[c])}`;
  return minus(mant === '1' ? pow : mant === '-1' ? `-${pow}` : `${mant}×${pow}`);
}

/** A tick label: as many decimals as the tick step needs (the step is the spacing of the ticks shown). */
export function tickLabel(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return scientific(v, Math.max(0, Math.min(6, Math.floor(Math.log10(a) + 1e-9) - Math.floor(Math.log10(step) + 1e-9))));
  const decimals = Math.max(0, Math.min(12, -Math.floor(Math.log10(step) + 1e-9)));
  return minus(v.toFixed(decimals));
}

/** A log-axis tick label: 0.001 … 10000 plainly, powers beyond as 10⁻⁵, 2×10⁻⁵. */
export function logTickLabel(v: number): string {
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? scientific(v, 2) : minus(String(round(v)));
}

/** A value in a legend or table: 4 significant digits, scientific when very small or large; "–" for none. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return scientific(v, 3);
  return minus(String(Number(v.toPrecision(4))));
}
