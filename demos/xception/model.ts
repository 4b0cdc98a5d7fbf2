/**
 * Xception's "extreme Inception" (Chollet 2017) as real tfjs ops: an Inception-style module with k towers — a 1×1
 * convolution, its C output channels split into k segments, a 3×3 convolution on each segment — walked from k = 1
 * (a 1×1 then a regular 3×3 convolution) to k = C (a 1×1 then a depthwise 3×3: a depthwise separable convolution in
 * the pointwise → depthwise order). The towers' kernels are cut from one full 3×3 kernel, so every step removes
 * connections and keeps the rest. No React, no DOM.
 */
import { tf } from '../runtime/tf';
import { gaussian, mulberry32 } from '../runtime/random';
import type { Simulation } from '../runtime/simulation';
import { checkGroups, groupedConv2d } from '../runtime/models/grouped';

/** k = 1, 2, 4, …, C (C a power of two; otherwise the divisors of C that are powers of two, then C). */
export function towerCounts(channels: number): number[] {
  if (!(Number.isInteger(channels) && channels >= 1)) throw new RangeError(`channels must be a whole number ≥ 1, got ${channels}`);
  const ks: number[] = [];
  for (let k = 1; k < channels; k *= 2) if (channels % k === 0) ks.push(k);
  ks.push(channels);
  return ks;
}

/** Weights and multiply-adds of the module with k towers on C channels, an h×w map, a 3×3 spatial kernel, no biases. */
export function moduleCost(channels: number, towers: number, h = 1, w = 1) {
  checkGroups(channels, channels, towers);
  const pointwise = channels * channels;
  const spatial = (9 * channels * channels) / towers;
  return { pointwise, spatial, params: pointwise + spatial, macs: (pointwise + spatial) * h * w };
}

/** Seeded He-normal weights of a kernel shape (fan-in = all but the last axis). */
export function heKernel(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const rng = mulberry32(seed);
  const fanIn = shape[0] * shape[1] * shape[2];
  const sd = Math.sqrt(2 / fanIn);
  return tf.tensor4d(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => sd * gaussian(rng)), shape);
}

/**
 * The k towers' 3×3 kernels cut from a full kernel [3, 3, C, C]: tower j keeps the block of input channels
 * jC/k … (j+1)C/k − 1 to the output channels of the same segment. Returns the grouped kernel [3, 3, C/k, C]
 * (groupedConv2d's layout). k = 1 returns a copy of the full kernel; k = C, one 3×3 filter per channel.
 */
export function towerKernel(full: tf.Tensor4D, towers: number): tf.Tensor4D {
  const [kh, kw, cin, cout] = full.shape;
  checkGroups(cin, cout, towers);
  const n = cin / towers;
  return tf.tidy(() => tf.concat(Array.from({ length: towers }, (_, j) => tf.slice(full, [0, 0, j * n, j * (cout / towers)], [kh, kw, n, cout / towers])), 3) as tf.Tensor4D);
}

/** The Inception-style module: x [b, h, w, C] → 1×1 convolution → k segments → a 3×3 convolution per segment → concat. */
export function towerModule(x: tf.Tensor4D, pointwise: tf.Tensor4D, spatial: tf.Tensor4D, towers: number): tf.Tensor4D {
  return tf.tidy(() => groupedConv2d(tf.conv2d(x, pointwise, 1, 'same'), spatial, towers, 'same'));
}

/**
 * A depthwise separable convolution in the "extreme Inception" order: the 1×1 (pointwise) convolution first, then
 * a 3×3 depthwise convolution with one filter per channel (depthwise [3, 3, C, 1]); no nonlinearity between.
 */
export function pointwiseThenDepthwise(x: tf.Tensor4D, pointwise: tf.Tensor4D, depthwise: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.depthwiseConv2d(tf.conv2d(x, pointwise, 1, 'same'), depthwise as tf.Tensor4D, 1, 'same'));
}

/** The usual order (MobileNet's, Keras's SeparableConv2D): depthwise 3×3 first, then the 1×1. */
export function depthwiseThenPointwise(x: tf.Tensor4D, depthwise: tf.Tensor4D, pointwise: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.conv2d(tf.depthwiseConv2d(x, depthwise, 1, 'same'), pointwise, 1, 'same'));
}

