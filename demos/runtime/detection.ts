/**
 * Object-detection metrics: IoU, greedy NMS and Soft-NMS, and average precision with the three interpolations in
 * use (PASCAL VOC 11-point, VOC 2010+ all-point, COCO 101-point). Pure TypeScript: the detection demos, the
 * detector's live mAP and the Node tests share this one implementation.
 *
 * Boxes are `[x1, y1, x2, y2]` in continuous coordinates (width = x2 − x1): the COCO convention. The VOC devkit's
 * "+1 pixel" widths are not used, so its numbers on integer boxes differ slightly.
 */

export type Box = readonly [number, number, number, number];

export interface Detection {
  image: number;
  box: Box;
  score: number;
}

export interface GroundTruth {
  image: number;
  box: Box;
}

export type Interpolation = 'voc11' | 'voc-all' | 'coco101';

export interface ApOptions {
  iouThreshold: number;
  interpolation: Interpolation;
}

/** Area of a box; 0 when it is empty or inverted. */
export function area(b: Box): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

/** Intersection over union of two boxes; 0 when the union is empty. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  const inter = w > 0 && h > 0 ? w * h : 0;
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Indices sorted by descending score; ties keep their input order (a stable sort, as pycocotools' mergesort). */
export function byScore(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((i, j) => scores[j] - scores[i] || i - j);
}

/**
 * Greedy non-maximum suppression: take the best remaining box, drop every box overlapping it by IoU > threshold,
 * repeat. Returns the kept indices in descending score order.
 */
export function nms(boxes: readonly Box[], scores: ArrayLike<number>, iouThreshold: number): number[] {
  if (boxes.length !== scores.length) throw new Error(`nms: ${boxes.length} boxes but ${scores.length} scores`);
  const kept: number[] = [];
  for (const i of byScore(scores)) {
    if (kept.every((k) => iou(boxes[k], boxes[i]) <= iouThreshold)) kept.push(i);
  }
  return kept;
}

export interface SoftNmsOptions {
  /** 'linear': s·(1 − IoU) above `iouThreshold`; 'gaussian': s·exp(−IoU²/σ) for every box (Bodla et al. 2017). */
  method: 'linear' | 'gaussian';
  iouThreshold?: number;
  sigma?: number;
  /** Boxes whose decayed score falls below this are dropped. */
  scoreThreshold?: number;
}

/** Soft-NMS: instead of deleting overlapping boxes, decay their scores. Returns the kept indices and final scores. */
export function softNms(boxes: readonly Box[], scores: ArrayLike<number>, opts: SoftNmsOptions): { indices: number[]; scores: number[] } {
  const { method, iouThreshold = 0.3, sigma = 0.5, scoreThreshold = 0.001 } = opts;
  const s = Array.from(scores);
  const open = new Set(s.map((_, i) => i));
  const indices: number[] = [];
  const out: number[] = [];
  while (open.size > 0) {
    let best = -1;
    for (const i of open) if (best < 0 || s[i] > s[best] || (s[i] === s[best] && i < best)) best = i;
    open.delete(best);
    if (s[best] < scoreThreshold) continue;
    indices.push(best);
    out.push(s[best]);
    for (const i of open) {
      const o = iou(boxes[best], boxes[i]);
      if (method === 'gaussian') s[i] *= Math.exp(-(o * o) / sigma);
      else if (o > iouThreshold) s[i] *= 1 - o;
    }
  }
  return { indices, scores: out };
}

/** One detection's fate after matching, in descending score order. */
export interface Matched {
  /** Index into the detections array. */
  detection: number;
  /** Index into the ground truths, or −1. */
  groundTruth: number;
  iou: number;
  tp: boolean;
}

export interface PrCurve {
  matches: Matched[];
  /** Cumulative precision and recall after each detection, in descending score order. */
  precision: number[];
  recall: number[];
  groundTruths: number;
}

/**
 * Matches detections to ground truths in descending score order and accumulates precision and recall.
 * - 'voc' (both VOC modes), as the VOC devkit: a detection takes the ground truth of highest IoU in its image; it is
 *   a true positive if that IoU ≥ the threshold and that ground truth is not taken yet, else a false positive (a
 *   duplicate is never re-routed to another object).
 * - 'coco', as pycocotools: a detection takes the best ground truth of its image that is still free and has
 *   IoU ≥ the threshold.
 */
