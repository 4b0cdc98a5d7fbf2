import { describe, expect, it } from 'vitest';
import { bestSoFar, meanStd, quantile, RandomRun } from './search';
import { additiveTable } from './test-table';

describe('searches on the table', () => {
  const table = additiveTable();

  it('random search and the best so far', () => {
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
