import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { floatImages } from '../runtime/data/loader';
import { IDENTITY_THETA } from '../runtime/models/sampler';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { CANVAS, createStnRace, distort, distortedSet, initialFlat, OUT, parameterCounts, randomDistortions, rectify, sampleByHand } from './model';
import { mulberry32 } from '../runtime/random';
import { trainStn } from './train';

const test = loadMnistNode('test');

describe('the STN and the plain CNN', () => {
  it('are of similar size, and the untrained STN starts at θ = identity: it samples the whole canvas', async () => {
    await useNodeBackend('wasm');
    const c = parameterCounts();
    expect(c).toEqual({ stn: 13_452, loc: 8_194, plain: 14_506 });
    const before = tf.memory().numTensors;
    const set = distortedSet(floatImages(test, 0, 4), test.labels.subarray(0, 4), 1);
    const r = await rectify(initialFlat(1), set.canvases);
    for (let i = 0; i < 4; i++) expect(Array.from(r.theta.subarray(6 * i, 6 * i + 6))).toEqual([...IDENTITY_THETA]);
    // θ = identity resamples the 36×36 canvas on a 28×28 grid spanning the same square: hand-set θ gives the same.
    const hand = await sampleByHand(set.canvases.subarray(0, CANVAS * CANVAS), IDENTITY_THETA);
    for (let k = 0; k < OUT * OUT; k++) expect(hand[k]).toBeCloseTo(r.rectified[k], 5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('distorting with θ = identity pads the digit to the canvas unchanged; random distortions stay in their ranges', async () => {
    const x = floatImages(test, 0, 1);
    const v = distort(x, Float32Array.from(IDENTITY_THETA));
    let err = 0;
    for (let i = 0; i < OUT; i++) for (let j = 0; j < OUT; j++) err = Math.max(err, Math.abs(v[(i + 4) * CANVAS + j + 4] - x[i * OUT + j]));
    expect(err).toBeLessThan(1e-5);
    const th = randomDistortions(200, mulberry32(3));
    for (let i = 0; i < 200; i++) {
      // Scale 0.7–1.2 → |det A| = 1 / scale² in [0.69, 2.05]; shift ≤ 0.15.
      const det = th[6 * i] * th[6 * i + 4] - th[6 * i + 1] * th[6 * i + 3];
      expect(det).toBeGreaterThan(1 / 1.2 ** 2 - 1e-6);
      expect(det).toBeLessThan(1 / 0.7 ** 2 + 1e-6);
      expect(Math.abs(th[6 * i + 2])).toBeLessThanOrEqual(0.15);
    }
    expect(() => distort(x, new Float32Array(12))).toThrow(/2 transforms for 1 digits/);
  });

  it('train in lockstep: both losses fall within 20 steps, the localisation net moves θ, no tensor is left', async () => {
    await useNodeBackend('wasm');
    const before = tf.memory().numTensors;
    const n = 512;
    const race = createStnRace(floatImages(test, 1000, 1000 + n), test.labels.subarray(1000, 1000 + n), { seed: 2, batchSize: 16, lr: 5e-3 });
    const first = await race.train(4);
    await race.train(12);
    const later = await race.train(4);
    // Measured: STN 2.35 → 2.21, plain CNN 2.67 → 2.06; the STN starts slower (its classifier first sees a
    // shrunken whole canvas, and θ moves only once the classifier's gradient is informative).
    expect(later.stn).toBeLessThan(0.97 * first.stn);
    expect(later.plain).toBeLessThan(0.9 * first.plain);
    const set = distortedSet(floatImages(test, 0, 40), test.labels.subarray(0, 40), 1);
    const acc = await race.accuracy(set, 16);
    expect(acc.stn).toBeGreaterThanOrEqual(0);
    const r = await rectify(await race.read(), set.canvases.subarray(0, CANVAS * CANVAS));
    expect(Array.from(r.theta)).not.toEqual([...IDENTITY_THETA]);
    race.dispose();
    race.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the worker job yields curves and parameters, and rejects a bad budget with a message', async () => {
    await useNodeBackend('wasm');
    const before = tf.memory().numTensors;
    const gen = trainStn({ seed: 1, steps: 2, evalEvery: 2, heldOut: 50, trainDigits: 500 }, { signal: new AbortController().signal }, fileFetch(path.resolve('public')));
    let r = await gen.next();
    while (!r.done) r = await gen.next();
    expect(r.value.accAt).toEqual([0, 2]);
    expect(r.value.flat.length).toBe(initialFlat(1).length);
    expect(tf.memory().numTensors).toBe(before);
    await expect(trainStn({ seed: 1, steps: 0 }, { signal: new AbortController().signal }).next()).rejects.toThrow(/between 1 and 20,000/);
  });
});
