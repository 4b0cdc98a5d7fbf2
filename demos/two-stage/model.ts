/**
 * The two-stage page's mathematics: Faster R-CNN's anchors and the RPN's labelling rule (pure TypeScript), and
 * RoI pooling against RoIAlign on a feature map (tf ops: max over quantised bins; bilinear samples through
 * tf.image.cropAndResize, averaged per bin).
 */
import { readAndDispose, tf } from '../runtime/tf';
import { iou, type Box } from '../runtime/detection';
import type { Simulation } from '../runtime/simulation';

export type { Box };

export interface AnchorOptions {
  /** Side of the (square) image in pixels. */
  size: number;
  /** Pixels between anchor centres (the feature map's stride). */
  stride: number;
  /** Anchor sides in pixels: an anchor of scale s has area s². */
  scales: readonly number[];
  /** Aspect ratios h / w. */
  ratios: readonly number[];
}

/**
 * Faster R-CNN's anchors: at the centre of every stride × stride cell, one box per scale and ratio, of area s² and
 * height / width r (w = s / √r, h = s·√r). Ordered by row, column, scale, ratio.
 */
export function generateAnchors(o: AnchorOptions): Box[] {
  if (!(o.stride > 0 && o.size > 0)) throw new Error(`anchors: need a positive size and stride (got ${o.size}, ${o.stride})`);
  const out: Box[] = [];
  const n = Math.floor(o.size / o.stride);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const cx = (j + 0.5) * o.stride;
      const cy = (i + 0.5) * o.stride;
      for (const s of o.scales) {
        for (const r of o.ratios) {
          const w = s / Math.sqrt(r);
          const h = s * Math.sqrt(r);
          out.push([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]);
        }
      }
    }
  }
  return out;
}

export interface RpnRule {
  /** Positive at IoU ≥ this with some ground truth (0.7 in Faster R-CNN). */
  positive: number;
  /** Negative when IoU < this with every ground truth (0.3). */
  negative: number;
  /** Anchors crossing the image border are ignored in training, as in Faster R-CNN (needs `size`). */
  size?: number;
}

/** What {@link labelAnchors} returns for each anchor. */
export interface AnchorLabels {
  /** 1 positive, 0 negative, −1 ignored. */
  label: Int8Array;
  /** The ground truth of highest IoU (−1 when there is none), and that IoU. */
  match: Int32Array;
  best: Float32Array;
  /** Anchors made positive only by the "best anchor of a ground truth" rule. */
  byBest: number;
  /** Anchors ignored because they cross the border. */
  outside: number;
  counts: { positive: number; negative: number; ignored: number };
}

/**
 * The RPN's labelling (Ren et al. 2015): an anchor is positive if its IoU with some ground truth is ≥ `positive`, or
 * if it is (one of) the anchor(s) of highest IoU for some ground truth; negative if its IoU is < `negative` with every
 * ground truth and it is not positive; otherwise ignored. Anchors crossing the border are ignored when `size` is given.
 */
export function labelAnchors(anchors: readonly Box[], gts: readonly Box[], rule: RpnRule): AnchorLabels {
  const n = anchors.length;
  const label = new Int8Array(n).fill(-1);
  const match = new Int32Array(n).fill(-1);
  const best = new Float32Array(n);
  const inside = anchors.map((a) => rule.size === undefined || (a[0] >= 0 && a[1] >= 0 && a[2] <= rule.size && a[3] <= rule.size));
  const gtBest = new Float64Array(gts.length);
  const ious: Float64Array[] = gts.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    if (!inside[i]) continue;
    for (let g = 0; g < gts.length; g++) {
      const o = iou(anchors[i], gts[g]);
      ious[g][i] = o;
      if (o > best[i] || match[i] < 0) {
        best[i] = o;
        match[i] = g;
      }
      if (o > gtBest[g]) gtBest[g] = o;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!inside[i]) continue;
    if (best[i] < rule.negative) label[i] = 0;
    if (best[i] >= rule.positive) label[i] = 1;
  }
  let byBest = 0;
  for (let g = 0; g < gts.length; g++) {
    if (!(gtBest[g] > 0)) continue;
    for (let i = 0; i < n; i++) {
      // Every anchor tied for the best IoU of this ground truth (as py-faster-rcnn does).
      if (inside[i] && ious[g][i] === gtBest[g] && label[i] !== 1) {
        label[i] = 1;
        byBest++;
      }
    }
  }
  const counts = { positive: 0, negative: 0, ignored: 0 };
  for (let i = 0; i < n; i++) counts[label[i] === 1 ? 'positive' : label[i] === 0 ? 'negative' : 'ignored']++;
  return { label, match, best, byBest, outside: inside.filter((x) => !x).length, counts };
}

