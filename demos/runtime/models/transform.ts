/**
 * Shifting and rotating 28×28 digits in one batch (bilinear, zeros outside: one gather), shared by
 * the invariance demo, the augmented training of the `inv-*-aug` networks and `npm run reproduce -- invariance`.
 */
import { tf } from '../tf';
import type { Rng } from '../random';

/** A rigid motion of a digit: shift in pixels (x to the right, y down), rotation in degrees (counter-clockwise). */
export interface Motion {
  dx: number;
  dy: number;
  degrees: number;
}

/** How far the augmented networks' training digits were moved: uniform in ±shift px on each axis, ±degrees. */
export interface AugmentRange {
  shift: number;
  degrees: number;
}

/**
 * The 8 numbers of tf.image.transform for `m` on a `size`×`size` image rotated about its centre. The op maps
 * each output pixel (x, y) back to the input point it samples: (x, y) ↦ R(−θ)·((x, y) − c − d) + c, with
 * d the shift and c = ((size − 1)/2, (size − 1)/2); on screen (y down) the content turns counter-clockwise.
 */
export function motionMatrix(m: Motion, size = 28): number[] {
  const t = (m.degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const c = (size - 1) / 2;
  const ux = c + m.dx;
  const uy = c + m.dy;
  return [cos, -sin, c - cos * ux + sin * uy, sin, cos, c - sin * ux - cos * uy, 0, 0];
}

/**
 * The bilinear sampling of {@link moveImages} for `n` = motions.length images of size×size: for every output
 * pixel of every image, the flat input indices of its 4 neighbours and their weights (0 outside the image).
 */
export function bilinearTaps(motions: readonly Motion[], size = 28): { index: Int32Array; weight: Float32Array } {
  const per = size * size;
  const index = new Int32Array(motions.length * per * 4);
  const weight = new Float32Array(motions.length * per * 4);
  motions.forEach((m, b) => {
    const [a0, a1, a2, b0, b1, b2] = motionMatrix(m, size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const sx = a0 * x + a1 * y + a2;
        const sy = b0 * x + b1 * y + b2;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        const o = ((b * per) + y * size + x) * 4;
        const taps: [number, number, number][] = [
          [x0, y0, (1 - fx) * (1 - fy)],
          [x0 + 1, y0, fx * (1 - fy)],
          [x0, y0 + 1, (1 - fx) * fy],
          [x0 + 1, y0 + 1, fx * fy],
        ];
        taps.forEach(([tx, ty, w], t) => {
          const inside = tx >= 0 && tx < size && ty >= 0 && ty < size;
          index[o + t] = inside ? b * per + ty * size + tx : 0;
          weight[o + t] = inside ? w : 0;
        });
      }
    }
  });
  return { index, weight };
}

/**
 * Moves each image of `x` ([n, size, size, 1]) by its motion (`motions.length` = n), sampling bilinearly, with
 * 0 outside the image: the sampling of tf.image.transform(x, motionMatrix(…), 'bilinear', 'constant', 0),
 * written as a gather and a weighted sum because tfjs's cpu Transform kernel moves only the first image of a
 * batch (tfjs 4.22). Returns a new tensor; `x` is left as it is.
 */
export function moveImages(x: tf.Tensor4D, motions: readonly Motion[]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (motions.length !== n) throw new RangeError(`moveImages: ${motions.length} motions for ${n} images`);
  if (h !== w || c !== 1) throw new RangeError(`moveImages: square one-channel images only, got ${h}×${w}×${c}`);
  const { index, weight } = bilinearTaps(motions, h);
  return tf.tidy(() => {
    const taps = tf.gather(x.reshape([-1]), tf.tensor1d(index, 'int32'));
    return tf.sum(tf.mul(taps, tf.tensor1d(weight)).reshape([n * h * w, 4]), 1).reshape([n, h, w, 1]) as tf.Tensor4D;
  });
}

/** One digit (h·w pixels) copied once per motion and moved: [motions.length, size, size, 1]. */
export function moveDigit(pixels: Float32Array, motions: readonly Motion[], size = 28): tf.Tensor4D {
  if (pixels.length !== size * size) throw new RangeError(`moveDigit: ${pixels.length} pixels, expected ${size * size}`);
  return tf.tidy(() => moveImages(tf.tile(tf.tensor4d(pixels, [1, size, size, 1]), [motions.length, 1, 1, 1]) as tf.Tensor4D, motions));
}

/** `n` random motions, uniform in ±range.shift px on each axis and ±range.degrees, drawn from `rng`. */
export function randomMotions(n: number, range: AugmentRange, rng: Rng): Motion[] {
  const u = (a: number) => (2 * rng() - 1) * a;
  return Array.from({ length: n }, () => ({ dx: u(range.shift), dy: u(range.shift), degrees: u(range.degrees) }));
}
