import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { floatImages } from '../runtime/data/loader';
import { loadModel } from '../runtime/data/models';
import type { MnistArrays } from '../runtime/data/idx';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { agreement, checkLime, createLimeRun, DEFAULT_LIME, gridSegments, jaccard, proximity, segmentImage, summarizeRuns, topSegments, weightedRidge, type LimeFrame, type LimeRun } from './model';

const finish = async (run: LimeRun): Promise<LimeFrame> => {
  let f = await run.step(0);
  while (f.steps < f.total) f = await run.step(20);
  return f;
};

describe('the pieces of LIME', () => {
  it('cuts 28×28 pixels into square blocks', () => {
    const g4 = gridSegments(4);
    expect(g4.count).toBe(49);
    expect(g4.segmentOf[0]).toBe(0);
    expect(g4.segmentOf[27]).toBe(6);
    expect(g4.segmentOf[27 * 28 + 27]).toBe(48);
    const g5 = gridSegments(5); // 28 = 5·5 + 3: a narrower last row and column of blocks
    expect(g5.count).toBe(36);
    expect(new Set(g5.segmentOf).size).toBe(36);
    expect(() => gridSegments(0)).toThrow(/block/);
    expect(Array.from(segmentImage([1, 2, 3, 4], gridSegments(14).segmentOf).filter((_, i) => i % 28 === 0 || i % 28 === 27).slice(0, 2))).toEqual([1, 2]);
  });

  it('weights samples by the cosine kernel: 1 for the original, less the more segments are off', () => {
    expect(proximity([1, 1, 1, 1], 0.25)).toBeCloseTo(1, 12);
    const half = 1 - Math.sqrt(0.5); // two of four on: cosine √½
    expect(proximity([1, 0, 1, 0], 0.25)).toBeCloseTo(Math.sqrt(Math.exp(-(half * half) / 0.0625)), 12);
    expect(proximity([1, 0, 0, 0], 0.25)).toBeLessThan(proximity([1, 1, 0, 0], 0.25));
    expect(proximity([0, 0, 0, 0], 0.25)).toBeCloseTo(Math.sqrt(Math.exp(-16)), 12);
  });

  it('fits weighted ridge: exact on a linear target at λ = 0, shrunk by λ, with an unpenalised intercept', () => {
    // y = 2 + 3 z₀ − z₁ on all four 0/1 patterns, equal weights.
    const Z = Float64Array.from([0, 0, 1, 0, 0, 1, 1, 1]);
    const y = [2, 5, 1, 4];
    const exact = weightedRidge(Z, y, [1, 1, 1, 1], 2, 0);
    expect(exact.coef[0]).toBeCloseTo(3, 9);
    expect(exact.coef[1]).toBeCloseTo(-1, 9);
    expect(exact.intercept).toBeCloseTo(2, 9);
    // λ = 1: the normal equations by hand. Centred z has variance ¼ per sample, so each β is scaled by n/4 / (n/4 + λ) = ½.
    const ridge = weightedRidge(Z, y, [1, 1, 1, 1], 2, 1);
    expect(ridge.coef[0]).toBeCloseTo(1.5, 9);
    expect(ridge.coef[1]).toBeCloseTo(-0.5, 9);
    // A sample of weight 0 is ignored.
    const w0 = weightedRidge(Float64Array.from([0, 0, 1, 0, 0, 1, 1, 1, 1, 1]), [2, 5, 1, 4, 100], [1, 1, 1, 1, 0], 2, 0);
    expect(w0.coef[0]).toBeCloseTo(3, 9);
  });

  it('ranks positive weights, and measures agreement between runs', () => {
    expect(topSegments([0.1, -2, 0.5, 0.3], 2)).toEqual([2, 3]);
    expect(topSegments([-1, -2], 3)).toEqual([]);
    expect(jaccard([1, 2, 3], [2, 3, 4])).toBeCloseTo(0.5, 12);
    expect(agreement([[1, 2], [1, 2], [1, 2]])).toBe(1);
    expect(agreement([[1], [2]])).toBe(0);
    const s = summarizeRuns([{ coef: Float64Array.from([1, 0]), intercept: 0 }, { coef: Float64Array.from([3, 0]), intercept: 0 }], 2, 1);
    expect(Array.from(s.mean)).toEqual([2, 0]);
    expect(s.std[0]).toBeCloseTo(Math.SQRT2, 12);
    expect(s.agreement).toBe(1);
  });

  it('rejects settings it cannot run, naming them', () => {
    expect(() => checkLime({ ...DEFAULT_LIME, samples: 5 })).toThrow(/samples/);
    expect(() => checkLime({ ...DEFAULT_LIME, width: 0 })).toThrow(/kernel width/);
    expect(() => checkLime({ ...DEFAULT_LIME, fill: 2 })).toThrow(/fill/);
  });
});

