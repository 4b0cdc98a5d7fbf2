import { describe, expect, it } from 'vitest';
import { DECISIONS, OPS, STAGE_WIDTHS } from '../runtime/nasbench/space';
import { configOf, initialRace, mediansText, OPTION_NAMES, raceStatus } from './display';
import { nasParams } from './params';

const defaults = Object.fromEntries(Object.entries(nasParams).map(([k, s]) => [k, s.default])) as { [K in keyof typeof nasParams]: (typeof nasParams)[K]['default'] };

describe('NAS display', () => {
  it("names each decision's options: the operations, or the stage's two widths", () => {
    expect(OPTION_NAMES.length).toBe(DECISIONS.length);
    OPTION_NAMES.forEach((names, k) => expect(names.length).toBe(DECISIONS[k].options));
    expect(OPTION_NAMES[0].length).toBe(OPS.length);
    expect(OPTION_NAMES[1]).toEqual(STAGE_WIDTHS[0].map((w) => `width ${w}`));
  });

  it('starts from nothing searched, and passes the settings on', () => {
    const r = initialRace(300);
    expect(r.frame.trial).toBe(0);
    expect(r.frame.budget).toBe(300);
    expect(r.curve.trial).toEqual([]);
    expect(r.frame.best.reinforce.median).toBeNaN();
    expect(configOf({ ...defaults, budget: 120, seed: 7 })).toEqual({ budget: 120, runs: defaults.runs, seed: 7, learningRate: defaults.learningRate, baselineDecay: defaults.baselineDecay });
  });

  it('says where the race is: loading, ready, running, or replaying a file', () => {
    const p = { runs: 20, budget: 300 };
    const f = { ...initialRace(300).frame, trial: 40 };
    expect(raceStatus(false, null, true, p)).toBe('loading the benchmark…');
    expect(raceStatus(false, initialRace(300).frame, false, p)).toBe('20 seeds of each search, 300 trials each');
    expect(raceStatus(false, f, false, p)).toBe('trial 40 of 300');
    expect(raceStatus(true, null, false, p)).toBe('replaying the imported file…');
    expect(raceStatus(true, f, false, p)).toBe('trial 40 of 300 (imported)');
  });

  it("quotes each method's median best", () => {
    const f = { ...initialRace(300).frame, best: { reinforce: { q1: 0.9, median: 0.91234, q3: 0.92 }, random: { q1: 0.88, median: 0.9, q3: 0.91 } } };
    expect(mediansText(f)).toBe('REINFORCE 91.23\u00a0%, random search 90.00\u00a0%');
  });
});
