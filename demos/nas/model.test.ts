import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/tf-node';
import { exportRuns, importRuns } from '../runtime/nasbench/search';
import { additiveTable } from '../runtime/nasbench/test-table';
import { tf } from '../runtime/tf';
import { createNasRace, makeNasRuns, replayNasRuns } from './model';

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
