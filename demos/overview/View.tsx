'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DemoViewProps } from '../ui/types';
import { useLoop } from '../ui/useLoop';
import { useDemoParams } from '@/demos/ui/controls/useDemoParams';
import { ParamControls } from '@/demos/ui/controls/ParamControls';
import { Transport } from '@/demos/ui/controls/Transport';
import { ContourCanvas } from '@/demos/ui/plots/ContourCanvas';
import { Chart } from '@/demos/ui/plots/Chart';
import { arrow, dot, polyline } from '@/demos/ui/plots/draw';
import { SERIES, ink } from '@/demos/ui/plots/palette';
import { useTheme } from '@/demos/ui/plots/useTheme';
import type { Box } from '../runtime/grid';
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
  type Descent,
  type MinibatchGradients,
  type Vec2,
} from './model';
import { overviewParams } from './params';

const RES = 64;
const CLOUD = 48; // mini-batch gradients drawn at once
const STEPS_PER_FRAME = 2;
const BUDGET = 150; // frames: 300 steps, then a "resume"
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

/** Overview demo: mini-batch gradient noise on a real loss surface, and Newton vs gradient descent. */
export default function OverviewView({ active, prefix, onNote, onReady, onError }: DemoViewProps) {
  const { values: p, set } = useDemoParams(overviewParams, prefix, onNote);
  const fg = ink(useTheme() === 'dark');
  const data = useMemo(() => makeDataset(p.seed), [p.seed]);
  const best = useMemo(() => leastSquares(data), [data]);
  const [grid, setGrid] = useState<Float32Array | null>(null);
  const [mb, setMb] = useState<MinibatchGradients | null>(null);
  const descent = useRef<Descent | null>(null);
  const [path, setPath] = useState<{ gd: number[]; sgd: number[]; lossGd: number[]; lossSgd: number[] }>({ gd: [], sgd: [], lossGd: [], lossSgd: [] });

  useEffect(() => {
    let alive = true;
    lossGrid(data, LOSS_BOX, RES).then((g) => alive && setGrid(g), onError);
    return () => {
      alive = false;
    };
  }, [data, onError]);

  useEffect(() => {
    let alive = true;
    minibatchGradients(data, p.theta, p.batch, CLOUD, p.seed).then((m) => alive && setMb(m), onError);
    return () => {
      alive = false;
    };
  }, [data, p.theta, p.batch, p.seed, onError]);

  // GD and SGD racing from θ: rebuilt when anything they depend on changes, disposed on cleanup.
  const fresh = useCallback((t: Vec2) => ({ gd: [...t], sgd: [...t], lossGd: [], lossSgd: [] }), []);
  useEffect(() => {
    const d = createDescent(data, { start: p.theta, lr: p.lr, batchSize: p.batch, seed: p.seed });
    descent.current = d;
    setPath(fresh(p.theta));
    return () => {
      d.dispose();
      if (descent.current === d) descent.current = null;
    };
  }, [data, p.theta, p.lr, p.batch, p.seed, fresh]);

  const frame = useCallback(async () => {
    const d = descent.current;
    if (!d) return;
    const f = await d.step(STEPS_PER_FRAME);
    setPath((old) => {
      const gd = [...old.gd];
      const sgd = [...old.sgd];
      for (let s = 0; s < STEPS_PER_FRAME; s++) {
        gd.push(f.path[4 * s], f.path[4 * s + 1]);
        sgd.push(f.path[4 * s + 2], f.path[4 * s + 3]);
      }
      return { gd, sgd, lossGd: [...old.lossGd, f.loss[0]], lossSgd: [...old.lossSgd, f.loss[1]] };
    });
  }, []);
  const loop = useLoop({ active, frame, budget: BUDGET });
  const { restart } = loop;
  useEffect(() => restart(false), [data, p.theta, p.lr, p.batch, p.seed, restart]);

  const ready = grid !== null && mb !== null;
  useEffect(() => {
    if (ready) onReady();
  }, [ready, onReady]);

  // Arrows: −∇J scaled so the full-batch arrow is a fixed share of the plot; mini-batch arrows alike.
  const scale = mb ? (0.22 * (LOSS_BOX.xMax - LOSS_BOX.xMin)) / Math.max(1e-9, Math.hypot(mb.full[0], mb.full[1])) : 0;
  const overlay = useCallback(
    (ctx: CanvasRenderingContext2D, toPx: Parameters<typeof polyline>[1]) => {
      const [w, b] = p.theta;
      if (mb) {
        for (let i = 0; i < mb.count; i++) arrow(ctx, toPx, w, b, -scale * mb.grads[2 * i], -scale * mb.grads[2 * i + 1], SERIES[1], 1.2, 0.35);
        arrow(ctx, toPx, w, b, -scale * mb.full[0], -scale * mb.full[1], SERIES[0], 3);
      }
      polyline(ctx, toPx, path.gd, SERIES[0], { width: 2 });
      polyline(ctx, toPx, path.sgd, SERIES[1], { width: 1.5 });
      dot(ctx, toPx, best[0], best[1], fg, 5, 'star');
      dot(ctx, toPx, w, b, fg, 4);
    },
    [p.theta, mb, scale, path, best, fg],
  );

  // Newton vs gradient descent on a quadratic: 2×2 arithmetic in plain JS, recomputed per change.
  const q = useMemo(() => quadratic(p.kappa, p.angle), [p.kappa, p.angle]);
  const qGrid = useMemo(() => quadraticGrid(q, Q_BOX, RES), [q]);
  const gd = useMemo(() => gdPath(q, Q_START, p.qlr, Q_STEPS), [q, p.qlr]);
  const newton = useMemo(() => newtonStep(q, Q_START), [q]);
  const gdEnd = gd[gd.length - 1];
  const gdErr = Math.hypot(gdEnd[0] - q.minimiser[0], gdEnd[1] - q.minimiser[1]);
  const diverges = p.qlr >= 2 / q.eigenvalues[0];
  const qOverlay = useCallback(
    (ctx: CanvasRenderingContext2D, toPx: Parameters<typeof polyline>[1]) => {
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
      <h4 className="demo-sub">1 · Full-batch gradient vs mini-batch gradients</h4>
      <ParamControls table={overviewParams} values={p} onChange={set} only={['batch', 'lr', 'seed']} />
      <Transport loop={loop} onReset={() => { descent.current?.reset(p.theta); setPath(fresh(p.theta)); restart(false); }} status={path.lossGd.length ? `step ${path.lossGd.length * STEPS_PER_FRAME} · J(GD) ${fmt(path.lossGd.at(-1)!)} · J(SGD) ${fmt(path.lossSgd.at(-1)!)}` : 'Click the plot to move θ; play to descend.'} />
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
              label="Contours of the loss J(w, b) with the full-batch gradient and mini-batch gradients at θ"
              xLabel="w"
              yLabel="b"
            />
          )}
          <p className="plot-caption">
            J(w, b) over w (→) and b (↑). <span style={{ color: SERIES[0] }}>■</span> −∇J full batch,{' '}
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
              { label: 'full-batch GD', color: SERIES[0], values: path.lossGd },
              { label: `SGD, B = ${p.batch}`, color: SERIES[1], values: path.lossSgd },
            ]}
            x={{ step: STEPS_PER_FRAME, start: STEPS_PER_FRAME }}
            yLabel="J"
          />
        </div>
      </div>

      <h4 className="demo-sub">2 · Gradient descent vs one Newton step on a quadratic</h4>
      <ParamControls table={overviewParams} values={p} onChange={set} only={['kappa', 'angle', 'qlr']} />
      <div className="plots">
        <div>
          <ContourCanvas values={qGrid} nx={RES} ny={RES} box={Q_BOX} overlay={qOverlay} label="Contours of a quadratic with gradient descent steps and one Newton step" />
          <p className="plot-caption">
            <span style={{ color: SERIES[0] }}>■</span> {Q_STEPS} GD steps, η = {p.qlr}: distance to ★ {fmt(gdErr)}
            {diverges ? ' (η ≥ 2/L: diverges)' : ''}. <span style={{ color: SERIES[2] }}>■</span> one Newton step lands on ★.
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
