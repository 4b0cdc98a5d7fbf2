import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { createRace, DEFAULT_CONFIG, learningRate, scheduleCurve, SCHEDULE_NAMES, type ScheduleName } from './model';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const O = { base: 0.2, total: 700, warmup: 70 };
const rate = (name: ScheduleName, t: number, o = O) => learningRate(name, t, o);

describe('schedules, against their closed forms', () => {
  it('constant is γ everywhere; step decay divides by 10 at T/2 and again at 3T/4', () => {
    for (const t of [0, 1, 349, 699]) expect(rate('constant', t)).toBe(0.2);
    expect(rate('step', 0)).toBeCloseTo(0.2, 12);
    expect(rate('step', 349)).toBeCloseTo(0.2, 12);
    expect(rate('step', 350)).toBeCloseTo(0.02, 12);
    expect(rate('step', 524)).toBeCloseTo(0.02, 12);
    expect(rate('step', 525)).toBeCloseTo(0.002, 12);
  });

  it('cosine: γ at 0, γ/2 at T/2, γ(1 + cos(π/4))/2 at T/4, and falls monotonically towards 0', () => {
    expect(rate('cosine', 0)).toBeCloseTo(0.2, 12);
    expect(rate('cosine', 350)).toBeCloseTo(0.1, 12);
    expect(rate('cosine', 175)).toBeCloseTo(0.1 * (1 + Math.SQRT1_2), 12);
    expect(rate('cosine', 699)).toBeCloseTo(0.1 * (1 + Math.cos((Math.PI * 699) / 700)), 12);
    const c = scheduleCurve('cosine', O);
    for (let t = 1; t < c.length; t++) expect(c[t]).toBeLessThan(c[t - 1]);
  });

  it('SGDR: restarts to γ at T₀ and 3T₀ (cycles T₀, 2T₀, 4T₀ with T₀ = T/7), half way down in each cycle', () => {
    const t0 = 100; // 700 / 7
    for (const start of [0, t0, 3 * t0]) expect(rate('sgdr', start)).toBeCloseTo(0.2, 12);
    expect(rate('sgdr', 50)).toBeCloseTo(0.1, 12); // half of cycle 1 (length 100)
    expect(rate('sgdr', 200)).toBeCloseTo(0.1, 12); // half of cycle 2 (100 + 200/2)
    expect(rate('sgdr', 500)).toBeCloseTo(0.1, 12); // half of cycle 3 (300 + 400/2)
    expect(rate('sgdr', 99)).toBeLessThan(0.001);
  });

  it('warmup + cosine: linear γ(t + 1)/W for W steps, then the cosine over the remaining T − W', () => {
    for (const t of [0, 9, 34, 69]) expect(rate('warmup', t)).toBeCloseTo((0.2 * (t + 1)) / 70, 12);
    expect(rate('warmup', 70)).toBeCloseTo(0.2, 12);
    expect(rate('warmup', 70 + 315)).toBeCloseTo(0.1, 12); // half of 630
    // W = 0 is the plain cosine.
    for (const t of [0, 123, 350, 699]) expect(rate('warmup', t, { ...O, warmup: 0 })).toBeCloseTo(rate('cosine', t), 12);
  });

  it('one-cycle: from γ/25 up to γ at its peak 0.3·T, then down to γ/(25·10⁴) at T, the peak the maximum', () => {
    expect(rate('onecycle', 0)).toBeCloseTo(0.2 / 25, 12);
    expect(rate('onecycle', 210)).toBeCloseTo(0.2, 12);
    expect(rate('onecycle', 105)).toBeCloseTo((0.2 + 0.2 / 25) / 2, 12); // half way up a cosine: the mean
    const c = scheduleCurve('onecycle', O);
    expect(c.indexOf(Math.max(...c))).toBe(210);
    // The last step's rate is one step before the end of the cosine down to γ/(25·10⁴).
    const end = 0.2 / 25 / 1e4;
    expect(c[699]).toBeCloseTo(end + (0.2 - end) * 0.5 * (1 + Math.cos((Math.PI * 489) / 490)), 12);
    expect(c[699]).toBeLessThan(1e-5);
  });

  it('steps outside the run take the rate of its ends; the curve has one rate per step', () => {
    for (const s of SCHEDULE_NAMES) {
      expect(rate(s, -5)).toBe(rate(s, 0));
      expect(rate(s, 10_000)).toBe(rate(s, 699));
      expect(scheduleCurve(s, O).length).toBe(700);
    }
  });
});

