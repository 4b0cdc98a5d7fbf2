import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import type { Scene } from '../runtime/data/scenes';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { JobError } from '../runtime/jobs/protocol';
import {
  cellCentre,
  createKeypointNet,
  DEFAULT_CONFIG,
  HEAT,
  heldOutScenes,
  initialFlat,
  keypointOf,
  keypointsFromHeatmaps,
  MARGIN,
  parameterCount,
  peakInBox,
  pck,
  predictHeatmaps,
  referenceSize,
  SCENE,
  SIGMA,
  targetHeatmaps,
  upsample2,
} from './model';
import { trainKeypoints } from './train';

// The network's convolutions on wasm, as in the worker; the first 200 test digits, parsed once.
let test: MnistArrays;
beforeAll(async () => {
  await useNodeBackend('wasm');
  test = sliceDigits(loadMnistNode('test'), 0, 200);
});

/** A 48×48 scene with one "digit" of class `cls`: the pixels listed, at intensity 1 (or the value given). */
function scene(pixels: [number, number, number?][], cls = 4): Scene {
  const image = new Float32Array(SCENE * SCENE);
  const mask = new Uint8Array(SCENE * SCENE);
  let x1 = SCENE;
  let y1 = SCENE;
  let x2 = 0;
  let y2 = 0;
  for (const [c, r, v = 1] of pixels) {
    image[r * SCENE + c] = v;
    mask[r * SCENE + c] = cls + 1;
    x1 = Math.min(x1, c);
    y1 = Math.min(y1, r);
    x2 = Math.max(x2, c + 1);
    y2 = Math.max(y2, r + 1);
  }
  return { size: SCENE, image, mask, objects: [{ cls, box: [x1, y1, x2, y2], source: 0 }] };
}

