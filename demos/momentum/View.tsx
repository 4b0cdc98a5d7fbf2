'use client';
import { useMemo } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { ContourCanvas, type ToPx } from '../ui/plots/ContourCanvas';
import { dot, polyline } from '../ui/plots/draw';
import { SERIES, ink } from '../ui/plots/palette';
import { useTheme } from '../ui/plots/useTheme';
import {
  createRun,
  criticalMomentum,
  METHODS,
  METHOD_NAMES,
  optimum,
  planeBox,
  predictedSteps,
  spectralRadius,
  spectrum,
  spectrumRate,
  stableLimit,
  type Method,
  type RunFrame,
} from './model';
import { momentumParams } from './params';

type Values = ParamValues<typeof momentumParams>;
type PlaneMethod = 'heavy' | 'nesterov';

/** Grid of the (γ, μ) plane: closed forms only, a few ms. */
const NX = 121;
const NY = 100;
/** The colour of the plane: log₁₀ of the steps to shrink the error a millionfold, 1 … 10⁴ (diverging: the top). */
const LOG_STEPS_MAX = 4;
const logSteps = (rate: number) => Math.min(LOG_STEPS_MAX, Math.log10(Math.max(1, predictedSteps(rate))));
/** What the plots draw between these bounds (float32 rounds below, divergence above). */
const FLOOR = 1e-9;
const CEIL = 1e6;
const clampLog = (v: number, lo = FLOOR, hi = CEIL) => (Number.isNaN(v) ? hi : Math.min(hi, Math.max(lo, Math.abs(v))));
/** Losses are squares of errors: their bounds are too. */
const LOSS_FLOOR = FLOOR * FLOOR;
const LOSS_CEIL = CEIL * CEIL;
/** Each eigen-direction's colour: λ_min ochre and λ_max pink, as their critical curves on the plane. */
const directionColor = (i: number, n: number) => (i === 0 ? SERIES[4] : i === n - 1 ? SERIES[3] : [SERIES[5], SERIES[6], SERIES[8], SERIES[9]][i - 1]);

const COLOR: Record<Method, string> = { gd: SERIES[7], heavy: SERIES[0], nesterov: SERIES[1], adam: SERIES[2] };

/** Every optimizer runs (one row each, negligible work); the chart shows the chosen ones. */
const simulate = (p: { lambdas: number[]; angle: number; gamma: number; mu: number; adamLr: number }): Simulation<RunFrame> =>
  createRun({ ...p, methods: [...METHODS] });

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '—');

