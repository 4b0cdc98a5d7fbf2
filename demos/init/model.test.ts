import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createInitRun, layerSizes, predictedBackwardStd, predictedForwardStd, spread, INIT_NAMES, type Digits } from './model';

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
    const run = createInitRun({ inits: ['xavier', 'he'] }, digits);
    const start = await run.step(0);
    const counted = tf.memory().numTensors;
    let f = start;
    for (let s = 0; s < 60; s += 20) f = await run.step(20);
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
});
