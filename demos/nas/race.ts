/**
 * The race of ./model.ts as a job for a Web Worker (./race.worker.ts): it loads the benchmark's table, runs the
 * race in chunks of ~150 ms and, after each, sends what the page draws (the curves so far, the first seed's
 * rewards and baselines, its controller now), plain arrays only. The result adds every run's trials, for Export.
 * The same generator replays an imported file on the page (`replayRace`: no tfjs there) and runs in Node tests.
 * Pure: no React, no DOM.
 */
import { JobError, nextChunkSize, type JobProgress } from '../runtime/jobs/protocol';
import type { JobContext } from '../runtime/jobs/worker';
import { loadBenchTable } from '../runtime/nasbench/table';
import { CONTROLLER_DEFAULTS } from '../runtime/nasbench/controller';
import type { Lookup, Method, SearchExport } from '../runtime/nasbench/search';
import { createNasRace, makeNasRuns, replayNasRuns, type NasConfig, type NasFrame, type NasRace } from './model';

/** What the page draws of a race so far: cumulative, so a view needs only the newest message. */
export interface RaceProgress {
  /** The newest frame (its `children` are the last chunk's; the curves below hold them all). */
  frame: NasFrame;
  /** Per trial: REINFORCE's median and quartiles of the best so far over seeds, random search's median. */
  curve: { trial: number[]; rl: number[]; rlQ1: number[]; rlQ3: number[]; random: number[] };
  /** The first REINFORCE seed's children: trial, reward R, the baseline b before it. */
  first: { trial: number[]; reward: number[]; baseline: number[] };
}

export interface RaceResult extends RaceProgress {
  /** Every run's trials (REINFORCE's seeds, then random search's), as Export writes them. */
  runs: { method: Method; seed: number; trials: number[] }[];
}

const CHUNK = { targetMs: 150, min: 1, max: 100 };

function snapshot(p: RaceProgress): RaceProgress {
  const copy = <T extends Record<string, number[]>>(o: T) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.slice()])) as T;
  return { frame: p.frame, curve: copy(p.curve), first: copy(p.first) };
}

/**
 * Runs `race` to its budget, `grain` trials a frame (one controller update: m children per seed): yields the
 * untrained state first (trial 0), then after every chunk of frames, the chunk sized to take ~150 ms (`first`:
 * frames in the first chunk; Infinity: all at once). Disposes the race however it ends.
 */
export async function* streamRace(race: NasRace, budget: number, grain = CONTROLLER_DEFAULTS.children, first = 1): AsyncGenerator<JobProgress<RaceProgress>, RaceResult, undefined> {
  try {
    const p: RaceProgress = {
      frame: await race.step(0),
      curve: { trial: [], rl: [], rlQ1: [], rlQ3: [], random: [] },
      first: { trial: [], reward: [], baseline: [] },
    };
    yield { fraction: 0, partial: snapshot(p) };
    for (let size = first; p.frame.trial < budget; ) {
      const t = performance.now();
      let n = 0;
      for (; n < size && p.frame.trial < budget; n++) {
        const f = (p.frame = await race.step(grain));
        p.curve.trial.push(f.trial);
        p.curve.rl.push(f.best.reinforce.median);
        p.curve.rlQ1.push(f.best.reinforce.q1);
        p.curve.rlQ3.push(f.best.reinforce.q3);
        p.curve.random.push(f.best.random.median);
        for (const ch of f.children) {
          p.first.trial.push(ch.trial);
          p.first.reward.push(ch.reward);
          p.first.baseline.push(ch.baseline);
        }
      }
      if (Number.isFinite(size)) size = nextChunkSize(n, performance.now() - t, CHUNK);
      yield { fraction: p.frame.trial / budget, partial: snapshot(p) };
    }
    return { ...snapshot(p), runs: race.runs.map((r) => ({ method: r.method, seed: r.seed, trials: r.trials.slice() })) };
  } finally {
    race.dispose();
  }
}

/** Refuses a race the controls could not have set (a hand-edited URL), as a JobError the view shows. */
export function checkRace(c: NasConfig): void {
  if (!Number.isInteger(c.budget) || c.budget < 1) throw new JobError(`The budget must be a whole number of trials (got ${c.budget}).`);
  if (!Number.isInteger(c.runs) || c.runs < 1) throw new JobError(`The number of seeds must be a whole number (got ${c.runs}).`);
  if (!Number.isInteger(c.seed)) throw new JobError(`The seed must be a whole number (got ${c.seed}).`);
  if (!(c.learningRate > 0)) throw new JobError(`The step size α must be positive (got ${c.learningRate}).`);
  if (!(c.baselineDecay >= 0 && c.baselineDecay < 1)) throw new JobError(`The baseline decay β must be in [0, 1) (got ${c.baselineDecay}).`);
}

/** The job: REINFORCE's controllers against random search on the benchmark. `load` reads the table (Node: a test table). */
export async function* nasRace(
  input: NasConfig,
  ctx: Pick<JobContext, 'signal'>,
  load: () => Promise<Lookup> = () => loadBenchTable(fetch, undefined, ctx.signal),
): AsyncGenerator<JobProgress<RaceProgress>, RaceResult, undefined> {
  checkRace(input);
  const table = await load();
  return yield* streamRace(createNasRace(table, input, makeNasRuns(table, input)), input.budget);
}

/** An imported file's race, replayed to its end at once (plain JavaScript: no controller to run). */
export async function replayRace(table: Lookup, c: NasConfig, file: SearchExport): Promise<RaceResult> {
  const budget = file.runs[0].trials.length;
  const gen = streamRace(createNasRace(table, { ...c, budget }, replayNasRuns(file)), budget, CONTROLLER_DEFAULTS.children, Infinity);
  for (;;) {
    const s = await gen.next();
    if (s.done) return s.value;
  }
}