/**
 * A digit's feature maps: conv1 (kernel [5, 5, 1, C], bias [C]) of the shipped cnn, ReLU, 2×2 max pooling, on 28×28
 * pixels in [0, 1]; [1, 12, 12, C]. The caller disposes the result.
 */
export function digitMaps(pixels: Float32Array, conv1: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  if (pixels.length !== 784) throw new RangeError(`a digit has 784 pixels, got ${pixels.length}`);
  return tf.tidy(() => tf.maxPool(tf.relu(tf.add(tf.conv2d(tf.tensor4d(pixels, [1, 28, 28, 1]), conv1, 1, 'valid'), bias)) as tf.Tensor4D, 2, 2, 'valid'));
}

/** One step of the walk: the module with k towers on the digit's maps. */
export interface TowerRow {
  towers: number;
  /** Channels each 3×3 convolution sees (C/k). */
  perTower: number;
  params: number;
  macs: number;
  /** Share of the module's weights in its 3×3 convolutions. */
  spatialShare: number;
  /** Fraction of the output changed from the previous k: ‖y_k − y_prev‖ / ‖y_prev‖ (NaN at the first). */
  change: number;
}

export interface TowerFrame {
  steps: number;
  rows: TowerRow[];
  /** The latest module's output [h, w, C], its shape, and which input segment feeds which output (C × C, 1 = linked). */
  output: Float32Array;
  shape: [number, number, number];
  links: Float32Array;
  /** At k = C: max |module − pointwise-then-depthwise with the same weights| (null before). */
  separableGap: number | null;
  done: boolean;
}

/**
 * The walk as a Simulation: step(0) shows k = 1; each step moves to the next k in {@link towerCounts}. `maps`
 * [1, h, w, C] is read, not owned. The 1×1 kernel and the full 3×3 kernel are seeded; dispose() frees them.
 */
export function createTowerWalk(maps: tf.Tensor4D, seed = 1): Simulation<TowerFrame> {
  const [, h, w, c] = maps.shape;
  const ks = towerCounts(c);
  const pointwise = heKernel([1, 1, c, c], seed);
  const full = heKernel([3, 3, c, c], seed + 1);
  const rows: TowerRow[] = [];
  let index = -1;
  let previous: Float32Array | null = null;
  let output = new Float32Array(h * w * c);
  let gap: number | null = null;
  let disposed = false;

  async function advance(): Promise<void> {
    index++;
    const k = ks[index];
    const [y, diff] = tf.tidy(() => {
      const spatial = towerKernel(full, k);
      const out = towerModule(maps, pointwise, spatial, k);
      // At k = C the towers' kernels [3, 3, 1, C] are the depthwise filters [3, 3, C, 1] in the same order.
      const d = k === c ? tf.max(tf.abs(tf.sub(out, pointwiseThenDepthwise(maps, pointwise, spatial.reshape([3, 3, c, 1]) as tf.Tensor4D)))) : tf.scalar(NaN);
      return [out, d];
    });
    try {
      const [yv, dv] = await Promise.all([y.data(), diff.data()]);
      output = Float32Array.from(yv);
      if (k === c) gap = dv[0];
    } finally {
      y.dispose();
      diff.dispose();
    }
    let change = NaN;
    if (previous) {
      let num = 0;
      let den = 0;
      for (let i = 0; i < output.length; i++) {
        num += (output[i] - previous[i]) ** 2;
        den += previous[i] ** 2;
      }
      change = Math.sqrt(num / den);
    }
    previous = output;
    const cost = moduleCost(c, k, h, w);
    rows.push({ towers: k, perTower: c / k, params: cost.params, macs: cost.macs, spatialShare: cost.spatial / cost.params, change });
  }

  const links = () => {
    const k = ks[Math.max(index, 0)];
    const n = c / k;
    return Float32Array.from({ length: c * c }, (_, i) => (Math.floor(Math.floor(i / c) / n) === Math.floor((i % c) / n) ? 1 : 0));
  };

  return {
    async step(n: number) {
      if (disposed) throw new Error('the tower walk was disposed');
      if (index < 0) await advance();
      for (let i = 0; i < n && index < ks.length - 1; i++) await advance();
      return { steps: index, rows: rows.map((r) => ({ ...r })), output, shape: [h, w, c], links: links(), separableGap: gap, done: index === ks.length - 1 };
    },
    dispose() {
      disposed = true;
      pointwise.dispose();
      full.dispose();
    },
  };
}
