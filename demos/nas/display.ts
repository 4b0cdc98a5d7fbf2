/** What the NAS view says and starts from: pure, tested in Node (display.test.ts). */
import type { ParamValues } from '../runtime/params';
import { METHOD_LABELS } from '../runtime/nasbench/search';
import { DECISIONS, OP_LABELS, OPS, STAGE_WIDTHS } from '../runtime/nasbench/space';
import { NAS_METHODS, type NasConfig, type NasFrame } from './model';
import type { RaceProgress } from './race';
import type { nasParams } from './params';
import { formatPercent } from '../ui/plots/scale';

type Values = ParamValues<typeof nasParams>;


/** Each decision's options as the controller table names them: the operations, or the stage's widths. */
export const OPTION_NAMES = DECISIONS.map((d) => (d.kind === 'op' ? OPS.map((o) => OP_LABELS[o]) : STAGE_WIDTHS[d.stage].map((w) => `width ${w}`)));

/** The race's settings from the URL's values. */
export const configOf = (p: Values): NasConfig => ({ budget: p.budget, runs: p.runs, seed: p.seed, learningRate: p.learningRate, baselineDecay: p.baselineDecay });

/** The state before any trial: nothing searched yet (the controller's distribution comes with the worker's first message). */
export function initialRace(budget: number): RaceProgress {
  const none = { q1: NaN, median: NaN, q3: NaN };
  return {
    frame: { trial: 0, budget, best: { reinforce: none, random: none }, probabilities: null, likely: null, children: [], shownBest: -1 },
    curve: { trial: [], rl: [], rlQ1: [], rlQ3: [], random: [] },
    first: { trial: [], reward: [], baseline: [] },
  };
}

/** The status line: the trial reached (of an imported file's replay, too), or loading, or what a race will run. */
export function raceStatus(imported: boolean, f: NasFrame | null, loading: boolean, p: Pick<Values, 'runs' | 'budget'>): string {
  if (imported) return f ? `trial ${f.trial} of ${f.budget} (imported)` : 'replaying the imported file…';
  if (f && f.trial > 0) return `trial ${f.trial} of ${f.budget}`;
  return loading ? 'loading the benchmark…' : `${p.runs} seeds of each search, ${p.budget} trials each`;
}

/** Each method's median best validation accuracy so far. */
export const mediansText = (f: NasFrame) => NAS_METHODS.map((m) => `${METHOD_LABELS[m]} ${formatPercent(f.best[m].median, 2)}`).join(', ');
