import { describe, expect, it } from 'vitest';
import { parseResults, type SearchResults } from './model';
import { childCount } from './search';
import { coeffsText, curves, kmacs, macsTick, METHODS, nextPhi, scatterAxes, trainedText } from './display';
import shippedJson from './shipped.json';
import { formatPercent } from '../ui/plots/scale';

const shipped = parseResults(JSON.stringify(shippedJson));
const BOX = { W: 480, H: 270, pad: { l: 46, r: 12, t: 10, b: 38 } };

describe('EfficientNet display', () => {
  it('formats accuracy, multiply-adds, coefficients and the next φ', () => {
    expect(formatPercent(0.876)).toBe('87.6\u00a0%');
    expect(kmacs(339_030)).toBe('339.0\u00a0k');
    expect(coeffsText({ alpha: 1.2, beta: 1.1, gamma: 1.174 })).toBe('1.2, 1.1, 1.174');
    expect(coeffsText(undefined)).toBe('–');
    expect(macsTick(200_000)).toBe('200 k');
    expect(macsTick(2_000_000)).toBe('2 M');
    expect([0, 1, 7.5, 7.9, 8].map(nextPhi)).toEqual([0.5, 1.5, 8, 8.4, 0]);
  });

  it("draws one curve per method through the shipped run's base and its children, by φ", () => {
    const cs = curves(shipped);
    expect(cs.map((c) => c.kind)).toEqual(METHODS.map((m) => m.kind));
    for (const c of cs) {
      expect(c.pts[0].kind).toBe('base');
      expect(c.pts.slice(1).every((p) => p.kind === c.kind)).toBe(true);
      expect(c.pts.map((p) => p.phi)).toEqual([0, 1, 2]);
    }
    expect(cs.find((c) => c.kind === 'depth')!.pts.map((p) => p.accuracy)).toEqual([0.844, 0.862, 0.782]);
  });

  it("puts the shipped run's points inside the plot, on round ticks", () => {
    const { X, Y, xTicks, yTicks } = scatterAxes(shipped.children, BOX);
    expect(xTicks).toEqual([100_000, 200_000, 500_000]);
    expect(yTicks.length).toBe(9);
    expect(yTicks[0]).toBeCloseTo(0.74, 12);
    expect(yTicks[8]).toBeCloseTo(0.9, 12);
    for (const c of shipped.children) {
      expect(X(c.macs)).toBeGreaterThan(BOX.pad.l);
      expect(X(c.macs)).toBeLessThan(BOX.W - BOX.pad.r);
      expect(Y(c.accuracy)).toBeGreaterThan(BOX.pad.t);
      expect(Y(c.accuracy)).toBeLessThan(BOX.H - BOX.pad.b);
    }
    // More multiply-adds to the right, more accuracy up.
    expect(X(500_000)).toBeGreaterThan(X(100_000));
    expect(Y(0.9)).toBeLessThan(Y(0.8));
  });

  it('says how far a run is', () => {
    expect(trainedText(shipped)).toBe(`14 of ${childCount(6)} children trained, 125.0 s of training`); // compound at φ = 1 is the chosen grid child, not trained again
    const early: SearchResults = { ...shipped, chosen: null, children: shipped.children.slice(0, 3), seconds: 17.064 };
    expect(trainedText(early)).toBe(`3 of ${childCount(6)} children trained, 17.1 s of training`);
  });
});
