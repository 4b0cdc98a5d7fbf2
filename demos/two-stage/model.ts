/**
 * The two-stage page's tensors: RoI pooling against RoIAlign on a feature map of the shipped CNN (tf ops: max over
 * quantised bins; bilinear samples through tf.image.cropAndResize, averaged per bin), run in the demo's worker
 * (./pool.worker.ts). The anchors, the RPN's rule and the pooling geometry are plain TypeScript, in ./geometry.ts.
 */
import { readAndDispose, tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import { loadModel } from '../runtime/data/models';
import type { Shipped } from '../runtime/data/scene-set';
import { MAX_OFFSET, quantisationError, roiAlignPoints, roiPoolBins, STRIDE, toMap, type Box, type OffsetPoint, type PoolFrame } from './geometry';

export * from './geometry';

/**
 * RoI pooling: the max of each quantised bin ({@link roiPoolBins}) of `map` [H, W, C], as [k, k, C]; an empty bin
 * gives 0. The caller owns the returned tensor. On webgl, where each kernel costs a dispatch (and each new shape of a
 * per-bin max a new program), {@link roiPoolMasked}; elsewhere, where arithmetic costs, {@link roiPoolSliced}. Both
 * give the same numbers (tested).
 */
export function roiPool(map: tf.Tensor3D, roi: Box, k: number): tf.Tensor3D {
  return (tf.getBackend() === 'webgl' ? roiPoolMasked : roiPoolSliced)(map, roi, k);
}

/** RoI pooling as a slice and a max per bin: some 30 kernels for 3 × 3 bins, each bin's shape its own max. */
export function roiPoolSliced(map: tf.Tensor3D, roi: Box, k: number): tf.Tensor3D {
  const [H, W, C] = map.shape;
  const bins = roiPoolBins(roi, k, H, W);
  return tf.tidy(() => {
    const cells = bins.map(([xs, ys, xe, ye]) => (xe > xs && ye > ys ? tf.max(tf.slice(map, [ys, xs, 0], [ye - ys, xe - xs, C]), [0, 1]) : tf.zeros([C])));
    return tf.stack(cells).reshape([k, k, C]) as tf.Tensor3D;
  });
}

/**
 * RoI pooling as one max over a masked copy of the map per bin, whatever the bins' sizes: a fixed handful of kernels,
 * so a sliding box compiles no new WebGL program when its bins change size. Exact: the mask selects each cell or the
 * map's minimum, and a max over a bin's cells and copies of the minimum is the max over its cells.
 */
export function roiPoolMasked(map: tf.Tensor3D, roi: Box, k: number): tf.Tensor3D {
  const [H, W, C] = map.shape;
  const bins = roiPoolBins(roi, k, H, W);
  const inBin = new Uint8Array(k * k * H * W);
  bins.forEach(([xs, ys, xe, ye], b) => {
    for (let y = ys; y < ye; y++) inBin.fill(1, (b * H + y) * W + xs, (b * H + y) * W + xe);
  });
  const filled = Uint8Array.from(bins, ([xs, ys, xe, ye]) => (xe > xs && ye > ys ? 1 : 0));
  return tf.tidy(() => {
    const masked = tf.where(tf.tensor4d(inBin, [k * k, H, W, 1], 'bool'), map.expandDims(0), tf.min(map));
    const maxes = tf.max(masked, [1, 2]);
    return tf.where(tf.tensor2d(filled, [k * k, 1], 'bool'), maxes, tf.zerosLike(maxes)).reshape([k, k, C]) as tf.Tensor3D;
  });
}

/**
 * RoIAlign (He et al. 2017): no rounding; each bin averages `ratio`² bilinear samples of `map` [H, W, C] at the
 * points of {@link roiAlignPoints}. The value of cell j sits at its centre j + ½. Done by tf.image.cropAndResize
 * (bilinear, corners inclusive) over the sample grid, then an average pool. Returns [k, k, C]; the caller owns it.
 */
export function roiAlign(map: tf.Tensor3D, roi: Box, k: number, ratio = 2): tf.Tensor3D {
  const [H, W] = map.shape;
  const pts = roiAlignPoints(roi, k, ratio);
  const m = k * ratio;
  const [fx, fy] = pts[0];
  const [lx, ly] = pts[pts.length - 1];
  // The map gets a one-cell border repeating its edge (samples within a cell of the edge take the edge value, as in
  // Detectron; further out they are 0). Sample positions in index space of the padded map (centre of cell j at j + 1),
  // normalised as cropAndResize wants: index / (size − 1).
  const box = [(fy + 0.5) / (H + 1), (fx + 0.5) / (W + 1), (ly + 0.5) / (H + 1), (lx + 0.5) / (W + 1)];
  return tf.tidy(() => {
    const padded = tf.mirrorPad(map, [[1, 1], [1, 1], [0, 0]], 'symmetric');
    const crops = tf.image.cropAndResize(padded.expandDims(0) as tf.Tensor4D, tf.tensor2d([box]), tf.tensor1d([0], 'int32'), [m, m], 'bilinear');
    const pooled = ratio > 1 ? tf.avgPool(crops, ratio, ratio, 'valid') : crops;
    return pooled.squeeze([0]) as tf.Tensor3D;
  });
}

// ---- The shipped cnn's convolutions as a backbone ----

/** conv5×5 → ReLU → max-pool 2 → conv5×5 → ReLU → max-pool 2 with given weights: a stride-4 feature map of an image. */
export interface Backbone {
  kernels: [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor1D];
}

/** Feature map [H', W', C] of a size × size image (intensities in [0, 1]); the caller owns it. */
export function features(b: Backbone, image: Float32Array, size: number): tf.Tensor3D {
  const [k1, b1, k2, b2] = b.kernels;
  return tf.tidy(() => {
    const x = tf.tensor4d(image, [1, size, size, 1]);
    const h1 = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, k1, 1, 'valid'), b1)) as tf.Tensor4D, 2, 2, 'valid');
    const h2 = tf.maxPool(tf.relu(tf.add(tf.conv2d(h1, k2, 1, 'valid'), b2)) as tf.Tensor4D, 2, 2, 'valid');
    return h2.squeeze([0]) as tf.Tensor3D;
  });
}

