/**
 * For tests: a table on the benchmark's space whose stages add up independently (conv3 > sep3 > pool > skip, the
 * wide width better), so the optimum is conv3 at the wide width everywhere and a search's progress is easy to check.
 */
import type { Lookup } from './search';
import { decode, SPACE_SIZE } from './space';

export function additiveTable(): Lookup {
  const val = new Float32Array(SPACE_SIZE);
  const score = { conv3: 0.04, sep3: 0.03, pool: 0.01, skip: 0 } as const;
  for (let i = 0; i < SPACE_SIZE; i++) val[i] = 0.8 + decode(i).reduce((s, c) => s + score[c.op] + 0.01 * c.width, 0);
  return { val, test: val };
}
