import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { interpolatedAp, softNms } from '../runtime/detection';
import { tf } from '../runtime/tf';
import type { Scene } from '../runtime/data/scenes';
import { averagePrecision, createPrBuild, decodeShipped, interpolationPoints, intersection, iou, mapSummary, meanAp, meanCocoAp, nms, nmsPerClass, nmsTrace, summaryAps, type Box, type ClassedDetection, type ShippedDetections } from './model';
import { inkBox, slidingWindowDetect, windows } from './detector';

describe('the public API (issue 17), with nothing set up', () => {
  it('iou: intersection over union, worked by hand', () => {
    // 10×10 boxes shifted by 5: intersection 50, union 150.
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(1 / 3, 12);
    // One box inside another: 4 / 16.
    expect(iou([0, 0, 4, 4], [1, 1, 3, 3])).toBeCloseTo(0.25, 12);
    expect(iou([0, 0, 1, 1], [2, 2, 3, 3])).toBe(0);
    expect(intersection([0, 0, 10, 10], [5, 2, 15, 12])).toEqual([5, 2, 10, 10]);
    expect(intersection([0, 0, 1, 1], [1, 0, 2, 1])).toBeNull();
  });
  it('nms: kept indices in descending score order', () => {
    const boxes: Box[] = [[0, 0, 10, 10], [5, 0, 15, 10], [1, 0, 11, 10], [30, 30, 40, 40]];
    // IoU(0, 2) = 9/11 > 0.5: box 2 goes; IoU(0, 1) = 1/3 stays under 0.5 but not under 0.3.
    expect(nms(boxes, [0.9, 0.8, 0.7, 0.95], 0.5)).toEqual([3, 0, 1]);
    expect(nms(boxes, [0.9, 0.8, 0.7, 0.95], 0.3)).toEqual([3, 0]);
  });
  it('averagePrecision: VOC takes the best ground truth even when taken, COCO the best still free', () => {
    const gts = [
      { image: 0, box: [0, 0, 10, 10] as Box },
      { image: 0, box: [4, 0, 14, 10] as Box },
    ];
    // The second detection overlaps the first (taken) object by 9/11 and the second by 7/13 ≈ 0.54.
    const dets = [
      { image: 0, box: [0, 0, 10, 10] as Box, score: 0.9 },
      { image: 0, box: [1, 0, 11, 10] as Box, score: 0.8 },
    ];
    // VOC: TP, FP → precision 1, 1/2 at recall 1/2 → all-point AP 1/2; 11-point: levels 0…0.5 at 1, the rest 0.
    expect(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'voc-all' })).toBeCloseTo(0.5, 12);
    expect(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'voc11' })).toBeCloseTo(6 / 11, 12);
    // COCO re-routes the duplicate to the free object: TP, TP → AP 1.
    expect(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'coco101' })).toBeCloseTo(1, 12);
    // Above 7/13 the second object is out of reach for COCO too: 51 of 101 levels at precision 1.
    expect(averagePrecision(dets, gts, { iouThreshold: 0.55, interpolation: 'coco101' })).toBeCloseTo(51 / 101, 12);
  });
  it('averagePrecision: the three interpolations of one curve, by hand', () => {
    const gts = [
      { image: 0, box: [0, 0, 10, 10] as Box },
      { image: 1, box: [0, 0, 10, 10] as Box },
    ];
    // TP, FP, FP, TP: precision 1, 1/2, 1/3, 1/2 at recall 1/2, 1/2, 1/2, 1.
    const dets = [
      { image: 0, box: [0, 0, 10, 10] as Box, score: 0.9 },
      { image: 0, box: [20, 20, 30, 30] as Box, score: 0.8 },
      { image: 1, box: [20, 0, 30, 10] as Box, score: 0.7 },
      { image: 1, box: [1, 1, 10, 10] as Box, score: 0.6 },
    ];
    expect(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'voc-all' })).toBeCloseTo(0.5 * 1 + 0.5 * 0.5, 12);
    expect(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'voc11' })).toBeCloseTo((6 + 5 * 0.5) / 11, 12);
    expect(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'coco101' })).toBeCloseTo((51 + 50 * 0.5) / 101, 12);
  });
});

