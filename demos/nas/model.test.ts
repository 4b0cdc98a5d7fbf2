import { describe, expect, it } from 'vitest';
import { exportRuns, importRuns, type Lookup } from '../runtime/nasbench/search';
import { decode, SPACE_SIZE } from '../runtime/nasbench/space';
import { createNasRace, makeNasRuns, replayNasRuns } from './model';

function structured(): Lookup {
  const val = new Float32Array(SPACE_SIZE);
  const score = { conv3: 0.04, sep3: 0.03, pool: 0.01, skip: 0 } as const;
  for (let i = 0; i < SPACE_SIZE; i++) val[i] = 0.8 + decode(i).reduce((s, c) => s + score[c.op] + 0.01 * c.width, 0);
  return { val, test: val };
}

describe('nas race', () => {
  const table = structured();
  const c = { budget: 120, runs: 10, seed: 2, learningRate: 20, baselineDecay: 0.9 };

  it('starts uniform, stops at the budget, and the controller concentrates as the reward rises above the baseline', async () => {
    const race = createNasRace(table, c);
    const f0 = await race.step(0);
    expect(f0.probabilities!.map((p) => p[0])).toEqual([0.25, 0.5, 0.25, 0.5, 0.25, 0.5]);
    const f = await race.step(500);
    expect(f.trial).toBe(120);
    for (const p of f.probabilities!) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Concentrated: every decision's most likely option has more than its uniform share.
    f.probabilities!.forEach((p) => expect(Math.max(...p)).toBeGreaterThan(1.5 / p.length));
    expect(f.best.reinforce.median).toBeGreaterThanOrEqual(f.best.random.median);
  });

  it('exports and replays the same curves; refuses a non-positive step size', async () => {
    const race = createNasRace(table, c);
    const f = await race.step(120);
    const file = importRuns(JSON.stringify(exportRuns('nas', 'ab'.repeat(32), c, race.runs)), 'nas', 'ab'.repeat(32), ['reinforce', 'random']);
    const again = await createNasRace(table, c, replayNasRuns(file)).step(120);
    expect(again.best).toEqual(f.best);
    expect(again.probabilities).toBeNull();
    expect(() => makeNasRuns(table, { ...c, learningRate: 0 })).toThrow(/step size must be positive/);
  });
});
