import { describe, expect, it } from 'vitest';
import { EDGE, contourPixels, type Rgb } from './contour';

const red = (t: number): Rgb => [100 + 100 * t, 50, 0];
const px = (img: Uint8ClampedArray, side: number, x: number, y: number) => Array.from(img.subarray(4 * (y * side + x), 4 * (y * side + x) + 4));

describe('contourPixels', () => {
  // f(x, y) = x on a 2 × 2 grid: 0 at the left column, 1 at the right.
  const ramp = [0, 1, 0, 1];

  it('bands a linear ramp, with an iso-line where the band changes', () => {
    const side = 10;
    const img = contourPixels(ramp, 2, 2, side, { log: false, bands: 2, palette: red, dark: false });
    expect(img.length).toBe(side * side * 4);
    // x = 0 … 4/9 is below 0.5: band 0; 5/9 … 1: band 1 (its top value clamps into the last band).
    expect(px(img, side, 0, 0)).toEqual([100, 50, 0, 255]);
    expect(px(img, side, 9, 9)).toEqual([200, 50, 0, 255]);
    expect(px(img, side, 5, 3)).toEqual([200, 50, 0, 255]);
    // Column 4 borders column 5's band: darkened in the light theme.
    expect(px(img, side, 4, 3)).toEqual([Math.round(100 * EDGE.light), Math.round(50 * EDGE.light), 0, 255]);
  });

  it('lightens iso-lines in the dark theme and passes the theme to the palette', () => {
    const pal = (t: number, dark: boolean): Rgb => (dark ? [20 + 100 * t, 40, 60] : [0, 0, 0]);
    const img = contourPixels(ramp, 2, 2, 10, { log: false, bands: 2, palette: pal, dark: true });
    expect(px(img, 10, 0, 0)).toEqual([20, 40, 60, 255]);
    expect(px(img, 10, 4, 0)).toEqual([Math.round(20 * EDGE.dark), Math.round(40 * EDGE.dark), Math.round(60 * EDGE.dark), 255]);
  });

  it('row 0 of the image is the top of the box (yMax)', () => {
    // f = y: 0 on grid row 0 (yMin), 1 on row 1 (yMax).
    const img = contourPixels([0, 0, 1, 1], 2, 2, 10, { log: false, bands: 2, palette: red, dark: false });
    expect(px(img, 10, 3, 0)).toEqual([200, 50, 0, 255]);
    expect(px(img, 10, 3, 9)).toEqual([100, 50, 0, 255]);
  });

  it('a fixed range: values outside clamp to the end bands', () => {
    const img = contourPixels([-5, 5, -5, 5], 2, 2, 10, { log: false, bands: 4, range: [0, 1], palette: red, dark: false });
    expect(px(img, 10, 0, 0)).toEqual([100, 50, 0, 255]);
    expect(px(img, 10, 9, 0)).toEqual([200, 50, 0, 255]);
  });

  it('log bands put more of the picture in the low values', () => {
    const lin = contourPixels([0, 999, 0, 999], 2, 2, 11, { log: false, bands: 3, palette: red, dark: false });
    const log = contourPixels([0, 999, 0, 999], 2, 2, 11, { log: true, bands: 3, palette: red, dark: false });
    // The middle pixel (f ≈ 500): band 1 of 3 on a linear scale, the top band on log(f + 1).
    expect(px(lin, 11, 5, 5)[0]).toBe(150);
    expect(px(log, 11, 5, 5)[0]).toBe(200);
  });

  it('a NaN grid value draws band 0 instead of failing', () => {
    const img = contourPixels([NaN, NaN, NaN, NaN], 2, 2, 4, { log: false, bands: 3, palette: red, dark: false });
    expect(px(img, 4, 2, 2)).toEqual([100, 50, 0, 255]);
  });

  it('says what is wrong with a grid it cannot draw', () => {
    expect(() => contourPixels([1], 1, 1, 4, { log: false, bands: 3, palette: red, dark: false })).toThrow(/at least 2 × 2/);
    expect(() => contourPixels([1, 2, 3], 2, 2, 4, { log: false, bands: 3, palette: red, dark: false })).toThrow(/got 2 × 2 and 3/);
  });

  it('draws into a given buffer of the right size, and the same pixels as a fresh one, call after call', () => {
    const style = { log: false, bands: 4, palette: red, dark: false };
    const a = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const b = [8, 7, 6, 5, 4, 3, 2, 1, 0];
    const into = new Uint8ClampedArray(12 * 12 * 4);
    expect(contourPixels(a, 3, 3, 12, style, into)).toBe(into);
    expect(Array.from(into)).toEqual(Array.from(contourPixels(a, 3, 3, 12, style)));
    contourPixels(b, 3, 3, 12, style, into); // the band scratch of the previous call must not leak into this one
    expect(Array.from(into)).toEqual(Array.from(contourPixels(b, 3, 3, 12, style)));
    // A buffer of another size is left alone: a new array comes back.
    const small = new Uint8ClampedArray(4);
    expect(contourPixels(a, 3, 3, 12, style, small)).not.toBe(small);
  });
});