export function matchDetections(
  detections: readonly Detection[],
  groundTruths: readonly GroundTruth[],
  iouThreshold: number,
  rule: 'voc' | 'coco',
): PrCurve {
  const taken = new Uint8Array(groundTruths.length);
  const byImage = new Map<number, number[]>();
  groundTruths.forEach((g, i) => byImage.set(g.image, [...(byImage.get(g.image) ?? []), i]));
  const matches: Matched[] = [];
  const precision: number[] = [];
  const recall: number[] = [];
  let tp = 0;
  for (const d of byScore(detections.map((x) => x.score))) {
    const det = detections[d];
    let best = -1;
    let bestIou = rule === 'coco' ? Math.min(iouThreshold, 1 - 1e-10) : -1;
    for (const g of byImage.get(det.image) ?? []) {
      if (rule === 'coco' && taken[g]) continue;
      const o = iou(det.box, groundTruths[g].box);
      if (rule === 'coco' ? o >= bestIou : o > bestIou) {
        best = g;
        bestIou = o;
      }
    }
    const hit = best >= 0 && bestIou >= iouThreshold && !taken[best];
    if (hit) {
      taken[best] = 1;
      tp++;
    }
    matches.push({ detection: d, groundTruth: best, iou: best >= 0 ? iou(det.box, groundTruths[best].box) : 0, tp: hit });
    precision.push(tp / matches.length);
    recall.push(groundTruths.length > 0 ? tp / groundTruths.length : NaN);
  }
  return { matches, precision, recall, groundTruths: groundTruths.length };
}

/** The precision envelope: at each point, the best precision at this recall or any higher one. */
export function precisionEnvelope(precision: readonly number[]): number[] {
  const out = precision.slice();
  for (let i = out.length - 2; i >= 0; i--) out[i] = Math.max(out[i], out[i + 1]);
  return out;
}

/** Area under a precision–recall curve with one of the three interpolations. */
export function interpolatedAp(precision: readonly number[], recall: readonly number[], interpolation: Interpolation): number {
  const n = precision.length;
  if (interpolation === 'voc-all') {
    // VOC 2010+: the envelope integrated exactly over every recall step.
    const env = precisionEnvelope(precision);
    let ap = 0;
    let prev = 0;
    for (let i = 0; i < n; i++) {
      ap += (recall[i] - prev) * env[i];
      prev = recall[i];
    }
    return ap;
  }
  // VOC 2007: 11 recall levels 0, 0.1, …, 1. COCO: 101 levels 0, 0.01, …, 1. Each takes the best precision at a
  // recall ≥ the level (0 when never reached); pycocotools finds it on the envelope with a left-sided search.
  const levels = interpolation === 'voc11' ? 11 : 101;
  const env = precisionEnvelope(precision);
  let sum = 0;
  let i = 0;
  for (let l = 0; l < levels; l++) {
    const t = l / (levels - 1);
    while (i < n && recall[i] < t - 1e-12) i++;
    if (i < n) sum += env[i];
  }
  return sum / levels;
}

/** Average precision of one class. NaN when there is no ground truth (pycocotools reports −1 and skips the class). */
export function averagePrecision(detections: readonly Detection[], groundTruths: readonly GroundTruth[], opts: ApOptions): number {
  if (groundTruths.length === 0) return NaN;
  const curve = matchDetections(detections, groundTruths, opts.iouThreshold, opts.interpolation === 'coco101' ? 'coco' : 'voc');
  return interpolatedAp(curve.precision, curve.recall, opts.interpolation);
}

/** COCO's headline AP@[.5:.95]: 101-point AP averaged over IoU thresholds 0.50, 0.55, …, 0.95. */
export function cocoAp(detections: readonly Detection[], groundTruths: readonly GroundTruth[]): number {
  let sum = 0;
  for (let k = 0; k < 10; k++) sum += averagePrecision(detections, groundTruths, { iouThreshold: 0.5 + 0.05 * k, interpolation: 'coco101' });
  return sum / 10;
}
