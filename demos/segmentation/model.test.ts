import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { sliceDigits } from '../runtime/data/idx';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { JobError } from '../runtime/jobs/protocol';
import { loadFlatModel } from '../runtime/data/models';
import { SEGMENTATION_DEFAULTS } from './params';
import {
  ARCH,
  architectureProblem,
  classIou,
  confusionMatrix,
  connectivity,
  createSegmenter,
  DEFAULT_CONFIG,
  feeders,
  geometryProblem,
  heldOutScenes,
  initialFlat,
  initParams,
  interiorCounts,
  meanIou,
  multiplyAdds,
  outputSize,
  parameterCount,
  pixelAccuracy,
  pixelCrossEntropy,
  SCENE,
  scoreMasks,
  segment,
  TWO_LEVELS,
  type ConvGeometry,
} from './model';
import { HELD_OUT, SHIPPED, trainSegmenter } from './train';

/** Parameters of the shipped U-Net (the notes quote it). */
const UNET_PARAMS = 114_950;

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
    expect(parameterCount()).toBe(UNET_PARAMS); // the notes' count
    expect(parameterCount(TWO_LEVELS)).toBe(29_411); // the earlier network's
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

  it('architectures: the parameter and multiply–add counts follow the shapes; a bad shape is refused in words', () => {
    // Two levels: conv 1→8, 8→8 at 40², 8→16, 16→16 at 20², 16→32, 32→32 at 10², up 32→16, 32→16, 16→16, up 16→8, 16→8, 8→8, head 8→11.
    const convs = [[1, 8], [8, 8], [8, 16], [16, 16], [16, 32], [32, 32], [32, 16], [16, 16], [16, 8], [8, 8]];
    const ups = [[32, 16], [16, 8]];
    expect(parameterCount(TWO_LEVELS)).toBe(convs.reduce((n, [i, o]) => n + 9 * i * o + o, 0) + ups.reduce((n, [i, o]) => n + 4 * i * o + o, 0) + 8 * 11 + 11);
    const sides = [40, 40, 20, 20, 10, 10, 20, 20, 40, 40];
    expect(multiplyAdds(TWO_LEVELS)).toBe(convs.reduce((n, [i, o], k) => n + sides[k] ** 2 * 9 * i * o, 0) + 10 ** 2 * 4 * 32 * 16 + 20 ** 2 * 4 * 16 * 8 + 40 ** 2 * 8 * 11);
    expect(ARCH.widths.length).toBe(4); // three poolings: 40 → 20 → 10 → 5
    // The notes: less work at full resolution, where the pixels are most numerous: under a fifth of the two-level net's.
    expect(multiplyAdds(ARCH, 0)).toBeLessThan(multiplyAdds(TWO_LEVELS, 0) / 5);
    expect([0, 1, 2].reduce((n, l) => n + multiplyAdds(TWO_LEVELS, l), 0)).toBe(multiplyAdds(TWO_LEVELS));
    expect(architectureProblem({ ...ARCH, widths: [8, 16, 32, 64, 128] })).toMatch(/poolings do not divide/);
    expect(architectureProblem({ ...ARCH, coarse: 3 })).toMatch(/coarse head/);
    expect(architectureProblem({ ...ARCH, decoderConvs: [0, -1, 1] })).toMatch(/decoder/);
    expect(() => initParams(1, { ...ARCH, decoderConvs: [1] })).toThrow(RangeError);
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

  it('the shipped U-Net segments held-out scenes far better than the untrained one it started from', async () => {
    const { flat, manifest } = await loadFlatModel(SHIPPED, parameterCount(), { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
    expect(manifest.training.steps).toBe(SEGMENTATION_DEFAULTS.steps);
    const held = heldOutScenes(test, 8, 1);
    const shipped = scoreMasks(await segment(flat, held), held);
    const untrained = scoreMasks(await segment(initialFlat(SEGMENTATION_DEFAULTS.seed), held), held);
    // The floor: the untrained net's mean IoU plus a third of what is left to 1.
    expect(shipped.meanIou).toBeGreaterThan(untrained.meanIou + (1 - untrained.meanIou) / 3);
    expect(shipped.perClass[0]).toBeGreaterThan(0.95); // background
    await expect(loadFlatModel(SHIPPED, parameterCount(TWO_LEVELS), { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).rejects.toThrow(/parameters/);
  });

  it('the training job refuses a budget it cannot run, as a message for the view', async () => {
    for (const input of [{ seed: 1, steps: 0, skips: true }, { seed: 1.5, steps: 100, skips: true }]) {
      const err = await trainSegmenter(input, { signal: new AbortController().signal }).next().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JobError);
    }
  });
});
