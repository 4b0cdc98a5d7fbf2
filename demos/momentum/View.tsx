'use client';
import { useMemo } from 'react';
import type { Simulation } from '../runtime/simulation';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { ink } from '../ui/plots/palette';
import { useTheme } from '../ui/plots/useTheme';
import { createRun, METHODS, METHOD_NAMES, spectralRadius, spectrum, spectrumRate, type RunFrame } from './model';
import { clampLog, COLOR, directionColor, FLOOR, fmt, LOSS_FLOOR, lossSummary, pickedPoint, recordRun, runStatus, settled, stepsPlane, type PlaneMethod } from './display';
import { RatePlane } from './Panels';
import { momentumParams } from './params';

/** Every optimizer runs (one row each, negligible work); the chart shows the chosen ones. */
const simulate = (p: { lambdas: number[]; angle: number; gamma: number; mu: number; adamLr: number }): Simulation<RunFrame> =>
  createRun({ ...p, methods: [...METHODS] });

/** Momentum on a quadratic: the (γ, μ) plane of rates, each eigen-direction's error, and the optimizers' losses. */
export default function MomentumView() {
  const fg = ink(useTheme() === 'dark');
  const { values: p, set } = useDemoParams(momentumParams);
  const plane: PlaneMethod = p.plane === 'nesterov' ? 'nesterov' : 'heavy';
  const lmin = p.lmax / p.kappa;
  const lambdas = useMemo(() => spectrum(lmin, p.lmax, p.count), [lmin, p.lmax, p.count]);
  const n = lambdas.length;
  const shown = METHODS.filter((m) => p.methods.includes(m));

  const sim = useSimulation(
    simulate,
    { lambdas, angle: (p.angle * Math.PI) / 180, gamma: p.gamma, mu: p.mu, adamLr: p.adamLr },
    { budget: p.steps, autoplay: true, record: recordRun(n), converged: settled(shown) },
  );
  const h = sim.history;
  const steps = h.values('step');
  const f = sim.frame;

  const values = useMemo(() => stepsPlane(plane, lambdas, p.lmax), [plane, lambdas, p.lmax]);
  const rate = spectrumRate(plane, p.gamma, p.mu, lambdas);
  // The predicted envelope ρᵏ of the plane's method, beside the measured error of each direction.
  const predicted = useMemo(() => Float64Array.from(steps, (k) => clampLog(rate ** k)), [steps, rate]);
  const pick = (x: number, y: number) => {
    const q = pickedPoint(x, y);
    set('gamma', q.gamma);
    set('mu', q.mu);
  };

  return (
    <div className="momentum-demo">
      <ParamControls table={momentumParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? runStatus(f.steps, plane, p.gamma, p.mu, rate) : ''} />
      {sim.problem && (
        <p className="demo-error" role="alert">
          {sim.problem}
        </p>
      )}
      <div className="plots">
        <RatePlane plane={plane} values={values} lmin={lmin} lmax={p.lmax} gamma={p.gamma} mu={p.mu} onPick={pick} fg={fg} />
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
          Loss after {f.steps} steps: {lossSummary(f, shown)}. GD runs at its best γ = 2/(λ_min + λ_max);
          heavy ball and Nesterov at the plane&apos;s point; Adam at its own rate. Rotate the eigenbasis: only Adam notices.
        </p>
      )}
    </div>
  );
}
