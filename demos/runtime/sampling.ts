/**
 * Seeded mini-batch index sampling, shared by the demos that draw mini-batches.
 */
import type { Rng } from './random';
import { tf } from './tf';

/**
 * `count` mini-batches of `batchSize` distinct indices from 0…n−1 (sampling without replacement within
 * a batch; batches are independent of each other), flattened row-major into one Int32Array of
 * count·batchSize, ready to become one int32 tensor for a single batched gather.
 * Indices within a batch are sorted: a batch is a set, and a fixed order makes the arithmetic on it
 * reproducible (at batchSize = n every batch is 0…n−1, so every batch mean is bit-identical).
 */
export function sampleBatches(n: number, batchSize: number, count: number, rng: Rng): Int32Array {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > n) {
    throw new Error(`batch size must be an integer in [1, ${n}], got ${batchSize}`);
  }
  const out = new Int32Array(count * batchSize);
  // One permutation reused across batches: a partial Fisher–Yates shuffle of a uniformly random (or any
  // fixed) arrangement yields a uniformly random subset, so there is no need to reset it.
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let c = 0; c < count; c++) {
    for (let j = 0; j < batchSize; j++) {
      const r = j + Math.floor(rng() * (n - j));
      const t = perm[j];
      perm[j] = perm[r];
      perm[r] = t;
    }
    const batch = out.subarray(c * batchSize, (c + 1) * batchSize);
    batch.set(perm.subarray(0, batchSize));
    batch.sort();
  }
  return out;
}

/**
 * `n` steps of `trainer`, each on a mini-batch of `batchSize` rows drawn by `rng` from x [1, N, …] (rows on axis
 * 1, as a stacked MLP takes them) and their labels y [N]. Call inside a tf.tidy: the batches are left to it.
 */
export function stepOnBatches(trainer: { step(...inputs: tf.Tensor[]): void }, x: tf.Tensor, y: tf.Tensor, n: number, batchSize: number, rng: Rng): void {
  for (let s = 0; s < n; s++) {
    const rows = tf.tensor1d(sampleBatches(x.shape[1]!, batchSize, 1, rng), 'int32');
    trainer.step(tf.gather(x, rows, 1), tf.gather(y, rows));
  }
}

/**
 * Mini-batches drawn with replacement from parallel row-major arrays (scenes' images and their targets, `rows`
 * rows each, `width` numbers per row): every call draws `batchSize` rows with one `rng()` each and returns the
 * filled buffers, one per array, reused from call to call (copy them into tensors before the next call).
 */
export function rowSampler(rng: Rng, rows: number, batchSize: number, ...arrays: readonly [data: Float32Array, width: number][]): () => Float32Array[] {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batch size must be a whole number ≥ 1, got ${batchSize}`);
  for (const [data, width] of arrays) {
    if (data.length !== rows * width) throw new RangeError(`rowSampler: ${data.length} numbers is not ${rows} rows of ${width}`);
  }
  const out = arrays.map(([, width]) => new Float32Array(batchSize * width));
  return () => {
    for (let i = 0; i < batchSize; i++) {
      const j = Math.floor(rng() * rows);
      arrays.forEach(([data, width], a) => out[a].set(data.subarray(j * width, (j + 1) * width), i * width));
    }
    return out;
  };
}
