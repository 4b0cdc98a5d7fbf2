'use client';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { dataKey, integerX, plotData, tableRows, xAt, type PlotData, type XSpec } from './chartData';
import { fittingTicks, formatInt, formatValue, linearTicks, logTickLabel, logTicks, tickLabel, valueRange } from './scale';
import { FONT_PX, textWidth } from './text';
import { useWidth } from './useSize';
import { useThemeColors, type ThemeColors } from './useTheme';

export interface ChartSeries {
  label: string;
  color: string;
  /** A plain array, or a typed-array view of a history (a new view when data is appended). */
  values: ArrayLike<number>;
  dashed?: boolean;
}

export interface ChartProps {
  /** What the chart shows, for screen readers (the canvas's aria-label) and the data table's caption. */
  label: string;
  series: readonly ChartSeries[];
  /** Log y axis; values ≤ 0 are not drawn (the legend and table still show them). */
  log?: boolean;
  /** Largest width in CSS px; default: the container's width. */
  width?: number;
  /** Height of the plot with its axes, CSS px. */
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** x of point i: `{ step, start }` (start + i·step), or an array (the step number of each frame). Default: i. */
  x?: XSpec;
  /** Fixed ends of the y axis (e.g. 0 and 1 for an accuracy). */
  yMin?: number;
  yMax?: number;
}

/** Past this many points a series is reduced (min and max per bucket) before uPlot sees it. */
const MAX_POINTS = 2000;
const MAX_TABLE_ROWS = 50;

const sameKeys = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** What uPlot's callbacks read at draw time, so a theme or colour change is a redraw, not a new chart. */
interface Live {
  colors: ThemeColors;
  series: readonly ChartSeries[];
  range: [number, number];
  integerX: boolean;
}

function options(live: { current: Live }, width: number, height: number, log: boolean, dashed: boolean[], font: string, xLabel: string, yLabel: string, onCursor: (idx: number | null) => void): uPlot.Options {
  const c = () => live.current.colors;
  const axis = {
    stroke: () => c().muted,
    font,
    labelFont: font,
    gap: 3,
    grid: { stroke: () => c().line, width: 1 },
    ticks: { stroke: () => c().line, width: 1, size: 4 },
    border: { show: true, stroke: () => c().line, width: 1 },
  };
  return {
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7, width: 1.5 } },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: false, range: (_u, min, max) => (min == null || max == null ? [0, 1] : max > min ? [min, max] : [min, min + 1]) },
      y: log ? { distr: 3, log: 10, range: () => live.current.range } : { range: () => live.current.range },
    },
    axes: [
      {
        ...axis,
        label: xLabel,
        labelSize: FONT_PX + 6,
        size: FONT_PX + 12,
        splits: (u, _i, min, max) => fittingTicks(min, max, u.bbox.width / devicePixelRatio, (t) => textWidth(t, font), live.current.integerX),
        values: (_u, splits) => splits.map((v) => tickLabel(v, splits.length > 1 ? splits[1] - splits[0] : 1)),
      },
      {
        ...axis,
        label: yLabel,
        labelSize: FONT_PX + 6,
        size: (_u, values) => Math.ceil(Math.max(20, ...(values ?? []).map((v) => textWidth(v, font)))) + 10,
        filter: (_u, splits) => splits, // uPlot's default on log scales blanks labels; our ticks are already sparse
        splits: (u, _i, min, max) => {
          const count = Math.max(2, Math.floor(u.bbox.height / devicePixelRatio / 30));
          return log ? logTicks(min, max, count) : linearTicks(min, max, count);
        },
        values: (_u, splits) => (log ? splits.map(logTickLabel) : splits.map((v) => tickLabel(v, splits.length > 1 ? splits[1] - splits[0] : 1))),
      },
    ],
    series: [
      {},
      ...dashed.map((d, i) => ({
        stroke: () => live.current.series[i]?.color ?? c().fg,
        width: 1.8,
        dash: d ? [6, 4] : undefined,
        points: { show: false },
      })),
    ],
    hooks: { setCursor: [(u: uPlot) => onCursor(u.cursor.idx ?? null)] },
  };
}

/**
 * uPlot, fetched and evaluated when the page's first chart mounts rather than with every view that has one: a
 * view's first result (often not a chart) then costs the page's load uPlot's 59 KB less, and its evaluation is
 * a task of its own instead of part of the view's. The legend and the data table render meanwhile.
 */
let uplotClass: typeof uPlot | null = null;
let uplotLoading: Promise<typeof uPlot> | null = null;

function useUplot(): typeof uPlot | null {
  const [U, setU] = useState(() => uplotClass);
  useEffect(() => {
    if (U) return;
    let live = true;
    uplotLoading ??= import('uplot').then((m) => (uplotClass = m.default));
    uplotLoading.then((c) => live && setU(() => c));
    return () => {
      live = false;
    };
  }, [U]);
  return U;
}

/**
 * A line chart on uPlot: x and y ticks, linear or log y, a legend with the latest values (or those under the
 * cursor, with its x), series toggled from the legend, HiDPI canvas, the theme's colours, container width.
 * Appending is cheap: the uPlot instance lives as long as the chart's shape (series count, log, labels), new data
 * is a setData, and a re-render without new data draws nothing. Long series are reduced to ≤ 2,000 points before
 * drawing, incrementally when a history only grew (10⁶ points: the cost of the new ones).
 * Below the chart, a "Data" disclosure holds a table of ≤ 50 rows for screen readers and keyboards.
 */
