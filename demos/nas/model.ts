/**
 * REINFORCE against random search on the benchmark's table (../runtime/nasbench): many seeds of each, one
 * trial per step; the first seed's controller (its distribution per decision, rewards and baseline) is the
 * one drawn. Pure: no tfjs, no React.
 */
import type { Simulation } from '../runtime/simulation';
import { quantile, RandomRun, ReinforceRun, ReplayRun, runSeed, type Lookup, type Method, type SearchExport, type SearchRun, type Spread } from '../runtime/nasbench/search';

/** The two searches of this page. */
export const NAS_METHODS = ['reinforce', 'random'] as const satisfies readonly Method[];
export type NasMethod = (typeof NAS_METHODS)[number];

export interface NasConfig {
  budget: number;
  runs: number;
  seed: number;
  /** REINFORCE's step size and baseline decay β. */
  learningRate: number;
  baselineDecay: number;
}

export interface NasFrame {
  trial: number;
  budget: number;
  /** Spread over seeds of the best validation accuracy found so far. */
  best: Record<NasMethod, Spread>;
  /** The first REINFORCE seed: its distribution over each decision's options (null for an imported file). */
  probabilities: Float64Array[] | null;
  /** Its last reward and baseline. */
  reward: number;
  baseline: number;
  /** Its best cell so far. */
  shownBest: number;
}

export interface NasRace extends Simulation<NasFrame> {
  runs: readonly SearchRun[];
}

export function makeNasRuns(table: Lookup, c: NasConfig): SearchRun[] {
  if (!(c.learningRate > 0)) throw new RangeError(`REINFORCE: the step size must be positive, got ${c.learningRate}`);
  const out: SearchRun[] = [];
  for (const m of NAS_METHODS) {
    for (let r = 0; r < c.runs; r++) {
      const seed = runSeed(c.seed, r);
      out.push(m === 'random' ? new RandomRun(seed) : new ReinforceRun(table, seed, { learningRate: c.learningRate, baselineDecay: c.baselineDecay }));
    }
  }
  return out;
}

export function replayNasRuns(file: SearchExport): SearchRun[] {
  return file.runs.map((r) => new ReplayRun(r.method, r.seed, r.trials));
}

export function createNasRace(table: Lookup, c: NasConfig, runs: SearchRun[] = makeNasRuns(table, c)): NasRace {
  const best = runs.map(() => -1);
  const first = runs.findIndex((r) => r.method === 'reinforce');
  let trial = 0;
  let reward = NaN;
  const frame = (): NasFrame => {
    const spread = (m: NasMethod): Spread => {
      const xs = runs.flatMap((r, i) => (r.method === m && best[i] >= 0 ? [table.val[best[i]]] : []));
      return { q1: quantile(xs, 0.25), median: quantile(xs, 0.5), q3: quantile(xs, 0.75) };
    };
    const shown = runs[first];
    return {
      trial,
      budget: c.budget,
      best: { reinforce: spread('reinforce'), random: spread('random') },
      probabilities: shown instanceof ReinforceRun ? shown.probabilities() : null,
      reward,
      baseline: shown instanceof ReinforceRun ? shown.baseline : NaN,
      shownBest: first >= 0 ? best[first] : -1,
    };
  };
  return {
    runs,
    async step(k: number) {
      for (let s = 0; s < k && trial < c.budget; s++) {
        runs.forEach((r, i) => {
          const cell = r.next();
          if (i === first) reward = table.val[cell];
          if (best[i] < 0 || table.val[cell] > table.val[best[i]]) best[i] = cell;
        });
        trial++;
      }
      return frame();
    },
    dispose() {},
  };
}
