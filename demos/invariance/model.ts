/**
 * Invariance: how the probability of a digit's class changes as the digit is shifted or rotated, for four
 * small CNNs (demos/runtime/models/zoo.ts: `inv-stride`, `inv-pool`, and both trained with random shifts and
 * rotations, `-aug`). Every curve is one batched predict per network on the digit moved by one
 * tf.image.transform (../runtime/models/transform.ts); the whole sweep comes back in a single read-back.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { moveDigit, moveImages, type Motion } from '../runtime/models/transform';

/** MNIST pixels per digit. */
export const PIXELS = 784;

/** The four networks, in the order of every curve and table. */
export const INVARIANCE_NETS = [
  { name: 'inv-stride', title: 'stride 2, no pooling', pooling: false, augmented: false },
  { name: 'inv-pool', title: 'max pooling', pooling: true, augmented: false },
  { name: 'inv-stride-aug', title: 'stride 2 + augmentation', pooling: false, augmented: true },
  { name: 'inv-pool-aug', title: 'max pooling + augmentation', pooling: true, augmented: true },
] as const;

/** What a curve sweeps: a horizontal shift, a vertical shift or a rotation. */
export type SweepKind = 'x' | 'y' | 'rotate';

/** The shifts of a shift sweep, −8…+8 px. */
export const SHIFTS: readonly number[] = Array.from({ length: 17 }, (_, i) => i - 8);
/** The angles of a rotation sweep, −90…+90° in steps of 10°. */
export const ANGLES: readonly number[] = Array.from({ length: 19 }, (_, i) => 10 * i - 90);

/** The x values of a sweep (pixels or degrees). */
export function sweepValues(kind: SweepKind): readonly number[] {
  return kind === 'rotate' ? ANGLES : SHIFTS;
}

/** The motions of a sweep, one per x value, around a base motion (the other two coordinates kept). */
export function sweepMotions(kind: SweepKind, base: Motion = { dx: 0, dy: 0, degrees: 0 }): Motion[] {
  return sweepValues(kind).map((v) => (kind === 'x' ? { ...base, dx: v } : kind === 'y' ? { ...base, dy: v } : { ...base, degrees: v }));
}

/** The index of the largest value (−1 when empty). */
export function argMax(p: ArrayLike<number>): number {
  let k = -1;
  for (let i = 0; i < p.length; i++) if (k < 0 || p[i] > p[k]) k = i;
  return k;
}

/** What {@link sweepDigit} returns. */
export interface DigitSweep {
  /** The class whose probability is plotted: the label if given, else the networks' joint answer on the digit as given. */
  target: number;
  /** The x values of the sweep. */
  values: readonly number[];
  /** Per network, P(target) at each x value. */
  curves: Float32Array[];
  /** Per network, the predicted class at each x value. */
  predicted: Int32Array[];
  /** Per network, the 10 class probabilities of the digit moved by `current`. */
  currentProbs: Float32Array[];
  /** The digit moved by `current` (784 pixels), as the networks see it. */
  image: Float32Array;
}

/**
 * Moves one digit (784 pixels in [0, 1]) through a sweep and by the reader's `current` motion, and runs every
 * model on the whole batch at once: one transform, one predict per model, one read-back. With no `label`, the
 * class followed is the arg-max of the models' summed probabilities on the unmoved digit.
 */
export async function sweepDigit(
  models: readonly tf.LayersModel[],
  pixels: Float32Array,
  kind: SweepKind,
  current: Motion,
  label?: number,
): Promise<DigitSweep> {
  if (pixels.length !== PIXELS) throw new RangeError(`sweepDigit: ${pixels.length} pixels, expected ${PIXELS}`);
  if (label !== undefined && !(Number.isInteger(label) && label >= 0 && label < 10)) throw new RangeError(`sweepDigit: label must be a class 0–9, got ${label}`);
  if (models.length === 0) throw new RangeError('sweepDigit: no models');
  const motions = [...sweepMotions(kind), current, { dx: 0, dy: 0, degrees: 0 }];
  const n = motions.length;
  const out = tf.tidy(() => {
    const x = moveDigit(pixels, motions);
    const probs = models.map((m) => m.predict(x) as tf.Tensor2D);
    return tf.concat([tf.stack(probs).reshape([-1]), x.slice([n - 2, 0, 0, 0], [1, 28, 28, 1]).reshape([-1])]);
  });
  const v = await readAndDispose(out);
  const m = models.length;
  const s = n - 2;
  const prob = (k: number, i: number, c: number) => v[(k * n + i) * 10 + c];
  let target = label ?? -1;
  if (target < 0) {
    const sum = new Float32Array(10);
    for (let k = 0; k < m; k++) for (let c = 0; c < 10; c++) sum[c] += prob(k, n - 1, c);
    target = argMax(sum);
  }
  const curves: Float32Array[] = [];
  const predicted: Int32Array[] = [];
  const currentProbs: Float32Array[] = [];
  for (let k = 0; k < m; k++) {
    const c = new Float32Array(s);
    const p = new Int32Array(s);
    for (let i = 0; i < s; i++) {
      c[i] = prob(k, i, target);
      p[i] = argMax(v.subarray((k * n + i) * 10, (k * n + i) * 10 + 10));
    }
    curves.push(c);
    predicted.push(p);
    currentProbs.push(v.slice((k * n + s) * 10, (k * n + s) * 10 + 10));
  }
  return { target, values: sweepValues(kind), curves, predicted, currentProbs, image: v.slice(m * n * 10, m * n * 10 + PIXELS) };
}

