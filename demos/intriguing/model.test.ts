import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { loadModel } from '../runtime/data/models';
import { floatImages } from '../runtime/data/loader';
import { sliceDigits } from '../runtime/data/idx';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createBoxAttack, nextC, PIXELS, rmsDistortion } from './attack';
import { column, createDigitTransfer, createExcitation, features, purity, randomDirection, topK } from './model';
import { scoreTransfer } from './transfer';

const test = loadMnistNode('test');
const nets: Record<string, tf.LayersModel> = {};

beforeAll(async () => {
  await useNodeBackend('wasm');
  const fetchFn = fileFetch(path.resolve('public/models'));
  for (const name of ['cnn', 'cnn-p1', 'mlp-p2']) nets[name] = (await loadModel(name, { baseUrl: '/', fetch: fetchFn })).model;
});
afterAll(() => Object.values(nets).forEach((m) => m.dispose()));

describe('units against random directions', () => {
  it('ranks the digits that most excite a unit and a direction exactly, surveys every unit and direction, leaks nothing', async () => {
    const data = sliceDigits(test, 0, 200);
    const before = tf.memory().numTensors;
    const sim = createExcitation(nets.cnn, data, { unit: 4, seed: 1, count: 200, k: 9, chunk: 100, directions: 16 });
    let f = await sim.step(0);
    expect(f.done).toBe(100); // the first call already ranks a chunk
    while (!f.finished) f = await sim.step(4);
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // The chunked ranking is the ranking of all 200 feature vectors computed at once.
    const all = tf.tidy(() => features(nets.cnn, tf.tensor4d(floatImages(data), [200, 28, 28, 1])));
    const phi = all.dataSync() as Float32Array;
    all.dispose();
    const unit = column(phi, 128, 200, 4);
    expect(Array.from(f.unitTop)).toEqual(Array.from(topK(unit, 9)));
    for (let i = 1; i < 9; i++) expect(f.unitScores[i]).toBeLessThanOrEqual(f.unitScores[i - 1]);
    for (let j = 0; j < 200; j++) if (!f.unitTop.includes(j)) expect(unit[j]).toBeLessThanOrEqual(f.unitScores[8] + 1e-6);
    const v = randomDirection(128, 1);
    let dot = 0;
    for (let i = 0; i < 128; i++) dot += phi[f.dirTop[0] * 128 + i] * v[i];
    expect(f.dirScores[0]).toBeCloseTo(dot, 4);
    expect(f.survey.units).toBe(128);
    expect(f.survey.directions).toBe(16);
    expect(f.unitPurity).toBe(purity(f.unitTop, data.labels));
    for (const m of [f.survey.unitMean, f.survey.dirMean]) expect(m).toBeGreaterThan(0.1);
  });

  it('random directions are seeded unit vectors', () => {
    const v = randomDirection(128, 7);
    expect(v.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5);
    expect(Array.from(randomDirection(128, 7))).toEqual(Array.from(v));
    expect(Array.from(randomDirection(128, 8))).not.toEqual(Array.from(v));
  });
});

describe('the box-constrained attack', () => {
  it('the search over c raises c after a success and lowers it after a failure, then bisects', () => {
    const b = { lo: 0, hi: Infinity };
    expect(nextC(1, true, b)).toBe(2);
    expect(nextC(2, true, b)).toBe(4);
    expect(nextC(4, false, b)).toBe(3);
    expect(b).toEqual({ lo: 2, hi: 4 });
    const d = { lo: 0, hi: Infinity };
    expect(nextC(1, false, d)).toBe(0.5);
  });

  it('finds a small r with x + r in the box that the source network assigns to l; the digit and both networks are scored', async () => {
    const x = floatImages(test, 0, 1); // a 7
    expect(test.labels[0]).toBe(7);
    const before = tf.memory().numTensors;
    const sim = createDigitTransfer(nets['cnn-p1'], nets['mlp-p2'], x, 3, { steps: 10, rounds: 2, learningRate: 0.05 });
    const f0 = await sim.step(0);
    const f = await sim.step(20);
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(f0.norm).toBe(0);
    expect(f.done).toBe(true);
    expect(Number.isFinite(f.bestNorm)).toBe(true);
    // The source network now says 3; the image stayed in [0, 1] and its r is the one reported.
    expect(f.sourceAdv.indexOf(Math.max(...f.sourceAdv))).toBe(3);
    expect(f.sourceClean.indexOf(Math.max(...f.sourceClean))).toBe(7);
    let sq = 0;
    for (let i = 0; i < PIXELS; i++) {
      expect(f.image[i]).toBeGreaterThanOrEqual(0);
      expect(f.image[i]).toBeLessThanOrEqual(1 + 1e-6);
      expect(f.image[i]).toBeCloseTo(x[i] + f.r[i], 5);
      sq += f.r[i] * f.r[i];
    }
    expect(Math.sqrt(sq)).toBeCloseTo(f.bestNorm, 3);
    expect(f.distortion).toBeCloseTo(rmsDistortion(f.r), 6);
    // Small: well under a tenth of the pixel range per pixel (RMS).
    expect(f.distortion).toBeLessThan(0.1);
    expect(f.targetAdv).toHaveLength(10);
  });

  it('a larger c buys a smaller r (the penalty term)', async () => {
    const x = floatImages(test, 0, 2);
    // The first round of the search (12 steps) at two values of c, on two digits.
    const norms = [];
    for (const c of [0.05, 5]) {
      const one = createBoxAttack(nets.cnn, x, [3, 3], { steps: 12, rounds: 1, initialC: c, learningRate: 0.05 });
      norms.push((await one.step(12)).norm);
      one.dispose();
    }
    for (let i = 0; i < 2; i++) expect(norms[1][i]).toBeLessThan(norms[0][i]);
  });
});

describe('transfer scoring', () => {
  it('r = 0 leaves the target network as it was; Gaussian noise has the RMS of r, the magnified r an RMS of 0.1', async () => {
    const x = floatImages(test, 0, 4);
    const labels = test.labels.subarray(0, 4);
    const none = await scoreTransfer(nets['mlp-p2'], x, labels, { bestR: new Float32Array(4 * PIXELS), bestNorm: new Float32Array(4) });
    expect(none.found).toBe(4);
    expect(none.targetWrong).toBe(none.targetWrongClean);
    expect(none.noiseWrong).toBe(none.targetWrongClean);
    expect(none.distortionSum).toBe(0);
    const skipped = await scoreTransfer(nets['mlp-p2'], x, labels, { bestR: new Float32Array(4 * PIXELS), bestNorm: Float32Array.from([Infinity, 0, Infinity, 0]) });
    expect(skipped.found).toBe(2);
    expect(skipped.attacked).toBe(4);
  });
});
