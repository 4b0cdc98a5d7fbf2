'use client';
import { useMemo } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { Box } from '../runtime/grid';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { useComputed } from '../ui/useLatest';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { ContourCanvas, type ToPx } from '../ui/plots/ContourCanvas';
import { Chart } from '../ui/plots/Chart';
import { arrow, dot, polyline } from '../ui/plots/draw';
import { SERIES, ink } from '../ui/plots/palette';
import { useTheme } from '../ui/plots/useTheme';
import {
  LOSS_BOX,
  costComparison,
  createDescent,
  gdPath,
  leastSquares,
  lossGrid,
  makeDataset,
  minibatchGradients,
  newtonStep,
  quadratic,
  quadraticGrid,
  type DescentFrame,
  type Vec2,
} from './model';
import { overviewParams } from './params';

const RES = 64;
const CLOUD = 48; // mini-batch gradients drawn at once
const BUDGET = 300; // steps, then a "resume"
const Q_BOX: Box = { xMin: -2, xMax: 3, yMin: -2, yMax: 3 };
const Q_START: Vec2 = [-1.5, 2.5];
const Q_STEPS = 30;
const COST_NS = [2, 1e3, 1e6, 2.5e7];

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(1) : x.toFixed(3));
function bytes(b: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  const i = Math.min(units.length - 1, Math.max(0, Math.floor(Math.log10(Math.max(b, 1)) / 3)));
  return `${Number((b / 10 ** (3 * i)).toPrecision(3))} ${units[i]}`;
}
const big = (x: number) => (x < 1e4 ? String(Math.round(x)) : x.toExponential(1).replace('e+', '·10^'));

/** GD and SGD racing from θ. The start is recorded first, so the paths begin at θ. */
function simulate({ theta, lr, batch, seed }: { theta: Vec2; lr: number; batch: number; seed: number }): Simulation<DescentFrame & { start: Vec2 }> {
  const d = createDescent(makeDataset(seed), { start: theta, lr, batchSize: batch, seed });
  return {
    step: async (k) => ({ ...(k === 0 ? { path: new Float32Array(0), loss: [NaN, NaN] as Vec2, steps: 0 } : await d.step(k)), start: theta }),
    dispose: () => d.dispose(),
  };
}

function record(f: DescentFrame & { start: Vec2 }, h: History, k: number) {
  if (k === 0) {
    h.push('gd', ...f.start);
    h.push('sgd', ...f.start);
    return;
  }
  for (let s = 0; s < k; s++) {
    h.push('gd', f.path[4 * s], f.path[4 * s + 1]);
    h.push('sgd', f.path[4 * s + 2], f.path[4 * s + 3]);
  }
  h.push('step', f.steps);
  h.push('lossGd', f.loss[0]);
  h.push('lossSgd', f.loss[1]);
}