/** The shipped cnn's two convolutions as a {@link Backbone} (their weights copied; the model itself is freed). */
export async function loadBackbone(baseUrl: string, signal?: AbortSignal): Promise<Backbone> {
  const { model } = await loadModel('cnn', { baseUrl, signal });
  try {
    const [k1, b1] = model.getLayer('conv1').getWeights().map((w) => w.clone());
    const [k2, b2] = model.getLayer('conv2').getWeights().map((w) => w.clone());
    return { kernels: [k1 as tf.Tensor4D, b1 as tf.Tensor1D, k2 as tf.Tensor4D, b2 as tf.Tensor1D] };
  } finally {
    model.dispose();
  }
}

/** What the pooling figure's reader picks: a scene and a digit in it (1-based, clamped to what there is), and k. */
export interface PoolParams {
  scene: number;
  digit: number;
  bins: string;
}

/** The pooling sweep of the picked digit's box over the backbone's feature map of its scene. */
export function poolSweepFor(shipped: Shipped, backbone: Backbone, q: PoolParams): Simulation<PoolFrame> {
  const scene = shipped.scenes[Math.min(q.scene, shipped.scenes.length) - 1];
  const o = scene.objects[Math.min(q.digit, scene.objects.length) - 1];
  const image = Float32Array.from(scene.pixels, (v) => v / 255);
  return createPoolSweep(features(backbone, image, scene.size), o.box as Box, { k: Number(q.bins), maxOffset: MAX_OFFSET });
}

/**
 * RoI pooling against RoIAlign on a real feature map: step(n) moves the box n more quarter-pixels to the right
 * (up to `maxOffset` image pixels) and records how far each pooled output moved. Owns the map; dispose() frees it.
 */
export function createPoolSweep(map: tf.Tensor3D, box: Box, opts: { k: number; maxOffset: number; step?: number }): Simulation<PoolFrame> {
  const { k, maxOffset, step: dOffset = 0.25 } = opts;
  const [H, W] = map.shape;
  // Read back in the first step, not here: a synchronous read would stall the page on webgl (the map's convolutions
  // and their shader compiles all finish inside it).
  const sumT = map.sum(-1);
  let summed: Float32Array | null = null;
  let base: { pool: Float32Array; align: Float32Array } | null = null;
  const sweep: OffsetPoint[] = [];
  let offset = 0;
  let disposed = false;
  const at = async (off: number) => {
    const roi = toMap([box[0] + off, box[1], box[2] + off, box[3]]);
    const both = tf.tidy(() => tf.concat([roiPool(map, roi, k).reshape([-1]), roiAlign(map, roi, k).reshape([-1])]));
    const v = (await both.data()) as Float32Array;
    both.dispose();
    const n = v.length / 2;
    return { roi, pool: v.slice(0, n), align: v.slice(n) };
  };
  const sumChannels = (v: Float32Array) => {
    const C = v.length / (k * k);
    const out = new Float32Array(k * k);
    for (let i = 0; i < v.length; i++) out[Math.floor(i / C)] += v[i];
    return out;
  };
  const meanAbs = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + Math.abs(x - b[i]), 0) / a.length;
  let current: Awaited<ReturnType<typeof at>> | null = null;
  return {
    async step(n: number) {
      if (disposed) throw new Error('pool sweep: disposed');
      if (!summed) summed = (await readAndDispose(sumT)) as Float32Array;
      if (!current) {
        current = await at(0);
        base = { pool: current.pool, align: current.align };
        sweep.push({ offset: 0, edgePx: STRIDE * quantisationError(current.roi, k, H, W).edge, poolChange: 0, alignChange: 0 });
      }
      for (let i = 0; i < n && offset + dOffset <= maxOffset + 1e-9; i++) {
        offset += dOffset;
        current = await at(offset);
        sweep.push({ offset, edgePx: STRIDE * quantisationError(current.roi, k, H, W).edge, poolChange: meanAbs(current.pool, base!.pool), alignChange: meanAbs(current.align, base!.align) });
      }
      const roi = current.roi;
      return { k, map: summed, height: H, width: W, roi, bins: roiPoolBins(roi, k, H, W), points: roiAlignPoints(roi, k, 2), pooled: sumChannels(current.pool), aligned: sumChannels(current.align), sweep: sweep.slice() };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      map.dispose();
      if (!summed) sumT.dispose(); // never read: its read disposes it
    },
  };
}
