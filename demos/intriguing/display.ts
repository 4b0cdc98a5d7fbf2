/** What the intriguing view writes: its percentages, unit names and captions; pure, tested in Node. */
import { rowArgMax } from './attack';
import type { DigitTransferFrame, ExcitationFrame } from './model';
import { formatNumber, formatPercent } from '../ui/plots/scale';

/** A share as a percentage with one decimal (a dash when there is none yet: NaN). */
/** The most probable class of one row of ten probabilities. */
export const top1 = (p: Float32Array) => rowArgMax(p)[0];

const SUB = '₀₁₂₃₄₅₆₇₈₉';
/** A number in subscript digits (unit e₁₂). */
export const toSub = (n: number) => String(n).replace(/\d/g, (d) => SUB[Number(d)]);

const int = formatNumber;

/** The ranking's status: digits ranked so far, then the survey's progress; a loading note before the first frame. */
export function rankingStatus(f: ExcitationFrame | null, ready: boolean): string {
  if (!f) return ready ? '' : 'Loading the CNN and the test digits…';
  return `${int(f.done)} of ${int(f.total)} test digits ranked${f.done === f.total ? `; survey ${f.survey.units + f.survey.directions} of ${f.dim + f.survey.of}` : ''}`;
}

/** The survey's finding so far: the mean purity of the units' top digits against the random directions'. */
export function surveyCaption(f: ExcitationFrame | null): string {
  return f && f.survey.units + f.survey.directions > 0
    ? `Over every unit that fires (${f.survey.units - f.survey.dead} of ${f.survey.units} so far) the most common label covers ${formatPercent(f.survey.unitMean)} of its top ${f.unitTop.length} on average; over ${f.survey.directions} random directions, ${formatPercent(f.survey.dirMean)}.`
    : 'Once every digit is ranked, the same comparison runs over all 128 units and 128 random directions.';
}

/**
 * What the attack on the reader's digit found: r's size, or that none reached the goal; else why there is nothing
 * yet (the networks loading, with `loading` ∈ [0, 1], or no digit); then "Searching…" while a newer input runs.
 */
export function attackCaption(r: DigitTransferFrame | null, state: { loaded: boolean; loading: number; busy: boolean }): string {
  const found = r
    ? Number.isFinite(r.bestNorm)
      ? `Aimed at ${r.goal}: ‖r‖₂ = ${r.bestNorm.toFixed(2)}, RMS distortion √(Σr²/784) = ${r.distortion.toFixed(3)}, last c = ${r.c.toPrecision(2)}, ${r.steps} steps.`
      : `No r within ${r.steps} steps reached ${r.goal}: the first network still says ${top1(r.sourceAdv)}.`
    : !state.loaded
      ? `Loading the two networks… ${Math.round(100 * state.loading)} %`
      : state.busy
        ? ''
        : 'Give a digit to attack.';
  return found + (state.busy ? `${r ? ' ' : ''}Searching…` : '');
}

/** One network's answers on x and on x + r, and whether the attack changed it (right or wrong, given a label). */
export function answerCaption(clean: Float32Array | null, adv: Float32Array | null, label?: number): string {
  if (!clean || !adv) return 'Loading…';
  const a = top1(clean);
  const b = top1(adv);
  const verdict = label !== undefined ? (b === label ? ', still right.' : ', wrong.') : b === a ? ', unchanged.' : ', changed.';
  return `On x: ${a} (${formatPercent(clean[a])}). On x + r: ${b} (${formatPercent(adv[b])})${verdict}`;
}
