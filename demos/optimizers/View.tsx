'use client';
import { useMemo } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import { gridPoints } from '../runtime/grid';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { ContourCanvas, type ToPx } from '../ui/plots/ContourCanvas';
import { Chart } from '../ui/plots/Chart';
import { dot, polyline } from '../ui/plots/draw';
import { SERIES, ink } from '../ui/plots/palette';
import { useTheme } from '../ui/plots/useTheme';
import { OPTIMIZERS, OPTIMIZER_NAMES, Race, SURFACES, setControlValue, type Hyper, type OptimizerName, type RunSpec, type SurfaceName } from './model';
import { hyperKey, hyperParams, raceParams } from './params';

const RES = 96;
const MAX_STEPS = 3000; // then the race stops by itself, with a "resume"
const COLOR: Record<OptimizerName, string> = Object.fromEntries(OPTIMIZER_NAMES.map((o, i) => [o, SERIES[i % SERIES.length]])) as Record<OptimizerName, string>;

/** What one frame of the race adds: `count` new points per run (steps × runs, row-major), and the divergences. */
interface Update {
  t: number;
  count: number;
  runs: number;
  positions: Float32Array;
  losses: Float32Array;
  diverged: boolean[];
  divergedAt: (number | null)[];
}

function simulate({ surface, runs }: { surface: SurfaceName; runs: RunSpec[] }): Simulation<Update> {
  const race = new Race(surface, runs); // throws torch's own message for bad hyper-parameters: shown by the view
  return {
    async step(k) {
      if (k === 0) return { ...race.snapshot, count: 1, runs: runs.length };
      const f = await race.step(k);
      return { ...f, count: f.current ? f.steps : 0 };
    },
    dispose: () => race.dispose(),
  };
}

/** Each run's path and loss, up to the step where it left the divergence box. */
function record(f: Update, h: History) {
  for (let s = 0; s < f.count; s++) {
    for (let i = 0; i < f.runs; i++) {
      const at = f.divergedAt[i];
      if (at !== null && f.t - f.count + s + 1 >= at) continue;
      const k = s * f.runs + i;
      h.push(`xy${i}`, f.positions[2 * k], f.positions[2 * k + 1]);
      h.push(`loss${i}`, f.losses[k]);
    }
  }
}

/** Converged when every run has diverged or stopped moving. */
function converged(f: Update): boolean {
  if (f.count < 2) return false;
  return f.diverged.every((d, i) => {
    if (d) return true;
    const a = ((f.count - 1) * f.runs + i) * 2;
    const b = ((f.count - 2) * f.runs + i) * 2;
    return Math.hypot(f.positions[a] - f.positions[b], f.positions[a + 1] - f.positions[b + 1]) < 1e-7;
  });
}

const fmt = (x: number) => (!Number.isFinite(x) ? '—' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toPrecision(4));

