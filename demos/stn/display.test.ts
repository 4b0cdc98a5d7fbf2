import { describe, expect, it } from 'vitest';
import { answerLine, fmt, rectifiedBy, trainingStatus } from './display';
import type { Rectified } from './model';
import type { TrainProgress } from './train';
import { formatPercent } from '../ui/plots/scale';

const run = (over: Partial<TrainProgress> = {}): TrainProgress => ({
  steps: 1200, total: 3000, lossStn: [2.3, 0.9], lossPlain: [2.3, 1.1], lossAt: [40, 80], accStn: [0.1, 0.853], accPlain: [0.1, 0.7891],
  accAt: [0, 1000], flat: new Float32Array(0), trainSeconds: 12.345, seconds: 15,
  ...over,
});

describe('stn display', () => {
  it('writes θ with two decimals and no negative zero', () => {
    expect([fmt(0.7071), fmt(-0.004), fmt(-0.25), fmt(1)]).toEqual(['0.71', '0.00', '-0.25', '1.00']);
    expect(formatPercent(0.853)).toBe('85.3\u00a0%');
  });

  it('reports the run at its last evaluation, its loading, or nothing', () => {
    expect(trainingStatus(run(), false, true)).toBe('step 1,200 of 3,000 · held-out accuracy STN 85.3\u00a0%, CNN 78.9\u00a0% at step 1000 · 12.3 s of training so far');
    expect(trainingStatus(run(), true, false)).toMatch(/12\.3 s of training$/);
    expect(trainingStatus(run({ accAt: [], accStn: [], accPlain: [] }), false, true)).toBe('step 1,200 of 3,000 · held-out accuracy STN –, CNN – at step 0 · 12.3 s of training so far');
    expect(trainingStatus(null, false, true)).toBe('loading 10,000 training and 1,000 test digits…');
    expect(trainingStatus(null, false, false)).toBeUndefined();
  });

  it('marks each network’s wrong answers', () => {
    const rect: Rectified = { theta: new Float32Array(12), rectified: new Float32Array(2 * 784), stnClass: Int32Array.of(7, 2), plainClass: Int32Array.of(1, 2) };
    expect(answerLine(rect, 0, 7)).toBe('7 · 1✗');
    expect(answerLine(rect, 1, 3)).toBe('2✗ · 2✗');
    expect(answerLine(null, 0, 7)).toBe('…');
    expect(answerLine(rect, 0, undefined)).toBe('…');
  });

  it('says which STN rectifies: the run’s at its last evaluation, else the untrained one', () => {
    expect(rectifiedBy(run())).toBe('after 1000 steps');
    expect(rectifiedBy(null)).toBe('untrained (θ = identity: the whole canvas)');
  });
});
