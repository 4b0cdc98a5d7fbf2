/** What the momentum view draws and says, from the closed forms and the run's frames: pure, tested in Node (display.test.ts). */
import type { History } from '../runtime/simulation';
import { SERIES } from '../ui/plots/palette';
import { METHOD_NAMES, METHODS, planeBox, predictedSteps, spectrumRate, type LinearMethod, type Method, type RunFrame } from './model';
import { momentumParams } from './params';

export type PlaneMethod = Extract<LinearMethod, 'heavy' | 'nesterov'>;

/** Grid of the (γ, μ) plane: closed forms only, a few ms. */
export const NX = 121;
export const NY = 100;
/** The colour of the plane: log₁₀ of the steps to shrink the error a millionfold, 1 … 10⁴ (diverging: the top). */
export const LOG_STEPS_MAX = 4;
const logSteps = (rate: number) => Math.min(LOG_STEPS_MAX, Math.log10(Math.max(1, predictedSteps(rate))));
/** What the plots draw between these bounds (float32 rounds below, divergence above). */
export const FLOOR = 1e-9;
const CEIL = 1e6;
export const clampLog = (v: number, lo = FLOOR, hi = CEIL) => (Number.isNaN(v) ? hi : Math.min(hi, Math.max(lo, Math.abs(v))));
/** Losses are squares of errors: their bounds are too. */
export const LOSS_FLOOR = FLOOR * FLOOR;
const LOSS_CEIL = CEIL * CEIL;

export const COLOR: Record<Method, string> = { gd: SERIES[7], heavy: SERIES[0], nesterov: SERIES[1], adam: SERIES[2] };
/** Each eigen-direction's colour: λ_min ochre and λ_max pink, as their critical curves on the plane. */
export const directionColor = (i: number, n: number) => (i === 0 ? SERIES[4] : i === n - 1 ? SERIES[3] : [SERIES[5], SERIES[6], SERIES[8], SERIES[9]][i - 1]);

export const fmt = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '—');

/** The plane's colours, NY rows of NX (row 0 at μ = 0): log₁₀ steps to a millionfold over the spectrum `lambdas`. */
export function stepsPlane(plane: PlaneMethod, lambdas: readonly number[], lmax: number): Float32Array {
  const { xMax } = planeBox(lmax);
  const v = new Float32Array(NX * NY);
  for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) v[j * NX + i] = logSteps(spectrumRate(plane, (i / (NX - 1)) * xMax, Math.min(j / (NY - 1), 0.999), lambdas));
  return v;
}

const row = (m: Method) => METHODS.indexOf(m);

/** Records each reported state: the step, every optimizer's loss and its error along each of the n directions, clamped. */
export const recordRun = (n: number) => (f: RunFrame, h: History) => {
  const R = METHODS.length;
  f.at.forEach((k, j) => {
    h.push('step', k);
    for (const m of METHODS) {
      const r = row(m);
      h.push(`loss-${m}`, clampLog(f.loss[j * R + r], LOSS_FLOOR, LOSS_CEIL));
      for (let i = 0; i < n; i++) h.push(`c-${m}-${i}`, clampLog(f.coords[(j * R + r) * n + i]));
    }
  });
};

/** A method's loss at the frame's last reported state (NaN before any). */
export const lastLoss = (f: RunFrame, m: Method) => (f.at.length ? f.loss[(f.at.length - 1) * METHODS.length + row(m)] : NaN);

/** Done when every shown optimizer has shrunk its loss past float32's reach, or diverged. */
export const settled = (shown: readonly Method[]) => (f: RunFrame) =>
  f.at.length > 0 && f.steps > 0 && shown.every((m) => {
    const l = lastLoss(f, m);
    return !Number.isFinite(l) || l > 1e12 || l < 1e-18;
  });

/** The transport's status: the step, the plane's method at its point, its rate and the steps it predicts. */
export const runStatus = (steps: number, plane: PlaneMethod, gamma: number, mu: number, rate: number) =>
  `step ${steps} · ${METHOD_NAMES[plane]} at γ ${fmt(gamma)}, μ ${fmt(mu)}: ρ ${fmt(rate, 4)}${rate < 1 ? `, ${predictedSteps(rate)} steps to 10⁻⁶ predicted` : ', diverges'}`;

/** Each shown optimizer's last loss, or "diverged". */
export const lossSummary = (f: RunFrame, shown: readonly Method[]) =>
  shown.map((m) => `${METHOD_NAMES[m]} ${Number.isFinite(lastLoss(f, m)) ? lastLoss(f, m).toExponential(1) : 'diverged'}`).join(' · ');

/** A click on the plane as the controls' (γ, μ): rounded to their precision, kept within their ranges. */
export function pickedPoint(x: number, y: number): { gamma: number; mu: number } {
  const { gamma, mu } = momentumParams;
  return { gamma: Math.min(gamma.max, Math.max(gamma.min, Number(x.toPrecision(3)))), mu: Math.min(mu.max, Math.max(mu.min, Number(y.toFixed(3)))) };
}
