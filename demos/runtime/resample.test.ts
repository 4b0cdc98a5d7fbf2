import { describe, expect, it } from 'vitest';
import { areaDownsample, bicubicUpsample, keysKernel } from './resample';

describe('Keys cubic convolution, a = −0.5', () => {
  it('interpolates (1 at 0, 0 at the other integers) and its four weights sum to 1', () => {
    expect(keysKernel(0)).toBe(1);
    for (const x of [1, 2, -1, -2, 2.5]) expect(keysKernel(x)).toBeCloseTo(0, 12);
    // Hand-computed at the offsets of a ×2 upscaling: W(0.25) = 0.8671875, W(0.75) = 0.2265625, W(1.25) = −0.0703125, W(1.75) = −0.0234375.
    expect(keysKernel(0.25)).toBeCloseTo(0.8671875, 12);
    expect(keysKernel(0.75)).toBeCloseTo(0.2265625, 12);
    expect(keysKernel(-1.25)).toBeCloseTo(-0.0703125, 12);
    expect(keysKernel(1.75)).toBeCloseTo(-0.0234375, 12);
    for (const t of [0, 0.1, 0.5, 0.9]) expect(keysKernel(1 + t) + keysKernel(t) + keysKernel(1 - t) + keysKernel(2 - t)).toBeCloseTo(1, 12);
  });
});

describe('bicubic upsampling', () => {
  it('upscales the step [0, 1] by 2 to the hand-computed values, overshooting at the edge', () => {
    // Output centres at source −0.25, 0.25, 0.75, 1.25; borders replicated.
    const out = Array.from(bicubicUpsample([0, 1], 2, 1, 2));
    const want = [-0.0703125, 0.203125, 0.796875, 1.0703125];
    out.slice(0, 4).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    expect(out.length).toBe(4 * 2);
  });

  it('keeps a constant image and reproduces a linear ramp exactly away from the border', () => {
    expect(Array.from(bicubicUpsample(new Float32Array(9).fill(0.3), 3, 3, 3)).every((v) => Math.abs(v - 0.3) < 1e-6)).toBe(true);
    const ramp = Float32Array.from({ length: 10 }, (_, i) => i / 10);
    const up = bicubicUpsample(ramp, 10, 1, 3);
    for (let X = 6; X < 24; X++) expect(up[X]).toBeCloseTo(((X + 0.5) / 3 - 0.5) / 10, 6);
  });
});

describe('area downsampling', () => {
  it('averages each r×r block', () => {
    expect(Array.from(areaDownsample([1, 2, 5, 6, 3, 4, 7, 8], 4, 2, 2))).toEqual([2.5, 6.5]);
    expect(() => areaDownsample(new Float32Array(28 * 28), 28, 28, 3)).toThrow(/multiple/);
  });
});
