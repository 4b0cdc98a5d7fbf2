import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createBnRun, histogram, measurementJobs, runUnits, stdOf, EVAL_EVERY, STEP_UNITS, HIST_BINS, type BnFrame, type Digits } from './model';

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

/** Steps a run to its end in chunks of 13 (snapshots must still fall every EVAL_EVERY steps); returns the last frame. */
async function runToEnd(cfg: Parameters<typeof createBnRun>[0], digits: Digits): Promise<{ frame: BnFrame }> {
  const before = tf.memory().numTensors;
  const run = createBnRun(cfg, digits);
  let frame = await run.step(0);
  const afterFirst = tf.memory().numTensors;
  while (frame.steps < run.config.total) frame = await run.step(13);
  frame = await run.step(0); // completes the last measurement
  expect(tf.memory().numTensors).toBe(afterFirst); // steps leave no tensor behind
  run.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { frame };
}

// Short runs on 200 test digits that check the mechanism. The page's numbers (400 steps, 500 test digits, every
// setting of its "try" box) come from `npm run reproduce -- batchnorm` (scripts/reproduce-results.ts).
describe('the batch-normalization demo on wasm (5,000 training digits, 200 test digits)', () => {
  let digits: Digits;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    digits = { train: sliceDigits(loadMnistNode('train'), 0, 5000), test: sliceDigits(loadMnistNode('test'), 0, 200) };
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

  it('at rate 1 the BN net learns within 20 steps while the plain ReLU net sits at chance with loss ln 10 and a collapsing last layer', async () => {
    const { frame } = await runToEnd({ lr: 1, total: 20 }, digits);
    const snaps = frame.snapshots;
    expect(snaps.map((s) => s.step)).toEqual([0, EVAL_EVERY]);
    const [start, end] = snaps;
    // Measured: plain 12.0 %, BN 65.0 % after 20 steps (loss 2.29 against 1.06).
    expect(end.testAcc[1]).toBeGreaterThan(0.6);
    expect(end.testAcc[1] - end.testAcc[0]).toBeGreaterThan(0.4);
    expect(end.testAcc[0]).toBeLessThan(0.25);
    expect(start.testLoss[1] - end.testLoss[1]).toBeGreaterThan(1);
    // Dead units: the plain net has the loss of a uniform guess, …
    expect(Math.abs(end.testLoss[0] - Math.log(10))).toBeLessThan(0.05);
    // … and its tenth layer's input has shrunk to a thin line, while the BN net's keeps about unit spread.
    expect(end.std[9][0]).toBeLessThan(0.2);
    expect(Math.abs(end.std[9][1] - 1)).toBeLessThan(0.3);
  }, 60_000);

  it('one net per call: a step is two calls, the first returning the same step count, and the losses are those of both halves in one call', async () => {
    const cfg = { depth: 2, width: 16, total: 7 };
    const halves = createBnRun(cfg, digits);
    const threes = createBnRun(cfg, digits);
    await Promise.all([halves.step(0), threes.step(0)]);
    const count = tf.memory().numTensors;
    const losses: Float32Array[] = []; // per step, from calls of one unit
    for (let s = 1; s <= 6; s++) {
      const mid = await halves.step(1); // the plain net's half
      expect([mid.steps, mid.trainLoss]).toEqual([s - 1, null]);
      expect(tf.memory().numTensors).toBe(count);
      const f = await halves.step(1); // the BN net's, on the same batch
      expect(f.steps).toBe(s);
      losses.push(f.trainLoss!);
      expect(tf.memory().numTensors).toBe(count);
    }
    // Calls of three units end between the halves every other time; each call's mean covers its completed steps.
    const want = [[0], [1, 2], [3], [4, 5]];
    for (const steps of want) {
      const f = await threes.step(3);
      expect(f.steps).toBe(steps[steps.length - 1] + 1);
      for (let net = 0; net < 2; net++) expect(f.trainLoss![net]).toBeCloseTo(steps.reduce((a, s) => a + losses[s][net], 0) / steps.length, 5);
    }
    halves.dispose();
    threes.dispose();
  });

  it('measures on a snapshot one job per unit of work, training waiting: the same snapshot, for the same step, as at once', async () => {
    const cfg = { depth: 2, width: 16, total: EVAL_EVERY + 5 };
    const split = createBnRun(cfg, digits);
    const whole = createBnRun(cfg, digits);
    await Promise.all([split.step(0), whole.step(0)]);
    const jobs = measurementJobs(digits.test.count);
    let f = await split.step(EVAL_EVERY * STEP_UNITS); // twenty steps; the twentieth starts a measurement
    for (let c = 0; c < jobs; c++) {
      expect(f.snapshots).toHaveLength(1);
      f = await split.step(1); // one job of it; training waits
    }
    expect(f.snapshots.map((s) => s.step)).toEqual([0, EVAL_EVERY]);
    expect(f.steps).toBe(EVAL_EVERY);
    await whole.step(EVAL_EVERY * STEP_UNITS);
    const g = await whole.step(0); // the same step, measured at once
    const [a, b] = [f.snapshots[1], g.snapshots[1]];
    expect(b.step).toBe(EVAL_EVERY);
    for (const key of ['testLoss', 'testAcc'] as const) Array.from(b[key], (v, i) => expect(a[key][i]).toBeCloseTo(v, 5));
    b.std.forEach((row, l) => row.forEach((v, i) => expect(a.std[l][i]).toBeCloseTo(v, 5)));
    b.hist.forEach((row, l) => row.forEach((v, i) => expect(a.hist[l][i]).toBeCloseTo(v, 5)));
    // The end is measured too, its jobs after the last step: the whole run takes runUnits units.
    let units = EVAL_EVERY * STEP_UNITS + jobs;
    for (; f.snapshots[f.snapshots.length - 1].step < cfg.total; units++) f = await split.step(1);
    expect(units).toBe(runUnits(cfg.total, jobs));
    expect(f.snapshots.map((s) => s.step)).toEqual([0, EVAL_EVERY, cfg.total]);
    split.dispose();
    whole.dispose();
  });
});
