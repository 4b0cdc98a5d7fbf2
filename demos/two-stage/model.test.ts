import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeShipped } from '../runtime/data/scene-set';
import { tf } from '../runtime/tf';
import { createPoolSweep, features, generateAnchors, labelAnchors, quantisationError, roiAlign, roiAlignPoints, roiPool, roiPoolBins, roiPoolMasked, roiPoolSliced, toMap, type Box } from './model';

describe('anchors', () => {
  it('one box per cell, scale and ratio, of area s² and height / width r, centred on the cell', () => {
    const a = generateAnchors({ size: 32, stride: 8, scales: [8, 16], ratios: [0.5, 1, 2] });
    expect(a).toHaveLength(4 * 4 * 2 * 3);
    // The first cell's centre is (4, 4); its scale-16, ratio-2 anchor is 16/√2 wide and 16·√2 tall.
    const [x1, y1, x2, y2] = a[5];
    expect((x1 + x2) / 2).toBeCloseTo(4, 12);
    expect((y1 + y2) / 2).toBeCloseTo(4, 12);
    expect((x2 - x1) * (y2 - y1)).toBeCloseTo(256, 9);
    expect((y2 - y1) / (x2 - x1)).toBeCloseTo(2, 12);
    // The last anchor sits at the last cell's centre (28, 28).
    expect((a[a.length - 1][0] + a[a.length - 1][2]) / 2).toBeCloseTo(28, 12);
  });
});

describe("the RPN's labelling rule", () => {
  const gts: Box[] = [[0, 0, 10, 10]];
  it('positive at IoU ≥ 0.7, negative below 0.3, ignored between, and the best anchor of a ground truth positive', () => {
    const anchors: Box[] = [
      [0, 0, 10, 10], // IoU 1: positive
      [0, 0, 10, 12], // IoU 100/120 = 0.83: positive
      [5, 0, 15, 10], // IoU 1/3: ignored
      [20, 20, 30, 30], // IoU 0: negative
    ];
    const l = labelAnchors(anchors, gts, { positive: 0.7, negative: 0.3 });
    expect(Array.from(l.label)).toEqual([1, 1, -1, 0]);
    expect(l.counts).toEqual({ positive: 2, negative: 1, ignored: 1 });
    expect(l.byBest).toBe(0);
  });
  it('gives a ground truth that no anchor reaches at 0.7 its best anchor(s), ties included', () => {
    const anchors: Box[] = [
      [5, 0, 15, 10], // IoU 1/3
      [0, 5, 10, 15], // IoU 1/3, tied
      [6, 0, 16, 10], // IoU 0.25: negative
    ];
    const l = labelAnchors(anchors, gts, { positive: 0.7, negative: 0.3 });
    expect(Array.from(l.label)).toEqual([1, 1, 0]);
    expect(l.byBest).toBe(2);
  });
  it('ignores anchors that cross the image border', () => {
    const l = labelAnchors([[-2, 0, 8, 10], [0, 0, 10, 10]], gts, { positive: 0.7, negative: 0.3, size: 20 });
    expect(Array.from(l.label)).toEqual([-1, 1]);
    expect(l.outside).toBe(1);
  });
});

describe("the demo's defaults on the 24 shipped scenes", () => {
  it('label 86 anchors positive, 73 of them by the best-anchor rule; 65 of 75 digits reach 0.7 with none; half cross the border', () => {
    const shipped = decodeShipped(JSON.parse(fs.readFileSync('public/models/cnn-sliding-window/detections.json', 'utf8')));
    const anchors = generateAnchors({ size: 64, stride: 8, scales: [16, 24], ratios: [0.5, 1, 2] });
    expect(anchors).toHaveLength(384);
    let positive = 0;
    let byBest = 0;
    let outside = 0;
    let digits = 0;
    let unreached = 0;
    for (const s of shipped.scenes) {
      const gts = s.objects.map((o) => o.box);
      const l = labelAnchors(anchors, gts, { positive: 0.7, negative: 0.3, size: 64 });
      positive += l.counts.positive;
      byBest += l.byBest;
      outside += l.outside;
      digits += gts.length;
      unreached += gts.filter((_, g) => !anchors.some((_, i) => l.match[i] === g && l.best[i] >= 0.7)).length;
    }
    expect({ positive, byBest, outside, digits, unreached }).toEqual({ positive: 86, byBest: 73, outside: 4608, digits: 75, unreached: 65 });
  });
});

/** A 4 × 4 map holding 0 … 15 row by row, one channel. */
const ramp = () => tf.tensor3d(Array.from({ length: 16 }, (_, i) => i), [4, 4, 1]);
/** A map whose value is the column index: f = x − ½ at map coordinate x (cell j centred at j + ½). */
const columns = (n: number) => tf.tensor3d(Array.from({ length: n * n }, (_, i) => i % n), [n, n, 1]);