describe('keypoints, heatmaps and PCK', () => {
  it('the top end is the middle of the topmost row of the digit’s ink; the centre is its intensity-weighted mean', () => {
    // A "7": a bar on row 10 from column 20 to 27, then a stroke down the right.
    const px: [number, number, number?][] = [];
    for (let c = 20; c < 28; c++) px.push([c, 10]);
    for (let r = 11; r < 30; r++) px.push([27 - Math.floor((r - 11) / 4), r, 0.5]);
    const s = scene(px, 7);
    const o = s.objects[0];
    expect(o.box).toEqual([20, 10, 28, 30]);
    expect(keypointOf(s, o, 'top')).toEqual({ x: 24, y: 10.5 }); // centres 20.5 … 27.5
    const c = keypointOf(s, o, 'centre');
    let w = 0;
    let sx = 0;
    let sy = 0;
    for (const [x, y, v = 1] of px) {
      w += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
    expect(c.x).toBeCloseTo(sx / w, 5);
    expect(c.y).toBeCloseTo(sy / w, 5);
    expect(referenceSize(o)).toBe(20);
    // A pixel of another digit's class in the top row does not count; if it is the only ink there, it does.
    s.mask[10 * SCENE + 20] = 3;
    expect(keypointOf(s, o, 'top').x).toBeCloseTo(24.5, 6);
  });

  it('the target is exp(−d²/2σ²) at each cell, the maximum (not the sum) of the digits’ Gaussians', () => {
    const a = scene([[10, 10]]);
    const b = scene([[14, 10]]);
    const both: Scene = { ...a, objects: [...a.objects, ...b.objects], image: a.image.map((v, i) => Math.max(v, b.image[i])), mask: a.mask.map((v, i) => Math.max(v, b.mask[i])) };
    const [ta, tb, tab] = [targetHeatmaps([a], 'top'), targetHeatmaps([b], 'top'), targetHeatmaps([both], 'top')];
    // Keypoint (10.5, 10.5): the cell centred at (11, 11) is (5, 5).
    expect(ta[5 * HEAT + 5]).toBeCloseTo(Math.exp(-(0.25 + 0.25) / (2 * SIGMA * SIGMA)), 6);
    for (let i = 0; i < HEAT * HEAT; i++) {
      expect(tab[i]).toBeCloseTo(Math.max(ta[i], tb[i]), 6);
      expect(tab[i]).toBeLessThanOrEqual(1);
    }
    expect(cellCentre(5)).toBe(11);
  });

  it('reads a keypoint back from its own Gaussian to within a fifth of a pixel, inside the digit’s box only', () => {
    let worst = 0;
    for (const [x, y] of [
      [10, 10],
      [23, 31],
      [40, 7],
      [5, 44],
    ]) {
      const s = scene([
        [x, y],
        [x, y + 1],
      ]);
      const truth = keypointOf(s, s.objects[0], 'top');
      const p = peakInBox(targetHeatmaps([s], 'top'), s.objects[0].box);
      worst = Math.max(worst, Math.hypot(p.x - truth.x, p.y - truth.y));
    }
    expect(worst).toBeLessThan(0.2);
    // A brighter peak outside the widened box is ignored.
    const heat = new Float32Array(HEAT * HEAT);
    heat[2 * HEAT + 2] = 1; // (5, 5) px
    heat[15 * HEAT + 15] = 0.5; // (31, 31) px
    expect(peakInBox(heat, [28, 28, 34, 34])).toEqual({ x: 31, y: 31 });
    expect(peakInBox(heat, [0, 0, 48, 48])).toEqual({ x: 5, y: 5 });
  });

  it('PCK@α is the share within α·height; the perfect heatmaps of held-out scenes score 1, shifted ones score by the shift', () => {
    expect(pck([0.05, 0.1, 0.2, 0.4], 0.1)).toBe(0.5);
    expect(pck([0.05, 0.1, 0.2, 0.4], 0.5)).toBe(1);
    expect(pck([], 0.1)).toBeNaN();
    const held = heldOutScenes(test, 20, 1);
    for (const kind of ['top', 'centre'] as const) {
      const found = keypointsFromHeatmaps(targetHeatmaps(held, kind), held, kind).flat();
      expect(found.length).toBe(held.reduce((a, s) => a + s.objects.length, 0));
      // Perfect heatmaps find every digit's keypoint, except where another digit's keypoint lies in or beside its box:
      // the peaks are equally high and the box cannot tell whose is whose (the assignment problem OpenPose's fields solve).
      const perScene = keypointsFromHeatmaps(targetHeatmaps(held, kind), held, kind);
      let crowded = 0;
      perScene.forEach((ks, n) =>
        ks.forEach((k, i) => {
          if (k.normDist <= 0.05) return;
          const [x1, y1, x2, y2] = held[n].objects[i].box;
          const m = MARGIN + SIGMA; // the window, and the reach of a Gaussian whose peak sits just outside it
          const inside = ks.some((o, j) => j !== i && o.truth.x > x1 - m && o.truth.x < x2 + m && o.truth.y > y1 - m && o.truth.y < y2 + m);
          expect(inside).toBe(true);
          crowded++;
        }),
      );
      expect(pck(found.map((k) => k.normDist), 0.05)).toBe(1 - crowded / found.length);
      expect(crowded).toBeLessThanOrEqual(kind === 'top' ? 1 : 0);
      // Every heatmap moved 3 cells (6 px) right: each digit is off by up to ~6 px (less where its window clips the
      // moved peak; more where a neighbour's moved peak wins), so PCK is low at α = 0.15 and near 1 at α = 0.5.
      const moved = new Float32Array(held.length * HEAT * HEAT);
      const t = targetHeatmaps(held, kind);
      for (let i = 0; i < moved.length; i++) if (i % HEAT >= 3) moved[i] = t[i - 3];
      const off = keypointsFromHeatmaps(moved, held, kind).flat().map((k) => k.normDist);
      expect(pck(off, 0.15)).toBeLessThan(0.2);
      expect(pck(off, 0.5)).toBeGreaterThan(0.9);
    }
  });

  it('upsamples ×2 by repeating each value in a 2×2 block', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const y = upsample2(x);
    expect(y.shape).toEqual([1, 4, 4, 2]);
    const v = y.arraySync() as number[][][][];
    expect(v[0].map((row) => row.map((c) => c[0]))).toEqual([
      [1, 1, 3, 3],
      [1, 1, 3, 3],
      [5, 5, 7, 7],
      [5, 5, 7, 7],
    ]);
    expect(v[0][3][3][1]).toBe(8);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the keypoint network', () => {

  it('predicts a heatmap per scene from the flat vector the trainer starts from, freeing its tensors', async () => {
    const flat = initialFlat(1);
    expect(flat.length).toBe(parameterCount());
    expect(parameterCount()).toBe(27_937); // the notes' count
    const held = heldOutScenes(test, 3, 1);
    expect(heldOutScenes(test, 9, 1).slice(0, 3).map((s) => s.objects)).toEqual(held.map((s) => s.objects));
    const before = tf.memory().numTensors;
    const heat = await predictHeatmaps(flat, held);
    expect(tf.memory().numTensors).toBe(before);
    expect(heat.length).toBe(3 * HEAT * HEAT);
    await expect(predictHeatmaps(flat.subarray(1), held)).rejects.toThrow(/parameters/);
  });

  it('learns: 8 steps on scenes of 100 digits lower the heatmap loss; no tensor leaks; same seed, same loss', async () => {
    const train = sliceDigits(test, 100, 200);
    const cfg = { ...DEFAULT_CONFIG, batchSize: 2, trainScenes: 20, total: 8, lr: 0.005 };
    const before = tf.memory().numTensors;
    const a = createKeypointNet(train, cfg);
    const afterCreate = tf.memory().numTensors;
    const first = await a.train(2);
    await a.train(4);
    const last = await a.train(2);
    expect(a.steps).toBe(8);
    expect(tf.memory().numTensors).toBe(afterCreate);
    await a.heatmaps(heldOutScenes(test, 2, 1));
    expect(tf.memory().numTensors).toBe(afterCreate);
    expect(last).toBeLessThan(0.8 * first);
    a.dispose();
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const b = createKeypointNet(train, cfg);
    expect(await b.train(2)).toBeCloseTo(first, 4);
    b.dispose();
    expect(() => createKeypointNet(train, { ...cfg, kind: 'elbow' as 'top' })).toThrow(/keypoint/);
  });

  it('the training job refuses a budget or keypoint it cannot run, as a message for the view', async () => {
    for (const input of [
      { seed: 1, steps: 0, keypoint: 'top' as const },
      { seed: 1, steps: 100, keypoint: 'knee' as 'top' },
    ]) {
      const err = await trainKeypoints(input, { signal: new AbortController().signal }).next().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JobError);
    }
  });
});
