import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { History } from '../runtime/simulation';
import { createRun, METHODS, optimum, predictedSteps, spectrum, spectrumRate, type RunFrame } from './model';
import { clampLog, FLOOR, LOG_STEPS_MAX, lossSummary, lastLoss, NX, NY, pickedPoint, recordRun, runStatus, settled, stepsPlane } from './display';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('momentum display', () => {
  const lambdas = spectrum(0.01, 1, 3);

  it('colours the plane by log₁₀ steps: fastest near the optimum, the cap past the edge of stability', () => {
    const v = stepsPlane('heavy', lambdas, 1);
    expect(v.length).toBe(NX * NY);
    // Column 0 is γ = 0: nothing moves, the slowest colour everywhere.
    for (let j = 0; j < NY; j++) expect(v[j * NX]).toBe(LOG_STEPS_MAX);
    const best = optimum('heavy', 0.01, 1);
    const atBest = Math.log10(predictedSteps(spectrumRate('heavy', best.gamma, best.mu, lambdas)));
    expect(Math.min(...v)).toBeGreaterThanOrEqual(Math.fround(atBest) - 0.05);
    expect(Math.min(...v)).toBeLessThan(atBest + 0.2);
  });

  it('clamps what the log plots draw, NaN at the top', () => {
    expect(clampLog(0)).toBe(FLOOR);
    expect(clampLog(-0.5)).toBe(0.5);
    expect(clampLog(NaN)).toBe(1e6);
    expect(clampLog(1e30, 1e-18, 1e12)).toBe(1e12);
  });

  it('records a real run: a step, each loss and each direction per state, and says when the shown ones settle', async () => {
    const run = createRun({ lambdas, gamma: 1.5, mu: 0.8, methods: [...METHODS] });
    const h = new History();
    const record = recordRun(lambdas.length);
    const f0: RunFrame = await run.step(0);
    record(f0, h);
    const f: RunFrame = await run.step(20);
    record(f, h);
    expect(Array.from(h.values('step'))).toEqual([0, ...Array.from({ length: 20 }, (_, k) => k + 1)]);
    // Error 1 along every direction at the start; ½ Σ λᵢ the loss.
    expect(Array.from(h.values('c-heavy-0')).slice(0, 1)).toEqual([1]);
    expect(h.values('loss-gd')[0]).toBeCloseTo(0.5 * lambdas.reduce((a, b) => a + b, 0), 5);
    expect(h.values('loss-heavy').length).toBe(21);
    expect(lastLoss(f, 'heavy')).toBe(f.loss[(f.at.length - 1) * METHODS.length + METHODS.indexOf('heavy')]);
    expect(lastLoss({ ...f, at: [] }, 'heavy')).toBeNaN();
    expect(settled(['heavy'])(f)).toBe(false);
    expect(settled(['heavy'])({ ...f0, steps: 0 })).toBe(false);
    const diverged = { ...f, loss: f.loss.map(() => Infinity) };
    expect(settled(['gd', 'adam'])(diverged)).toBe(true);
    expect(lossSummary(diverged, ['gd'])).toBe('GD, best γ diverged');
    expect(lossSummary(f, ['heavy', 'adam'])).toBe(`heavy ball ${lastLoss(f, 'heavy').toExponential(1)} · Adam ${lastLoss(f, 'adam').toExponential(1)}`);
    run.dispose();
  });

  it('says the rate and the steps it predicts, and turns a click into controls within range', () => {
    expect(runStatus(12, 'heavy', 1.5, 0.8, 0.9)).toBe(`step 12 · heavy ball at γ 1.5, μ 0.8: ρ 0.9, ${predictedSteps(0.9)} steps to 10⁻⁶ predicted`);
    expect(runStatus(3, 'nesterov', 5, 0.1, 1.2)).toBe('step 3 · Nesterov at γ 5, μ 0.1: ρ 1.2, diverges');
    expect(pickedPoint(1.23456, 0.45678)).toEqual({ gamma: 1.23, mu: 0.457 });
    expect(pickedPoint(100, 1)).toEqual({ gamma: 45, mu: 0.99 });
    expect(pickedPoint(0, -0.2)).toEqual({ gamma: 0.001, mu: 0 });
  });
});
