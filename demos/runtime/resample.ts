/**
 * Resampling grey-scale images stored row-major as floats: area (box) downsampling by an integer factor,
 * and bicubic upsampling with Keys' cubic convolution, which tfjs lacks (it resizes only bilinearly or by
 * nearest neighbour). Pure TypeScript: no tfjs, no DOM.
 */

/** Keys' (1981) cubic convolution kernel with parameter a (a = −0.5: the interpolant is third-order accurate). */
export function keysKernel(x: number, a = -0.5): number {
  const t = Math.abs(x);
  if (t <= 1) return (a + 2) * t ** 3 - (a + 3) * t * t + 1;
  if (t < 2) return a * t ** 3 - 5 * a * t * t + 8 * a * t - 4 * a;
  return 0;
}

/** Each r×r block of a `width`×`height` image replaced by its mean; both sides must be multiples of r. */
export function areaDownsample(img: ArrayLike<number>, width: number, height: number, r: number): Float32Array {
  if (!(Number.isInteger(r) && r >= 1)) throw new RangeError(`areaDownsample: factor must be a whole number ≥ 1, got ${r}`);
  if (width % r || height % r) throw new RangeError(`areaDownsample: ${width}×${height} is not a multiple of ${r}`);
  if (img.length !== width * height) throw new RangeError(`areaDownsample: ${img.length} pixels, expected ${width}×${height}`);
  const w = width / r;
  const h = height / r;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = 0; dy < r; dy++) for (let dx = 0; dx < r; dx++) s += img[(y * r + dy) * width + x * r + dx];
      out[y * w + x] = s / (r * r);
    }
  return out;
}

/** The four source taps and their weights for output coordinate `o` of an upscaling by `r` (pixel centres aligned). */
function taps(o: number, r: number, n: number, a: number): { idx: number[]; w: number[] } {
  // Output pixel o's centre lies at source coordinate (o + ½)/r − ½ (as MATLAB's imresize and PIL align them).
  const s = (o + 0.5) / r - 0.5;
  const f = Math.floor(s);
  const idx: number[] = [];
  const w: number[] = [];
  for (let k = -1; k <= 2; k++) {
    idx.push(Math.min(n - 1, Math.max(0, f + k))); // the border pixel repeated
    w.push(keysKernel(s - (f + k), a));
  }
  return { idx, w };
}

/**
 * Bicubic upsampling of a `width`×`height` image by the integer factor r with Keys' kernel (a = −0.5), applied
 * along rows then columns, the border replicated. Values are not clipped (cubic convolution overshoots at edges).
 */
export function bicubicUpsample(img: ArrayLike<number>, width: number, height: number, r: number, a = -0.5): Float32Array {
  if (!(Number.isInteger(r) && r >= 1)) throw new RangeError(`bicubicUpsample: factor must be a whole number ≥ 1, got ${r}`);
  if (img.length !== width * height) throw new RangeError(`bicubicUpsample: ${img.length} pixels, expected ${width}×${height}`);
  const W = width * r;
  const H = height * r;
  const cols = Array.from({ length: W }, (_, o) => taps(o, r, width, a));
  const rows = Array.from({ length: H }, (_, o) => taps(o, r, height, a));
  const mid = new Float64Array(height * W);
  for (let y = 0; y < height; y++)
    for (let X = 0; X < W; X++) {
      const { idx, w } = cols[X];
      let s = 0;
      for (let k = 0; k < 4; k++) s += w[k] * img[y * width + idx[k]];
      mid[y * W + X] = s;
    }
  const out = new Float32Array(W * H);
  for (let Y = 0; Y < H; Y++) {
    const { idx, w } = rows[Y];
    for (let X = 0; X < W; X++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += w[k] * mid[idx[k] * W + X];
      out[Y * W + X] = s;
    }
  }
  return out;
}
