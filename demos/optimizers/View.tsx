'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DemoViewProps } from '../ui/types';
import { useLoop } from '../ui/useLoop';
import { useDemoParams } from '@/demos/ui/controls/useDemoParams';
import { ParamControls } from '@/demos/ui/controls/ParamControls';
import { Transport } from '@/demos/ui/controls/Transport';
import { ContourCanvas, type ToPx } from '@/demos/ui/plots/ContourCanvas';
import { Chart } from '@/demos/ui/plots/Chart';
import { dot, polyline } from '@/demos/ui/plots/draw';
import { SERIES, ink } from '@/demos/ui/plots/palette';
import { useTheme } from '@/demos/ui/plots/useTheme';
import { gridPoints } from '../runtime/grid';
import { OPTIMIZERS, OPTIMIZER_NAMES, Race, SURFACES, setControlValue, type Hyper, type OptimizerName, type SurfaceName } from './model';
import { hyperKey, hyperParams, raceParams } from './params';

const RES = 96;
const MAX_STEPS = 3000; // then the race stops by itself, with a "resume"
const COLOR: Record<OptimizerName, string> = Object.fromEntries(OPTIMIZER_NAMES.map((o, i) => [o, SERIES[i % SERIES.length]])) as Record<OptimizerName, string>;

interface Trace {
  xy: number[];
  loss: number[];
  divergedAt: number | null;
}