/** Momentum on a quadratic: the (γ, μ) plane of rates, each eigen-direction's error, and the optimizers' losses. */
export default function MomentumView() {
  const fg = ink(useTheme() === 'dark');
  const { values: p, set } = useDemoParams(momentumParams);
  const plane = (p.plane === 'nesterov' ? 'nesterov' : 'heavy') as PlaneMethod;
  const lmax = p.lmax;
  const lmin = lmax / p.kappa;
  const lambdas = useMemo(() => spectrum(lmin, lmax, p.count), [lmin, lmax, p.count]);
  const R = METHODS.length;
  const n = lambdas.length;
  const rowOf = (m: Method) => METHODS.indexOf(m);
  const shown = METHODS.filter((m) => p.methods.includes(m));

  const record = (f: RunFrame, h: History) => {
    f.at.forEach((k, j) => {
      h.push('step', k);
      for (const m of METHODS) {
        const r = rowOf(m);
        h.push(`loss-${m}`, clampLog(f.loss[j * R + r], LOSS_FLOOR, LOSS_CEIL));
        for (let i = 0; i < n; i++) h.push(`c-${m}-${i}`, clampLog(f.coords[(j * R + r) * n + i]));
      }
    });
  };
  const converged = (f: RunFrame) => {
    const j = f.at.length - 1;
    if (j < 0 || f.steps === 0) return false;
    // Every shown optimizer has shrunk its loss past float32's reach, or diverged.
    return shown.every((m) => {
      const l = f.loss[j * R + rowOf(m)];
      return !Number.isFinite(l) || l > 1e12 || l < 1e-18;
    });
  };
  const sim = useSimulation(simulate, { lambdas, angle: (p.angle * Math.PI) / 180, gamma: p.gamma, mu: p.mu, adamLr: p.adamLr }, { budget: p.steps, autoplay: true, record, converged });
  const h = sim.history;
  const steps = h.values('step');

  const values = useMemo(() => {
    const { xMax } = planeBox(lmax);
    const v = new Float32Array(NX * NY);
    for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) v[j * NX + i] = logSteps(spectrumRate(plane, (i / (NX - 1)) * xMax, Math.min(j / (NY - 1), 0.999), lambdas));
    return v;
  }, [plane, lambdas, lmax]);
  const box = useMemo(() => planeBox(lmax), [lmax]);
  const best = optimum(plane, lmin, lmax);
  const rate = spectrumRate(plane, p.gamma, p.mu, lambdas);

  const overlay = (ctx: CanvasRenderingContext2D, toPx: ToPx) => {
    const edge: number[] = [];
    for (let j = 0; j <= 100; j++) edge.push(stableLimit(plane, 0.99 * (j / 100)) / lmax, 0.99 * (j / 100));
    polyline(ctx, toPx, edge, fg, { width: 2 });
    [lmin, lmax].forEach((l, k) => {
      const pts: number[] = [];
      for (let i = 0; i <= 400; i++) {
        const g = (i / 400) * box.xMax;
        pts.push(g, criticalMomentum(plane, g, l));
      }
      polyline(ctx, toPx, pts, SERIES[k === 0 ? 4 : 3], { width: 2, dash: [6, 4] });
    });
    dot(ctx, toPx, best.gamma, best.mu, fg, 6, 'star');
    dot(ctx, toPx, p.gamma, p.mu, COLOR[plane], 5);
  };

  const pick = (x: number, y: number) => {
    set('gamma', Math.min(momentumParams.gamma.max, Math.max(momentumParams.gamma.min, Number(x.toPrecision(3)))));
    set('mu', Math.min(momentumParams.mu.max, Math.max(momentumParams.mu.min, Number(y.toFixed(3)))));
  };

  const f = sim.frame;
  const last = (m: Method) => (f && f.at.length ? f.loss[(f.at.length - 1) * R + rowOf(m)] : NaN);
  // The predicted envelope ρᵏ of the plane's method, beside the measured error of each direction.
  const predicted = useMemo(() => Float64Array.from(steps, (k) => clampLog(rate ** k)), [steps, rate]);

  return (
    <div className="momentum-demo">
      <ParamControls table={momentumParams} values={p} onChange={set} />
      <Transport
        sim={sim}
        status={f ? `step ${f.steps} · ${METHOD_NAMES[plane]} at γ ${fmt(p.gamma)}, μ ${fmt(p.mu)}: ρ ${fmt(rate, 4)}${rate < 1 ? `, ${predictedSteps(rate)} steps to 10⁻⁶ predicted` : ', diverges'}` : ''}
      />
      {sim.problem && (
        <p className="demo-error" role="alert">
          {sim.problem}
        </p>
      )}
      <div className="plots">
        <div>
          <ContourCanvas
            values={values}
            nx={NX}
            ny={NY}
            box={box}
            bands={16}
            range={[0, LOG_STEPS_MAX]}
            overlay={overlay}
            picked={[p.gamma, p.mu]}
            onPick={pick}
            label={`The (γ, μ) plane of ${METHOD_NAMES[plane]}: colour is the number of steps to shrink the error a millionfold; click to run a point`}
            size={360}
            xLabel="learning rate γ"
            yLabel="momentum μ"
          />
          <p className="plot-caption">
            The stronger the colour, the slower: 10 to 10⁴ steps to shrink the error a millionfold; beyond the solid edge it diverges. Dashed: critical damping of λ_min (ochre) and
            λ_max (pink). ★ optimum γ {fmt(best.gamma)}, μ {fmt(best.mu)}, ρ {fmt(best.rate)}. Click to run a point.
          </p>
        </div>
        <div>
          <Chart
            label={`Error along each eigen-direction, ${METHOD_NAMES[plane]}`}
            log
            height={220}
            x={steps}
            xLabel="step k"
            yLabel="|error along qᵢ|"
            yMin={FLOOR}
            series={[
              ...lambdas.map((l, i) => ({ label: `λ ${fmt(l)} (ρ ${fmt(spectralRadius(plane, p.gamma, p.mu, l))})`, color: directionColor(i, n), values: h.values(`c-${plane}-${i}`) })),
              { label: `ρᵏ, ρ ${fmt(rate)}`, color: fg, values: predicted, dashed: true },
            ]}
          />
          <Chart
            label="Loss per step of each optimizer on the same quadratic"
            log
            height={220}
            x={steps}
            xLabel="step k"
            yLabel="f(x)"
            yMin={LOSS_FLOOR}
            series={shown.map((m) => ({ label: METHOD_NAMES[m], color: COLOR[m], values: h.values(`loss-${m}`) }))}
          />
        </div>
      </div>
      {f && (
        <p className="plot-caption">
          Loss after {f.steps} steps: {shown.map((m) => `${METHOD_NAMES[m]} ${Number.isFinite(last(m)) ? last(m).toExponential(1) : 'diverged'}`).join(' · ')}. GD runs at its best γ = 2/(λ_min + λ_max);
          heavy ball and Nesterov at the plane&apos;s point; Adam at its own rate. Rotate the eigenbasis: only Adam notices.
        </p>
      )}
    </div>
  );
}
