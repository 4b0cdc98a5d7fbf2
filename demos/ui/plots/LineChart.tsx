export interface Series {
  label: string;
  color: string;
  values: readonly number[] | Float64Array | Float32Array;
  dashed?: boolean;
}

function ticks(lo: number, hi: number, n: number): number[] {
  const step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n || 1)));
  const m = [1, 2, 5, 10].find((k) => (hi - lo) / (k * step) <= n) ?? 10;
  const s = m * step;
  const out: number[] = [];
  for (let t = Math.ceil(lo / s) * s; t <= hi + 1e-12; t += s) out.push(Number(t.toPrecision(6)));
  return out;
}

/**
 * A small SVG line chart (loss per step): linear or log y, non-finite points skipped. Server-safe.
 */
export function LineChart({
  series,
  log = false,
  height = 200,
  width = 360,
  xLabel = 'step',
  yLabel = 'loss',
  label,
}: {
  series: Series[];
  log?: boolean;
  height?: number;
  width?: number;
  xLabel?: string;
  yLabel?: string;
  label: string;
}) {
  const pad = { l: 44, r: 8, t: 8, b: 28 };
  const f = (v: number) => (log ? Math.log10(Math.max(v, 1e-12)) : v);
  const all = series.flatMap((s) => Array.from(s.values).filter(Number.isFinite).map(f));
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const lo = all.length ? Math.min(...all) : 0;
  const hi0 = all.length ? Math.max(...all) : 1;
  const hi = hi0 > lo ? hi0 : lo + 1;
  const X = (i: number) => pad.l + (i / (n - 1)) * (width - pad.l - pad.r);
  const Y = (v: number) => pad.t + (1 - (f(v) - lo) / (hi - lo)) * (height - pad.t - pad.b);
  const yt = log ? ticks(Math.floor(lo), Math.ceil(hi), 4).filter((t) => Number.isInteger(t) && t >= lo - 1e-9 && t <= hi + 1e-9) : ticks(lo, hi, 4);
  return (
    <svg className="plot" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <rect x={pad.l} y={pad.t} width={width - pad.l - pad.r} height={height - pad.t - pad.b} fill="none" stroke="var(--line)" />
      {yt.map((t) => {
        const y = pad.t + (1 - (t - lo) / (hi - lo)) * (height - pad.t - pad.b);
        return (
          <g key={t}>
            <line x1={pad.l} x2={width - pad.r} y1={y} y2={y} stroke="var(--line)" strokeDasharray="2 3" />
            <text x={pad.l - 4} y={y + 4} fontSize="10" textAnchor="end" fill="var(--muted)">
              {log ? `1e${t}` : t}
            </text>
          </g>
        );
      })}
      <text x={(width + pad.l) / 2} y={height - 6} fontSize="11" textAnchor="middle" fill="var(--muted)">
        {xLabel} (0–{n - 1})
      </text>
      <text x={10} y={height / 2} fontSize="11" textAnchor="middle" fill="var(--muted)" transform={`rotate(-90 10 ${height / 2})`}>
        {yLabel}
        {log ? ' (log)' : ''}
      </text>
      {series.map((s) => {
        let d = '';
        let pen = false;
        Array.from(s.values).forEach((v, i) => {
          if (!Number.isFinite(v)) {
            pen = false;
            return;
          }
          d += `${pen ? 'L' : 'M'}${X(i).toFixed(1)},${Y(v).toFixed(1)}`;
          pen = true;
        });
        return <path key={s.label} d={d} fill="none" stroke={s.color} strokeWidth={1.8} strokeDasharray={s.dashed ? '5 3' : undefined} />;
      })}
    </svg>
  );
}
