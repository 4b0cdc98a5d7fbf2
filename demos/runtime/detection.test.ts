import { describe, expect, it } from 'vitest';
import { averagePrecision, cocoAp, interpolatedAp, iou, matchDetections, nms, precisionEnvelope, softNms, type Box, type Detection, type GroundTruth } from './detection';

describe('iou', () => {
  it('is intersection over union, symmetric, 1 for equal boxes and 0 for disjoint or empty ones', () => {
    expect(iou([0, 0, 2, 2], [1, 1, 3, 3])).toBeCloseTo(1 / 7, 12);
    expect(iou([1, 1, 3, 3], [0, 0, 2, 2])).toBeCloseTo(1 / 7, 12);
    expect(iou([0, 0, 4, 2], [0, 0, 2, 2])).toBeCloseTo(0.5, 12);
    expect(iou([0, 0, 1, 1], [0, 0, 1, 1])).toBe(1);
    expect(iou([0, 0, 1, 1], [1, 0, 2, 1])).toBe(0); // touching edges
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });
});

describe('nms', () => {
  const boxes: Box[] = [[0, 0, 10, 10], [1, 0, 11, 10], [20, 20, 30, 30], [0, 1, 10, 11], [21, 20, 31, 30]];
  const scores = [0.9, 0.95, 0.5, 0.3, 0.6];
  it('keeps the best of each cluster, in descending score order', () => {
    expect(nms(boxes, scores, 0.5)).toEqual([1, 4]);
  });
  it('keeps everything at threshold 1 and suppresses only exact overlaps above it', () => {
    expect(nms(boxes, scores, 1)).toEqual([1, 0, 4, 2, 3]);
    // IoU of boxes 0 and 1 is 9/11 ≈ 0.818: a threshold just above keeps both.
    expect(nms(boxes.slice(0, 2), scores.slice(0, 2), 0.82)).toEqual([1, 0]);
    expect(nms(boxes.slice(0, 2), scores.slice(0, 2), 0.81)).toEqual([1]);
  });
  it('rejects mismatched inputs', () => {
    expect(() => nms(boxes, [1], 0.5)).toThrow(/5 boxes but 1 scores/);
  });
});

describe('softNms', () => {
  it('decays overlapping scores instead of deleting them', () => {
    const boxes: Box[] = [[0, 0, 10, 10], [1, 0, 11, 10], [50, 50, 60, 60]];
    const lin = softNms(boxes, [0.9, 0.8, 0.7], { method: 'linear', iouThreshold: 0.3 });
    expect(lin.indices).toEqual([0, 2, 1]);
    expect(lin.scores[2]).toBeCloseTo(0.8 * (1 - 9 / 11), 12);
    const g = softNms(boxes, [0.9, 0.8, 0.7], { method: 'gaussian', sigma: 0.5 });
    expect(g.indices).toEqual([0, 2, 1]);
    expect(g.scores[2]).toBeCloseTo(0.8 * Math.exp(-((9 / 11) ** 2) / 0.5), 12);
  });
});

// One image, two objects; four detections: a hit, a duplicate of it, a miss, and a late hit.
const gts: GroundTruth[] = [
  { image: 0, box: [0, 0, 10, 10] },
  { image: 0, box: [20, 0, 30, 10] },
];
const dets: Detection[] = [
  { image: 0, box: [0, 0, 10, 10], score: 0.9 },
  { image: 0, box: [1, 0, 11, 10], score: 0.8 },
  { image: 0, box: [50, 50, 60, 60], score: 0.7 },
  { image: 0, box: [20, 0, 30, 10], score: 0.6 },
];

describe('matching and average precision', () => {
  it('accumulates precision and recall detection by detection', () => {
    const c = matchDetections(dets, gts, 0.5, 'voc');
    expect(c.matches.map((m) => m.tp)).toEqual([true, false, false, true]);
    expect(c.precision).toEqual([1, 0.5, 1 / 3, 0.5]);
    expect(c.recall).toEqual([0.5, 0.5, 0.5, 1]);
    expect(precisionEnvelope(c.precision)).toEqual([1, 0.5, 0.5, 0.5]);
  });
  it('gives the three interpolations their hand-derived values', () => {
    // all-point: 0.5·1 + 0.5·0.5 = 0.75. 11-point: levels 0…0.5 take 1 (6 of them), 0.6…1 take 0.5 (5): 8.5/11.
    // 101-point: levels 0…0.50 take 1 (51), 0.51…1 take 0.5 (50): 76/101.
    expect(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'voc-all' })).toBeCloseTo(0.75, 12);
    expect(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'voc11' })).toBeCloseTo(8.5 / 11, 12);
    expect(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'coco101' })).toBeCloseTo(76 / 101, 12);
  });
  it('differs between VOC and COCO matching when the best overlap is already taken', () => {
    // Two overlapping objects; the second detection overlaps the taken object most, the free one by IoU 0.6.
    const g: GroundTruth[] = [{ image: 0, box: [0, 0, 10, 10] }, { image: 0, box: [4, 0, 14, 10] }];
    const d: Detection[] = [{ image: 0, box: [0, 0, 10, 10], score: 0.9 }, { image: 0, box: [2, 0, 12, 10], score: 0.8 }];
    expect(iou(d[1].box, g[0].box)).toBeCloseTo(8 / 12, 12);
    expect(iou(d[1].box, g[1].box)).toBeCloseTo(8 / 12, 12);
    const shifted: Detection[] = [d[0], { image: 0, box: [1, 0, 11, 10], score: 0.8 }]; // IoU 9/11 vs 7/13
    expect(matchDetections(shifted, g, 0.5, 'voc').matches.map((m) => m.tp)).toEqual([true, false]);
    expect(matchDetections(shifted, g, 0.5, 'coco').matches.map((m) => m.tp)).toEqual([true, true]);
  });
  it('never matches across images, and is NaN without ground truth', () => {
    const other = dets.map((x) => ({ ...x, image: 1 }));
    expect(averagePrecision(other, gts, { iouThreshold: 0.5, interpolation: 'voc-all' })).toBe(0);
    expect(averagePrecision(dets, [], { iouThreshold: 0.5, interpolation: 'coco101' })).toBeNaN();
  });
  it('is 1 for perfect detections at every threshold, and AP@[.5:.95] falls as boxes loosen', () => {
    const perfect = gts.map((g, i) => ({ ...g, score: 1 - i / 10 }));
    expect(cocoAp(perfect, gts)).toBeCloseTo(1, 12);
    // Each box shifted by 1 px: IoU 9/11 ≈ 0.818 passes thresholds 0.50…0.80 (7 of 10).
    const loose = perfect.map((p) => ({ ...p, box: [p.box[0] + 1, p.box[1], p.box[2] + 1, p.box[3]] as Box }));
    expect(cocoAp(loose, gts)).toBeCloseTo(0.7, 12);
  });
  it('integrates any curve: an envelope step at recall 0.5 from precision 1 to 0.5', () => {
    expect(interpolatedAp([1, 0.5], [0.5, 1], 'voc-all')).toBeCloseTo(0.75, 12);
  });
});