/**
 * The worked example of rafaelpadilla/Object-Detection-Metrics (README, "A practical example"; files
 * samples/sample_2/groundtruths and detections): 7 images, 15 objects, 24 detections, IoU threshold 0.3. Its
 * boxes are x, y, width, height in pixels, and it measures areas as the VOC devkit does, (x2 − x1 + 1)·(y2 − y1 + 1)
 * with x2 = x + width: so a box here ends at x + width + 1. Data as published: image, x, y, w, h (and score).
 */
const PADILLA_GT = [
  [1, 25, 16, 38, 56], [1, 129, 123, 41, 62], [2, 123, 11, 43, 55], [2, 38, 132, 59, 45], [3, 16, 14, 35, 48],
  [3, 123, 30, 49, 44], [3, 99, 139, 47, 47], [4, 53, 42, 40, 52], [4, 154, 43, 31, 34], [5, 59, 31, 44, 51],
  [5, 48, 128, 34, 52], [6, 36, 89, 52, 76], [6, 62, 58, 44, 67], [7, 28, 31, 55, 63], [7, 58, 67, 50, 58],
];
const PADILLA_DET = [
  [1, 0.88, 5, 67, 31, 48], [1, 0.7, 119, 111, 40, 67], [1, 0.8, 124, 9, 49, 67], [2, 0.71, 64, 111, 64, 58],
  [2, 0.54, 26, 140, 60, 47], [2, 0.74, 19, 18, 43, 35], [3, 0.18, 109, 15, 77, 39], [3, 0.67, 86, 63, 46, 45],
  [3, 0.38, 160, 62, 36, 53], [3, 0.91, 105, 131, 47, 47], [3, 0.44, 18, 148, 40, 44], [4, 0.35, 83, 28, 28, 26],
  [4, 0.78, 28, 68, 42, 67], [4, 0.45, 87, 89, 25, 39], [4, 0.14, 10, 155, 60, 26], [5, 0.62, 50, 38, 28, 46],
  [5, 0.44, 95, 11, 53, 28], [5, 0.95, 29, 131, 72, 29], [5, 0.23, 29, 163, 72, 29], [6, 0.45, 43, 48, 74, 38],
  [6, 0.84, 17, 155, 29, 35], [6, 0.43, 95, 110, 25, 42], [7, 0.48, 16, 20, 101, 88], [7, 0.95, 33, 116, 37, 49],
];

describe("a published worked example (Padilla's Object-Detection-Metrics)", () => {
  const box = (x: number, y: number, w: number, h: number, plus: number): Box => [x, y, x + w + plus, y + h + plus];
  const data = (plus: number) => ({
    gts: PADILLA_GT.map(([image, x, y, w, h]) => ({ image, box: box(x, y, w, h, plus) })),
    dets: PADILLA_DET.map(([image, score, x, y, w, h]) => ({ image, score, box: box(x, y, w, h, plus) })),
  });
  it('gives its 11-point AP 26.84 % and all-point AP 24.56 %', () => {
    const { gts, dets } = data(1);
    expect(gts).toHaveLength(15);
    expect(dets).toHaveLength(24);
    expect(100 * averagePrecision(dets, gts, { iouThreshold: 0.3, interpolation: 'voc11' })).toBeCloseTo(26.84, 2);
    // 24.5687 %, which the tutorial prints truncated as 24.56 %.
    expect(100 * averagePrecision(dets, gts, { iouThreshold: 0.3, interpolation: 'voc-all' })).toBeCloseTo(24.56, 1);
    expect(Math.floor(10000 * averagePrecision(dets, gts, { iouThreshold: 0.3, interpolation: 'voc-all' }))).toBe(2456);
  });
  it('without the devkit’s +1 pixel one detection (IoU 0.303 → 0.295) turns false and all-point AP drops to 22.54 %', () => {
    const { gts, dets } = data(0);
    expect(100 * averagePrecision(dets, gts, { iouThreshold: 0.3, interpolation: 'voc-all' })).toBeCloseTo(22.54, 2);
    expect(100 * averagePrecision(dets, gts, { iouThreshold: 0.3, interpolation: 'voc11' })).toBeCloseTo(26.84, 2);
  });
});