describe('LIME on a network', () => {
  let cnn: tf.LayersModel;
  let test: MnistArrays;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    cnn = (await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
    test = loadMnistNode('test');
  });
  afterAll(async () => {
    cnn?.dispose();
    await tf.setBackend('cpu');
  });

  it('recovers a network that is linear in its segments: each segment’s weight is its own contribution', async () => {
    // A "network" whose output 0 is w·x: with a black fill it is exactly linear in which segments are on.
    const w = Float32Array.from({ length: 784 }, (_, i) => Math.sin(i) * 0.01);
    const net = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, useBias: false, weights: [tf.tensor2d(Float32Array.from({ length: 7840 }, (_, i) => (i % 10 === 0 ? w[Math.floor(i / 10)] : 0)), [784, 10])] })] });
    const x = floatImages(test, 0, 1);
    const before = tf.memory().numTensors;
    const run = createLimeRun(net, x, 0, { block: 7, samples: 400, runs: 1, lambda: 0 });
    const f = await finish(run);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const { segmentOf } = gridSegments(7);
    const truth = new Float64Array(16);
    x.forEach((v, p) => (truth[segmentOf[p]] += v * w[p]));
    f.runs[0].coef.forEach((c, s) => expect(c).toBeCloseTo(truth[s], 4));
    expect(f.runs[0].intercept).toBeCloseTo(0, 4);
    net.dispose();
  });

  it('on the shipped CNN: same seed, same answer; the runs agree more with more samples; no tensor leaks', async () => {
    const digits = [0, 1];
    const mean = { few: 0, many: 0 };
    for (const i of digits) {
      const x = floatImages(test, i, i + 1);
      const before = tf.memory().numTensors;
      for (const [key, samples] of [['few', 20], ['many', 200]] as const) {
        const run = createLimeRun(cnn, x, 'top', { block: 7, samples, runs: 3, batch: 100 });
        const f = await finish(run);
        run.dispose();
        expect(f.cls).toBe(test.labels[i]);
        expect(f.runs).toHaveLength(3);
        mean[key] += summarizeRuns(f.runs, 16, 3).agreement / digits.length;
      }
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(mean.many).toBeGreaterThan(mean.few);
    expect(mean.many).toBeGreaterThan(0.6);
    const again = async () => {
      const run = createLimeRun(cnn, floatImages(test, 0, 1), 'top', { block: 7, samples: 20, runs: 1 });
      const f = await finish(run);
      run.dispose();
      return Array.from(f.runs[0].coef);
    };
    expect(await again()).toEqual(await again());
  });

  it('npm run reproduce -- lime prints one line per sample count', async () => {
    const { reproduceLime } = await import('../../scripts/reproduce-results');
    const lines: string[] = [];
    const rows = await reproduceLime({ digits: 1, samples: [20], runs: 2, log: (l) => lines.push(l) });
    expect(lines).toEqual([`samples: 20 agreement: ${rows[0].agreement.toFixed(3)} spread: ${rows[0].spread.toFixed(3)}`]);
    expect(rows[0].agreement).toBeGreaterThanOrEqual(0);
    expect(rows[0].agreement).toBeLessThanOrEqual(1);
  });
});
