'use client';
import { useMemo } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { Box } from '../runtime/grid';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { useComputed } from '../ui/useLatest';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { ContourCanvas } from '../ui/plots/ContourCanvas';
import { Chart } from '../ui/plots/Chart';
import { SERIES, ink } from '../ui/plots/palette';
import { useTheme } from '../ui/plots/useTheme';
import { LOSS_BOX, createDescent, gdVsNewton, leastSquares, lossGrid, makeDataset, minibatchGradients, quadratic, quadraticGrid, type DescentFrame, type Vec2 } from './model';
import { overviewParams } from './params';
import { fmt } from './display';
import { CostTable, SpreadTable } from './Tables';
import { gradientOverlay, newtonOverlay } from './overlays';

const RES = 64;
const CLOUD = 48; // mini-batch gradients drawn at once
const BUDGET = 300; // steps, then a "resume"
const Q_BOX: Box = { xMin: -2, xMax: 3, yMin: -2, yMax: 3 };
const Q_START: Vec2 = [-1.5, 2.5];
const Q_STEPS = 30;
const COST_NS = [2, 1e3, 1e6, 2.5e7];

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

  const overlay = gradientOverlay(p.theta, mb, { gd: h.values('gd'), sgd: h.values('sgd') }, best, fg);

  // Newton vs gradient descent on a quadratic: 2×2 arithmetic in plain JS, recomputed per change.
  const q = useMemo(() => quadratic(p.kappa, p.angle), [p.kappa, p.angle]);
  const qGrid = useMemo(() => quadraticGrid(q, Q_BOX, RES), [q]);
  const race = useMemo(() => gdVsNewton(q, Q_START, p.qlr, Q_STEPS), [q, p.qlr]);
  const qOverlay = useMemo(() => newtonOverlay(Q_START, race, q.minimiser, fg), [race, q, fg]);

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
          {mb && <SpreadTable mb={mb} n={data.n} />}
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
            <span style={{ color: SERIES[0] }}>■</span> {Q_STEPS} GD steps, γ = {p.qlr}: distance to ★ {fmt(race.gdError)}
            {race.diverges ? ' (γ ≥ 2/λₘₐₓ: diverges)' : ''}. <span style={{ color: SERIES[2] }}>■</span> one Newton step lands on ★.
          </p>
        </div>
        <CostTable ns={COST_NS} />
      </div>
    </div>
  );
}
