import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { JobError } from '../runtime/jobs/protocol';
import {
  classIou,
  confusionMatrix,
  connectivity,
  createSegmenter,
  DEFAULT_CONFIG,
  feeders,
  geometryProblem,
  heldOutScenes,
  initialFlat,
  interiorCounts,
  meanIou,
  outputSize,
  parameterCount,
  pixelAccuracy,
  pixelCrossEntropy,
  SCENE,
  scoreMasks,
  segment,
  type ConvGeometry,
} from './model';
import { HELD_OUT, trainSegmenter } from './train';

// The U-Net's convolutions on wasm, as in the worker (the cpu backend's convolution gradients are far slower).
beforeAll(() => useNodeBackend('wasm'));

const T = (kernel: number, stride: number, extra: Partial<ConvGeometry> = {}): ConvGeometry => ({ kind: 'transposed', inSize: 6, kernel, stride, dilation: 1, padding: 0, ...extra });
const D = (kernel: number, dilation: number, extra: Partial<ConvGeometry> = {}): ConvGeometry => ({ kind: 'dilated', inSize: 15, kernel, stride: 1, dilation, padding: 0, ...extra });

describe('which input pixels feed an output pixel, found by running the ops', () => {
  it('transposed convolution: uneven overlap (the checkerboard) when s does not divide k, even overlap when it does', async () => {
    // k = 3, s = 2: per axis an output pixel is reached by 1 or 2 input pixels in turn, so 1, 2 or 4 in 2-D.
    const odd = await connectivity(T(3, 2));
    expect(odd.outSize).toBe(outputSize(T(3, 2)));
    expect(odd.outSize).toBe((6 - 1) * 2 + 3);
    expect(interiorCounts(odd)).toEqual([1, 2, 4]);
    // k = 4, s = 2 (2 divides 4): every interior pixel is reached by 2 × 2 input pixels.
    expect(interiorCounts(await connectivity(T(4, 2)))).toEqual([4]);
    // k = 2, s = 2, U-Net's up-convolution: no overlap at all, every output pixel has exactly one source.
    const unet = await connectivity(T(2, 2));
    expect([...new Set(unet.counts)]).toEqual([1]);
    // k = 3, s = 3 and k = 5, s = 2: even again and uneven again.
    expect(interiorCounts(await connectivity(T(3, 3)))).toEqual([1]);
    expect(interiorCounts(await connectivity(T(5, 2)))).toEqual([4, 6, 9]);
    // The counts are the column sums of the indicator responses.
    for (let o = 0; o < odd.outSize ** 2; o++) expect(feeders(odd, Math.floor(o / odd.outSize), o % odd.outSize).length).toBe(odd.counts[o]);
  });

  it('transposed convolution: input pixel i lands on outputs i·s … i·s + k − 1; padding crops p from each side', async () => {
    const c = await connectivity(T(3, 2));
    // Output (row 5, column 5) is reached by inputs with i·2 ≤ 5 ≤ i·2 + 2: i = 2 on each axis, only.
    expect(feeders(c, 5, 5)).toEqual([2 * 6 + 2]);
    // Output (4, 4): i = 1 and 2 on each axis.
    expect(feeders(c, 4, 4)).toEqual([1 * 6 + 1, 1 * 6 + 2, 2 * 6 + 1, 2 * 6 + 2]);
    const cropped = await connectivity(T(3, 2, { padding: 1 }));
    expect(cropped.outSize).toBe(c.outSize - 2);
    expect(feeders(cropped, 3, 3)).toEqual(feeders(c, 4, 4));
  });

  it('dilated convolution: k taps d apart, a field of d(k − 1) + 1 pixels; stride keeps every s-th output', async () => {
    const c = await connectivity(D(3, 2));
    expect(c.outSize).toBe(15 - 5 + 1);
    // Output (0, 0) sees rows and columns 0, 2, 4.
    expect(feeders(c, 0, 0)).toEqual([0, 2, 4, 30, 32, 34, 60, 62, 64]);
    expect([...new Set(c.counts)]).toEqual([9]);
    // A 3×3 kernel with dilation 4 spans 4·2 + 1 = 9 pixels.
    expect((await connectivity(D(3, 4))).outSize).toBe(15 - 9 + 1);
    // With padding 2, the border outputs see fewer real pixels (zeros are not inputs).
    const padded = await connectivity(D(3, 2, { padding: 2 }));
    expect(padded.outSize).toBe(15);
    expect(padded.counts[0]).toBe(4);
    const strided = await connectivity(D(3, 2, { stride: 2 }));
    expect(strided.outSize).toBe(Math.floor((15 - 5) / 2) + 1);
    expect(feeders(strided, 1, 1)).toEqual(feeders(c, 2, 2));
  });

  it('refuses a geometry with no output, in words, and leaks no tensors', async () => {
    expect(geometryProblem(D(7, 4))).toMatch(/spans 25/);
    expect(geometryProblem(T(1, 1, { inSize: 1, padding: 1 }))).toMatch(/no output|whole output/);
    await expect(connectivity(D(7, 4))).rejects.toThrow(RangeError);
    const before = tf.memory().numTensors;
    await connectivity(T(3, 2, { dilation: 2 }));
    await connectivity(D(3, 3, { stride: 2, padding: 1 }));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('IoU, as FCN and PASCAL VOC score it', () => {
  it('per class TP / (TP + FP + FN) from one confusion matrix; classes neither present nor predicted are skipped', () => {
    //           truth: 0 0 0 0 1 1 2 2
    //      prediction: 0 0 0 1 1 1 2 0
    const conf = confusionMatrix([0, 0, 0, 1, 1, 1, 2, 0], [0, 0, 0, 0, 1, 1, 2, 2], 4);
    expect(Array.from(conf)).toEqual([3, 1, 0, 0, 0, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
    const iou = classIou(conf, 4);
    expect(iou.slice(0, 3)).toEqual([3 / 5, 2 / 3, 1 / 2]);
    expect(iou[3]).toBeNaN();
    expect(meanIou(iou)).toBeCloseTo((3 / 5 + 2 / 3 + 1 / 2) / 3, 12);
    expect(pixelAccuracy(conf, 4)).toBe(6 / 8);
    expect(() => confusionMatrix([0, 5], [0, 0], 4)).toThrow(RangeError);
  });

  it('a net that says background everywhere has high pixel accuracy and a low mean IoU', () => {
    const test = sliceDigits(loadMnistNode('test'), 0, 100);
    const scenes = heldOutScenes(test, 10, 1);
    const s = scoreMasks(scenes.map(() => new Uint8Array(SCENE * SCENE)), scenes);
    const ink = scenes.reduce((a, sc) => a + sc.mask.filter((v) => v > 0).length, 0) / (10 * SCENE * SCENE);
    expect(s.pixelAccuracy).toBeCloseTo(1 - ink, 10);
    expect(ink).toBeLessThan(0.1); // the notes: digits cover less than a tenth of a scene's pixels
    expect(s.pixelAccuracy).toBeGreaterThan(0.85);
    // Only background has an IoU (1 − ink); every present digit scores 0.
    const present = new Set(scenes.flatMap((sc) => sc.objects.map((o) => o.cls)));
    expect(s.meanIou).toBeCloseTo((1 - ink) / (1 + present.size), 10);
    expect(s.meanIou).toBeLessThan(0.15);
    // The true masks score 1.
    expect(scoreMasks(scenes.map((sc) => sc.mask), scenes).meanIou).toBe(1);
  });

  it('pixel-wise cross-entropy is the mean of −log softmax at the true class; a foreground weight reweights the mean', () => {
    const logits = [0, 1, 2, 0.5, -1, 3];
    const labels = [2, 0];
    const got = tf.tidy(() => pixelCrossEntropy(tf.tensor4d(logits, [1, 1, 2, 3]), tf.tensor3d(labels, [1, 1, 2])).arraySync() as number);
    const nll = (z: number[], y: number) => Math.log(z.reduce((a, v) => a + Math.exp(v), 0)) - z[y];
    const a = nll([0, 1, 2], 2);
    const b = nll([0.5, -1, 3], 0);
    expect(got).toBeCloseTo((a + b) / 2, 5);
    const weighted = tf.tidy(() => pixelCrossEntropy(tf.tensor4d(logits, [1, 1, 2, 3]), tf.tensor3d(labels, [1, 1, 2]), 4).arraySync() as number);
    expect(weighted).toBeCloseTo((4 * a + b) / 5, 5);
  });
});

describe('the U-Net', () => {
  let train: MnistArrays;
  let test: MnistArrays;
  beforeAll(() => {
    test = sliceDigits(loadMnistNode('test'), 0, 200);
    train = sliceDigits(test, 100, 200);
  });

  it('maps 40×40 scenes to 40×40 masks; the page’s scenes are the first of the worker’s; no tensors leak', async () => {
    expect(parameterCount()).toBe(initialFlat(1).length);
    expect(parameterCount()).toBe(29_411); // the notes' count
    expect(HELD_OUT * SCENE * SCENE).toBe(160_000); // the held-out pixels the notes' mean IoU counts
    const held = heldOutScenes(test, 2, 1);
    expect(heldOutScenes(test, 5, 1).slice(0, 2).map((s) => s.objects)).toEqual(held.map((s) => s.objects));
    const before = tf.memory().numTensors;
    const masks = await segment(initialFlat(1), held);
    const noSkips = await segment(initialFlat(1), held, false);
    expect(tf.memory().numTensors).toBe(before);
    expect(masks.map((m) => m.length)).toEqual([SCENE * SCENE, SCENE * SCENE]);
    for (const m of masks) for (const v of m) expect(v).toBeLessThan(11);
    // Cutting the skips changes what the same weights say.
    expect(masks.some((m, i) => m.some((v, j) => v !== noSkips[i][j]))).toBe(true);
    await expect(segment(new Float32Array(3), held)).rejects.toThrow(/parameters/);
  });

  it('trains a few steps without leaking tensors, its loss finite; same seed, same loss', async () => {
    const cfg = { ...DEFAULT_CONFIG, batchSize: 1, trainScenes: 4, total: 4 };
    const before = tf.memory().numTensors;
    const a = createSegmenter(train, cfg);
    const afterCreate = tf.memory().numTensors;
    const la = await a.train(1);
    expect(a.steps).toBe(1);
    expect(tf.memory().numTensors).toBe(afterCreate);
    await a.segment(heldOutScenes(test, 1, 1));
    expect(tf.memory().numTensors).toBe(afterCreate);
    expect((await a.read()).length).toBe(parameterCount());
    a.dispose();
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(la)).toBe(true);
    const b = createSegmenter(train, cfg);
    expect(await b.train(1)).toBeCloseTo(la, 5);
    b.dispose();
    expect(() => createSegmenter(train, { ...cfg, batchSize: 0 })).toThrow(/batch/);
  });

  it('the training job refuses a budget it cannot run, as a message for the view', async () => {
    for (const input of [{ seed: 1, steps: 0, skips: true }, { seed: 1.5, steps: 100, skips: true }]) {
      const err = await trainSegmenter(input, { signal: new AbortController().signal }).next().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JobError);
    }
  });
});
