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
async function runToEnd(cfg: Parameters<typeof createBnRun>[0], digits: Digits): Promise<{ frame: BnFrame }> {
  const before = tf.memory().numTensors;
  const run = createBnRun(cfg, digits);
  let frame = await run.step(0);
  const afterFirst = tf.memory().numTensors;
  while (frame.steps < run.config.total) frame = await run.step(37);
  expect(tf.memory().numTensors).toBe(afterFirst); // steps leave no tensor behind
  run.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { frame };
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
    // The numbers the notes quote (wasm in Node is deterministic; ±1 percentage point for other builds).
    expect(at(100).testAcc[0]).toBeCloseTo(0.366, 2);
    expect(at(100).testAcc[1]).toBeCloseTo(0.822, 2);
    expect(at(400).testAcc[0]).toBeCloseTo(0.726, 2);
    expect(at(400).testAcc[1]).toBeCloseTo(0.93, 2);
    // The plain net's tenth layer widens; the BN net's stays near unit spread.
    expect(at(400).std[9][0]).toBeCloseTo(1.43, 1);
    expect(at(400).std[9][1]).toBeCloseTo(1.06, 1);
  }, 240_000);

  it('at rate 1 the plain ReLU net collapses to chance (dead units, loss ln 10), the BN net trains', async () => {
    const { frame } = await runToEnd({ lr: 1, total: 200 }, digits);
    const last = frame.snapshots[frame.snapshots.length - 1];
    expect(last.testAcc[0]).toBeCloseTo(0.11, 2);
    expect(last.testAcc[1]).toBeCloseTo(0.894, 2);
    expect(last.testLoss[0]).toBeCloseTo(Math.log(10), 1);
    expect(last.std[9][0]).toBeLessThan(0.2); // a thin line in the strip
  }, 240_000);

  it('with sigmoids (rate 0.5) the plain net stays at chance while the BN net learns', async () => {
    const { frame } = await runToEnd({ act: 'sigmoid', lr: 0.5, total: 200 }, digits);
    const last = frame.snapshots[frame.snapshots.length - 1];
    expect(last.testAcc[0]).toBeCloseTo(0.11, 2);
    expect(last.testAcc[1]).toBeCloseTo(0.862, 2);
  }, 240_000);

  it('with 2 hidden layers both train well; BN still leads after 100 steps', async () => {
    const { frame } = await runToEnd({ depth: 2, total: 100 }, digits);
    const last = frame.snapshots[frame.snapshots.length - 1];
    expect(last.step).toBe(100);
    expect(last.testAcc[0]).toBeCloseTo(0.834, 2);
    expect(last.testAcc[1]).toBeCloseTo(0.892, 2);
  }, 240_000);
});
