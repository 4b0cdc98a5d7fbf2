import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/tf-node';
import { compareSearches, SoftmaxRun } from './compare';
import { quantile } from './search';
import { DECISIONS, OPS } from './space';
import { additiveTable } from './test-table';

// The batched controllers' matrix products on wasm, as the page runs them (tfjs's cpu backend is several times slower).
beforeAll(() => useNodeBackend('wasm'));

describe('the comparison of searches', () => {
  const table = additiveTable();

  it('independent-softmax REINFORCE: no update on the first trial (R = b), logits move along onehot − p, and it learns the good options', () => {
    const run = new SoftmaxRun(table, 3, { learningRate: 20, baselineDecay: 0.9 });
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

  it('compares the methods at equal budget; evolution and both REINFORCE controllers beat random search here', () => {
    const out = compareSearches(table, { runs: 10, budget: 100, population: 20, sample: 5, seed: 1, softmax: { learningRate: 2, baselineDecay: 0.9 } });
    expect(out.map((s) => s.name)).toEqual(['aging', 'nonaging', 'random', 'reinforce', 'softmax']);
    const median = (m: string) => quantile(out.find((s) => s.name === m)!.val, 0.5);
    expect(median('aging')).toBeGreaterThan(median('random'));
    expect(median('reinforce')).toBeGreaterThanOrEqual(median('random'));
    expect(median('softmax')).toBeGreaterThanOrEqual(median('random'));
  });
});
