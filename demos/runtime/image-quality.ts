/**
 * Image quality measures for restoration demos (super-resolution, denoising): PSNR and SSIM on grey-scale
 * images stored row-major as floats. Pure TypeScript: no tfjs, no DOM.
 */

/** Mean squared error of two equally long images. */
export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`mse: images of ${a.length} and ${b.length} pixels`);
  if (a.length === 0) throw new RangeError('mse: empty images');
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s / a.length;
}

/** PSNR in dB of an MSE at a peak value: 10·log₁₀(MAX²/MSE); +∞ for identical images (MSE 0). */
export function psnrOfMse(m: number, max = 1): number {
  return 10 * Math.log10((max * max) / m);
}

/** PSNR in dB of `x` against the reference `ref`, pixels in [0, max]. */
export function psnr(x: ArrayLike<number>, ref: ArrayLike<number>, max = 1): number {
  return psnrOfMse(mse(x, ref), max);
}

/** SSIM's settings: Wang et al. (2004) use an 11×11 Gaussian window of σ = 1.5, K₁ = 0.01, K₂ = 0.03. */
export interface SsimOptions {
  /** The dynamic range L of the pixels (1 for images in [0, 1]). */
  max?: number;
  window?: number;
  sigma?: number;
  k1?: number;
  k2?: number;
}

/** The normalised 1-D Gaussian of `size` taps and deviation `sigma` (the 2-D window is its outer product). */
export function gaussianWindow(size: number, sigma: number): Float64Array {
  const w = new Float64Array(size);
  const c = (size - 1) / 2;
  let s = 0;
  for (let i = 0; i < size; i++) s += w[i] = Math.exp(-((i - c) ** 2) / (2 * sigma * sigma));
  for (let i = 0; i < size; i++) w[i] /= s;
  return w;
}

/** `img` (w×h) filtered by the separable window `g`, only where the window fits: (w − n + 1)×(h − n + 1). */
function filterValid(img: ArrayLike<number>, w: number, h: number, g: Float64Array): Float64Array {
  const n = g.length;
  const ow = w - n + 1;
  const oh = h - n + 1;
  const rows = new Float64Array(h * ow);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += g[k] * img[y * w + x + k];
      rows[y * ow + x] = s;
    }
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += g[k] * rows[(y + k) * ow + x];
      out[y * ow + x] = s;
    }
  return out;
}

/**
 * Mean SSIM (Wang, Bovik, Sheikh & Simoncelli 2004) of `x` against `ref`, both `width`×`height`: at every
 * position where the Gaussian window fits, SSIM = (2μₓμᵧ + C₁)(2σₓᵧ + C₂) / ((μₓ² + μᵧ² + C₁)(σₓ² + σᵧ² + C₂))
 * with local weighted means, variances and covariance, C₁ = (K₁L)², C₂ = (K₂L)²; the mean over positions.
 */
export function ssim(x: ArrayLike<number>, ref: ArrayLike<number>, width: number, height: number, opts: SsimOptions = {}): number {
  const { max = 1, window = 11, sigma = 1.5, k1 = 0.01, k2 = 0.03 } = opts;
  if (x.length !== width * height || ref.length !== width * height) throw new RangeError(`ssim: images of ${x.length} and ${ref.length} pixels, expected ${width}×${height}`);
  if (width < window || height < window) throw new RangeError(`ssim: a ${width}×${height} image is smaller than the ${window}×${window} window`);
  const g = gaussianWindow(window, sigma);
  const n = width * height;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = ref[i] * ref[i];
    xy[i] = x[i] * ref[i];
  }
  const [mx, my, sxx, syy, sxy] = [x, ref, xx, yy, xy].map((im) => filterValid(im, width, height, g));
  const c1 = (k1 * max) ** 2;
  const c2 = (k2 * max) ** 2;
  let total = 0;
  for (let i = 0; i < mx.length; i++) {
    const vx = sxx[i] - mx[i] * mx[i];
    const vy = syy[i] - my[i] * my[i];
    const cov = sxy[i] - mx[i] * my[i];
    total += ((2 * mx[i] * my[i] + c1) * (2 * cov + c2)) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
  }
  return total / mx.length;
}
