import { describe, expect, it } from 'vitest';
import { gaussian, mulberry32, shuffleInPlace } from './random';

describe('seeded random', () => {
  it('replays the same stream for the same seed and differs for another', () => {
    const a = mulberry32(42), b = mulberry32(42), c = mulberry32(43);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });
  it('gives normal samples with mean ≈ 0 and variance ≈ 1', () => {
    const r = mulberry32(7);
    const xs = Array.from({ length: 20000 }, () => gaussian(r));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });
  it('shuffles to a permutation', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    shuffleInPlace(xs, mulberry32(1));
    expect([...xs].sort((p, q) => p - q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(xs).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
