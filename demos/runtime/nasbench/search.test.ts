import { describe, expect, it } from 'vitest';
import { bestSoFar, compareSearches, meanStd, quantile, RandomRun, ReinforceRun, type Lookup } from './search';
import { decode, DECISIONS, OPS, SPACE_SIZE } from './space';

/** Each stage's operation and width add up independently; the optimum is conv3 at the wide width everywhere. */
function structured(): Lookup {
  const val = new Float32Array(SPACE_SIZE);
  const score = { conv3: 0.04, sep3: 0.03, pool: 0.01, skip: 0 } as const;
  for (let i = 0; i < SPACE_SIZE; i++) val[i] = 0.8 + decode(i).reduce((s, c) => s + score[c.op] + 0.01 * c.width, 0);
  return { val, test: val };
}

describe('searches on the table', () => {
  const table = structured();

  it('REINFORCE: no update on the first trial (R = b), logits move along onehot − p, and the controller learns the good options', () => {
    const run = new ReinforceRun(table, 3, { learningRate: 20, baselineDecay: 0.9 });
    run.next();
    expect(run.logits.every((l) => l.every((x) => x === 0))).toBe(true);
    for (let t = 0; t < 300; t++) run.next();
    // The softmax gradient sums to zero, so each decision's logits keep summing to zero.
    for (const l of run.logits) expect(l.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    const p = run.probabilities();
    const [conv3, sep3] = [OPS.indexOf('conv3'), OPS.indexOf('sep3')];
    DECISIONS.forEach((d, k) => {
      // The two best operations (uniform: 1/2 together) gain; which one wins may depend on the seed.
      if (d.kind === 'op') expect(p[k][conv3] + p[k][sep3]).toBeGreaterThan(0.6);
      else expect(p[k][1]).toBeGreaterThan(0.5);
    });
  });

  it('compares the four methods at equal budget; evolution and REINFORCE beat random search here', () => {
    const out = compareSearches(table, { runs: 20, budget: 100, population: 20, sample: 5, seed: 1 });
    expect(out.map((s) => s.method)).toEqual(['aging', 'nonaging', 'random', 'reinforce']);
    const median = (m: string) => quantile(out.find((s) => s.method === m)!.val, 0.5);
    expect(median('aging')).toBeGreaterThan(median('random'));
    expect(median('reinforce')).toBeGreaterThanOrEqual(median('random'));
    const r = new RandomRun(9);
    for (let t = 0; t < 10; t++) r.next();
    expect(bestSoFar(table, r.trials)!.val).toBe(Math.max(...r.trials.map((c) => table.val[c])));
  });

  it('quantile and meanStd agree with hand computation', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(meanStd([1, 3])).toEqual({ mean: 2, std: 1 });
  });
});
