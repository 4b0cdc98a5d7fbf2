/**
 * The grid generator and bilinear sampler of a spatial transformer (Jaderberg et al. 2015), differentiable in
 * tfjs: tf.image.transform has no gradient, so the sampler is written with the paper's kernel
 * max(0, 1 − |x_s − m|)·max(0, 1 − |y_s − n|) as tensors (a gather of the four neighbours would be as
 * exact, but wasm's gather is slow and its index path needs a custom gradient). The gradient reaches the
 * sampling coordinates (and through them θ) and the input U. Coordinates are normalised: −1 and +1 are the centres of the first
 * and last pixel of each axis (x to the right, y down); points outside the image sample zeros.
 * Beside ./transform.ts, which moves digits by a rigid motion with fixed (non-differentiable) taps.
 */
import { tf } from '../tf';

/** The normalised target coordinates (x_t, y_t) of an h × w grid, row-major: [h·w, 2]. */
export function targetGrid(h: number, w: number): tf.Tensor2D {
  if (!(Number.isInteger(h) && Number.isInteger(w) && h >= 2 && w >= 2)) throw new RangeError(`targetGrid: needs whole sizes ≥ 2, got ${h}×${w}`);
  const v = new Float32Array(h * w * 2);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      v[(i * w + j) * 2] = -1 + (2 * j) / (w - 1);
      v[(i * w + j) * 2 + 1] = -1 + (2 * i) / (h - 1);
    }
  }
  return tf.tensor2d(v, [h * w, 2]);
}

/**
 * The grid generator: for each of n transforms θ (rows of 6: θ11 θ12 θ13 θ21 θ22 θ23) the source points
 * (x_s, y_s)ᵀ = A_θ (x_t, y_t, 1)ᵀ of an h × w target grid: [n, h·w, 2].
 */
export function affineGrid(theta: tf.Tensor2D, h: number, w: number): tf.Tensor3D {
  if (theta.shape[1] !== 6) throw new RangeError(`affineGrid: θ must be [n, 6], got [${theta.shape}]`);
  return tf.tidy(() => {
    const [xs, ys] = gridAxes(theta, h, w);
    return tf.stack([xs, ys], 2) as tf.Tensor3D;
  });
}

/** x_s and y_s of {@link affineGrid}, each [n, h·w], by broadcasting (elementwise ops only). */
function gridAxes(theta: tf.Tensor2D, h: number, w: number): [tf.Tensor2D, tf.Tensor2D] {
  const [xt, yt] = tf.split(targetGrid(h, w), 2, 1).map((t) => t.reshape([1, h * w]));
  const c = tf.split(theta, 6, 1); // six [n, 1] columns
  const xs = tf.add(tf.add(tf.mul(c[0], xt), tf.mul(c[1], yt)), c[2]) as tf.Tensor2D;
  const ys = tf.add(tf.add(tf.mul(c[3], xt), tf.mul(c[4], yt)), c[5]) as tf.Tensor2D;
  return [xs, ys];
}

/**
 * The bilinear sampler, written as the paper writes it: V_i^c = Σ_n Σ_m U_nm^c · k(x_i − m) · k(y_i − n) with the
 * kernel k(d) = max(0, 1 − |d|) and (x_i, y_i) the pixel coordinates of sampling point i. The kernel is separable,
 * so for each image V = Σ_n K_y[i, n] · (K_x U)[i, n]: one batched matrix product ([h·w, W] × [W, H·C]) and a
 * weighted sum, no gather (slow on wasm) and no custom gradient. tfjs differentiates it as the paper does:
 * ∂V/∂U is the kernel itself, and ∂k/∂x is the sub-gradient −sign(x − m) where |x − m| < 1 and 0 elsewhere.
 * Points outside the image meet no pixel and sample 0. `grid` holds normalised source points [n, h·w, 2]
 * (from {@link affineGrid}); `u` is [n, H, W, C]; returns V [n, h, w, C].
 */
export function bilinearSample(u: tf.Tensor4D, grid: tf.Tensor3D, h: number, w: number): tf.Tensor4D {
  const [n] = u.shape;
  if (grid.shape[0] !== n || grid.shape[1] !== h * w || grid.shape[2] !== 2) {
    throw new RangeError(`bilinearSample: grid [${grid.shape}] does not fit ${n} images and a ${h}×${w} output`);
  }
  return tf.tidy(() => {
    const [gx, gy] = tf.split(grid, 2, 2).map((t) => t.reshape([n, h * w])) as [tf.Tensor2D, tf.Tensor2D];
    return sampleAxes(u, gx, gy, h, w);
  });
}

function sampleAxes(u: tf.Tensor4D, gx: tf.Tensor2D, gy: tf.Tensor2D, h: number, w: number): tf.Tensor4D {
  const [n, H, W, C] = u.shape;
  const x = tf.mul(tf.add(gx, 1), (W - 1) / 2).reshape([n, h * w, 1]);
  const y = tf.mul(tf.add(gy, 1), (H - 1) / 2).reshape([n, h * w, 1]);
  const kernel = (d: tf.Tensor) => tf.relu(tf.sub(1, tf.abs(d)));
  const kx = kernel(tf.sub(x, tf.range(0, W).reshape([1, 1, W]))) as tf.Tensor3D; // [n, hw, W]
  const ky = kernel(tf.sub(y, tf.range(0, H).reshape([1, 1, H]))); // [n, hw, H]
  const ut = tf.transpose(u, [0, 2, 1, 3]).reshape([n, W, H * C]) as tf.Tensor3D; // [n, W, H·C]
  const rows = tf.matMul(kx, ut).reshape([n, h * w, H, C]); // Σ_m k(x − m) U[n, m]
  return tf.sum(tf.mul(rows, ky.reshape([n, h * w, H, 1])), 2).reshape([n, h, w, C]) as tf.Tensor4D;
}

/** A spatial transformer's sampling step: V = sampler(U, grid(θ)) on an h × w output. */
export function spatialTransform(u: tf.Tensor4D, theta: tf.Tensor2D, h: number, w: number): tf.Tensor4D {
  if (theta.shape[0] !== u.shape[0] || theta.shape[1] !== 6) throw new RangeError(`spatialTransform: θ [${theta.shape}] for ${u.shape[0]} images`);
  return tf.tidy(() => {
    const [xs, ys] = gridAxes(theta, h, w);
    return sampleAxes(u, xs, ys, h, w);
  });
}

/** A transform given by its parts: rotation (degrees, counter-clockwise on screen), scale, shear, shift (normalised units). */
export interface AffineParts {
  degrees: number;
  scale: number;
  shear: number;
  tx: number;
  ty: number;
}

/**
 * θ (6 numbers, row-major 2×3) that samples the input at A·(x_t, y_t) + t with A = R(−angle)·Sh·(1/scale): the
 * output shows the input turned by `degrees` counter-clockwise, `scale` times larger and sheared, with the
 * point `t` of the input at the output's centre. θ = (1, 0, 0, 0, 1, 0) for the identity.
 */
export function thetaFromParts(p: AffineParts): number[] {
  const a = (p.degrees * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const k = 1 / p.scale;
  // With y down, a counter-clockwise turn on screen maps (x, y) to (c·x + s·y, −s·x + c·y); its inverse samples.
  const r = [c, -s, s, c];
  const m = [r[0] * k, (r[0] * p.shear + r[1]) * k, r[2] * k, (r[2] * p.shear + r[3]) * k];
  return [m[0], m[1], p.tx, m[2], m[3], p.ty];
}

/** The identity transform. */
export const IDENTITY_THETA: readonly number[] = [1, 0, 0, 0, 1, 0];
