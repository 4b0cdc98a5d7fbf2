import { describe, expect, it } from 'vitest';
import { formatInt, formatNumber, formatPercent } from './format';

describe('formatInt', () => {
  it('writes integers as toLocaleString(en-US) does', () => {
    for (const n of [0, 7, -7, 999, 1000, -1000, 2215, 12345, 999999, 1000000, -1234567, 60000, 2 ** 31, Number.MAX_SAFE_INTEGER]) expect(formatInt(n)).toBe(n.toLocaleString('en-US'));
    expect(formatInt(1234.6)).toBe('1,235');
    expect(formatInt(-0.2)).toBe('0');
    expect(formatInt(Infinity)).toBe('Infinity');
    expect(formatInt(NaN)).toBe('NaN');
  });
});

describe('formatNumber', () => {
  it('writes what toLocaleString("en-US") writes, without Intl', () => {
    for (const x of [0, 7, -7, 2215, 1234567, 0.5, -0.25, 1234.5678, 3.14159, 12.3, 99.9996, 1e-4 + 1, 0.1 + 0.2, 60000.125, -98765.4321, 1e15 + 0.5, 2 ** 40, Infinity, -Infinity, NaN])
      expect(formatNumber(x)).toBe(x.toLocaleString('en-US'));
  });
});

describe('formatPercent', () => {
  it('writes a fraction with the given decimals, the sign held by a no-break space, and "–" for no number', () => {
    expect(formatPercent(0.1234)).toBe('12.3\u00a0%');
    expect(formatPercent(0.98765, 2)).toBe('98.77\u00a0%');
    expect(formatPercent(0.256, 0)).toBe('26\u00a0%');
    expect(formatPercent(1)).toBe('100.0\u00a0%');
    expect(formatPercent(0)).toBe('0.0\u00a0%');
    for (const x of [NaN, Infinity, -Infinity]) expect(formatPercent(x)).toBe('–');
  });
});