describe('createRace', () => {
  it('uses each schedule\'s rate, starts all nets from the same weights, and stops at T', async () => {
    const race = createRace({ schedules: ['constant', 'cosine'], total: 40, warmup: 4, hidden: [8], nTrain: 40, nTest: 50 });
    const f0 = await race.step(0);
    expect(f0.steps).toBe(0);
    expect(f0.trainLoss[0]).toBe(f0.trainLoss[1]); // same initial weights
    expect(Array.from(f0.rate)).toEqual([0.1, 0.1]);
    const f = await race.step(20);
    expect(f.steps).toBe(20);
    expect(f.rate[1]).toBeCloseTo(0.05, 7); // cosine at T/2
    expect(f.trainLoss[0]).not.toBe(f.trainLoss[1]);
    expect((await race.step(500)).steps).toBe(40);
    race.dispose();
    race.dispose();
    await expect(race.step(1)).rejects.toThrow(/after dispose/);
  });

  it('two nets on the same schedule stay identical: only the schedule differs between nets', async () => {
    const race = createRace({ schedules: ['onecycle', 'step', 'onecycle'], total: 200, hidden: [8], nTrain: 40, nTest: 50 });
    const f = await race.step(60);
    expect(f.trainLoss[0]).toBe(f.trainLoss[2]);
    expect(f.testLoss[0]).toBe(f.testLoss[2]);
    expect(f.trainLoss[0]).not.toBe(f.trainLoss[1]);
    race.dispose();
  });

  it('rejects a warmup as long as the run, no schedules, and a non-positive rate', () => {
    expect(() => createRace({ total: 200, warmup: 200 })).toThrow(/warmup/);
    expect(() => createRace({ schedules: [] })).toThrow(/schedule/);
    expect(() => createRace({ base: 0 })).toThrow(/positive/);
  });

  it('leaves the tensor count unchanged across steps and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const race = createRace({ total: 200, hidden: [8], nTrain: 40, nTest: 50 });
    await race.step(1);
    const during = tf.memory().numTensors;
    await race.step(5);
    await race.step(0);
    expect(tf.memory().numTensors).toBe(during);
    race.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  // A third of the demo's run on 200 test points, which checks the mechanism. The page's table (the defaults, 600
  // steps) comes from `npm run reproduce -- schedules` (scripts/reproduce-results.ts).
  it('at T = 200 the constant rate\'s loss still jumps over the last 20 steps while every decaying schedule\'s has settled', async () => {
    const T = 200;
    const last = 20;
    const race = createRace({ schedules: SCHEDULE_NAMES, total: T, nTest: 200 });
    expect(race.config.base).toBe(DEFAULT_CONFIG.base);
    await race.step(T - last);
    const lo = SCHEDULE_NAMES.map(() => Infinity);
    const hi = SCHEDULE_NAMES.map(() => -Infinity);
    let f = await race.step(0);
    for (let i = 0; i < last; i++) {
      f = await race.step(1);
      f.trainLoss.forEach((v, j) => ((lo[j] = Math.min(lo[j], v)), (hi[j] = Math.max(hi[j], v))));
    }
    race.dispose();
    expect(f.steps).toBe(T);
    // Measured: 0.0233 for the constant rate, at most 0.0012 (step decay) for the others.
    const spread = SCHEDULE_NAMES.map((_, j) => hi[j] - lo[j]);
    expect(spread[0]).toBeGreaterThan(0.01);
    for (let j = 1; j < SCHEDULE_NAMES.length; j++) expect(spread[j]).toBeLessThan(spread[0] / 10);
  }, 60_000);
});
