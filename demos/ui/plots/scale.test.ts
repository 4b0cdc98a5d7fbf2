import { describe, expect, it } from 'vitest';
import { extent, fittingTicks, formatValue, linearTicks, logTickLabel, logTicks, tickLabel, tickStep, valueRange } from './scale';

describe('extent', () => {
  it('skips non-finite values, and values ≤ 0 when asked (log scales)', () => {
    expect(extent([3, NaN, -2, Infinity, 7, 0])).toEqual([-2, 7]);
    expect(extent([3, NaN, -2, Infinity, 7, 0], true)).toEqual([3, 7]);
    expect(extent([NaN, -Infinity])).toBeNull();
    expect(extent([0, -1], true)).toBeNull();
    expect(extent([])).toBeNull();
  });

  it('handles 10⁶ and 10⁷ values (a spread into Math.min throws past ~10⁵)', () => {
    const big = new Float64Array(1e7);
    for (let i = 0; i < big.length; i++) big[i] = Math.sin(i) * 5;
    big[123_456] = -11;
    big[9_999_999] = 42;
    expect(() => Math.min(...Array.from(big.subarray(0, 1e6)))).toThrow(RangeError);
    expect(extent(big)).toEqual([-11, 42]);
    const f32 = new Float32Array(1e6).fill(0.5);
    f32[500_000] = 0.25;
    expect(extent(f32)).toEqual([0.25, 0.5]);
  });
});

describe('valueRange', () => {
  it('pads a linear extent by 5 % each side', () => {
    const [lo, hi] = valueRange([0, 10], false);
    expect(lo).toBeCloseTo(-0.5, 12);
    expect(hi).toBeCloseTo(10.5, 12);
  });
  it('widens a log extent to whole decades', () => {
    expect(valueRange([0.03, 0.7], true)).toEqual([0.01, 1]);
    expect(valueRange([2e-31, 150], true)).toEqual([1e-31, 1000]);
  });
  it('gives a constant series a band around it', () => {
    expect(valueRange([5, 5], false)).toEqual([4.5, 5.5]);
    expect(valueRange([0, 0], false)).toEqual([-1, 1]);
    expect(valueRange([10, 10], true)).toEqual([1, 100]);
  });
  it('has a range without data', () => {
    expect(valueRange(null, false)).toEqual([0, 1]);
    expect(valueRange(null, true)).toEqual([1, 10]);
  });
  it('keeps fixed ends, ignoring ones a log scale cannot show', () => {
    expect(valueRange([0.2, 0.9], false, { min: 0, max: 1 })).toEqual([0, 1]);
    expect(valueRange([0.02, 0.9], true, { min: 0, max: 1 })).toEqual([0.01, 1]);
    expect(valueRange([3, 4], false, { min: 10 })).toEqual([10, 11]);
  });
});

describe('linear ticks', () => {
  it('steps of 1, 2 or 5 × 10^k', () => {
    expect(tickStep(0, 10, 5)).toBe(2);
    expect(tickStep(0, 1, 4)).toBe(0.5);
    expect(tickStep(0, 0.07, 5)).toBe(0.02);
    expect(tickStep(-300, 1200, 6)).toBe(500);
    expect(tickStep(0, 1, 10)).toBe(0.1);
  });
  it('round numbers inside the range, without float noise', () => {
    expect(linearTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(linearTicks(-0.05, 1.05, 5)).toEqual([0, 0.5, 1]);
    expect(linearTicks(-0.05, 1.05, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0.1, 0.35, 5)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
    expect(linearTicks(-2, 3, 5)).toEqual([-2, -1, 0, 1, 2, 3]);
  });
  it('whole numbers for step counts even on a short range', () => {
    expect(linearTicks(0, 3, 10)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect(linearTicks(0, 3, 10, true)).toEqual([0, 1, 2, 3]);
  });
  it('nothing for a broken range', () => {
    expect(linearTicks(NaN, 1, 5)).toEqual([]);
    expect(linearTicks(2, 1, 5)).toEqual([]);
  });
});

describe('fitting ticks', () => {
  const chars = (label: string) => 7 * label.length; // a 7 px wide font
  it('one tick per 50 px at most', () => {
    expect(fittingTicks(0, 90, 256, chars, true)).toEqual([0, 20, 40, 60, 80]);
    expect(fittingTicks(-2, 2, 300, chars)).toEqual([-2, -1, 0, 1, 2]);
  });
  it('fewer when the labels are wide', () => {
    // 0 … 10⁶ on 250 px: six labels such as 2×10⁵ (5 chars: 35 px + a 14 px gap each) do not fit, three do.
    expect(fittingTicks(0, 1e6, 250, chars, true)).toEqual([0, 500000, 1000000]);
    expect(fittingTicks(0, 1e6, 700, chars, true)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => k * 1e5));
  });
  it('still a tick on a very short axis', () => {
    expect(fittingTicks(0, 10, 20, chars, true).length).toBeGreaterThan(0);
  });
});

describe('log ticks', () => {
  it('every decade when they fit', () => {
    expect(logTicks(1e-3, 10, 6)).toEqual([0.001, 0.01, 0.1, 1, 10]);
  });
  it('every k-th decade over many decades', () => {
    expect(logTicks(1e-30, 100, 5)).toEqual([1e-28, 1e-21, 1e-14, 1e-7, 1]);
    expect(logTicks(1e-30, 100, 5).length).toBeLessThanOrEqual(5);
  });
  it('1-2-5 multiples when three per decade fit', () => {
    expect(logTicks(0.01, 1, 6)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(logTicks(0.01, 1, 5)).toEqual([0.01, 0.1, 1]);
    expect(logTicks(0.1, 1, 4)).toEqual([0.1, 0.2, 0.5, 1]);
    expect(logTicks(0.3, 0.7, 5)).toEqual([0.5]);
  });
  it('nothing for a range a log scale cannot show', () => {
    expect(logTicks(0, 1, 5)).toEqual([]);
    expect(logTicks(-1, 1, 5)).toEqual([]);
  });
});

describe('labels', () => {
  it('tick labels carry the decimals the step needs', () => {
    expect(tickLabel(0.2, 0.2)).toBe('0.2');
    expect(tickLabel(0.25, 0.05)).toBe('0.25');
    expect(tickLabel(1, 0.5)).toBe('1.0');
    expect(tickLabel(1500, 500)).toBe('1500');
    expect(tickLabel(-2, 1)).toBe('−2');
    expect(tickLabel(0, 0.1)).toBe('0');
    expect(tickLabel(200000, 100000)).toBe('2×10⁵');
    expect(tickLabel(1.5e-5, 5e-6)).toBe('1.5×10⁻⁵');
  });
  it('log tick labels: plain for 10⁻³ … 10⁴, powers beyond', () => {
    expect([0.001, 0.02, 1, 5000].map(logTickLabel)).toEqual(['0.001', '0.02', '1', '5000']);
    expect([1e-5, 2e-7, 1e6, 1e-28].map(logTickLabel)).toEqual(['10⁻⁵', '2×10⁻⁷', '10⁶', '10⁻²⁸']);
  });
  it('values: 4 significant digits, scientific at the extremes, a dash for none', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(2.5)).toBe('2.5');
    expect(formatValue(-12345.6)).toBe('−12350');
    expect(formatValue(123456)).toBe('1.235×10⁵');
    expect(formatValue(1.23456e-7)).toBe('1.235×10⁻⁷');
    expect(formatValue(NaN)).toBe('–');
    expect(formatValue(null)).toBe('–');
    expect(formatValue(Infinity)).toBe('∞');
    expect(formatValue(0)).toBe('0');
  });
});
