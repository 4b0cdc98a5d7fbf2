/** How the STN view writes θ, the training run and the networks' answers: pure, tested in Node. */
import { runStatus } from '../ui/controls/runStatus';
import type { Rectified } from './model';
import { HELD_OUT, TRAIN_DIGITS, type TrainProgress } from './train';
import { formatPercent } from '../ui/plots/scale';

/** An entry of θ: two decimals, and 0.00 for anything that would print as −0.00. */
export const fmt = (v: number) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2));

/** The training section's status: the run so far (or in all, once `finished`), its loading, or nothing when idle. */
export function trainingStatus(run: TrainProgress | null, finished: boolean, running: boolean): string | undefined {
  return runStatus(run, { finished, running, train: TRAIN_DIGITS, test: HELD_OUT, measured: (r) => {
    const last = r.accAt.length - 1;
    const acc = (a: number[]) => (last >= 0 ? formatPercent(a[last]) : '–');
    return `held-out accuracy STN ${acc(r.accStn)}, CNN ${acc(r.accPlain)} at step ${r.accAt[last] ?? 0}`;
  } });
}

/** Under the i-th rectified digit (true label `label`): the STN's answer · the plain CNN's, ✗ when wrong; '…' before any. */
export function answerLine(rect: Rectified | null, i: number, label: number | undefined): string {
  if (!rect || label === undefined) return '…';
  const mark = (c: number) => `${c}${c === label ? '' : '✗'}`;
  return `${mark(rect.stnClass[i])} · ${mark(rect.plainClass[i])}`;
}

/** Which STN the rectified row shows: the run's at its last evaluation, or the untrained one. */
export const rectifiedBy = (run: TrainProgress | null) => (run ? `after ${run.accAt[run.accAt.length - 1] ?? 0} steps` : 'untrained (θ = identity: the whole canvas)');
