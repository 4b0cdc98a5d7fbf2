/** How the pose view writes PCK, the run and who finds the keypoints: pure, tested in Node. */
import { runStatus } from '../ui/controls/runStatus';
import { pck, type KeypointKind } from './model';
import { TEST_DIGITS, TRAIN_DIGITS, type TrainProgress } from './train';
import { formatPercent } from '../ui/plots/scale';

/** A share with one decimal, a dash for none (NaN: no digits). */

/** Which network draws the heatmaps: the run's at its last evaluation, or the untrained one. */
export const whoFinds = (run: TrainProgress | null) => (run ? `after ${run.pckAt.at(-1) ?? 0} steps` : 'untrained (step 0)');

/** The training section's status, with PCK at the reader's α over the held-out digits at the last evaluation. */
export function trainingStatus(run: TrainProgress | null, alpha: number, finished: boolean, running: boolean): string | undefined {
  return runStatus(run, {
    finished,
    running,
    train: TRAIN_DIGITS,
    test: TEST_DIGITS,
    measured: (r) => `PCK@${alpha} ${formatPercent(pck(r.normDists, alpha))} on ${r.digits} held-out digits at step ${r.pckAt.at(-1)}`,
  });
}

/** What a ring marks: the keypoint the network is trained to find. */
export const keypointMeaning = (kind: KeypointKind) => (kind === 'top' ? 'the middle of each digit’s topmost row of ink' : 'each digit’s centre of mass');