describe('RoI pooling and RoIAlign on hand-built maps', () => {
  it('RoI pooling: the max of each quantised bin', async () => {
    const m = ramp();
    const out = roiPool(m, [0, 0, 4, 4], 2);
    expect(Array.from(await out.data())).toEqual([5, 7, 13, 15]);
    // A box a little inside rounds back to the same cells: the output does not move.
    const out2 = roiPool(m, [0.4, 0.4, 3.6, 3.6], 2);
    expect(Array.from(await out2.data())).toEqual([5, 7, 13, 15]);
    expect(roiPoolBins([0.4, 0.4, 3.6, 3.6], 2, 4, 4)).toEqual([[0, 0, 2, 2], [2, 0, 4, 2], [0, 2, 2, 4], [2, 2, 4, 4]]);
    // Three bins over a 4-cell box: edges floor(4/3) = 1 and ceil(4/3) = 2 — neighbouring bins overlap.
    expect(roiPoolBins([0, 0, 4, 1], 3, 4, 4).slice(0, 3).map((b) => [b[0], b[2]])).toEqual([[0, 2], [1, 3], [2, 4]]);
    tf.dispose([m, out, out2]);
  });
  it('RoIAlign: bilinear samples at the sub-cell centres, averaged per bin — exact on a linear map', async () => {
    const m = columns(5);
    // Box [0.5, 3.5] in map coordinates, 3 bins of width 1 centred at 1, 2, 3: values 0.5, 1.5, 2.5.
    const out = roiAlign(m, [0.5, 0.5, 3.5, 3.5], 3, 2);
    const v = Array.from(await out.data());
    [0.5, 1.5, 2.5, 0.5, 1.5, 2.5, 0.5, 1.5, 2.5].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 5));
    // Moving the box by a quarter cell moves every output by a quarter: no quantisation.
    const moved = roiAlign(m, [0.75, 0.5, 3.75, 3.5], 3, 2);
    const w = Array.from(await moved.data());
    w.forEach((x, i) => expect(x - v[i]).toBeCloseTo(0.25, 5));
    expect(roiAlignPoints([0, 0, 2, 2], 1, 2)).toEqual([[0.5, 0.5], [1.5, 0.5], [0.5, 1.5], [1.5, 1.5]]);
    tf.dispose([m, out, moved]);
  });
  it('quantisation error: the edges RoI pooling reads against the box', () => {
    const q = quantisationError([0.4, 0.4, 3.6, 3.6], 2, 8, 8);
    expect(q.covered).toEqual([0, 0, 4, 4]);
    expect(q.edge).toBeCloseTo(0.4, 12);
    expect(q.iou).toBeCloseTo((3.2 * 3.2) / 16, 12);
    expect(quantisationError([1, 1, 3, 3], 2, 8, 8).edge).toBe(0);
  });
});

describe('the pooling sweep on a feature map', () => {
  it('RoIAlign changes with the offset while RoI pooling jumps, and no tensor is left behind', async () => {
    const before = tf.memory().numTensors;
    // A random backbone on a 32 × 32 image: a 5 × 5 map.
    const kernels = [tf.randomNormal([5, 5, 1, 2], 0, 1, 'float32', 1), tf.zeros([2]), tf.randomNormal([5, 5, 2, 3], 0, 1, 'float32', 2), tf.zeros([3])] as const;
    const image = Float32Array.from({ length: 32 * 32 }, (_, i) => ((i * 7919) % 101) / 100);
    const map = features({ kernels: [...kernels] as never }, image, 32);
    expect(map.shape).toEqual([5, 5, 3]);
    const sim = createPoolSweep(map, [8, 8, 24, 24], { k: 2, maxOffset: 1 });
    const f0 = await sim.step(0);
    expect(f0.sweep).toHaveLength(1);
    expect(f0.roi).toEqual(toMap([8, 8, 24, 24]));
    const f = await sim.step(100);
    expect(f.sweep).toHaveLength(5);
    // A quarter pixel is 1/16 of a cell: RoI pooling reads the same cells until a rounded edge flips.
    expect(f.sweep[1].poolChange).toBe(0);
    expect(f.sweep[1].alignChange).toBeGreaterThan(0);
    sim.dispose();
    sim.dispose();
    tf.dispose([...kernels]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('RoI pooling by masks', () => {
  it('equals a slice and a max per bin, with negative values and empty bins', async () => {
    const m = tf.randomNormal([6, 7, 3], 0, 1, 'float32', 5) as tf.Tensor3D;
    // Bins past the map's edge are clipped to nothing: those give 0.
    for (const [roi, k] of [[[0.4, 1.2, 5.6, 4.9], 3], [[4.6, 3.5, 9, 8], 2], [[1, 1, 2, 2], 4]] as [Box, number][]) {
      const masked = roiPoolMasked(m, roi, k);
      const sliced = roiPoolSliced(m, roi, k);
      expect(masked.shape).toEqual([k, k, 3]);
      expect(Array.from(await masked.data())).toEqual(Array.from(await sliced.data()));
      tf.dispose([masked, sliced]);
    }
    const edge = roiPoolMasked(m, [4.6, 3.5, 9, 8], 2);
    expect(Array.from(edge.dataSync()).slice(3, 6)).toEqual([0, 0, 0]);
    tf.dispose([edge, m]);
  });
});
