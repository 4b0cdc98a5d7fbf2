import { describe, expect, it } from 'vitest';
import { EvolutionRun, exportRuns, importRuns, type Lookup } from '../runtime/nasbench/search';
import { decode, SPACE_SIZE, STAGES } from '../runtime/nasbench/space';
import { createRace, livingOf, makeRuns, replayRuns } from './model';

/**
 * A table with structure: each stage's operation and width add to the accuracy independently, so good cells
 * have good neighbours (what makes mutation pay off); the optimum is conv3·wide on every stage.
 */
function structured(): Lookup {
  const val = new Float32Array(SPACE_SIZE);
  const score = { conv3: 0.04, sep3: 0.03, pool: 0.01, skip: 0 } as const;
  for (let i = 0; i < SPACE_SIZE; i++) val[i] = 0.8 + decode(i).reduce((s, c) => s + score[c.op] + 0.01 * c.width, 0);
  return { val, test: val.map((v) => v - 0.02) };
}

describe('evolution race', () => {
  const table = structured();

  it('aging removes the oldest member, non-aging the worst', () => {
    const P = 6;
    const aging = new EvolutionRun(table, { population: P, sample: 3, aging: true }, 7);
    const nonaging = new EvolutionRun(table, { population: P, sample: 3, aging: false }, 7);
    for (let t = 0; t < 40; t++) {
      aging.next();
      nonaging.next();
      expect(aging.population.length).toBe(Math.min(P, t + 1));
      // Aging: the population is exactly the last P children, oldest first.
      expect(aging.population).toEqual(livingOf(table, aging.trials, P, true));
      // Non-aging: removing the worst each time keeps the best P ever seen.
      expect(nonaging.population).toEqual(livingOf(table, nonaging.trials, P, false));
    }
    // Every child after the first P is a one-step mutation of a living member: it differs in one stage.
    const ops = (c: number) => decode(c);
    const child = aging.trials[P];
    expect(aging.trials.slice(0, P).some((p) => ops(p).filter((s, k) => s.op !== ops(child)[k].op || s.width !== ops(child)[k].width).length === 1)).toBe(true);
    expect(STAGES).toBe(3);
  });

  it('is reproducible from its seed and stops at the budget', async () => {
    const c = { population: 10, sample: 3, budget: 60, runs: 5, seed: 3 };
    const a = createRace(table, c);
    const b = createRace(table, c);
    const fa = await a.step(100);
    const fb = await b.step(100);
    expect(fa.trial).toBe(60);
    expect(a.runs.every((r) => r.trials.length === 60)).toBe(true);
    expect(fa).toEqual(fb);
    expect(a.runs.map((r) => r.trials)).toEqual(b.runs.map((r) => r.trials));
  });

  it('on a structured space, evolution beats random search at equal budget (median over 20 seeds)', async () => {
    const race = createRace(table, { population: 20, sample: 5, budget: 120, runs: 20, seed: 1 });
    const f = await race.step(120);
    const optimum = Math.max(...Array.from(table.val));
    expect(f.methods.aging.val.median).toBeGreaterThan(f.methods.random.val.median);
    expect(f.methods.aging.val.median).toBeCloseTo(optimum, 6);
    expect(f.methods.random.val.median).toBeLessThan(optimum);
  });

  it('exports and re-imports a race, which replays to the same frame; a malformed file is refused with its reason', async () => {
    const c = { population: 8, sample: 2, budget: 30, runs: 3, seed: 5 };
    const race = createRace(table, c);
    const f = await race.step(30);
    const text = JSON.stringify(exportRuns('evolution', 'ab'.repeat(32), c, race.runs));
    const file = importRuns(text, 'evolution', 'ab'.repeat(32));
    const again = await createRace(table, { ...c, runs: 0 }, replayRuns(file)).step(30);
    expect(again.methods).toEqual(f.methods);
    expect(again.shown.aging.alive).toEqual(f.shown.aging.alive);
    expect(again.shown.nonaging.alive).toEqual(f.shown.nonaging.alive);
    expect(() => importRuns('{', 'evolution', 'x')).toThrow(/not JSON/);
    expect(() => importRuns(text, 'nas', 'ab'.repeat(32))).toThrow(/"evolution" demo/);
    expect(() => importRuns(text, 'evolution', 'cd'.repeat(32))).toThrow(/another version of the benchmark/);
    const broken = JSON.parse(text);
    broken.runs[1].trials[4] = 9999;
    expect(() => importRuns(JSON.stringify(broken), 'evolution', 'ab'.repeat(32))).toThrow(/Run 2, trial 5: 9999 is not a cell/);
  });

  it('refuses a tournament larger than the population', () => {
    expect(() => makeRuns(table, { population: 4, sample: 5, budget: 10, runs: 1, seed: 1 })).toThrow(/S must be an integer in \[1, P = 4\]/);
  });
});
