import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createInitRun, layerSizes, measure, measurementJobs, runUnits, segmentLayers, stepUnits, trainingChain, predictedBackwardStd, predictedForwardStd, spread, EVAL_EVERY, INITS, INIT_NAMES, TEST_CHUNK, type Digits } from './model';
import { createStackedMlp, crossEntropy, disposeMlp, forwardStacked, initLayers, stackedMlp, stackedParams } from '../runtime/models/stacked-mlp';
import { createFlatTrainer } from '../runtime/train';
import { createSegmentedGrad } from '../runtime/segmented-grad';

const LN10 = Math.log(10);

describe('He et al.’s predictions (ReLU)', () => {
  const sizes = layerSizes(20, 64);
  it('He keeps the forward std at √2 through every layer; Xavier halves the variance per hidden layer', () => {
    for (const s of predictedForwardStd('he', sizes)) expect(s).toBeCloseTo(Math.SQRT2, 12);
    const x = predictedForwardStd('xavier', sizes);
    for (let l = 1; l < 20; l++) expect(x[l] / x[l - 1]).toBeCloseTo(Math.SQRT1_2, 12);
  });
  it('the backward prediction for He is the same at every hidden layer (square layers: fan-out = fan-in)', () => {
    const b = predictedBackwardStd('he', sizes);
    for (let l = 2; l < 20; l++) expect(b[l]).toBeCloseTo(b[1], 12);
    // At the logits' input: Var = fan-out · Var[w] = 10 · 2/64, no ReLU after the last layer.
    expect(b[20]).toBeCloseTo(Math.sqrt((10 * 2) / 64), 12);
  });
});

describe('spread', () => {
  it('is the std over samples and units per net, and stays finite for values near float32’s limit', async () => {
    const x = tf.tensor3d([1e30, -1e30, 1e30, -1e30, 1, 2, 3, 4], [2, 2, 2]);
    const s = await spread(x).data();
    x.dispose();
    expect(s[0] / 1e30).toBeCloseTo(1, 5);
    expect(s[1]).toBeCloseTo(Math.sqrt(1.25), 5);
  });
});

