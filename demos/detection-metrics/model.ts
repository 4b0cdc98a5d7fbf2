/**
 * The detection-metrics page's mathematics. Its public API (issue 17) is `iou`, `nms` and `averagePrecision`,
 * the shared implementations of runtime/detection.ts; besides them, a step-by-step trace of greedy NMS and
 * Soft-NMS, NMS applied per image and class to a detector's raw windows, and the precision–recall curve built
 * one detection at a time under both matching rules. Pure TypeScript: no tensors.
 */
import { averagePrecision, iou, interpolatedAp, matchDetections, nms, precisionEnvelope, softNms, type Box, type Detection, type GroundTruth, type Interpolation } from '../runtime/detection';
import { nextTask, type Simulation } from '../runtime/simulation';
import type { ClassedDetection } from '../runtime/data/scene-set';

export { decodeShipped, loadShipped, toBase64, SHIPPED_NAME, type Shipped, type ShippedDetections, type ShownScene } from '../runtime/data/scene-set';
export type { ClassedDetection };

export { averagePrecision, iou, nms };
export type { Box, Detection, GroundTruth, Interpolation };

export const INTERPOLATIONS: readonly Interpolation[] = ['voc11', 'voc-all', 'coco101'];
export const INTERPOLATION_NAMES: Record<Interpolation, string> = { voc11: 'VOC 11-point', 'voc-all': 'VOC all-point', coco101: 'COCO 101-point' };

/** The intersection of two boxes, or null when they do not overlap. */
export function intersection(a: Box, b: Box): Box | null {
  const r: Box = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[2] > r[0] && r[3] > r[1] ? r : null;
}

export type NmsMethod = 'greedy' | 'linear' | 'gaussian';

export interface NmsOptions {
  method: NmsMethod;
  /** Greedy: suppress above this IoU. Linear Soft-NMS: decay above it. Unused by the Gaussian. */
  iouThreshold: number;
  /** Gaussian Soft-NMS: s · exp(−IoU² / σ). */
  sigma?: number;
  /** Soft-NMS drops a box whose decayed score falls below this. */
  scoreThreshold?: number;
}

/** One step of NMS: the box it keeps, and what that did to the boxes still open. */
export interface NmsStep {
  /** The kept box: the open box of highest (possibly decayed) score. */
  pick: number;
  /** Boxes removed by this pick (greedy: IoU above the threshold; Soft-NMS: decayed below the score floor). */
  removed: number[];
  /** Boxes whose score this pick lowered but which stay open (Soft-NMS). */
  decayed: number[];
  /** Every box's score after this step (removed boxes keep their last score). */
  scores: number[];
  /** Boxes still open after this step. */
  open: number[];
}

/**
 * Greedy NMS or Soft-NMS (Bodla et al. 2017) step by step. Each step keeps the best open box, then removes (greedy)
 * or rescores (soft) every open box by its IoU with it. The picks are exactly `nms` (greedy) and `softNms` (soft)
 * of runtime/detection.ts, in the same order.
 */
export function nmsTrace(boxes: readonly Box[], scores: ArrayLike<number>, opts: NmsOptions): NmsStep[] {
  const { method, iouThreshold, sigma = 0.5, scoreThreshold = 0.001 } = opts;
  if (boxes.length !== scores.length) throw new Error(`NMS: ${boxes.length} boxes but ${scores.length} scores`);
  const s = Array.from(scores);
  let open = s.map((_, i) => i).filter((i) => method === 'greedy' || s[i] >= scoreThreshold);
  const steps: NmsStep[] = [];
  while (open.length > 0) {
    let pick = open[0];
    for (const i of open) if (s[i] > s[pick] || (s[i] === s[pick] && i < pick)) pick = i;
    const removed: number[] = [];
    const decayed: number[] = [];
    const next: number[] = [];
    for (const i of open) {
      if (i === pick) continue;
      const o = iou(boxes[pick], boxes[i]);
      if (method === 'greedy') {
        if (o > iouThreshold) removed.push(i);
        else next.push(i);
        continue;
      }
      const f = method === 'gaussian' ? Math.exp(-(o * o) / sigma) : o > iouThreshold ? 1 - o : 1;
      if (f < 1) s[i] *= f;
      if (s[i] < scoreThreshold) removed.push(i);
      else {
        if (f < 1) decayed.push(i);
        next.push(i);
      }
    }
    open = next;
    steps.push({ pick, removed, decayed, scores: s.slice(), open: open.slice() });
  }
  return steps;
}

