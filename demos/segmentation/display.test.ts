import { describe, expect, it } from 'vitest';
import { CATEGORICAL } from '../ui/plots/palette';
import { countShade, fmt, IOU_COLUMNS, maskColor, trainingStatus, whoSegments } from './display';
import { SHIPPED, TEST_DIGITS, TRAIN_DIGITS, type TrainProgress } from './train';

const alpha = (c: string) => Number(/, ([\d.]+)\)$/.exec(c)![1]);

describe('segmentation display', () => {
  it('writes scores with two decimals and a dash for a missing one', () => {
    expect(fmt(0.456)).toBe('0.46');
    expect(fmt(1)).toBe('1.00');
    expect(fmt(NaN)).toBe('–');
    expect(fmt(undefined)).toBe('–');
  });

  it('heads the table with background, the ten digits and the mean', () => {
    expect(IOU_COLUMNS).toEqual(['bg', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'mean']);
  });

  it('shades counts from clear (none) through a visible floor to the most opaque at the largest', () => {
    for (const dark of [false, true]) {
      expect(alpha(countShade(0, 4, dark))).toBe(0);
      const shades = [1, 2, 3, 4].map((v) => alpha(countShade(v, 4, dark)));
      expect(shades[0]).toBeGreaterThan(0.25); // one input of four still reads on either theme
      for (let i = 1; i < shades.length; i++) expect(shades[i]).toBeGreaterThan(shades[i - 1]);
      expect(shades[3]).toBeCloseTo(0.85, 3);
    }
  });

  it('colours digit d (class d + 1) with the d-th categorical colour', () => {
    expect(Array.from({ length: 10 }, (_, d) => maskColor(d + 1))).toEqual(CATEGORICAL.slice(0, 10));
  });

  const run: TrainProgress = { steps: 1200, total: 3000, loss: [1, 0.5], lossAt: [10, 20], miou: [0.1, 0.634], pixelAcc: [0.5, 0.9], scoreAt: [0, 1000], perClass: [], flat: new Float32Array(3), trainSeconds: 12.345, seconds: 15 };

  it('says which network segments: the run once it has evaluated, else the shipped one', () => {
    expect(whoSegments(run, true, 3000)).toBe('trained here from scratch, after 1000 steps');
    expect(whoSegments(run, false, 3000)).toBe(`shipped (3000 steps of the default run, trained by npm run train -- ${SHIPPED})`);
    expect(whoSegments(null, false, undefined)).toContain('shipped (… steps');
  });

  it('reports the run, its loading, or nothing when idle', () => {
    expect(trainingStatus(run, false, true)).toBe('step 1,200 of 3,000 · mean IoU 0.63 at step 1000 · 12.3 s of training so far');
    expect(trainingStatus(run, true, false)).toBe('step 1,200 of 3,000 · mean IoU 0.63 at step 1000 · 12.3 s of training');
    expect(trainingStatus(null, false, true)).toBe(`loading ${TRAIN_DIGITS.toLocaleString('en-US')} training and ${TEST_DIGITS.toLocaleString('en-US')} test digits…`);
    expect(trainingStatus(null, false, false)).toBeUndefined();
  });
});
