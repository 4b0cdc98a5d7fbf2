/**
 * REINFORCE against random search on the benchmark's table (../runtime/nasbench): many seeds of each, one
 * trial per step. REINFORCE's controllers (Zoph & Le's LSTM, ../runtime/nasbench/controller.ts) advance batched
 * over the seeds; the first seed's controller (its distribution per decision along its most likely architecture,
 * rewards and baseline) is the one drawn. No React.
 */
import type { Simulation } from '../runtime/simulation';
import { ControllerBatch, type ControllerView } from '../runtime/nasbench/controller';
import { quantile, RandomRun, ReplayRun, runSeed, type Lookup, type Method, type SearchExport, type SearchRun, type Spread } from '../runtime/nasbench/search';

/** The two searches of this page. */
export const NAS_METHODS = ['reinforce', 'random'] as const satisfies readonly Method[];
export type NasMethod = (typeof NAS_METHODS)[number];

export interface NasConfig {
  budget: number;
  runs: number;
  seed: number;
  /** REINFORCE's step size (Adam's) and baseline decay β. */
  learningRate: number;
  baselineDecay: number;
}

export interface NasFrame {
  trial: number;
  budget: number;
  /** Spread over seeds of the best validation accuracy found so far. */
  best: Record<NasMethod, Spread>;
  /**
   * The first REINFORCE seed's controller: its most likely architecture (the argmax at each step, fed to the next)
   * and its distribution over each decision's options given the decisions before it, along that architecture
   * (null for an imported file).
   */
  probabilities: Float64Array[] | null;
  likely: number[] | null;
  /**
   * Its children since the previous frame: each one's trial number, reward R and the baseline b just before it
   * (b ← β·b + (1 − β)·R child by child, the first b being the first reward; NaN for an imported file).
   */
  children: { trial: number; reward: number; baseline: number }[];
  /** Its best cell so far. */
  shownBest: number;
}

export interface NasRace extends Simulation<NasFrame> {
  runs: readonly SearchRun[];
}

/** The runs of a race: REINFORCE's seeds first, then random search's; `controller` drives the REINFORCE runs (null: replayed). */
export interface NasRuns {
  runs: SearchRun[];
  controller: ControllerBatch | null;
}

/** REINFORCE's controllers (batched) and random search, on seeds runSeed(c.seed, 0 … runs − 1) each. */
export function makeNasRuns(table: Lookup, c: NasConfig): NasRuns {
  const seeds = Array.from({ length: c.runs }, (_, r) => runSeed(c.seed, r));
  const controller = new ControllerBatch(table, seeds, { learningRate: c.learningRate, baselineDecay: c.baselineDecay });
  return { runs: [...controller.runs, ...seeds.map((s) => new RandomRun(s))], controller };
}

export function replayNasRuns(file: SearchExport): NasRuns {
  return { runs: file.runs.map((r) => new ReplayRun(r.method, r.seed, r.trials)), controller: null };
}

export function createNasRace(table: Lookup, c: NasConfig, made: NasRuns = makeNasRuns(table, c)): NasRace {
  const { runs, controller } = made;
  const best = runs.map(() => -1);
  const first = runs.findIndex((r) => r.method === 'reinforce');
  let trial = 0;
  let baseline = NaN;
  let children: NasFrame['children'] = [];
  // The controller's view changes only at an update (every m trials): computed again only then.
  let view: { updates: number; shown: Promise<ControllerView> } | null = null;
  const frame = async (): Promise<NasFrame> => {
    const spread = (m: NasMethod): Spread => {
      const xs = runs.flatMap((r, i) => (r.method === m && best[i] >= 0 ? [table.val[best[i]]] : []));
      return { q1: quantile(xs, 0.25), median: quantile(xs, 0.5), q3: quantile(xs, 0.75) };
    };
    if (controller && view?.updates !== controller.updates) view = { updates: controller.updates, shown: controller.mostLikely().then((v) => v[0]) };
    const shown = view ? await view.shown : null;
    return {
      trial,
      budget: c.budget,
      best: { reinforce: spread('reinforce'), random: spread('random') },
      probabilities: shown ? shown.probabilities : null,
      likely: shown ? shown.decisions : null,
      children,
      shownBest: first >= 0 ? best[first] : -1,
    };
  };
  return {
    runs,
    async step(k: number) {
      children = [];
      for (let s = 0; s < k && trial < c.budget; s++) {
        // The controller samples m children per seed at a time: the next batch when the last one is used up.
        if (controller && controller.runs[0].pending.length === 0) await controller.advance();
        runs.forEach((r, i) => {
          const cell = r.next();
          if (i === first) {
            const reward = table.val[cell];
            if (Number.isNaN(baseline)) baseline = reward;
            children.push({ trial: trial + 1, reward, baseline: controller ? baseline : NaN });
            baseline = c.baselineDecay * baseline + (1 - c.baselineDecay) * reward;
          }
          if (best[i] < 0 || table.val[cell] > table.val[best[i]]) best[i] = cell;
        });
        trial++;
      }
      return frame();
    },
    dispose() {
      controller?.dispose();
    },
  };
}
