/**
 * The two-stage page's geometry, in plain TypeScript (no tfjs: the page draws with it while the tensors live in the
 * demo's worker): Faster R-CNN's anchors and the RPN's labelling rule, the bins RoI pooling reads, the points
 * RoIAlign samples, and the pooling sweep's frame. The tensor side is ./model.ts.
 */
import { iou, type Box } from '../runtime/detection';

export type { Box };

/** How far the pooled box slides, in image pixels: two cells of the stride-4 map. */
export const MAX_OFFSET = 8;

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

// ---- RoI pooling's bins and RoIAlign's points ----

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

/** The area RoI pooling actually reads (the union of its bins) against the box it was given: edge errors in cells. */
export function quantisationError(roi: Box, k: number, height: number, width: number): { covered: Box; edge: number; iou: number } {
  const bins = roiPoolBins(roi, k, height, width);
  const covered: Box = [Math.min(...bins.map((b) => b[0])), Math.min(...bins.map((b) => b[1])), Math.max(...bins.map((b) => b[2])), Math.max(...bins.map((b) => b[3]))];
  const edge = Math.max(...covered.map((c, i) => Math.abs(c - roi[i])));
  return { covered, edge, iou: iou(covered, roi) };
}

// ---- The backbone's feature map ----

/** The stride of the backbone's features (./model.ts): two 2 × 2 poolings. */
export const STRIDE = 4;

/**
 * Map coordinates of an image box for the backbone's features (./model.ts), where map cell d covers [d, d + 1). Each 5 × 5 valid
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

