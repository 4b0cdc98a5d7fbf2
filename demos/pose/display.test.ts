import { describe, expect, it } from 'vitest';
import { keypointMeaning, trainingStatus, whoFinds } from './display';
import type { TrainProgress } from './train';
import { formatPercent } from '../ui/plots/scale';

const run = (over: Partial<TrainProgress> = {}): TrainProgress => ({
  steps: 400, total: 400, loss: [0.5], lossAt: [20], pck: [0.1, 0.8], pckAt: [0, 300],
  normDists: Float32Array.of(0.05, 0.1, 0.3, 0.02), flat: new Float32Array(0), trainSeconds: 21.96, seconds: 25, digits: 4,
  ...over,
});

describe('pose display', () => {
  it('reports PCK at the reader’s α over the held-out digits, the loading, or nothing', () => {
    // Three of the four distances are within α = 0.2 of the digit's height.
    expect(trainingStatus(run(), 0.2, true, false)).toBe('step 400 of 400 · PCK@0.2 75.0\u00a0% on 4 held-out digits at step 300 · 22.0 s of training');
    expect(trainingStatus(run(), 0.04, false, true)).toBe('step 400 of 400 · PCK@0.04 25.0\u00a0% on 4 held-out digits at step 300 · 22.0 s of training so far');
    expect(trainingStatus(run({ normDists: new Float32Array(0) }), 0.2, false, true)).toMatch(/PCK@0\.2 – on 4/);
    expect(trainingStatus(null, 0.2, false, true)).toBe('loading 5,000 training and 1,000 test digits…');
    expect(trainingStatus(null, 0.2, false, false)).toBeUndefined();
  });

  it('says which network finds the keypoints and what they are', () => {
    expect(whoFinds(run())).toBe('after 300 steps');
    expect(whoFinds(null)).toBe('untrained (step 0)');
    expect(keypointMeaning('top')).toBe('the middle of each digit’s topmost row of ink');
    expect(keypointMeaning('centre')).toBe('each digit’s centre of mass');
    expect(formatPercent(NaN)).toBe('–');
  });
});
