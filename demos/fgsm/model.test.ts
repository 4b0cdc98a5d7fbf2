import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { loadModel } from '../runtime/data/models';
import { floatImages } from '../runtime/data/loader';
import { sliceRange } from '../runtime/models/classify';
import { attackSet, summarizeTally } from '../runtime/models/attacks';
import { JobError } from '../runtime/jobs/protocol';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { argMax, attackDigit, curvePgd, linearShift } from './model';
import { curve, curves, CURVE_ATTACKS, CURVE_MODELS, type CurvesProgress } from './curves';

let cnn: tf.LayersModel;
const test = loadMnistNode('test');

beforeAll(async () => {
  await useNodeBackend('wasm');
  cnn = (await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
});
afterAll(() => cnn?.dispose());

describe('attackDigit', () => {
  it('attacks a test digit away from its label within the ε-ball, with one read-back and no tensor left', async () => {
    const x = floatImages(test, 0, 1);
    const before = tf.memory().numTensors;
    const r = await attackDigit(cnn, x, { kind: 'fgsm', epsilon: 0.25 }, test.labels[0]);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.target).toBe(test.labels[0]);
    expect(argMax(r.clean)).toBe(test.labels[0]);
    expect(r.clean.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(r.adversarial.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Math.max(...r.delta.map(Math.abs))).toBeCloseTo(0.25, 6);
    let outside = 0;
    let mismatch = 0;
    r.image.forEach((v, i) => {
      if (!(v >= 0 && v <= 1)) outside++;
      mismatch = Math.max(mismatch, Math.abs(v - x[i] - r.delta[i]));
    });
    expect(outside).toBe(0);
    expect(mismatch).toBeLessThan(1e-6);
    expect(r.lossAdversarial).toBeGreaterThan(r.lossClean);
    // The true class's logit falls, and the linear prediction ∇ₓZ_tᵀδ has the sign of the real change.
    expect(r.logitAdversarial).toBeLessThan(r.logitClean);
    expect(r.linearPrediction).toBeLessThan(0);
  });

  it('without a label attacks the network’s own answer; a wrong-sized input gets a message', async () => {
    const x = floatImages(test, 1, 2);
    const r = await attackDigit(cnn, x, { kind: 'pgd', epsilon: 0.1, steps: 3, stepSize: 0.05 });
    expect(r.target).toBe(argMax(r.clean));
    expect(Math.max(...r.delta.map(Math.abs))).toBeLessThanOrEqual(0.1 + 1e-6);
    await expect(attackDigit(cnn, new Float32Array(10), { kind: 'fgsm', epsilon: 0.1 })).rejects.toThrow(/10 pixels, expected 784/);
    await expect(attackDigit(cnn, x, { kind: 'fgsm', epsilon: 0.1 }, 12)).rejects.toThrow(/label/);
  });
});

describe('the linearity argument', () => {
  it('η = ε·sign(w) moves wᵀx by ε‖w‖₁, which grows with the dimension n as ε·m·n for mean |wᵢ| = m', () => {
    const w = [0.3, -0.1, 0.2, -0.4];
    const eps = 0.1;
    const dot = w.reduce((s, wi) => s + wi * eps * Math.sign(wi), 0);
    expect(linearShift(w, eps)).toBeCloseTo(dot, 12);
    for (const n of [10, 784, 10_000]) expect(linearShift(new Float64Array(n).fill(-0.02), eps)).toBeCloseTo(eps * 0.02 * n, 9);
  });

  it('the curves’ PGD takes steps of 2.5·ε/steps', () => {
    expect(curvePgd(0.2, 10)).toEqual({ kind: 'pgd', epsilon: 0.2, steps: 10, stepSize: 0.05 });
  });
});

describe('curves (the job behind the error-against-ε plot)', () => {
  it('fills every cell chunk by chunk and agrees with attackSet, the function behind npm run reproduce', async () => {
    const before = tf.memory().numTensors;
    const steps: CurvesProgress[] = [];
    const gen = curves({ count: 6, steps: 2, epsilons: [0, 0.25] }, { signal: new AbortController().signal }, fileFetch('public'));
    let result: CurvesProgress;
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        result = r.value;
        break;
      }
      steps.push(r.value.partial!);
    }
    expect(tf.memory().numTensors).toBe(before); // both networks were disposed
    expect(Array.from(result.counts)).toEqual(new Array(CURVE_MODELS.length * CURVE_ATTACKS.length * 2).fill(6));
    const fgsmCnn = summarizeTally(await attackSet(cnn, sliceRange(test, 0, 6), { kind: 'fgsm', epsilon: 0.25 }));
    expect(curve(result, 0, 0)[1]).toBeCloseTo(fgsmCnn.error, 12);
    expect(curve(steps[0], 0, 0)).toEqual([NaN, NaN]); // nothing attacked yet
  });

  it('a bad request is a JobError the view shows', async () => {
    const gen = curves({ count: 0, steps: 2 }, { signal: new AbortController().signal }, fileFetch('public'));
    await expect(gen.next()).rejects.toBeInstanceOf(JobError);
  });
});
