import { formatInt } from '../plots/scale';

/** What a training job's status line needs of its progress. */
export interface RunClock {
  steps: number;
  total: number;
  /** Seconds of training so far (loading and evaluation excluded). */
  trainSeconds: number;
}

const int = formatInt;

/**
 * A training job's status line, the same in every training demo: the run, "step s of n · {measured(run)} · t s of
 * training" (with "so far" until `finished`); while the job runs before its first progress, the digits it loads;
 * idle, nothing.
 */
export function runStatus<R extends RunClock>(run: R | null, o: { measured: (run: R) => string; finished: boolean; running: boolean; train: number; test: number }): string | undefined {
  if (run) return `step ${int(run.steps)} of ${int(run.total)} · ${o.measured(run)} · ${run.trainSeconds.toFixed(1)} s of training${o.finished ? '' : ' so far'}`;
  return o.running ? `loading ${int(o.train)} training and ${int(o.test)} test digits…` : undefined;
}