/** Overview demo: mini-batch gradient noise on a real loss surface, and Newton vs gradient descent. */
export default function OverviewView() {
  const { values: p, set } = useDemoParams(overviewParams);
  const fg = ink(useTheme() === 'dark');
  const data = useMemo(() => makeDataset(p.seed), [p.seed]);
  const best = useMemo(() => leastSquares(data), [data]);
  const grid = useComputed(({ seed }) => lossGrid(makeDataset(seed), LOSS_BOX, RES), { seed: p.seed });
  const mb = useComputed(({ seed, theta, batch }) => minibatchGradients(makeDataset(seed), theta, batch, CLOUD, seed), { seed: p.seed, theta: p.theta, batch: p.batch });
  const sim = useSimulation(simulate, { theta: p.theta, lr: p.lr, batch: p.batch, seed: p.seed }, { budget: BUDGET, record, ready: grid !== null && mb !== null });
  const h = sim.history;
  const gdLoss = h.get('lossGd');
  const sgdLoss = h.get('lossSgd');

  // Arrows: −∇J scaled so the full-batch arrow is a fixed share of the plot; mini-batch arrows alike.
  const scale = mb ? (0.22 * (LOSS_BOX.xMax - LOSS_BOX.xMin)) / Math.max(1e-9, Math.hypot(mb.full[0], mb.full[1])) : 0;
  const overlay = (ctx: CanvasRenderingContext2D, toPx: ToPx) => {
    const [w, b] = p.theta;
    if (mb) {
      for (let i = 0; i < mb.count; i++) arrow(ctx, toPx, w, b, -scale * mb.grads[2 * i], -scale * mb.grads[2 * i + 1], SERIES[1], 1.2, 0.35);
      arrow(ctx, toPx, w, b, -scale * mb.full[0], -scale * mb.full[1], SERIES[0], 3);
    }
    polyline(ctx, toPx, h.values('gd'), SERIES[0], { width: 2 });
    polyline(ctx, toPx, h.values('sgd'), SERIES[1], { width: 1.5 });
    dot(ctx, toPx, best[0], best[1], fg, 5, 'star');
    dot(ctx, toPx, w, b, fg, 4);
  };

  // Newton vs gradient descent on a quadratic: 2×2 arithmetic in plain JS, recomputed per change.
  const q = useMemo(() => quadratic(p.kappa, p.angle), [p.kappa, p.angle]);
  const qGrid = useMemo(() => quadraticGrid(q, Q_BOX, RES), [q]);
  const gd = useMemo(() => gdPath(q, Q_START, p.qlr, Q_STEPS), [q, p.qlr]);
  const newton = useMemo(() => newtonStep(q, Q_START), [q]);
  const gdEnd = gd[gd.length - 1];
  const gdErr = Math.hypot(gdEnd[0] - q.minimiser[0], gdEnd[1] - q.minimiser[1]);
  const diverges = p.qlr >= 2 / q.eigenvalues[0];
  const qOverlay = useMemo(
    () => (ctx: CanvasRenderingContext2D, toPx: ToPx) => {
      polyline(ctx, toPx, gd.flat(), SERIES[0], { width: 2 });
      polyline(ctx, toPx, [...Q_START, ...newton], SERIES[2], { width: 2.5, dash: [6, 4] });
      dot(ctx, toPx, q.minimiser[0], q.minimiser[1], fg, 5, 'star');
      dot(ctx, toPx, Q_START[0], Q_START[1], fg, 4);
      dot(ctx, toPx, newton[0], newton[1], SERIES[2], 4);
    },
    [gd, newton, q, fg],
  );

  const sd = (v: number) => Math.sqrt(Math.max(0, v));
  return (
    <div className="overview-demo">
      <p className="demo-sub">1 · Full-batch gradient vs mini-batch gradients</p>
      <ParamControls table={overviewParams} values={p} onChange={set} only={['batch', 'lr', 'seed']} />
      <Transport sim={sim} status={sim.steps ? `step ${sim.steps} · J(GD) ${fmt(gdLoss.last())} · J(SGD) ${fmt(sgdLoss.last())}` : 'Click the plot to move θ; play to descend.'} />
      <div className="plots">
        <div>
          {grid && (
            <ContourCanvas
              values={grid}
              nx={RES}
              ny={RES}
              box={LOSS_BOX}
              overlay={overlay}
              picked={p.theta}
            onPick={(w, b) => set('theta', [Number(w.toFixed(2)), Number(b.toFixed(2))])}
              label="Contours of the training loss Ĵ(w, b) with the full-batch gradient and mini-batch gradients at θ"
              xLabel="w"
              yLabel="b"
            />
          )}
          <p className="plot-caption">
            Ĵ(w, b) over w (→) and b (↑). <span style={{ color: SERIES[0] }}>■</span> −∇Ĵ full batch,{' '}
            <span style={{ color: SERIES[1] }}>■</span> −∇ of {CLOUD} mini-batches of B = {p.batch}; ★ minimum. θ = ({p.theta[0]}, {p.theta[1]}).
          </p>
        </div>
        <div>
          {mb && (
            <table className="stats">
              <caption>Spread of a mini-batch gradient at θ (N = {data.n})</caption>
              <thead>
                <tr>
                  <th />
                  <th>∂J/∂w</th>
                  <th>∂J/∂b</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th>full gradient</th>
                  <td>{fmt(mb.full[0])}</td>
                  <td>{fmt(mb.full[1])}</td>
                </tr>
                <tr>
                  <th>mean of {CLOUD} batches</th>
                  <td>{fmt(mb.mean[0])}</td>
                  <td>{fmt(mb.mean[1])}</td>
                </tr>
                <tr>
                  <th>std, measured</th>
                  <td>{fmt(sd(mb.cov[0]))}</td>
                  <td>{fmt(sd(mb.cov[2]))}</td>
                </tr>
                <tr>
                  <th>std, theory √(σ²/B·(N−B)/(N−1))</th>
                  <td>{fmt(sd(mb.theoryVar[0]))}</td>
                  <td>{fmt(sd(mb.theoryVar[1]))}</td>
                </tr>
              </tbody>
            </table>
          )}
          <Chart
            label="Loss per step of full-batch gradient descent and mini-batch SGD"
            log
            series={[
              { label: 'full-batch GD', color: SERIES[0], values: gdLoss.values() },
              { label: `SGD, B = ${p.batch}`, color: SERIES[1], values: sgdLoss.values() },
            ]}
            x={h.values('step')}
            xLabel="step"
            yLabel="J"
          />
        </div>
      </div>

      <p className="demo-sub">2 · Gradient descent vs one Newton step on a quadratic</p>
      <ParamControls table={overviewParams} values={p} onChange={set} only={['kappa', 'angle', 'qlr']} />
      <div className="plots">
        <div>
          <ContourCanvas values={qGrid} nx={RES} ny={RES} box={Q_BOX} overlay={qOverlay} label="Contours of a quadratic with gradient descent steps and one Newton step" />
          <p className="plot-caption">
            <span style={{ color: SERIES[0] }}>■</span> {Q_STEPS} GD steps, γ = {p.qlr}: distance to ★ {fmt(gdErr)}
            {diverges ? ' (γ ≥ 2/λₘₐₓ: diverges)' : ''}. <span style={{ color: SERIES[2] }}>■</span> one Newton step lands on ★.
          </p>
        </div>
        <table className="stats">
          <caption>Cost of one step with n parameters (multiply-adds)</caption>
          <thead>
            <tr>
              <th>n</th>
              <th>gradient</th>
              <th>form Hessian</th>
              <th>solve</th>
              <th>Hessian memory</th>
            </tr>
          </thead>
          <tbody>
            {COST_NS.map((n) => {
              const c = costComparison(n);
              return (
                <tr key={n}>
                  <td>{big(n)}</td>
                  <td>{big(c.gradient)}</td>
                  <td>{big(c.formHessian)}</td>
                  <td>{big(c.solve)}</td>
                  <td>{bytes(c.hessianBytes)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