/** The windows of each image and class: NMS runs within each such group. */
function groupsOf(raw: readonly ClassedDetection[]): number[][] {
  const groups = new Map<string, number[]>();
  raw.forEach((d, i) => {
    const k = `${d.image}:${d.cls}`;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  return [...groups.values()];
}

/** NMS within one group of `raw`: its survivors, with their final scores, appended to `out`. */
function suppressGroup(raw: readonly ClassedDetection[], g: readonly number[], opts: NmsOptions, out: ClassedDetection[]): void {
  const boxes = g.map((i) => raw[i].box);
  const scores = g.map((i) => raw[i].score);
  if (opts.method === 'greedy') {
    for (const i of nms(boxes, scores, opts.iouThreshold)) out.push({ ...raw[g[i]] });
  } else {
    const kept = softNms(boxes, scores, { method: opts.method, iouThreshold: opts.iouThreshold, sigma: opts.sigma, scoreThreshold: opts.scoreThreshold });
    kept.indices.forEach((i, j) => out.push({ ...raw[g[i]], score: kept.scores[j] }));
  }
}

/**
 * NMS (greedy or soft) applied within each image and class: the detections that survive, with their final scores.
 * The shared `nms` and `softNms`, whose picks and scores {@link nmsTrace} reproduces step by step (tested): without
 * a trace's copies of every score per step, this runs at load over all the shipped windows.
 */
export function nmsPerClass(raw: readonly ClassedDetection[], opts: NmsOptions): ClassedDetection[] {
  const out: ClassedDetection[] = [];
  for (const g of groupsOf(raw)) suppressGroup(raw, g, opts, out);
  return out;
}

/** The page's mAP line: the detections NMS keeps, mAP@0.5 with each interpolation and COCO's AP@[.5:.95]. */
export interface MapSummary {
  kept: number;
  voc11: number;
  vocAll: number;
  coco101: number;
  coco: number;
}

/**
 * {@link nmsPerClass} over all of `raw`, then {@link summaryAps} of what it keeps, cut into tasks of about `sliceMs`
 * milliseconds (groups of windows, then one mean AP each): on a phone, all 2,215 shipped windows at once held the
 * page for one long task. Same detections and numbers as the one-piece functions (tested).
 */
export async function mapSummary(raw: readonly ClassedDetection[], groundTruths: readonly (GroundTruth & { cls: number })[], opts: NmsOptions, sliceMs = 4): Promise<MapSummary> {
  const kept: ClassedDetection[] = [];
  let t0 = performance.now();
  for (const g of groupsOf(raw)) {
    if (performance.now() - t0 > sliceMs) {
      await nextTask();
      t0 = performance.now();
    }
    suppressGroup(raw, g, opts, kept);
  }
  return { kept: kept.length, ...(await summaryAps(kept, groundTruths)) };
}

/** One row of the table: a detection, in descending score order, and its fate under both matching rules. */
export interface PrRow {
  /** Index into the detections. */
  detection: number;
  score: number;
  image: number;
  /** IoU with the ground truth it was matched to (VOC: the best in its image; COCO: the best still free). */
  iou: number;
  voc: boolean;
  coco: boolean;
  /** Cumulative precision and recall after this detection, VOC and COCO matching. */
  precision: number;
  recall: number;
  cocoPrecision: number;
  cocoRecall: number;
}

/** What the precision–recall view draws after some detections. */
export interface PrFrame {
  /** Detections taken so far, of `rows.length`. */
  shown: number;
  /** Every detection's row (the view shows the first `shown`). */
  rows: PrRow[];
  groundTruths: number;
  /** AP of the detections taken so far, with each interpolation (VOC matching for the VOC ones). */
  ap: Record<Interpolation, number>;
}

/** The table's rows: both matchings of `detections` against `groundTruths` at `iouThreshold`. */
export function prRows(detections: readonly Detection[], groundTruths: readonly GroundTruth[], iouThreshold: number): PrRow[] {
  const voc = matchDetections(detections, groundTruths, iouThreshold, 'voc');
  const coco = matchDetections(detections, groundTruths, iouThreshold, 'coco');
  return voc.matches.map((m, k) => ({
    detection: m.detection,
    score: detections[m.detection].score,
    image: detections[m.detection].image,
    iou: m.iou,
    voc: m.tp,
    coco: coco.matches[k].tp,
    precision: voc.precision[k],
    recall: voc.recall[k],
    cocoPrecision: coco.precision[k],
    cocoRecall: coco.recall[k],
  }));
}

/** AP of the first `shown` rows: the curve a detector would give if cut at that score. */
export function prefixAp(rows: readonly PrRow[], shown: number): Record<Interpolation, number> {
  const r = rows.slice(0, shown);
  return {
    voc11: interpolatedAp(r.map((x) => x.precision), r.map((x) => x.recall), 'voc11'),
    'voc-all': interpolatedAp(r.map((x) => x.precision), r.map((x) => x.recall), 'voc-all'),
    coco101: interpolatedAp(r.map((x) => x.cocoPrecision), r.map((x) => x.cocoRecall), 'coco101'),
  };
}

/**
 * The precision–recall curve built detection by detection: step(k) takes the next k detections in descending
 * score order. Step 0 shows none; the last step's APs equal `averagePrecision` on all of them.
 */
export function createPrBuild(detections: readonly Detection[], groundTruths: readonly GroundTruth[], iouThreshold: number): Simulation<PrFrame> {
  const rows = prRows(detections, groundTruths, iouThreshold);
  let shown = 0;
  return {
    async step(k: number) {
      shown = Math.min(rows.length, shown + k);
      return { shown, rows, groundTruths: groundTruths.length, ap: prefixAp(rows, shown) };
    },
    dispose() {},
  };
}

/** Mean over classes of one AP (classes without ground truth skipped, as pycocotools does). */
export function meanAp(detections: readonly ClassedDetection[], groundTruths: readonly (GroundTruth & { cls: number })[], opts: { iouThreshold: number; interpolation: Interpolation }): number {
  let sum = 0;
  let n = 0;
  for (let c = 0; c < 10; c++) {
    const ap = averagePrecision(
      detections.filter((d) => d.cls === c),
      groundTruths.filter((g) => g.cls === c),
      opts,
    );
    if (Number.isNaN(ap)) continue;
    sum += ap;
    n++;
  }
  return n ? sum / n : NaN;
}

/** COCO's AP@[.5:.95], averaged over classes. */
export function meanCocoAp(detections: readonly ClassedDetection[], groundTruths: readonly (GroundTruth & { cls: number })[]): number {
  let sum = 0;
  for (let k = 0; k < 10; k++) sum += meanAp(detections, groundTruths, { iouThreshold: 0.5 + 0.05 * k, interpolation: 'coco101' });
  return sum / 10;
}

/**
 * The page's summary of `detections`: mAP@0.5 with each interpolation, and COCO's AP@[.5:.95] (equal to
 * {@link meanAp} and {@link meanCocoAp}). Thirteen mean APs, each in its own task: together they would hold the page
 * for one long task on a phone.
 */
export async function summaryAps(detections: readonly ClassedDetection[], groundTruths: readonly (GroundTruth & { cls: number })[]): Promise<{ voc11: number; vocAll: number; coco101: number; coco: number }> {
  const ap = async (iouThreshold: number, interpolation: Interpolation) => {
    await nextTask();
    return meanAp(detections, groundTruths, { iouThreshold, interpolation });
  };
  const voc11 = await ap(0.5, 'voc11');
  const vocAll = await ap(0.5, 'voc-all');
  const coco101 = await ap(0.5, 'coco101');
  let sum = 0;
  for (let k = 0; k < 10; k++) sum += await ap(0.5 + 0.05 * k, 'coco101');
  return { voc11, vocAll, coco101, coco: sum / 10 };
}

/**
 * What each interpolation integrates, for drawing: VOC all-point, the envelope as a step function (recall, precision
 * pairs, one per detection); 11- and 101-point, the precision taken at each recall level (0 when never reached).
 * The mean of the levels' precisions is the AP (tested against interpolatedAp).
 */
export function interpolationPoints(precision: readonly number[], recall: readonly number[], interpolation: Interpolation): { recall: number[]; precision: number[] } {
  const env = precisionEnvelope(precision);
  if (interpolation === 'voc-all') return { recall: recall.slice(), precision: env };
  const levels = interpolation === 'voc11' ? 11 : 101;
  const r: number[] = [];
  const p: number[] = [];
  let i = 0;
  for (let l = 0; l < levels; l++) {
    const t = l / (levels - 1);
    while (i < recall.length && recall[i] < t - 1e-12) i++;
    r.push(t);
    p.push(i < recall.length ? env[i] : 0);
  }
  return { recall: r, precision: p };
}