describe('NMS step by step', () => {
  const boxes: Box[] = [[0, 0, 10, 10], [1, 0, 11, 10], [5, 0, 15, 10], [40, 40, 50, 50], [41, 41, 51, 51], [3, 3, 13, 13]];
  const scores = [0.9, 0.85, 0.6, 0.7, 0.65, 0.3];
  it('greedy: its picks are nms, in order, and every removal overlaps its pick above the threshold', () => {
    for (const t of [0.2, 0.4, 0.5, 0.7]) {
      const trace = nmsTrace(boxes, scores, { method: 'greedy', iouThreshold: t });
      expect(trace.map((s) => s.pick)).toEqual(nms(boxes, scores, t));
      for (const s of trace) for (const r of s.removed) expect(iou(boxes[s.pick], boxes[r])).toBeGreaterThan(t);
    }
  });
  it('soft: its picks and final scores are softNms, linear and Gaussian', () => {
    for (const method of ['linear', 'gaussian'] as const) {
      const trace = nmsTrace(boxes, scores, { method, iouThreshold: 0.3, sigma: 0.5 });
      const ref = softNms(boxes, scores, { method, iouThreshold: 0.3, sigma: 0.5 });
      expect(trace.map((s) => s.pick)).toEqual(ref.indices);
      trace.forEach((s, k) => expect(s.scores[s.pick]).toBeCloseTo(ref.scores[k], 12));
    }
  });
  it('per class: boxes of different digits never suppress each other', () => {
    const raw: ClassedDetection[] = [
      { image: 0, cls: 1, box: [0, 0, 10, 10], score: 0.9 },
      { image: 0, cls: 7, box: [0, 0, 10, 10], score: 0.8 },
      { image: 0, cls: 1, box: [1, 0, 11, 10], score: 0.7 },
      { image: 1, cls: 1, box: [1, 0, 11, 10], score: 0.6 },
    ];
    const kept = nmsPerClass(raw, { method: 'greedy', iouThreshold: 0.5 });
    expect(kept.map((d) => d.score).sort()).toEqual([0.6, 0.8, 0.9]);
  });
});

describe('precision–recall detection by detection', () => {
  const gts = [0, 1, 2].map((image) => ({ image, box: [0, 0, 10, 10] as Box }));
  const dets = [0.9, 0.8, 0.7, 0.6, 0.5].map((score, i) => ({ image: i % 3, score, box: (i === 1 ? [20, 20, 30, 30] : [0, 0, 10, 10]) as Box }));
  it('ends at averagePrecision with every interpolation, and grows one row a step', async () => {
    const sim = createPrBuild(dets, gts, 0.5);
    expect((await sim.step(0)).shown).toBe(0);
    expect((await sim.step(2)).shown).toBe(2);
    const f = await sim.step(100);
    expect(f.shown).toBe(5);
    expect(f.rows.map((r) => r.voc)).toEqual([true, false, true, false, true]);
    expect(f.ap['voc-all']).toBeCloseTo(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'voc-all' }), 12);
    expect(f.ap.voc11).toBeCloseTo(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'voc11' }), 12);
    expect(f.ap.coco101).toBeCloseTo(averagePrecision(dets, gts, { iouThreshold: 0.5, interpolation: 'coco101' }), 12);
    sim.dispose();
  });
  it('draws what the AP integrates: the mean of the levels, the area under the envelope', () => {
    const p = [1, 0.5, 2 / 3, 0.5, 0.6];
    const r = [1 / 3, 1 / 3, 2 / 3, 2 / 3, 1];
    for (const m of ['voc11', 'coco101'] as const) {
      const pts = interpolationPoints(p, r, m);
      expect(pts.precision.reduce((a, b) => a + b, 0) / pts.precision.length).toBeCloseTo(interpolatedAp(p, r, m), 12);
    }
    const env = interpolationPoints(p, r, 'voc-all');
    expect(env.precision).toEqual([1, 2 / 3, 2 / 3, 0.6, 0.6]);
    expect(env.recall.reduce((a, x, i) => a + (x - (i ? env.recall[i - 1] : 0)) * env.precision[i], 0)).toBeCloseTo(interpolatedAp(p, r, 'voc-all'), 12);
  });
});

