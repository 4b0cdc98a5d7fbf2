/**
 * VGG's and AlexNet's training augmentations on a real photo, as tfjs ops: a random square crop of an image
 * rescaled to side S (fixed, or scale jittering S ~ U[S_min, S_max]), a random horizontal flip, and AlexNet's
 * "fancy PCA" colour jitter, which adds P·(α ∘ λ) to every pixel, with λ, P the eigenvalues and eigenvectors of
 * the 3×3 covariance of RGB values over the image set and α ~ N(0, σ²) drawn once per sample.
 *
 * Sizes are the papers' halved: the shipped photo is 128×128 where ImageNet images were rescaled to 256 and
 * more, so a crop of 112 from S ∈ [128, 256] here is VGG's 224 from S ∈ [256, 512] (`PAPER_SCALE` = 2).
 */
import { readAndDispose, tf } from '../runtime/tf';
import { gaussian, mulberry32 } from '../runtime/random';
import type { RgbImage } from '../runtime/data/images';

/** Paper pixels per pixel of the shipped photo (256-pixel ImageNet side ↔ 128-pixel photo). */
export const PAPER_SCALE = 2;
/** The crop side: 112 here, VGG's and AlexNet's 224. */
export const CROP = 112;

/** Eigen-decomposition of a symmetric 3×3 matrix: values in decreasing order, vectors[k] the k-th unit eigenvector. */
export interface Eigen3 {
  values: [number, number, number];
  vectors: [number, number, number][];
}

/**
 * Jacobi's method on a symmetric 3×3 matrix (row-major, 9 numbers): rotations zero the off-diagonal entries
 * until they are below 1e-15 of the norm. Each eigenvector's sign is chosen so that its components sum to
 * a non-negative number (for an RGB covariance, the first one is then "brighter", all positive).
 */
export function symmetricEigen3(m: ArrayLike<number>): Eigen3 {
  const a = [
    [m[0], m[1], m[2]],
    [m[3], m[4], m[5]],
    [m[6], m[7], m[8]],
  ];
  for (let i = 0; i < 3; i++) for (let j = 0; j < i; j++) if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * (Math.abs(a[i][j]) + Math.abs(a[j][i]) + 1e-30)) throw new RangeError('symmetricEigen3: matrix is not symmetric');
  const v = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const norm = Math.hypot(...a.flat());
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = Math.hypot(a[0][1], a[0][2], a[1][2]);
    if (off <= 1e-15 * norm || off === 0) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      if (a[p][q] === 0) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p];
        const akq = a[k][q];
        a[k][p] = c * akp - s * akq;
        a[k][q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k];
        const aqk = a[q][k];
        a[p][k] = c * apk - s * aqk;
        a[q][k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p];
        const vkq = v[k][q];
        v[k][p] = c * vkp - s * vkq;
        v[k][q] = s * vkp + c * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[j][j] - a[i][i]);
  const vectors = order.map((k) => {
    const col: [number, number, number] = [v[0][k], v[1][k], v[2][k]];
    return col[0] + col[1] + col[2] < 0 ? (col.map((x) => -x) as [number, number, number]) : col;
  });
  return { values: order.map((k) => a[k][k]) as [number, number, number], vectors };
}

/** The RGB statistics of an image set: mean colour, 3×3 covariance (row-major) and its eigen-decomposition. */
export interface RgbPca extends Eigen3 {
  mean: [number, number, number];
  covariance: number[];
}

/**
 * Mean and covariance of the RGB values (in [0, 1]) over every pixel of every image, computed with tfjs
 * (one read-back), then the eigen-decomposition of the 3×3 covariance ({@link symmetricEigen3}).
 */
export async function rgbPca(images: readonly RgbImage[]): Promise<RgbPca> {
  if (images.length === 0) throw new RangeError('rgbPca: no images');
  const v = await readAndDispose(
    tf.tidy(() => {
      const x = tf.concat(images.map((im) => tf.tensor2d(im.pixels, [im.pixels.length / 3, 3], 'int32').toFloat().div(255)));
      const mean = tf.mean(x, 0);
      const xc = tf.sub(x, mean);
      const cov = tf.div(tf.matMul(xc, xc, true, false), x.shape[0]);
      return tf.concat([mean, cov.reshape([-1])]);
    }),
  );
  const covariance = Array.from(v.subarray(3, 12));
  return { mean: [v[0], v[1], v[2]], covariance, ...symmetricEigen3(covariance) };
}

