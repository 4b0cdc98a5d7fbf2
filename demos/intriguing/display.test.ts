import { describe, expect, it } from 'vitest';
import { answerCaption, attackCaption, rankingStatus, surveyCaption, toSub } from './display';
import type { DigitTransferFrame, ExcitationFrame } from './model';
import { formatPercent } from '../ui/plots/scale';

const probs = (k: number, p = 0.9) => Float32Array.from({ length: 10 }, (_, i) => (i === k ? p : (1 - p) / 9));

const frame = (over: Partial<ExcitationFrame> = {}): ExcitationFrame => ({
  done: 500,
  total: 1000,
  dim: 128,
  unitTop: new Int32Array(9),
  unitScores: new Float32Array(9),
  dirTop: new Int32Array(9),
  dirScores: new Float32Array(9),
  unitPurity: 1,
  dirPurity: 0.5,
  survey: { units: 0, dead: 0, directions: 0, of: 128, unitMean: NaN, dirMean: NaN },
  finished: false,
  ...over,
});

describe('intriguing display', () => {
  it('writes shares, a dash for none, and unit numbers in subscript', () => {
    expect(formatPercent(0.1234)).toBe('12.3\u00a0%');
    expect(formatPercent(NaN)).toBe('–');
    expect(toSub(107)).toBe('₁₀₇');
  });

  it('reports the ranking, then the survey once every digit is in', () => {
    expect(rankingStatus(null, false)).toBe('Loading the CNN and the test digits…');
    expect(rankingStatus(null, true)).toBe('');
    expect(rankingStatus(frame({ done: 1500, total: 10000 }), true)).toBe('1,500 of 10,000 test digits ranked');
    const done = frame({ done: 1000, survey: { units: 128, dead: 3, directions: 40, of: 128, unitMean: 0.6, dirMean: 0.4 } });
    expect(rankingStatus(done, true)).toBe('1,000 of 1,000 test digits ranked; survey 168 of 256');
    expect(surveyCaption(frame())).toMatch(/^Once every digit is ranked/);
    expect(surveyCaption(done)).toBe(
      'Over every unit that fires (125 of 128 so far) the most common label covers 60.0\u00a0% of its top 9 on average; over 40 random directions, 40.0\u00a0%.',
    );
  });

  it("says what the attack found, or why there is nothing yet, and that a newer digit is being searched", () => {
    const base = { steps: 240, total: 240, round: 6, done: true, goal: 4, c: 0.123, norm: 2, image: new Float32Array(784), r: new Float32Array(784), sourceClean: probs(3), targetClean: probs(3), targetAdv: probs(3) };
    const hit: DigitTransferFrame = { ...base, bestNorm: 1.5, distortion: 0.0536, sourceAdv: probs(4) };
    const miss: DigitTransferFrame = { ...base, bestNorm: Infinity, distortion: NaN, sourceAdv: probs(3) };
    const idle = { loaded: true, loading: 1, busy: false };
    expect(attackCaption(hit, idle)).toBe('Aimed at 4: ‖r‖₂ = 1.50, RMS distortion √(Σr²/784) = 0.054, last c = 0.12, 240 steps.');
    expect(attackCaption(miss, idle)).toBe('No r within 240 steps reached 4: the first network still says 3.');
    expect(attackCaption(hit, { ...idle, busy: true })).toMatch(/240 steps\. Searching…$/);
    expect(attackCaption(null, { loaded: false, loading: 0.255, busy: false })).toBe('Loading the two networks… 26 %');
    expect(attackCaption(null, { ...idle, busy: true })).toBe('Searching…');
    expect(attackCaption(null, idle)).toBe('Give a digit to attack.');
  });

  it("judges a network's answer on x + r by the label when there is one, else by its answer on x", () => {
    expect(answerCaption(null, probs(3))).toBe('Loading…');
    expect(answerCaption(probs(3), probs(3, 0.6), 3)).toBe('On x: 3 (90.0\u00a0%). On x + r: 3 (60.0\u00a0%), still right.');
    expect(answerCaption(probs(3), probs(4), 3)).toMatch(/On x \+ r: 4 .*, wrong\.$/);
    expect(answerCaption(probs(3), probs(3))).toMatch(/, unchanged\.$/);
    expect(answerCaption(probs(3), probs(5))).toMatch(/, changed\.$/);
  });
});
