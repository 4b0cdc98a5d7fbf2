'use client';
import type { History } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { ParamControls } from '../ui/controls/ParamControls';
import { ContourCanvas, type ToPx } from '../ui/plots/ContourCanvas';
import { dot, polyline } from '../ui/plots/draw';
import { OPTIMIZERS, type OptimizerName, type Surface } from './model';
import { hyperKey, type hyperParams } from './params';
import { COLOR, fmt, RES } from './display';

/** The surface's contours with each optimizer's path so far, its minima ★ and the start ●; a click moves the start. */
export function RacePlot({ surface, grid, opts, hist, start, onPick, fg }: { surface: Surface; grid: Float32Array; opts: OptimizerName[]; hist: History; start: [number, number]; onPick: (x: number, y: number) => void; fg: string }) {
  const [xMin, xMax, yMin, yMax] = surface.view;
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
  return (
    <div>
      <ContourCanvas
        values={grid}
        nx={RES}
        ny={RES}
        box={{ xMin, xMax, yMin, yMax }}
        log={surface.logContours}
        bands={18}
        overlay={overlay}
        picked={start}
        onPick={onPick}
        label={`Contours of the ${surface.name} surface with each optimizer's path`}
        size={380}
        xLabel="x"
        yLabel="y"
      />
      <p className="plot-caption">
        {surface.name}: {surface.description} ★ minimum{surface.minima.length > 1 ? 'a' : ''}, ● start ({start.join(', ')}).
      </p>
    </div>
  );
}

/** Each runner's loss now (or the step it diverged at) and its position. */
export function RaceTable({ opts, hist, divergedAt }: { opts: OptimizerName[]; hist: History; divergedAt: (number | null)[] | undefined }) {
  return (
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
          const at = divergedAt?.[i] ?? null;
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
  );
}

type HyperTable = ReturnType<typeof hyperParams>;

/** One optimizer's torch call, rate, description and paper, with its hyper-parameter controls folded away. */
export function HyperDetails({ o, table, values, onChange }: { o: OptimizerName; table: HyperTable; values: ParamValues<HyperTable>; onChange: <K extends keyof HyperTable>(key: K, value: ParamValues<HyperTable>[K]) => void }) {
  const info = OPTIMIZERS[o];
  return (
    <details className="hyper">
      <summary>
        <span style={{ color: COLOR[o] }}>■</span> {info.name} <code>{info.torch}</code> — lr {Number((values[`${o}.lr`] as number).toPrecision(3))}
      </summary>
      <p className="hyper-desc">
        {info.description} ({info.paper.authors.split(',')[0]}
        {info.paper.authors.includes(',') ? ' et al.' : ''}, {info.paper.year})
      </p>
      <ParamControls table={table} values={values} onChange={onChange} only={info.controls.map((c) => hyperKey(o, c))} />
    </details>
  );
}