describe('the shipped sliding-window output', () => {
  const json = JSON.parse(fs.readFileSync('public/models/cnn-sliding-window/detections.json', 'utf8')) as ShippedDetections;
  const shipped = decodeShipped(json);
  it('holds 24 scenes of 64×64 pixels, 75 digits and 2,215 windows', () => {
    expect(shipped.scenes).toHaveLength(24);
    expect(shipped.scenes[0].pixels).toHaveLength(64 * 64);
    expect(shipped.groundTruths).toHaveLength(75);
    expect(shipped.raw).toHaveLength(2215);
  });
  it('gives the mAP the notes quote: greedy NMS at 0.5, 60.1 % (VOC all-point) and AP@[.5:.95] 33.2 %; greedy at 0.3, 62.1 % and 32.9 %; linear Soft-NMS 62.1 % and 34.1 %', () => {
    const greedy = nmsPerClass(shipped.raw, { method: 'greedy', iouThreshold: 0.5 });
    expect(100 * meanAp(greedy, shipped.groundTruths, { iouThreshold: 0.5, interpolation: 'voc-all' })).toBeCloseTo(60.1, 1);
    expect(100 * meanCocoAp(greedy, shipped.groundTruths)).toBeCloseTo(33.2, 1);
    expect(greedy).toHaveLength(951);
    // The other two interpolations of the same detections: 60.4 % (11-point) and 60.2 % (101-point).
    expect(100 * meanAp(greedy, shipped.groundTruths, { iouThreshold: 0.5, interpolation: 'voc11' })).toBeCloseTo(60.4, 1);
    expect(100 * meanAp(greedy, shipped.groundTruths, { iouThreshold: 0.5, interpolation: 'coco101' })).toBeCloseTo(60.2, 1);
    const greedy3 = nmsPerClass(shipped.raw, { method: 'greedy', iouThreshold: 0.3 });
    expect(100 * meanAp(greedy3, shipped.groundTruths, { iouThreshold: 0.5, interpolation: 'voc-all' })).toBeCloseTo(62.1, 1);
    expect(100 * meanCocoAp(greedy3, shipped.groundTruths)).toBeCloseTo(32.9, 1);
    const soft = nmsPerClass(shipped.raw, { method: 'linear', iouThreshold: 0.3 });
    expect(100 * meanAp(soft, shipped.groundTruths, { iouThreshold: 0.5, interpolation: 'voc-all' })).toBeCloseTo(62.1, 1);
    expect(100 * meanCocoAp(soft, shipped.groundTruths)).toBeCloseTo(34.1, 1);
    expect([greedy3.length, soft.length]).toEqual([696, 2003]);
  });
  it('summarises as the page does, task by task, with the same numbers', async () => {
    const greedy = nmsPerClass(shipped.raw, { method: 'greedy', iouThreshold: 0.5 });
    const gts = shipped.groundTruths;
    expect(await summaryAps(greedy, gts)).toEqual({
      voc11: meanAp(greedy, gts, { iouThreshold: 0.5, interpolation: 'voc11' }),
      vocAll: meanAp(greedy, gts, { iouThreshold: 0.5, interpolation: 'voc-all' }),
      coco101: meanAp(greedy, gts, { iouThreshold: 0.5, interpolation: 'coco101' }),
      coco: meanCocoAp(greedy, gts),
    });
  });
  it('summarises all windows in tasks with the numbers of the one-piece NMS and mean APs', async () => {
    const gts = shipped.groundTruths;
    for (const opts of [{ method: 'greedy', iouThreshold: 0.5 }, { method: 'gaussian', iouThreshold: 0.5, sigma: 0.5 }] as const) {
      const kept = nmsPerClass(shipped.raw, opts);
      const whole = { kept: kept.length, ...(await summaryAps(kept, gts)) };
      // sliceMs 0: a task of its own for every group of windows.
      expect(await mapSummary(shipped.raw, gts, opts, 0)).toEqual(whole);
      expect(await mapSummary(shipped.raw, gts, opts)).toEqual(whole);
    }
  });
  it('per image and class, keeps exactly what the step-by-step trace keeps, with its final scores', () => {
    // The first 400 windows: a few scenes, every group size the shipped output has.
    const raw = shipped.raw.slice(0, 400);
    for (const method of ['greedy', 'linear', 'gaussian'] as const) {
      const traced: ClassedDetection[] = [];
      for (const image of new Set(raw.map((d) => d.image))) {
        for (let cls = 0; cls < 10; cls++) {
          const g = raw.filter((d) => d.image === image && d.cls === cls);
          if (g.length) for (const st of nmsTrace(g.map((d) => d.box), g.map((d) => d.score), { method, iouThreshold: 0.3 })) traced.push({ ...g[st.pick], score: st.scores[st.pick] });
        }
      }
      const key = (d: ClassedDetection) => `${d.image} ${d.cls} ${d.box.join()} ${d.score}`;
      expect(nmsPerClass(raw, { method, iouThreshold: 0.3 }).map(key).sort()).toEqual(traced.map(key).sort());
    }
  });
  it('rejects a file that is not the shipped output', () => {
    expect(() => decodeShipped({} as ShippedDetections)).toThrow(/not the shipped/);
  });
});

