import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { sliceDigits, type MnistArrays } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { JobError } from '../runtime/jobs/protocol';
import { psnr } from '../runtime/image-quality';
import {
  calibration,
  CALIB,
  CALIB_START,
  createRestorers,
  dncnnInit,
  espcnInit,
  heldOut,
  hrSide,
  initialFlats,
  lrSide,
  parameterCount,
  pixelShuffle,
  restore,
  restoreShown,
  score,
  shownPart,
  SIDE,
} from './model';
import { trainRestorers } from './train';

// The convolutions on wasm, as in the worker.
beforeAll(() => useNodeBackend('wasm'));

let test: MnistArrays;
beforeAll(() => {
  test = sliceDigits(loadMnistNode('test'), 0, CALIB_START + CALIB);
});

describe('sub-pixel convolution', () => {
  it('pixelShuffle is tf.depthToSpace for one channel, and has a gradient', () => {
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([2, 3, 4, 9], 0, 1, 'float32', 5) as tf.Tensor4D;
    const ours = pixelShuffle(x, 3);
    const ref = tf.depthToSpace(x, 3);
    expect(ours.shape).toEqual([2, 9, 12, 1]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(ref.dataSync()));
    // A permutation: the gradient of Σ w·shuffle(x) is w shuffled back.
    const w = tf.randomNormal([2, 9, 12, 1], 0, 1, 'float32', 6);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pixelShuffle(t as tf.Tensor4D, 3), w)))(x);
    const back = pixelShuffle(g as tf.Tensor4D, 3);
    expect(Array.from(back.dataSync())).toEqual(Array.from(w.dataSync()));
    tf.dispose([x, ours, ref, w, g, back]);
    expect(tf.memory().numTensors).toBe(before);
    const three = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() => pixelShuffle(three, 2)).toThrow(/r²/);
    three.dispose();
  });

  it('the networks have the notes’ parameter counts', () => {
    expect(parameterCount(espcnInit(2, 1))).toBe(6036);
    expect(parameterCount(espcnInit(3, 1))).toBe(6761);
    expect(parameterCount(dncnnInit(1))).toBe(5009);
  });
});

describe('the held-out digits', () => {
  it('are 28 → 14 for ×2 and 27 → 9 for ×3; the first k of a larger set are the same digits with the same noise', () => {
    expect([hrSide(2), lrSide(2), hrSide(3), lrSide(3)]).toEqual([28, 14, 27, 9]);
    const big = heldOut(test, 10, 3, 25, 4);
    const small = heldOut(test, 3, 3, 25, 4);
    expect(small.noisy).toEqual(big.noisy.subarray(0, 3 * SIDE * SIDE));
    expect(small.lr).toEqual(big.lr.subarray(0, 3 * 81));
    expect(big.bicubic.length).toBe(10 * 27 * 27);
    // The area average keeps each block's mean ink.
    expect(small.lr[4 * 9 + 4]).toBeCloseTo((small.hr[12 * 27 + 12] + small.hr[12 * 27 + 13] + small.hr[12 * 27 + 14] + small.hr[13 * 27 + 12] + small.hr[13 * 27 + 13] + small.hr[13 * 27 + 14] + small.hr[14 * 27 + 12] + small.hr[14 * 27 + 13] + small.hr[14 * 27 + 14]) / 9, 6);
  });

  it('noisy input sits at 20·log₁₀(255/σ): 20.17 dB at σ = 25, 14.15 dB at σ = 50', () => {
    for (const sigma of [25, 50]) {
      const set = heldOut(test, 100, 2, sigma, 1);
      const n = SIDE * SIDE;
      let mean = 0;
      for (let i = 0; i < 100; i++) mean += psnr(set.noisy.subarray(i * n, (i + 1) * n), set.clean.subarray(i * n, (i + 1) * n)) / 100;
      expect(Math.abs(mean - 20 * Math.log10(255 / sigma))).toBeLessThan(0.15);
    }
  });

  it('the untrained networks: the denoiser returns its input (clipped), ESPCN a nearly black digit; no tensor left', async () => {
    const set = heldOut(test, 4, 2, 25, 1);
    const calib = calibration(test, 25, 1);
    const before = tf.memory().numTensors;
    const start = initialFlats(2, 1);
    const out = await restore(start.sr, start.dn, set, 4, calib);
    expect(tf.memory().numTensors).toBe(before);
    const clipped = set.noisy.map((v) => Math.min(1, Math.max(0, v)));
    expect(psnr(out.dn, clipped)).toBeGreaterThan(40);
    expect(Math.max(...out.sr)).toBeLessThan(0.05);
    await expect(restore(start.sr.subarray(1), start.dn, set, 4, calib)).rejects.toThrow(/ESPCN/);
  });

  it('the shown digits alone: the same pictures as restoring the whole set, each scored against its reference; no tensor left', async () => {
    const set = heldOut(test, 6, 3, 50, 2);
    const calib = calibration(test, 50, 2);
    const start = initialFlats(3, 2);
    const part = shownPart(set, 4);
    expect(part.count).toBe(2);
    expect(Array.from(part.hr)).toEqual(Array.from(set.hr.subarray(4 * 729))); // 27×27 high-resolution digits at ×3
    expect(Array.from(part.noisy)).toEqual(Array.from(set.noisy.subarray(4 * SIDE * SIDE)));
    const before = tf.memory().numTensors;
    const shown = await restoreShown({ sr: start.sr, dn: start.dn, set, calib, from: 4 });
    expect(tf.memory().numTensors).toBe(before);
    const all = await restore(start.sr, start.dn, set, 6, calib);
    // BN statistics from calib: a digit's output does not depend on which others are restored with it.
    for (let i = 0; i < shown.out.dn.length; i++) expect(shown.out.dn[i]).toBeCloseTo(all.dn[4 * SIDE * SIDE + i], 5);
    for (let i = 0; i < shown.out.sr.length; i++) expect(shown.out.sr[i]).toBeCloseTo(all.sr[4 * 729 + i], 5);
    expect(shown.noisy.psnr).toHaveLength(2);
    expect(shown.noisy.meanPsnr).toBeCloseTo(score(part.noisy, part.clean, 2, SIDE).meanPsnr, 10);
    expect(shown.noisy.meanPsnr).toBeGreaterThan(13); // σ = 50 on [0, 1]: about 20·log₁₀(255/50) = 14.15 dB
    expect(shown.noisy.meanPsnr).toBeLessThan(16);
    expect(shown.bicubic.meanPsnr).toBeGreaterThan(shown.espcn.meanPsnr); // the untrained ESPCN draws nearly black
  });
});