export function Chart({ label, series, log = false, width, height = 200, xLabel = 'step', yLabel = 'loss', x, yMin, yMax }: ChartProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const UPlot = useUplot();
  const colors = useThemeColors();
  const avail = useWidth(wrap);
  const w = avail === null ? null : Math.max(160, Math.min(width ?? Infinity, avail));
  const [cursor, setCursor] = useState<number | null>(null);
  const [hidden, setHidden] = useState<boolean[]>([]);
  const [tableOpen, setTableOpen] = useState(false);
  const font = `${FONT_PX}px ${colors.font}`;

  // Reduce the data only when some series' data changed: a history's view of the same values is the same data.
  const keys = [log, ...(x && typeof (x as ArrayLike<number>).length !== 'number' ? [(x as { step?: number }).step, (x as { start?: number }).start] : x ? dataKey(x as ArrayLike<number>) : []), ...series.flatMap((s) => dataKey(s.values))];
  const cache = useRef<{ keys: unknown[]; data: PlotData } | null>(null);
  if (!cache.current || !sameKeys(cache.current.keys, keys)) {
    // The previous reduction is handed back: an append to a long history then costs only the new points.
    cache.current = { keys, data: plotData(series.map((s) => s.values), x, log, MAX_POINTS, cache.current?.data) };
  }
  const pd = cache.current.data;
  const range = valueRange(pd.extent, log, { min: yMin, max: yMax });

  const live = useRef<Live>({ colors, series, range, integerX: integerX(x) });
  live.current = { colors, series, range, integerX: integerX(x) };

  // Layout effects: the canvas changes in the same paint as the legend. One uPlot per shape; everything else
  // reaches it through `live`.
  const shape = `${log}|${series.map((s) => (s.dashed ? 1 : 0)).join('')}|${xLabel}|${yLabel}|${font}|${w !== null}|${UPlot !== null}`;
  useLayoutEffect(() => {
    const el = host.current;
    if (!el || w === null || !UPlot) return;
    const dashed = live.current.series.map((s) => !!s.dashed);
    const u = new UPlot(options(live, w, height, log, dashed, font, xLabel, yLabel, setCursor), cache.current!.data.data, el);
    const canvas = u.root.querySelector('canvas');
    canvas?.setAttribute('role', 'img');
    plot.current = u;
    setCursor(null);
    return () => {
      u.destroy();
      if (plot.current === u) plot.current = null;
    };
  }, [shape]); // `shape` stands for all that needs a new uPlot; the rest is read through `live`

  useLayoutEffect(() => {
    plot.current?.root.querySelector('canvas')?.setAttribute('aria-label', label);
  }, [label, shape]);
  useLayoutEffect(() => {
    if (w !== null) plot.current?.setSize({ width: w, height });
  }, [w, height]);
  useLayoutEffect(() => {
    plot.current?.setData(pd.data);
  }, [pd, range[0], range[1]]);
  useLayoutEffect(() => {
    plot.current?.redraw(false);
  }, [colors]);
  useLayoutEffect(() => {
    const u = plot.current;
    if (!u) return;
    for (let i = 1; i < u.series.length; i++) if (u.series[i].show === !!hidden[i - 1]) u.setSeries(i, { show: !hidden[i - 1] });
  }, [hidden, shape]);

  // The legend's values: under the cursor, else each series' latest.
  const raw = cursor === null || cursor >= pd.data[0].length ? null : pd.index ? pd.index[cursor] : cursor;
  const n = pd.length;
  const xNow = raw ?? n - 1;
  const valueAt = (s: ChartSeries) => (raw === null ? s.values[s.values.length - 1] : raw < s.values.length ? s.values[raw] : null);
  const xText = (i: number) => {
    const v = xAt(x, i);
    return Number.isInteger(v) ? formatInt(v) : formatValue(v);
  };
  const rows = tableOpen ? tableRows(n, MAX_TABLE_ROWS) : [];

  return (
    <div ref={wrap} className="chart" data-theme={colors.dark ? 'dark' : 'light'} style={width ? { maxWidth: width } : undefined}>
      <div className="chart-legend">
        <span className="chart-x">
          {xLabel} {n ? xText(xNow) : '–'}
        </span>
        {series.map((s, i) => (
          <button
            key={i}
            type="button"
            className="chart-key"
            aria-pressed={!hidden[i]}
            title={hidden[i] ? `Show ${s.label}` : `Hide ${s.label}`}
            onClick={() => setHidden((h) => Object.assign([...h], { [i]: !h[i] }))}
          >
            <svg width="18" height="8" aria-hidden="true">
              <line x1="1" x2="17" y1="4" y2="4" stroke={s.color} strokeWidth="2.5" strokeDasharray={s.dashed ? '5 3' : undefined} />
            </svg>
            {s.label} <output>{formatValue(valueAt(s))}</output>
          </button>
        ))}
      </div>
      <div ref={host} className="chart-plot" style={{ minHeight: height }} />
      <details className="chart-data" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary>
          Data<span className="visually-hidden">: {label}</span>
        </summary>
        {tableOpen && (
          <div className="chart-table" tabIndex={0} role="region" aria-label={`Data of ${label}`}>
            <table>
              <caption>
                {label}
                {n > rows.length ? ` (${rows.length} of ${n} points)` : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{xLabel}</th>
                  {series.map((s, i) => (
                    <th scope="col" key={i}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r}>
                    <th scope="row">{xText(r)}</th>
                    {series.map((s, i) => (
                      <td key={i}>{r < s.values.length ? formatValue(s.values[r]) : '–'}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </div>
  );
}