// ---- RoI pooling and RoIAlign ----

/**
 * The bins of Fast R-CNN's RoI pooling on an H × W map, for a box in map coordinates (a cell j covers [j, j + 1)):
 * the box's corners are rounded to cells, the rounded box is cut into k × k bins, and each bin's edges are rounded
 * outwards (floor / ceil) and clipped. Returns each bin's [x1, y1, x2, y2) in cells, row by row.
 */
export function roiPoolBins(roi: Box, k: number, height: number, width: number): Box[] {
  const x1 = Math.round(roi[0]);
  const y1 = Math.round(roi[1]);
  const x2 = Math.round(roi[2]);
  const y2 = Math.round(roi[3]);
  // Fast R-CNN's Caffe code counts pixel ends inclusively (width x2 − x1 + 1); in continuous coordinates that is [x1, x2).
  const w = Math.max(x2 - x1, 1);
  const h = Math.max(y2 - y1, 1);
  const bins: Box[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const ys = Math.min(Math.max(y1 + Math.floor((i * h) / k), 0), height);
      const ye = Math.min(Math.max(y1 + Math.ceil(((i + 1) * h) / k), 0), height);
      const xs = Math.min(Math.max(x1 + Math.floor((j * w) / k), 0), width);
      const xe = Math.min(Math.max(x1 + Math.ceil(((j + 1) * w) / k), 0), width);
      bins.push([xs, ys, xe, ye]);
    }
  }
  return bins;
}

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
 * Where RoIAlign samples: in each of the k × k bins of the box (map coordinates, not rounded), a `ratio` × `ratio`
 * grid of points at the centres of equal sub-cells. Returns [x, y] pairs, row by row over the whole box.
 */
export function roiAlignPoints(roi: Box, k: number, ratio: number): [number, number][] {
  const m = k * ratio;
  const dx = (roi[2] - roi[0]) / m;
  const dy = (roi[3] - roi[1]) / m;
  const pts: [number, number][] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) pts.push([roi[0] + (j + 0.5) * dx, roi[1] + (i + 0.5) * dy]);
  return pts;
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

/** The area RoI pooling actually reads (the union of its bins) against the box it was given: edge errors in cells. */
export function quantisationError(roi: Box, k: number, height: number, width: number): { covered: Box; edge: number; iou: number } {
  const bins = roiPoolBins(roi, k, height, width);
  const covered: Box = [Math.min(...bins.map((b) => b[0])), Math.min(...bins.map((b) => b[1])), Math.max(...bins.map((b) => b[2])), Math.max(...bins.map((b) => b[3]))];
  const edge = Math.max(...covered.map((c, i) => Math.abs(c - roi[i])));
  return { covered, edge, iou: iou(covered, roi) };
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

/** The stride of {@link features}: two 2 × 2 poolings. */
export const STRIDE = 4;

/**
 * Map coordinates of an image box for {@link features}, where map cell d covers [d, d + 1). Each 5 × 5 valid
 * convolution shifts centres by 2 pixels and each pooling halves: cell d is centred on image pixel 4d + 7.5 (in
 * continuous coordinates), so x_map = (x − 5.5) / 4.
 */
export function toMap(b: Box): Box {
  return [(b[0] - 5.5) / STRIDE, (b[1] - 5.5) / STRIDE, (b[2] - 5.5) / STRIDE, (b[3] - 5.5) / STRIDE];
}

/** One offset of the sweep: the box moved right by `offset` image pixels. */
export interface OffsetPoint {
  offset: number;
  /** Largest distance, in image pixels, between an edge of the box and the edge RoI pooling reads. */
  edgePx: number;
  /** Mean absolute change of each pooled output from its value at offset 0. */
  poolChange: number;
  alignChange: number;
}

/** What the pooling view draws. */
export interface PoolFrame {
  k: number;
  /** The map (channel-summed, [H × W]) and its size. */
  map: Float32Array;
  height: number;
  width: number;
  /** The box in map coordinates at the current offset, its RoI-pooling bins and RoIAlign's sample points. */
  roi: Box;
  bins: Box[];
  points: [number, number][];
  /** Both outputs at the current offset, channel-summed [k × k]. */
  pooled: Float32Array;
  aligned: Float32Array;
  /** The sweep so far. */
  sweep: OffsetPoint[];
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