describe('training', () => {
  it('improves both networks on held-out digits in a few steps without leaking tensors; the same seed gives the same losses', async () => {
    const train = sliceDigits(test, 100, 300);
    const set = heldOut(test, 4, 2, 25, 1);
    const calib = calibration(test, 25, 1);
    const cfg = { seed: 3, scale: 2 as const, sigma: 25, batchSize: 4, lr: 0.003, total: 100 };
    const before = tf.memory().numTensors;
    const a = createRestorers(train, cfg);
    const afterCreate = tf.memory().numTensors;
    const mean = (x: Float32Array, ref: Float32Array, n: number) => {
      let m = 0;
      for (let i = 0; i < 4; i++) m += psnr(x.subarray(i * n, (i + 1) * n), ref.subarray(i * n, (i + 1) * n)) / 4;
      return m;
    };
    const o0 = await a.restore(set, calib);
    const first = await a.train(1);
    await a.train(7);
    await a.train(0);
    const o1 = await a.restore(set, calib);
    expect(a.steps).toBe(8);
    expect(tf.memory().numTensors).toBe(afterCreate);
    expect(mean(o1.sr, set.hr, 784)).toBeGreaterThan(mean(o0.sr, set.hr, 784) + 1);
    expect(mean(o1.dn, set.clean, 784)).toBeGreaterThan(mean(o0.dn, set.clean, 784) + 1);
    const b = createRestorers(train, cfg);
    expect((await b.train(1)).sr).toBeCloseTo(first.sr, 6);
    b.dispose();
    a.dispose();
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => createRestorers(train, { ...cfg, sigma: -1 })).toThrow(/σ/);
    expect(() => createRestorers(train, { ...cfg, scale: 4 as 2 })).toThrow(/scale/);
  });

  it('the training job refuses a budget, scale or σ it cannot run, as a message for the view', async () => {
    for (const input of [
      { seed: 1, steps: 0, scale: 2 as const, sigma: 25 },
      { seed: 1, steps: 100, scale: 4 as 2, sigma: 25 },
      { seed: 1, steps: 100, scale: 2 as const, sigma: 500 },
    ]) {
      const err = await trainRestorers(input, { signal: new AbortController().signal }).next().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JobError);
    }
  });
});
