/**
 * The contour image of a 2-D function sampled on a grid: bilinear interpolation to each pixel, banded colour,
 * and iso-lines where the band changes. Pure (an RGBA array out), so it is tested in Node and the component only
 * puts the pixels on a canvas.
 */
import { extent } from './scale';

export type Rgb = [number, number, number];

export interface ContourStyle {
  /** Bands on log(f − min + 1) when the function spans decades (Rosenbrock). */
  log: boolean;
  bands: number;
  /** Fixed value range for the colour scale; default: the data's finite min and max. */
  range?: readonly [number, number];
  /** Colour of a band in [0, 1]. */
  palette: (t: number, dark: boolean) => Rgb;
  dark: boolean;
}

/** How much an iso-line darkens (light theme) or lightens (dark theme) its band's colour. */
export const EDGE = { light: 0.78, dark: 1.35 };

/**
 * RGBA pixels (side × side, row 0 at the top = yMax) of `values`, an ny × nx grid with row 0 at yMin and
 * column 0 at xMin (gridPoints' layout). Colours come from a per-band table, so the palette is called
 * `bands` times, not once per pixel: at a HiDPI size (760² px) this stays a few milliseconds.
 */
export function contourPixels(values: ArrayLike<number>, nx: number, ny: number, side: number, style: ContourStyle): Uint8ClampedArray<ArrayBuffer> {
  const { log, bands, range, palette, dark } = style;
  const [lo, hi] = range ?? extent(values) ?? [0, 1];
  const scale = bands / ((log ? Math.log1p(Math.max(0, hi - lo)) : hi - lo) || 1);

  // Per-band colours, plain and on an iso-line.
  const k = dark ? EDGE.dark : EDGE.light;
  const lut = new Uint8ClampedArray(bands * 6);
  for (let b = 0; b < bands; b++) {
    const c = palette(bands > 1 ? b / (bands - 1) : 0, dark);
    for (let j = 0; j < 3; j++) {
      lut[6 * b + j] = c[j];
      lut[6 * b + 3 + j] = Math.min(255, c[j] * k);
    }
  }

  // Grid coordinates of each pixel column, computed once (typed arrays keep the inner loop monomorphic).
  const x0s = new Int32Array(side);
  const x1s = new Int32Array(side);
  const fxs = new Float64Array(side);
  const unit = 1 / Math.max(1, side - 1);
  for (let p = 0; p < side; p++) {
    const g = p * unit * (nx - 1);
    x0s[p] = Math.min(nx - 1, Math.floor(g));
    x1s[p] = Math.min(nx - 1, x0s[p] + 1);
    fxs[p] = g - x0s[p];
  }
  const last = bands - 1;
  // On log bands, the band edges in value space (lo + e^(b/scale) − 1), searched per pixel: no log per pixel.
  const edges = new Float64Array(last);
  for (let b = 1; b <= last; b++) edges[b - 1] = lo + Math.expm1(b / scale);
  const band = new Int16Array(side * side);
  for (let py = 0; py < side; py++) {
    const g = (side - 1 - py) * unit * (ny - 1);
    const y0 = Math.min(ny - 1, Math.floor(g));
    const r0 = y0 * nx;
    const r1 = Math.min(ny - 1, y0 + 1) * nx;
    const fy = g - y0;
    for (let px = 0; px < side; px++) {
      const x0 = x0s[px];
      const x1 = x1s[px];
      const fx = fxs[px];
      const v = (values[r0 + x0] * (1 - fx) + values[r0 + x1] * fx) * (1 - fy) + (values[r1 + x0] * (1 - fx) + values[r1 + x1] * fx) * fy;
      let b = 0;
      if (log) {
        // The number of band edges ≤ v (binary search); NaN compares false everywhere → band 0.
        let hiB = last;
        while (b < hiB) {
          const mid = (b + hiB) >> 1;
          if (edges[mid] <= v) b = mid + 1;
          else hiB = mid;
        }
      } else {
        b = Math.floor((v - lo) * scale);
        b = b > 0 ? (b < last ? b : last) : 0; // NaN → band 0
      }
      band[py * side + px] = b;
    }
  }

  const out = new Uint8ClampedArray(side * side * 4);
  for (let i = 0; i < side * side; i++) {
    const b = band[i];
    const edge = (i % side < side - 1 && band[i + 1] !== b) || (i < side * (side - 1) && band[i + side] !== b);
    const o = 6 * b + (edge ? 3 : 0);
    out[4 * i] = lut[o];
    out[4 * i + 1] = lut[o + 1];
    out[4 * i + 2] = lut[o + 2];
    out[4 * i + 3] = 255;
  }
  return out;
}
