/**
 * Turns an arbitrary grayscale drawing into a 28×28 MNIST-style input, the way the MNIST digits
 * were made (LeCun et al.): crop to the ink, scale the larger side to 20 px keeping the aspect
 * ratio with area averaging (anti-aliasing), then translate by whole pixels so the centre of mass
 * lands on pixel (14, 14) of the 28×28 field. Pure JS, no DOM.
 *
 * Coordinates: the centre of mass is Σ index·ink / Σ ink with pixel indices 0…27. That is the
 * convention MNIST itself follows: over its 10,000 test digits the mean is (14.0, 14.0) in indices.
 */

/** MNIST side length. */
export const MNIST_SIDE = 28;
/** Side of the box the larger side of the ink is scaled to. */
export const MNIST_BOX = 20;

/** A grayscale raster, row-major. Integer arrays are read as 0–255, Float32Array as 0–1 (see `maxValue`). */
export interface GrayImage {
  data: Float32Array | Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** Options of {@link toMnistInput}. */
export interface PreprocessOptions {
  /** Which way round the ink is; 'auto' looks at the border, which is mostly background. */
  polarity?: 'auto' | 'white-on-black' | 'black-on-white';
  /** Value of full intensity; default 255 for integer arrays, 1 for Float32Array. */
  maxValue?: number;
  /** Ink (0–1, after background removal) above which a pixel counts for the bounding box. */
  inkThreshold?: number;
}

/** The outcome: a ready 28×28 input, or a reason there is none (never NaNs). */
export type PreprocessResult =
  | {
      ok: true;
      /** 784 floats in [0, 1], white ink on black like MNIST. */
      image: Float32Array;
      /** True if the input was black-on-white and has been inverted. */
      inverted: boolean;
      /** Where the scaled ink box sits in the 28×28 field (may be partly clipped for lopsided shapes). */
      box: { x: number; y: number; width: number; height: number };
      /** Centre of mass of `image` in pixel indices; within half a pixel of (14, 14) unless clipped. */
      centerOfMass: { x: number; y: number };
    }
  | { ok: false; reason: 'nothing drawn' };

/** Median of a numeric array (copied, not modified). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Area-averaging resample weights along one axis: destination pixel j averages source interval
 * [j·S/D, (j+1)·S/D), each source pixel weighted by its overlap. Works for up- and down-scaling.
 */
function areaWeights(src: number, dst: number): { first: number; w: number[] }[] {
  const scale = src / dst;
  const out: { first: number; w: number[] }[] = [];
  for (let j = 0; j < dst; j++) {
    const a = j * scale;
    const b = (j + 1) * scale;
    const first = Math.floor(a);
    const w: number[] = [];
    for (let i = first; i < b && i < src; i++) w.push((Math.min(i + 1, b) - Math.max(i, a)) / scale);
    out.push({ first, w });
  }
  return out;
}

/** Resamples a w×h float image to dw×dh by area averaging (separable: rows, then columns). */
function resampleArea(src: Float32Array, w: number, h: number, dw: number, dh: number): Float32Array {
  const wx = areaWeights(w, dw);
  const wy = areaWeights(h, dh);
  const tmp = new Float32Array(dw * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < dw; x++) {
      const { first, w: ws } = wx[x];
      let s = 0;
      for (let k = 0; k < ws.length; k++) s += ws[k] * src[y * w + first + k];
      tmp[y * dw + x] = s;
    }
  }
  const out = new Float32Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    const { first, w: ws } = wy[y];
    for (let x = 0; x < dw; x++) {
      let s = 0;
      for (let k = 0; k < ws.length; k++) s += ws[k] * tmp[(first + k) * dw + x];
      out[y * dw + x] = s;
    }
  }
  return out;
}

/** Centre of mass (pixel indices) of a w×h image; the caller guarantees positive total ink. */
export function centerOfMass(img: ArrayLike<number>, w: number, h: number): { x: number; y: number; mass: number } {
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = img[y * w + x];
      m += v;
      sx += x * v;
      sy += y * v;
    }
  }
  return { x: sx / m, y: sy / m, mass: m };
}

/** Converts a grayscale drawing to a 28×28 MNIST-style input (see the module comment). */
export function toMnistInput(img: GrayImage, opts: PreprocessOptions = {}): PreprocessResult {
  const { width: W, height: H, data } = img;
  if (data.length !== W * H || W < 1 || H < 1) throw new Error(`toMnistInput: ${data.length} values for ${W}×${H}`);
  const max = opts.maxValue ?? (data instanceof Float32Array ? 1 : 255);
  const threshold = opts.inkThreshold ?? 0.02;

  const v = new Float32Array(W * H);
  for (let i = 0; i < v.length; i++) {
    const x = data[i] / max;
    v[i] = x > 1 ? 1 : x > 0 ? x : 0; // also maps NaN to 0
  }
  const border: number[] = [];
  for (let x = 0; x < W; x++) border.push(v[x], v[(H - 1) * W + x]);
  for (let y = 1; y < H - 1; y++) border.push(v[y * W], v[y * W + W - 1]);
  const polarity = opts.polarity ?? 'auto';
  const inverted = polarity === 'black-on-white' || (polarity === 'auto' && border.reduce((a, b) => a + b, 0) / border.length > 0.5);
  if (inverted) for (let i = 0; i < v.length; i++) v[i] = 1 - v[i];

  // Remove a uniform background (grey paper, a slightly lit canvas) measured on the border.
  const bg = median(inverted ? border.map((b) => 1 - b) : border);
  const range = 1 - bg;
  if (range <= 1e-6) return { ok: false, reason: 'nothing drawn' };
  let x0 = W;
  let x1 = -1;
  let y0 = H;
  let y1 = -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const ink = v[i] > bg ? (v[i] - bg) / range : 0;
      v[i] = ink;
      if (ink > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return { ok: false, reason: 'nothing drawn' };

  const cw = x1 - x0 + 1;
  const ch = y1 - y0 + 1;
  const crop = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) crop.set(v.subarray((y0 + y) * W + x0, (y0 + y) * W + x0 + cw), y * cw);
  const s = MNIST_BOX / Math.max(cw, ch);
  const dw = Math.max(1, Math.round(cw * s));
  const dh = Math.max(1, Math.round(ch * s));
  const box = resampleArea(crop, cw, ch, dw, dh);

  const c = centerOfMass(box, dw, dh);
  const centre = MNIST_SIDE / 2;
  const ox = Math.round(centre - c.x);
  const oy = Math.round(centre - c.y);
  const image = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  for (let y = 0; y < dh; y++) {
    const ty = y + oy;
    if (ty < 0 || ty >= MNIST_SIDE) continue;
    for (let x = 0; x < dw; x++) {
      const tx = x + ox;
      if (tx >= 0 && tx < MNIST_SIDE) image[ty * MNIST_SIDE + tx] = Math.min(1, box[y * dw + x]);
    }
  }
  const com = centerOfMass(image, MNIST_SIDE, MNIST_SIDE);
  if (!(com.mass > 0)) return { ok: false, reason: 'nothing drawn' };
  return { ok: true, image, inverted, box: { x: ox, y: oy, width: dw, height: dh }, centerOfMass: { x: com.x, y: com.y } };
}
