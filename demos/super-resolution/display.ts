/** How the super-resolution view writes its scores, the run and the means table: pure, tested in Node. */
import { runStatus } from '../ui/controls/runStatus';
import type { Scores } from './model';
import { HELD_OUT, TEST_DIGITS, TRAIN_DIGITS, type Quality, type TrainProgress } from './train';

/** Under the i-th picture: its PSNR · SSIM. */
export const quality = (s: Scores, i: number) => `${s.psnr[i].toFixed(1)} dB · ${s.ssim[i].toFixed(2)}`;

/** Which networks draw the pictures: the run's at its last evaluation, or the untrained ones. */
export const whoRestores = (run: TrainProgress | null) => (run ? `after ${run.evalAt.at(-1) ?? 0} steps` : 'untrained (step 0)');

/** The training section's status: the run so far (or in all, once `finished`), its loading, or nothing when idle. */
export function trainingStatus(run: TrainProgress | null, finished: boolean, running: boolean): string | undefined {
  const psnr = (q: Quality | undefined) => (q ? q.psnr.toFixed(2) : '–');
  return runStatus(run, { finished, running, train: TRAIN_DIGITS, test: TEST_DIGITS, measured: (r) => `ESPCN ${psnr(r.sr.at(-1))} dB (bicubic ${psnr(r.bicubic)}) · denoiser ${psnr(r.dn.at(-1))} dB (input ${psnr(r.noisy)})` });
}

/** The means table's caption and rows: mean PSNR / SSIM of the baselines and the networks at the run's last evaluation. */
export function meanRows(run: TrainProgress | null): { caption: string; rows: [string, string][] } {
  const fmt = (x: Quality | undefined) => (x ? `${x.psnr.toFixed(2)} dB / ${x.ssim.toFixed(3)}` : '–');
  const rows: [string, Quality | undefined][] = [
    ['bicubic (Keys, a = −0.5)', run?.bicubic],
    ['ESPCN', run?.sr.at(-1)],
    ['the noisy input', run?.noisy],
    ['the noisy input clipped to [0, 1]', run?.clipped],
    ['DnCNN-style denoiser', run?.dn.at(-1)],
  ];
  return { caption: `Mean PSNR / SSIM over the first ${HELD_OUT} test digits${run ? ` at step ${run.evalAt.at(-1)}` : ' (train to fill in)'}`, rows: rows.map(([name, q]) => [name, fmt(q)]) };
}
