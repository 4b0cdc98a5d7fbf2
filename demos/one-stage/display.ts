/** How the one-stage view writes the run, who detects, and the loss-share table: pure, tested in Node. */
import { runStatus } from '../ui/controls/runStatus';
import { EASY, lossShares, type CellProbabilities } from './model';
import { TEST_DIGITS, TRAIN_DIGITS, type TrainProgress } from './train';
import { formatPercent } from '../ui/plots/scale';


/** Which detector draws the boxes: the run's at its last evaluation, or the untrained one. */
export const whoDetects = (run: TrainProgress | null) => (run ? `after ${run.mapAt[run.mapAt.length - 1] ?? 0} steps` : 'untrained (step 0)');

/** The training section's status: the run so far (or in all, once `finished`), its loading, or nothing when idle. */
export function trainingStatus(run: TrainProgress | null, finished: boolean, running: boolean): string | undefined {
  return runStatus(run, { finished, running, train: TRAIN_DIGITS, test: TEST_DIGITS, measured: (r) => `mAP@0.5 ${r.map.length ? r.map[r.map.length - 1].toFixed(3) : '–'} at step ${r.mapAt.at(-1)}` });
}

/**
 * Who carries the objectness loss over `cells`: per kind of cell (easy negatives, other negatives, positives) its
 * count and its share of cross-entropy and of the focal loss with (γ, α); and the easy negatives' two shares.
 */
export function shareTable(cells: CellProbabilities, gamma: number, alpha: number) {
  const ce = lossShares(cells, 0, 0.5);
  const fl = lossShares(cells, gamma, alpha);
  const kinds = [
    { name: `easy negatives (p_t > ${EASY})`, key: 'easyNegatives' as const },
    { name: 'other negatives', key: 'hardNegatives' as const },
    { name: 'positives (an object’s cell)', key: 'positives' as const },
  ];
  return {
    easyCe: ce.easyNegatives,
    easyFocal: fl.easyNegatives,
    rows: kinds.map((k) => ({ key: k.key, name: k.name, cells: [String(ce.counts[k.key]), formatPercent(ce[k.key]), formatPercent(fl[k.key])] })),
  };
}
