import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/tf-node';
import { exportRuns, importRuns } from '../runtime/nasbench/search';
import { additiveTable } from '../runtime/nasbench/test-table';
import { tf } from '../runtime/tf';
import { createNasRace, makeNasRuns, replayNasRuns } from './model';
import { JobError } from '../runtime/jobs/protocol';
import { nasRace, replayRace, type RaceProgress } from './race';

// The batched controllers' matrix products on wasm, as the page runs them (tfjs's cpu backend is several times slower).
beforeAll(() => useNodeBackend('wasm'));

describe('nas race', () => {
  const table = additiveTable();
  const c = { budget: 100, runs: 6, seed: 2, learningRate: 0.05, baselineDecay: 0.9 };

  it('starts near uniform, stops at the budget, the controller concentrates, and no tensor is left behind', async () => {
    const before = tf.memory().numTensors;
    const race = createNasRace(table, c);
    const f0 = await race.step(0);
    // Weights in ±0.08: every option within a few points of its uniform share.
    f0.probabilities!.forEach((p) => p.forEach((q) => expect(Math.abs(q - 1 / p.length)).toBeLessThan(0.05)));
    await race.step(1); // Adam makes its moments at the first update
    const during = tf.memory().numTensors;
    const f = await race.step(500);
    expect(tf.memory().numTensors).toBe(during);
    expect(f.trial).toBe(100);
    for (const p of f.probabilities!) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Concentrated: along its most likely architecture, every decision's choice has more than its uniform share.
    f.probabilities!.forEach((p, k) => expect(p[f.likely![k]]).toBeGreaterThan(1.5 / p.length));
    expect(f.best.reinforce.median).toBeGreaterThanOrEqual(f.best.random.median);
    race.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('exports and replays the same curves; refuses a non-positive step size', async () => {
    const race = createNasRace(table, { ...c, budget: 20 });
    const f = await race.step(20);
    race.dispose();
    const file = importRuns(JSON.stringify(exportRuns('nas', 'ab'.repeat(32), c, race.runs)), 'nas', 'ab'.repeat(32), ['reinforce', 'random']);
    const again = await createNasRace(table, { ...c, budget: 20 }, replayNasRuns(file)).step(20);
    expect(again.best).toEqual(f.best);
    expect(again.probabilities).toBeNull();
    expect(() => makeNasRuns(table, { ...c, learningRate: 0 })).toThrow(/step size must be positive/);
  });
});

describe('nas race as a worker job (called directly, as the worker does)', () => {
  const table = additiveTable();
  const c = { budget: 40, runs: 4, seed: 3, learningRate: 0.05, baselineDecay: 0.9 };
  const ctx = { signal: new AbortController().signal };

  it('streams the untrained state first, then cumulative curves to the budget; the result replays to the same curves', async () => {
    const before = tf.memory().numTensors;
    const gen = nasRace(c, ctx, async () => table);
    const seen: RaceProgress[] = [];
    let s = await gen.next();
    for (; !s.done; s = await gen.next()) seen.push(s.value.partial!);
    const r = s.value;
    expect(tf.memory().numTensors).toBe(before);
    expect(seen[0].frame.trial).toBe(0);
    seen[0].frame.probabilities!.forEach((p) => p.forEach((q) => expect(Math.abs(q - 1 / p.length)).toBeLessThan(0.05)));
    // One curve point per controller update (m = 10 trials), every child of the first seed, trials in order.
    expect(r.curve.trial).toEqual([10, 20, 30, 40]);
    expect(r.first.trial).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(r.runs.map((x) => x.trials.length)).toEqual(Array(2 * c.runs).fill(40));
    // The first seed's rewards are its cells' validation accuracies; the curves end at the last frame's spread.
    r.first.reward.forEach((x, i) => expect(x).toBe(table.val[r.runs[0].trials[i]]));
    expect(r.curve.rl.at(-1)).toBe(r.frame.best.reinforce.median);
    // The same race run directly (not through the job) finds the same cells.
    const direct = createNasRace(table, c);
    await direct.step(40);
    expect(direct.runs.map((x) => x.trials)).toEqual(r.runs.map((x) => x.trials));
    direct.dispose();
    const file = importRuns(JSON.stringify(exportRuns('nas', 'ab'.repeat(32), c, r.runs)), 'nas', 'ab'.repeat(32), ['reinforce', 'random']);
    const again = await replayRace(table, c, file);
    expect(again.curve).toEqual(r.curve);
    expect(again.frame.probabilities).toBeNull();
  });

  it('refuses a non-positive step size as a message for the view, before loading anything', async () => {
    let loaded = false;
    const gen = nasRace({ ...c, learningRate: 0 }, ctx, async () => ((loaded = true), table));
    await expect(gen.next()).rejects.toThrow(JobError);
    expect(loaded).toBe(false);
  });
});