/**
 * Accuracy of `model` on `images` ([n, 28, 28, 1]) with `labels` when every image is moved by each motion in
 * turn: one entry per motion. Batches of `batch` images; no tensor is left behind (the caller keeps `images`).
 */
export async function accuracyUnderMotion(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  labels: ArrayLike<number>,
  motions: readonly Motion[],
  batch = 500,
): Promise<Float64Array> {
  const n = images.shape[0];
  if (labels.length !== n) throw new RangeError(`accuracyUnderMotion: ${labels.length} labels for ${n} images`);
  const correct = new Float64Array(motions.length);
  for (let j = 0; j < motions.length; j++) {
    for (let start = 0; start < n; start += batch) {
      const size = Math.min(batch, n - start);
      const pred = await readAndDispose(
        tf.tidy(() => {
          const x = images.slice([start, 0, 0, 0], [size, 28, 28, 1]);
          const moved = moveImages(x, Array.from({ length: size }, () => motions[j]));
          return tf.argMax(model.predict(moved) as tf.Tensor2D, 1).toFloat();
        }),
      );
      for (let i = 0; i < size; i++) if (pred[i] === labels[start + i]) correct[j]++;
    }
    correct[j] /= n;
  }
  return correct;
}

/**
 * How a layer's maps respond to a horizontal shift of the input by `dx` whole pixels: the relative difference
 * ‖f(shift(x))[· + k] − f(x)[·]‖ / ‖f(x)‖ after moving the maps back by `k` map columns. With k = dx / stride it
 * measures equivariance (0: the maps move with the input); with k = 0, invariance (0: the maps do not change).
 * `margin` map columns at each side are left out. The shift is done by the same transform (exact for integers).
 */
export async function shiftGap(layer: (x: tf.Tensor4D) => tf.Tensor4D, pixels: Float32Array, dx: number, k: number, margin = 0): Promise<number> {
  if (!Number.isInteger(dx) || !Number.isInteger(k)) throw new RangeError(`shiftGap: shifts must be whole numbers, got ${dx} and ${k}`);
  const v = await readAndDispose(
    tf.tidy(() => {
      const x = moveDigit(pixels, [{ dx: 0, dy: 0, degrees: 0 }, { dx, dy: 0, degrees: 0 }]);
      const f = layer(x);
      const [, h, w, c] = f.shape;
      const width = w - 2 * margin - Math.abs(k);
      if (width <= 0) throw new RangeError('shiftGap: the shift leaves no column to compare');
      const a = f.slice([0, 0, margin + Math.max(0, -k), 0], [1, h, width, c]);
      const b = f.slice([1, 0, margin + Math.max(0, k), 0], [1, h, width, c]);
      return tf.stack([tf.norm(tf.sub(b, a)), tf.norm(a)]);
    }),
  );
  return v[0] / v[1];
}

/** The output of `model`'s layers up to and including `layerName`, as a function for {@link shiftGap}. */
export function layerFunction(model: tf.LayersModel, layerName: string): (x: tf.Tensor4D) => tf.Tensor4D {
  const names = model.layers.map((l) => l.name);
  const end = names.indexOf(layerName);
  if (end < 0) throw new RangeError(`layerFunction: no layer ${layerName} (layers: ${names.join(', ')})`);
  return (x) => {
    let y: tf.Tensor = x;
    for (let i = 0; i <= end; i++) y = model.layers[i].apply(y) as tf.Tensor;
    return y as tf.Tensor4D;
  };
}
