import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createBnRun, histogram, stdOf, EVAL_EVERY, HIST_BINS, type BnFrame, type Digits } from './model';

describe('histogram', () => {
  it('counts fractions per bin, piles outliers into the end bins and skips NaN', () => {
    const h = histogram([-10, -0.9, -0.1, 0.1, 0.2, 0.6, 7, NaN], -1, 1, 4);
    [2, 1, 2, 2].forEach((c, b) => expect(h[b]).toBeCloseTo(c / 7, 6));
    expect(() => histogram([1], 1, 1, 4)).toThrow(/lo < hi/);
  });
  it('stdOf is the population standard deviation', () => {
    expect(stdOf([1, 3])).toBe(1);
    expect(stdOf([1, Infinity])).toBeNaN();
  });
});

/** Steps a run to its end, in chunks as the view does; returns the last frame. */
async function runToEnd(cfg: Parameters<typeof createBnRun>[0], digits: Digits): Promise<{ frame: BnFrame; leaked: number }> {
  const before = tf.memory().numTensors;
  const run = createBnRun(cfg, digits);
  let frame = await run.step(0);
  const afterFirst = tf.memory().numTensors;
  while (frame.steps < run.config.total) frame = await run.step(37);
  const steady = tf.memory().numTensors - afterFirst;
  run.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { frame, leaked: steady };
}

describe('the batch-normalization demo on wasm (5,000 training digits, 500 test digits)', () => {
  let digits: Digits;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    digits = { train: sliceDigits(loadMnistNode('train'), 0, 5000), test: sliceDigits(loadMnistNode('test'), 0, 500) };
  });
  afterAll(() => tf.setBackend('cpu'));

  it('at the start, the BN net’s non-linearities see unit-variance inputs at every depth; the plain net’s do not', async () => {
    const run = createBnRun({}, digits);
    const f = await run.step(0);
    run.dispose();
    const s = f.snapshots[0];
    expect(s.step).toBe(0);
    expect(s.hist).toHaveLength(10);
    for (let l = 0; l < 10; l++) {
      expect(s.std[l][1]).toBeCloseTo(1, 2); // γ = 1, β = 0: exactly the normalised x̂
      expect(Math.abs(s.std[l][0] - 1)).toBeGreaterThan(0.3); // He init on [0, 1] pixels: about 0.45
      for (const net of [0, 1]) expect(s.hist[l].subarray(net * HIST_BINS, (net + 1) * HIST_BINS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    // Both nets start from the same weights: the same predictions up to the normalisation, so both at chance.
    for (const acc of s.testAcc) expect(acc).toBeLessThan(0.25);
  });

  it('default (ReLU, 10 layers, rate 0.2): BN learns faster; at the end the BN net is ahead on held-out digits', async () => {
    const { frame } = await runToEnd({}, digits);
    const snaps = frame.snapshots;
    expect(snaps.map((s) => s.step)).toEqual(Array.from({ length: 400 / EVAL_EVERY + 1 }, (_, i) => i * EVAL_EVERY));
    const at = (step: number) => snaps.find((s) => s.step === step)!;
    // After 100 steps the BN net is well ahead (the notes quote both numbers).
    expect(at(100).testAcc[1] - at(100).testAcc[0]).toBeGreaterThan(0.15);
    expect(at(400).testAcc[1]).toBeGreaterThan(0.88);
    expect(at(400).testAcc[1]).toBeGreaterThanOrEqual(at(400).testAcc[0]);
    console.log('default', [100, 400].map((s) => `${s}: ${Array.from(at(s).testAcc).map((a) => (100 * a).toFixed(1))}`).join(' | '), 'std L10', Array.from(at(400).std[9]).map((v) => v.toFixed(2)));
  }, 240_000);

  it('at rate 1 the plain ReLU net diverges, the BN net trains', async () => {
    const { frame } = await runToEnd({ lr: 1, total: 200 }, digits);
    const last = frame.snapshots[frame.snapshots.length - 1];
    expect(last.testAcc[0]).toBeLessThan(0.2); // chance: its weights blew up
    expect(last.testAcc[1]).toBeGreaterThan(0.85);
    console.log('lr 1', Array.from(last.testAcc).map((a) => (100 * a).toFixed(1)));
  }, 240_000);

  it('with sigmoids the plain net is stuck near chance while the BN net learns', async () => {
    const { frame } = await runToEnd({ act: 'sigmoid', lr: 0.5, total: 200 }, digits);
    const last = frame.snapshots[frame.snapshots.length - 1];
    expect(last.testAcc[0]).toBeLessThan(0.2);
    expect(last.testAcc[1]).toBeGreaterThan(0.7);
    console.log('sigmoid', Array.from(last.testAcc).map((a) => (100 * a).toFixed(1)));
  }, 240_000);
});
