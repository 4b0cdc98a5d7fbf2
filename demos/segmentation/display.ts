/** How the segmentation view writes scores and colours its grids and masks: pure, tested in Node. */
import { CATEGORICAL } from '../ui/plots/palette';
import { runStatus } from '../ui/controls/runStatus';
import { SHIPPED, TEST_DIGITS, TRAIN_DIGITS, type TrainProgress } from './train';

/** A score with two decimals; a dash for one that does not exist (a class absent from every scene: NaN). */
export const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2));

/** Headers of the IoU table's columns: background, the ten digits, then the mean. */
export const IOU_COLUMNS = ['bg', ...Array.from({ length: 10 }, (_, d) => String(d)), 'mean'];

/**
 * Fill of an output pixel that `v` of at most `max` input pixels reach: the first series blue, more opaque as v
 * grows (from a floor that keeps one input visible on either theme), clear where none reaches.
 */
export function countShade(v: number, max: number, dark: boolean): string {
  const t = v / max;
  const a = dark ? 0.15 + 0.7 * t : 0.1 + 0.75 * t;
  return `rgba(0, 114, 178, ${v === 0 ? 0 : a.toFixed(3)})`;
}

/** A digit class's colour in a mask (class 1 + d is digit d). */
export const maskColor = (m: number) => CATEGORICAL[(m - 1) % CATEGORICAL.length];


/** Which network draws the masks: the run from scratch once it has evaluated (`evaluated`), else the shipped one. */
export function whoSegments(run: TrainProgress | null, evaluated: boolean, shippedSteps: number | undefined): string {
  const lastAt = run?.scoreAt.at(-1);
  return evaluated && lastAt !== undefined
    ? `trained here from scratch, after ${lastAt} steps`
    : `shipped (${shippedSteps ?? '…'} steps of the default run, trained by npm run train -- ${SHIPPED})`;
}

/** The training section's status: the run so far (or in all, once `finished`), its loading, or nothing when idle. */
export function trainingStatus(run: TrainProgress | null, finished: boolean, running: boolean): string | undefined {
  return runStatus(run, { finished, running, train: TRAIN_DIGITS, test: TEST_DIGITS, measured: (r) => `mean IoU ${fmt(r.miou.at(-1))} at step ${r.scoreAt.at(-1)}` });
}