/** AlexNet's colour shift for one sample: Σ_k α_k λ_k p_k, a 3-vector added to every pixel. */
export function pcaShift(pca: Eigen3, alpha: readonly number[]): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < 3; k++) for (let c = 0; c < 3; c++) out[c] += alpha[k] * pca.values[k] * pca.vectors[k][c];
  return out;
}

/** The augmentations to apply (sizes in the shipped photo's pixels; multiply by PAPER_SCALE for the papers'). */
export interface AugmentConfig {
  /** The side S the image is rescaled to before cropping: [S_min, S_max], S_min = S_max for a fixed scale. */
  scale: [number, number];
  /** Random crop position (else the centre crop). */
  randomCrop: boolean;
  flip: boolean;
  /** Standard deviation σ of α (AlexNet: 0.1); 0 turns the colour jitter off. */
  sigma: number;
  count: number;
  seed: number;
}

/** What one augmented sample was made with. */
export interface SampleInfo {
  /** Side of the rescaled image, in the photo's pixels. */
  side: number;
  /** Top-left corner of the crop in the rescaled image. */
  x: number;
  y: number;
  flipped: boolean;
  alpha: [number, number, number];
  /** The colour shift P·(α ∘ λ) added to every pixel (RGB, values in [0, 1]). */
  shift: [number, number, number];
}

/** What {@link augment} returns: `count` crops (CROP×CROP×3 each, in [0, 1], clipped) and how each was made. */
export interface AugmentResult {
  samples: Float32Array;
  info: SampleInfo[];
}

/**
 * Draws the random choices of `count` samples from `seed` (in order per sample: S, crop x, crop y, flip, α₁…α₃),
 * so the same seed gives the same grid on every backend.
 */
export function drawSamples(cfg: AugmentConfig, pca: Eigen3): SampleInfo[] {
  const rng = mulberry32(cfg.seed);
  const [lo, hi] = cfg.scale;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= CROP && hi >= lo)) throw new RangeError(`augment: scale range [${lo}, ${hi}] must be whole numbers with ${CROP} ≤ S_min ≤ S_max`);
  if (!(cfg.sigma >= 0)) throw new RangeError(`augment: σ must be ≥ 0, got ${cfg.sigma}`);
  return Array.from({ length: cfg.count }, () => {
    const side = lo + Math.floor(rng() * (hi - lo + 1));
    const span = side - CROP;
    const rx = rng();
    const ry = rng();
    const x = cfg.randomCrop ? Math.floor(rx * (span + 1)) : Math.floor(span / 2);
    const y = cfg.randomCrop ? Math.floor(ry * (span + 1)) : Math.floor(span / 2);
    const flipped = cfg.flip && rng() < 0.5;
    const alpha = [0, 1, 2].map(() => cfg.sigma * gaussian(rng)) as [number, number, number];
    return { side, x, y, flipped, alpha, shift: pcaShift(pca, alpha) };
  });
}

/**
 * The augmented samples of one image: each rescaled (bilinear) so its side is S, cropped CROP×CROP, maybe
 * flipped left–right, shifted in colour by P·(α ∘ λ) and clipped to [0, 1]. All tfjs ops; one read-back.
 */
export async function augment(image: RgbImage, pca: Eigen3, cfg: AugmentConfig): Promise<AugmentResult> {
  if (image.width !== image.height) throw new RangeError(`augment: square images only, got ${image.width}×${image.height}`);
  const info = drawSamples(cfg, pca);
  const samples = await readAndDispose(
    tf.tidy(() => {
      const x = tf.tensor3d(image.pixels, [image.height, image.width, 3], 'int32').toFloat().div(255) as tf.Tensor3D;
      const crops = info.map((s) => {
        const scaled = s.side === image.width ? x : tf.image.resizeBilinear(x, [s.side, s.side]);
        let crop = tf.slice(scaled, [s.y, s.x, 0], [CROP, CROP, 3]);
        if (s.flipped) crop = tf.reverse(crop, 1);
        return tf.clipByValue(tf.add(crop, tf.tensor1d(s.shift)), 0, 1);
      });
      return tf.stack(crops).reshape([-1]);
    }),
  );
  return { samples, info };
}
