import { describe, expect, it } from 'vitest';
import { big, bytes, costRows, fmt, spreadRows } from './display';
import type { MinibatchGradients } from './model';

describe('overview display', () => {
  it('writes numbers fixed in the middle range and in exponent form at the ends', () => {
    expect(fmt(0.12345)).toBe('0.123');
    expect(fmt(0)).toBe('0.000');
    expect(fmt(12345)).toBe('1.2e+4');
    expect(fmt(-0.0004)).toBe('-4.0e-4');
    expect(big(9999.4)).toBe('9999');
    expect(big(6e12)).toBe('6.0·10^12');
    expect(bytes(0)).toBe('0 B');
    expect(bytes(999)).toBe('999 B');
    expect(bytes(1250)).toBe('1.25 kB');
    expect(bytes(2e15 * 1000)).toBe('2000 PB');
  });

  it('lays out the spread of mini-batch gradients: std as the root of the variances, never of a negative', () => {
    const mb = { count: 48, full: [1, -2], mean: [1.01, -1.99], cov: [0.04, 0.01, -1e-12], theoryVar: [0.0025, 0.09] } as unknown as MinibatchGradients;
    expect(spreadRows(mb)).toEqual([
      ['full gradient', '1.000', '-2.000'],
      ['mean of 48 batches', '1.010', '-1.990'],
      ['std, measured', '0.200', '0.000'],
      ['std, theory √(σ²/B·(N−B)/(N−1))', '0.050', '0.300'],
    ]);
  });

  it('costs a step with n parameters: 3n for a gradient, 6n² to form the Hessian, 2n(n+1) bytes to keep it', () => {
    const [two, million] = costRows([2, 1e6]);
    expect(two.cells).toEqual(['2', '6', '24', '3', '12 B']);
    expect(million.cells).toEqual(['1.0·10^6', '3.0·10^6', '6.0·10^12', '1.7·10^17', '2 TB']);
  });
});
