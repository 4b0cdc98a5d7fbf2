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
 * `bands` times, not once per pixel: a 600² px image (a 300 px plot at 2×) takes ~3–4 ms on this machine.
 * `into`, when it has side² × 4 bytes, receives the pixels instead of a new array: a demo that redraws its
 * regions every frame then allocates nothing per frame (fresh megabyte arrays cost page faults and GC).
 */
export function contourPixels(
  values: ArrayLike<number>,
  nx: number,
  ny: number,
  side: number,
  style: ContourStyle,
  into?: Uint8ClampedArray<ArrayBuffer>,
): Uint8ClampedArray<ArrayBuffer> {
  if (!(nx >= 2 && ny >= 2 && values.length >= nx * ny)) throw new RangeError(`contour: need a grid of at least 2 × 2 with nx·ny values, got ${nx} × ${ny} and ${values.length}`);
  const { log, range, palette, dark } = style;
  const bands = Math.max(1, Math.min(256, Math.floor(style.bands))); // band numbers are stored in bytes
  const [lo, hi] = range ?? extent(values) ?? [0, 1];
  const scale = bands / ((log ? Math.log1p(Math.max(0, hi - lo)) : hi - lo) || 1);

  // Per-band colours, plain and on an iso-line, packed as one 32-bit RGBA word each (written per pixel below).
  const k = dark ? EDGE.dark : EDGE.light;
  const rgba = new Uint8ClampedArray(bands * 8);
  for (let b = 0; b < bands; b++) {
    const c = palette(bands > 1 ? b / (bands - 1) : 0, dark);
    for (let j = 0; j < 3; j++) {
      rgba[8 * b + j] = c[j];
      rgba[8 * b + 4 + j] = Math.min(255, c[j] * k);
    }
    rgba[8 * b + 3] = rgba[8 * b + 7] = 255;
  }
  const lut = new Uint32Array(rgba.buffer); // [plain, iso-line] per band, in the platform's byte order

  // A copy of the grid in one typed array keeps the loops monomorphic (callers pass Float32Array or number[]).
  const grid = Float64Array.from(values);
  // Grid column and weight of each pixel column, computed once.
  const x0s = new Int32Array(side);
  const fxs = new Float64Array(side);
  const unit = 1 / Math.max(1, side - 1);
  for (let p = 0; p < side; p++) {
    const g = p * unit * (nx - 1);
    x0s[p] = Math.min(nx - 2, Math.floor(g));
    fxs[p] = g - x0s[p];
  }
  const last = bands - 1;
  // On log bands, the band edges in value space (lo + e^(b/scale) − 1), searched per pixel: no log per pixel.
  const edges = new Float64Array(last);
  for (let b = 1; b <= last; b++) edges[b - 1] = lo + Math.expm1(b / scale);
  const band = bandScratch(side * side);
  const row = new Float64Array(nx); // the grid interpolated to this pixel row
  for (let py = 0; py < side; py++) {
    const g = (side - 1 - py) * unit * (ny - 1);
    const y0 = Math.min(ny - 2, Math.floor(g));
    const fy = g - y0;
    for (let j = 0; j < nx; j++) row[j] = grid[y0 * nx + j] * (1 - fy) + grid[(y0 + 1) * nx + j] * fy;
    const o = py * side;
    for (let px = 0; px < side; px++) {
      const x0 = x0s[px];
      const fx = fxs[px];
      const v = row[x0] * (1 - fx) + row[x0 + 1] * fx;
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
      band[o + px] = b;
    }
  }

  // Iso-lines: a pixel whose right or lower neighbour is in another band.
  const out = into?.length === side * side * 4 ? into : new Uint8ClampedArray(side * side * 4);
  const words = new Uint32Array(out.buffer);
  for (let py = 0; py < side; py++) {
    const o = py * side;
    const below = py < side - 1 ? side : 0;
    for (let px = 0; px < side; px++) {
      const i = o + px;
      const b = band[i];
      const edge = (px < side - 1 && band[i + 1] !== b) || (below !== 0 && band[i + below] !== b);
      words[i] = lut[2 * b + (edge ? 1 : 0)];
    }
  }
  return out;
}

/** The per-pixel band numbers: scratch memory reused across calls (only read within one call). */
let scratch = new Uint8Array(0);
function bandScratch(n: number): Uint8Array {
  if (scratch.length < n) scratch = new Uint8Array(n);
  return scratch.subarray(0, n);
}