/** Optimizer race: the reader's choice of torch.optim rules descending a 2-D surface together. */
export default function OptimizersView({ active, prefix, onNote, onReady, onError }: DemoViewProps) {
  const fg = ink(useTheme() === 'dark');
  const { values: r, set: setRace } = useDemoParams(raceParams, prefix, onNote);
  const surfaceId = r.surface as SurfaceName;
  const surface = SURFACES[surfaceId];
  const table = hyperParams(surfaceId);
  const { values: h, set: setHyper, loaded } = useDemoParams(table, prefix, onNote);
  const opts = r.opts as OptimizerName[];

  // torch keyword arguments of every selected optimizer, from the flat URL table.
  const runs = useMemo(
    () =>
      opts.map((o) => {
        let hyper: Hyper = {};
        for (const c of OPTIMIZERS[o].controls) hyper = setControlValue(o, hyper, c, h[hyperKey(o, c)] as number | boolean);
        return { optimizer: o, hyper, start: h.start as [number, number] };
      }),
    [opts, h],
  );

  const race = useRef<Race | null>(null);
  const [traces, setTraces] = useState<Trace[]>([]);
  const [t, setT] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!loaded) return;
    let made: Race;
    try {
      made = new Race(surfaceId, runs);
    } catch (e) {
      // torch's own validation message (e.g. Nesterov without momentum): shown, the race waits.
      setProblem((e as Error).message);
      race.current = null;
      return;
    }
    setProblem(null);
    race.current = made;
    const snap = made.snapshot;
    setTraces(runs.map((_, i) => ({ xy: [snap.positions[2 * i], snap.positions[2 * i + 1]], loss: [snap.losses[i]], divergedAt: null })));
    setT(0);
    return () => {
      made.dispose();
      if (race.current === made) race.current = null;
    };
  }, [surfaceId, runs, loaded]);

  const frame = useCallback(async () => {
    const rc = race.current;
    if (!rc) return true;
    const f = await rc.step(r.speed as number);
    if (!f.current || race.current !== rc) return false;
    setTraces((old) =>
      old.map((tr, i) => {
        const xy = tr.xy.slice();
        const loss = tr.loss.slice();
        for (let s = 0; s < f.steps; s++) {
          const k = s * f.runs + i;
          if (f.divergedAt[i] !== null && f.t - f.steps + s + 1 >= f.divergedAt[i]!) break;
          xy.push(f.positions[2 * k], f.positions[2 * k + 1]);
          loss.push(f.losses[k]);
        }
        return { xy, loss, divergedAt: f.divergedAt[i] };
      }),
    );
    setT(f.t);
    // Converged when every run has diverged or stopped moving.
    const still = f.diverged.every((d, i) => {
      if (d) return true;
      const a = ((f.steps - 1) * f.runs + i) * 2;
      const b = f.steps > 1 ? ((f.steps - 2) * f.runs + i) * 2 : a;
      return Math.hypot(f.positions[a] - f.positions[b], f.positions[a + 1] - f.positions[b + 1]) < 1e-7;
    });
    return still && f.steps > 1;
  }, [r.speed]);
  const loop = useLoop({ active, frame, budget: Math.ceil(MAX_STEPS / (r.speed as number)) });
  const { restart } = loop;
  useEffect(() => restart(false), [surfaceId, runs, restart]);

  // Contours from the surface's own (double precision) formula: no tfjs needed for the picture.
  const grid = useMemo(() => {
    const [x0, x1, y0, y1] = surface.view;
    const pts = gridPoints({ xMin: x0, xMax: x1, yMin: y0, yMax: y1 }, RES);
    const v = new Float32Array(RES * RES);
    for (let k = 0; k < v.length; k++) v[k] = surface.f(pts[2 * k], pts[2 * k + 1]);
    return v;
  }, [surface]);
  const box = useMemo(() => ({ xMin: surface.view[0], xMax: surface.view[1], yMin: surface.view[2], yMax: surface.view[3] }), [surface]);

  useEffect(() => {
    if (traces.length > 0 || problem) onReady();
  }, [traces, problem, onReady]);

  const overlay = useCallback(
    (ctx: CanvasRenderingContext2D, toPx: ToPx) => {
      for (const m of surface.minima) dot(ctx, toPx, m[0], m[1], fg, 5, 'star');
      traces.forEach((tr, i) => {
        const c = COLOR[opts[i]];
        polyline(ctx, toPx, tr.xy, c, { width: 2 });
        dot(ctx, toPx, tr.xy[tr.xy.length - 2], tr.xy[tr.xy.length - 1], c, 4);
      });
      const s = h.start as [number, number];
      dot(ctx, toPx, s[0], s[1], fg, 4);
    },
    [traces, opts, surface, h.start, fg],
  );

  const fmt = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toPrecision(4));
  return (
    <div className="optimizers-demo">
      <ParamControls table={raceParams} values={r} onChange={setRace} />
      <Transport loop={loop} onReset={() => { race.current?.reset(); setTraces((old) => old.map((tr) => ({ xy: tr.xy.slice(0, 2), loss: tr.loss.slice(0, 1), divergedAt: null }))); setT(0); restart(false); }} status={`step ${t} · click the plot to move the start`} />
      {problem && (
        <p className="demo-error" role="alert">
          {problem} — change the hyper-parameters to race again.
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
            picked={h.start as [number, number]}
            onPick={(x, y) => setHyper('start', [Number(x.toFixed(2)), Number(y.toFixed(2))])}
            label={`Contours of the ${surface.name} surface with each optimizer's path`}
            size={380}
            xLabel="x"
            yLabel="y"
          />
          <p className="plot-caption">
            {surface.name}: {surface.description} ★ minimum{surface.minima.length > 1 ? 'a' : ''}, ● start ({(h.start as number[]).join(', ')}).
          </p>
        </div>
        <div>
          <Chart label="Loss per step of each optimizer" log={surface.minima.length > 0} series={traces.map((tr, i) => ({ label: OPTIMIZERS[opts[i]].name, color: COLOR[opts[i]], values: tr.loss }))} yLabel="f(x, y)" />
          <table className="stats">
            <thead>
              <tr>
                <th>optimizer</th>
                <th>f now</th>
                <th>position</th>
              </tr>
            </thead>
            <tbody>
              {traces.map((tr, i) => (
                <tr key={opts[i]}>
                  <th>
                    <span style={{ color: COLOR[opts[i]] }}>■</span> {OPTIMIZERS[opts[i]].name}
                  </th>
                  <td>{tr.divergedAt !== null ? `diverged at step ${tr.divergedAt}` : fmt(tr.loss[tr.loss.length - 1])}</td>
                  <td>
                    ({fmt(tr.xy[tr.xy.length - 2])}, {fmt(tr.xy[tr.xy.length - 1])})
                  </td>
                </tr>
              ))}
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
