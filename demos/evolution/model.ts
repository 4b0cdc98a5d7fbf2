/**
 * Regularized evolution against its non-aging twin and random search on the benchmark's table
 * (../runtime/nasbench): many seeds of each run side by side, one trial per step, every trial a lookup.
 * Pure: no tfjs, no React.
 */
import type { Simulation } from '../runtime/simulation';
import {
  EvolutionRun,
  optimum,
  quantile,
  RandomRun,
  ReplayRun,
  runSeed,
  type Lookup,
  type Method,
  type SearchExport,
  type SearchRun,
  type Spread,
} from '../runtime/nasbench/search';

/** The three searches of this page, in drawing order. */
export const EVOLUTION_METHODS = ['aging', 'nonaging', 'random'] as const satisfies readonly Method[];
export type EvolutionMethod = (typeof EVOLUTION_METHODS)[number];

export interface RaceConfig {
  /** Population size P and tournament size S of both evolutions. */
  population: number;
  sample: number;
  /** Trials per run (models "trained"). */
  budget: number;
  /** Runs (seeds) per method. */
  runs: number;
  seed: number;
}

/** One method's state after a trial: the spread over runs of the best found (by validation). */
export interface MethodState {
  /** Validation accuracy of each run's best so far: median and quartiles over runs. */
  val: Spread;
  /** Test accuracy of each run's best-by-validation: its median and quartiles. */
  test: Spread;
  /** The first run's best cell so far (the one "train this child live" offers), or -1 before any trial. */
  shownBest: number;
}

/** What the view draws. */
export interface RaceFrame {
  trial: number;
  budget: number;
  methods: Record<EvolutionMethod, MethodState>;
  /** The first run's trials of each evolution, and which of them are alive now (the population). */
  shown: Record<'aging' | 'nonaging', { trials: readonly number[]; alive: readonly number[] }>;
}

/** A race: its runs are exposed for the export. */
export interface Race extends Simulation<RaceFrame> {
  runs: readonly SearchRun[];
}

/** Creates every run: `runs` seeds per method, the same seeds for each method. */
export function makeRuns(table: Lookup, c: RaceConfig): SearchRun[] {
  const out: SearchRun[] = [];
  for (const method of EVOLUTION_METHODS) {
    for (let r = 0; r < c.runs; r++) {
      const seed = runSeed(c.seed, r);
      out.push(method === 'random' ? new RandomRun(seed) : new EvolutionRun(table, { population: c.population, sample: c.sample, aging: method === 'aging' }, seed));
    }
  }
  return out;
}

/** Replays an imported file's runs (its own budget: the length of its runs). */
export function replayRuns(file: SearchExport): SearchRun[] {
  return file.runs.map((r) => new ReplayRun(r.method, r.seed, r.trials));
}

/**
 * The race: step(k) makes k more trials in every run (stopping at the budget); the frame holds the spread over
 * runs of each method's best so far, and the first run's population of each evolution.
 */
export function createRace(table: Lookup, c: RaceConfig, runs: SearchRun[] = makeRuns(table, c)): Race {
  const population = c.population;
  const best = runs.map(() => -1);
  let trial = 0;
  const byMethod = (m: Method) => runs.map((r, i) => [r, i] as const).filter(([r]) => r.method === m);
  const groups = EVOLUTION_METHODS.map((m) => byMethod(m));
  const first = (m: Method) => runs.find((r) => r.method === m);
  const frame = (): RaceFrame => {
    const methods = {} as Record<EvolutionMethod, MethodState>;
    EVOLUTION_METHODS.forEach((m, k) => {
      const found = groups[k].map(([, i]) => best[i]).filter((b) => b >= 0);
      const val = found.map((b) => table.val[b]);
      const test = found.map((b) => table.test[b]);
      const spread = (xs: number[]): Spread => ({ q1: quantile(xs, 0.25), median: quantile(xs, 0.5), q3: quantile(xs, 0.75) });
      methods[m] = { val: spread(val), test: spread(test), shownBest: groups[k].length ? best[groups[k][0][1]] : -1 };
    });
    const popOf = (m: 'aging' | 'nonaging') => {
      const r = first(m);
      if (!r) return { trials: [], alive: [] };
      // The population, from the trials alone: aging keeps the last P; non-aging keeps the P best (see search.ts).
      const alive = r instanceof EvolutionRun ? r.population.slice() : livingOf(table, r.trials, population, m === 'aging');
      return { trials: r.trials, alive };
    };
    return { trial, budget: c.budget, methods, shown: { aging: popOf('aging'), nonaging: popOf('nonaging') } };
  };
  return {
    runs,
    async step(k: number) {
      for (let s = 0; s < k && trial < c.budget; s++) {
        runs.forEach((r, i) => {
          const cell = r.next();
          if (best[i] < 0 || table.val[cell] > table.val[best[i]]) best[i] = cell;
        });
        trial++;
      }
      return frame();
    },
    dispose() {},
  };
}

/**
 * The living members (trial numbers) after `trials` of an evolution with population P: the last P for aging;
 * for non-aging, the P with the best validation accuracy (removing the worst after each child keeps exactly
 * the best P seen; among equals the oldest dies first). Used for imported runs, whose populations were not recorded.
 */
export function livingOf(table: Lookup, trials: readonly number[], P: number, aging: boolean): number[] {
  const idx = trials.map((_, t) => t);
  if (aging) return idx.slice(-P);
  return idx
    .sort((a, b) => table.val[trials[b]] - table.val[trials[a]] || b - a)
    .slice(0, P)
    .sort((a, b) => a - b);
}

/** The space's optimum by validation accuracy, re-exported for the view's reference line. */
export { optimum };