describe('the sliding-window detector', () => {
  it('lists every window and finds the ink box inside one', () => {
    expect(windows(10, [4, 6], 2)).toHaveLength(16 + 9);
    // The shipped run: 144 + 100 + 81 windows in each of the 24 scenes of 64 pixels.
    expect(24 * windows(64, [20, 26, 32], 4).length).toBe(7800);
    const image = new Float32Array(100);
    image[3 * 10 + 4] = 1;
    image[6 * 10 + 7] = 0.8;
    const scene: Scene = { size: 10, image, mask: new Uint8Array(100), objects: [] };
    expect(inkBox(scene, [0, 0, 10, 10], 0.3)).toEqual([4, 3, 8, 7]);
    expect(inkBox(scene, [0, 0, 4, 4], 0.3)).toBeNull();
  });
  it('classifies every window with ink and frees its tensors', async () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'ones' })] });
    const image = new Float32Array(16 * 16);
    for (let y = 4; y < 12; y++) image[y * 16 + 8] = 1;
    const scene: Scene = { size: 16, image, mask: new Uint8Array(256), objects: [] };
    const before = tf.memory().numTensors;
    const found = await slidingWindowDetect(model, [scene], { sizes: [8, 16], stride: 4, minScore: 0, inkThreshold: 0.3 });
    expect(tf.memory().numTensors).toBe(before);
    // Equal weights: every class scores 1/10; only windows whose centre holds ink count.
    expect(found.length).toBeGreaterThan(0);
    for (const d of found) expect(d.score).toBeCloseTo(0.1, 5);
    expect(found.every((d) => d.box[0] === 8)).toBe(true);
    model.dispose();
  });
});