/** Optimizer race: the reader's choice of torch.optim rules descending a 2-D surface together. */
export default function OptimizersView() {
  const fg = ink(useTheme() === 'dark');
  const { values: r, set: setRace } = useDemoParams(raceParams);
  const surfaceId = r.surface as SurfaceName;
  const surface = SURFACES[surfaceId];
  const table = hyperParams(surfaceId);
  const { values: h, set: setHyper } = useDemoParams(table);
  const opts = r.opts as OptimizerName[];
  const start = h.start as [number, number];

  // torch keyword arguments of every selected optimizer, from the flat URL table.
  const runs = opts.map((o): RunSpec => {
    let hyper: Hyper = {};
    for (const c of OPTIMIZERS[o].controls) hyper = setControlValue(o, hyper, c, h[hyperKey(o, c)] as number | boolean);
    return { optimizer: o, hyper, start };
  });
  const speed = r.speed as number;
  const sim = useSimulation(simulate, { surface: surfaceId, runs }, { budget: MAX_STEPS, record, converged, pace: { initial: speed, max: speed } });
  const hist = sim.history;

  // Contours from the surface's own (double precision) formula: no tfjs needed for the picture.
  const grid = useMemo(() => {
    const [x0, x1, y0, y1] = surface.view;
    const pts = gridPoints({ xMin: x0, xMax: x1, yMin: y0, yMax: y1 }, RES);
    const v = new Float32Array(RES * RES);
    for (let k = 0; k < v.length; k++) v[k] = surface.f(pts[2 * k], pts[2 * k + 1]);
    return v;
  }, [surface]);
  const box = useMemo(() => ({ xMin: surface.view[0], xMax: surface.view[1], yMin: surface.view[2], yMax: surface.view[3] }), [surface]);

  // Redrawn with every frame: the history grows in place (sim.version changes, so the view re-renders).
  const overlay = (ctx: CanvasRenderingContext2D, toPx: ToPx) => {
    for (const m of surface.minima) dot(ctx, toPx, m[0], m[1], fg, 5, 'star');
    opts.forEach((o, i) => {
      const xy = hist.values(`xy${i}`);
      polyline(ctx, toPx, xy, COLOR[o], { width: 2 });
      if (xy.length) dot(ctx, toPx, xy[xy.length - 2], xy[xy.length - 1], COLOR[o], 4);
    });
    dot(ctx, toPx, start[0], start[1], fg, 4);
  };

  const t = sim.frame?.t ?? 0;
  return (
    <div className="optimizers-demo">
      <ParamControls table={raceParams} values={r} onChange={setRace} />
      <Transport sim={sim} status={`step ${t} · click the plot to move the start`} />
      {sim.problem && (
        <p className="demo-error" role="alert">
          {sim.problem} — change the hyper-parameters to race again.
        </p>
      )}
      <div className="plots">
        <div>
          <ContourCanvas
            values={grid}
            nx={RES}
            ny={RES}
            box={box}
            log={surface.logContours}
            bands={18}
            overlay={overlay}
            picked={start}
            onPick={(x, y) => setHyper('start', [Number(x.toFixed(2)), Number(y.toFixed(2))])}
            label={`Contours of the ${surface.name} surface with each optimizer's path`}
            size={380}
            xLabel="x"
            yLabel="y"
          />
          <p className="plot-caption">
            {surface.name}: {surface.description} ★ minimum{surface.minima.length > 1 ? 'a' : ''}, ● start ({start.join(', ')}).
          </p>
        </div>
        <div>
          <Chart label="Loss per step of each optimizer" log={surface.minima.length > 0} series={opts.map((o, i) => ({ label: OPTIMIZERS[o].name, color: COLOR[o], values: hist.values(`loss${i}`) }))} xLabel="step" yLabel="f(x, y)" />
          <table className="stats">
            <thead>
              <tr>
                <th>optimizer</th>
                <th>f now</th>
                <th>position</th>
              </tr>
            </thead>
            <tbody>
              {opts.map((o, i) => {
                const at = sim.frame?.divergedAt[i] ?? null;
                const xy = hist.get(`xy${i}`);
                return (
                  <tr key={o}>
                    <th>
                      <span style={{ color: COLOR[o] }}>■</span> {OPTIMIZERS[o].name}
                    </th>
                    <td>{at !== null ? `diverged at step ${at}` : fmt(hist.get(`loss${i}`).last())}</td>
                    <td>
                      ({fmt(xy.last(1))}, {fmt(xy.last())})
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
      {opts.map((o) => {
        const info = OPTIMIZERS[o];
        return (
          <details key={o} className="hyper">
            <summary>
              <span style={{ color: COLOR[o] }}>■</span> {info.name} <code>{info.torch}</code> — lr {Number((h[`${o}.lr`] as number).toPrecision(3))}
            </summary>
            <p className="hyper-desc">
              {info.description} ({info.paper.authors.split(',')[0]}
              {info.paper.authors.includes(',') ? ' et al.' : ''}, {info.paper.year})
            </p>
            <ParamControls table={table} values={h} onChange={setHyper} only={info.controls.map((c) => hyperKey(o, c))} />
          </details>
        );
      })}
    </div>
  );
}