describe('the initialisation demo on wasm', () => {
  let digits: Digits;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    digits = { train: sliceDigits(loadMnistNode('train'), 0, 5000), test: sliceDigits(loadMnistNode('test'), 0, 500) };
  });
  afterAll(() => tf.setBackend('cpu'));

  it('measures the spread He et al. predict, within the drift of one finite-width network (a factor 3)', async () => {
    const run = createInitRun({ act: 'relu' });
    const f = await run.step(0);
    run.dispose();
    INIT_NAMES.forEach((name, i) => {
      const check = (measured: Float32Array[], predicted: number[], what: string) =>
        predicted.forEach((p, l) => {
          if (p < 1e-30 || p > 1e30) return; // beyond float32's comfortable range: not comparable
          expect(Math.abs(Math.log(measured[l][i] / p)), `${name} ${what} layer ${l + 1}: ${measured[l][i]} vs ${p}`).toBeLessThan(Math.log(3));
        });
      check(f.propagation.forward, predictedForwardStd(name, run.sizes), 'forward');
      check(f.propagation.backward, predictedBackwardStd(name, run.sizes), 'backward');
    });
    // The story at 20 ReLU layers: N(0, 1) explodes, N(0, 0.01²) vanishes, Xavier fades, He holds.
    const atLogits = f.propagation.forward[20];
    expect(atLogits[0]).toBeGreaterThan(1e12);
    expect(atLogits[1]).toBeLessThan(1e-20);
    expect(atLogits[2]).toBeLessThan(1e-2);
    expect(atLogits[3]).toBeGreaterThan(0.3);
  });

  it('trains the He network on MNIST while the Xavier one stays at chance (20 ReLU layers, plain SGD); no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const run = createInitRun({ inits: ['xavier', 'he'], total: 60 }, digits);
    const start = await run.step(0);
    let f = await run.step(1); // the first step, in one call: its segmented pass allocates its storage
    expect(f.steps).toBe(1);
    const counted = tf.memory().numTensors;
    while (f.measuredAt < 60) f = await run.step(20); // SGD steps and measurement jobs, 20 units a call
    expect(tf.memory().numTensors).toBe(counted);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(f.steps).toBe(60);
    // Measured after 60 steps: Xavier 2.300 (13.4 %), He 1.825 (34.8 %).
    expect(Math.abs(start.testLoss![0] - LN10)).toBeLessThan(0.01); // both start at chance
    expect(Math.abs(f.testLoss![0] - LN10)).toBeLessThan(0.02); // Xavier: still there
    expect(f.testLoss![1]).toBeLessThan(2.0); // He: learning
    expect(f.testAcc![1]).toBeGreaterThan(0.3);
  }, 120_000);

  it('measures on a snapshot one job per unit of work, training waiting: the same numbers, for the same step, as at once', async () => {
    const few = { train: digits.train, test: sliceDigits(digits.test, 0, 2 * TEST_CHUNK) };
    const cfg = { inits: ['xavier', 'he'] as const, depth: 4, width: 16, batchSize: 16, total: 14 };
    const split = createInitRun(cfg, few);
    const whole = createInitRun(cfg, few);
    await Promise.all([split.step(0), whole.step(0)]);
    const jobs = measurementJobs(2, few.test.count);
    const u = stepUnits(cfg.depth);
    let f = await split.step(1 + (EVAL_EVERY - 1) * u); // ten steps (the first in one unit); the tenth starts a measurement
    for (let c = 0; c < jobs; c++) {
      expect(f.measuredAt).toBe(0);
      f = await split.step(1); // one job of it; training waits
    }
    expect(f.measuredAt).toBe(EVAL_EVERY);
    expect(f.steps).toBe(EVAL_EVERY);
    expect((await split.step(u)).steps).toBe(EVAL_EVERY + 1); // then training goes on
    await whole.step(1 + (EVAL_EVERY - 1) * u);
    const g = await whole.step(0); // the same step, measured at once
    expect(g.measuredAt).toBe(EVAL_EVERY);
    for (const key of ['testLoss', 'testAcc'] as const) Array.from(g[key]!, (v, i) => expect(f[key]![i]).toBeCloseTo(v, 5));
    g.propagation.forward.forEach((row, l) => row.forEach((v, i) => expect(f.propagation.forward[l][i] / v).toBeCloseTo(1, 5)));
    g.propagation.backward.forEach((row, l) => row.forEach((v, i) => expect(f.propagation.backward[l][i] / v).toBeCloseTo(1, 5)));
    // The end is measured too, its jobs after the last step: the whole run takes runUnits units.
    let units = 1 + (EVAL_EVERY - 1) * u + jobs + u;
    for (; f.measuredAt < cfg.total; units++) f = await split.step(1);
    expect(units).toBe(runUnits(cfg.total, jobs, cfg.depth));
    split.dispose();
    whole.dispose();
  });

  it('a training step spread over calls: the segmented pass gives the one-shot step’s parameters and loss; the run counts whole steps', async () => {
    const sizes = layerSizes(9, 16);
    const L = sizes.length - 1;
    expect(segmentLayers(L)).toEqual([[0, 1], [1, 5], [5, 9], [9, 10]]);
    const nets = (['xavier', 'he'] as const).map((n) => initLayers(sizes, 5, INITS[n].std));
    const make = () => createFlatTrainer(stackedParams(nets), (p, x, y) => crossEntropy(forwardStacked(stackedMlp(sizes, p), x as tf.Tensor3D), y as tf.Tensor1D), { kind: 'sgd', lr: 0.1 });
    const [whole, split] = [make(), make()];
    const pass = createSegmentedGrad();
    for (let s = 0; s < 3; s++) {
      const x = tf.randomNormal([1, 8, 784], 0, 1, 'float32', 10 + s) as tf.Tensor3D;
      const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
      whole.step(x, y);
      pass.start(x, trainingChain(stackedMlp(sizes, split.current()), y, 'relu', segmentLayers(L)), { inputGrad: false });
      let r = pass.advance(1, 3);
      for (let calls = 1; !r; calls++) {
        expect(calls).toBeLessThan(9); // one segment a call: 4 forward, 4 backward
        r = pass.advance(1, 3);
      }
      split.applyGradient(tf.concat(r.backward as tf.Tensor[]), r.forward[3]!);
      tf.dispose([x, y]);
    }
    const [a, b] = await Promise.all([whole.read(), split.read()]);
    let worst = 0;
    a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[i]))));
    expect(worst).toBeLessThan(1e-5);
    const [la, lb] = await Promise.all([whole.meanLossTensor().data(), split.meanLossTensor().data()]);
    Array.from(la, (v, i) => expect(lb[i]).toBeCloseTo(v, 5));
    whole.dispose();
    split.dispose();
    pass.dispose();
    // In the run, the first step takes one call and every later one stepUnits(depth) calls, the calls before its
    // last returning the same step count; the tensor count is the same after each call, mid-step or not.
    const run = createInitRun({ inits: ['he'], depth: 9, width: 16, batchSize: 8 }, digits);
    await run.step(0);
    expect((await run.step(1)).steps).toBe(1);
    const count = tf.memory().numTensors;
    const u = stepUnits(9);
    expect(u).toBeGreaterThan(1);
    for (let c = 1; c < u; c++) {
      const f = await run.step(1);
      expect([f.steps, f.trainLoss]).toEqual([1, null]);
      expect(tf.memory().numTensors).toBe(count);
    }
    const f = await run.step(1);
    expect(f.steps).toBe(2);
    expect(f.trainLoss![0]).toBeGreaterThan(1);
    expect(tf.memory().numTensors).toBe(count);
    // A call with room for a whole step takes it at once (the trainer's own step): the same numbers as unit by unit.
    const g = await run.step(u);
    expect(g.steps).toBe(3);
    expect(tf.memory().numTensors).toBe(count);
    const units = createInitRun({ inits: ['he'], depth: 9, width: 16, batchSize: 8 }, digits);
    await units.step(0);
    let h = await units.step(1);
    while (h.steps < 3) h = await units.step(1);
    expect(h.trainLoss![0]).toBeCloseTo(g.trainLoss![0], 5);
    run.dispose();
    units.dispose();
  });

  it('measures the propagation net by net as the stacked nets do at once', async () => {
    const sizes = layerSizes(3, 16);
    const nets = (['unit', 'he'] as const).map((n) => initLayers(sizes, 7, INITS[n].std));
    const both = createStackedMlp(nets);
    const x = tf.randomNormal([1, 32, 784], 0, 1, 'float32', 3) as tf.Tensor3D;
    const g = tf.randomNormal([1, 32, 10], 0, 1, 'float32', 4) as tf.Tensor3D;
    const stacked = await measure(both, x, g, 'relu').array();
    for (let j = 0; j < 2; j++) {
      const one = createStackedMlp([nets[j]]);
      const alone = await measure(one, x, g, 'relu').array();
      alone.forEach((dir, d) => dir.forEach((row, l) => expect(row[0] / stacked[d][l][j]).toBeCloseTo(1, 5)));
      disposeMlp(one);
    }
    disposeMlp(both);
    tf.dispose([x, g]);
  });
});
