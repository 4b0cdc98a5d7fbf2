'use client';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { useComputed } from '../ui/useLatest';
import { SERIES } from '../ui/plots/palette';
import { useThemeColors } from '../ui/plots/useTheme';
import { connectivity, feeders, geometryProblem, outputSize, type Connectivity, type ConvGeometry } from './model';
import { countShade } from './display';

/** The geometry's connectivity, computed by the tfjs ops (newest geometry wins), or why it cannot run. */
export function useConnectivity(g: ConvGeometry): { problem: string | null; conn: Connectivity | null } {
  const problem = geometryProblem(g);
  const conn = useComputed(async (q: ConvGeometry) => (geometryProblem(q) ? null : connectivity(q)), g);
  const out = problem ? 0 : outputSize(g);
  // Until the new geometry's answer lands, the previous one is hidden if it no longer fits.
  return { problem, conn: conn && conn.geometry.kind === g.kind && conn.outSize === out ? conn : null };
}

/** A grid of pixels on a canvas: each cell filled by `fill(i)`, optionally numbered, clickable. */
function PixelGrid({ side, cell, fill, label, text, outline, onPick, ariaLabel }: {
  side: number;
  cell: number;
  fill: (i: number) => string;
  label?: (i: number) => string | null;
  text: string;
  outline: number | null;
  onPick?: (col: number, row: number) => void;
  ariaLabel: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const px = side * cell + 1;
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, px, px);
    ctx.font = `${Math.max(8, Math.floor(cell * 0.5))}px ${colors.font}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let i = 0; i < side * side; i++) {
      const x = (i % side) * cell;
      const y = Math.floor(i / side) * cell;
      ctx.fillStyle = fill(i);
      ctx.fillRect(x, y, cell, cell);
      ctx.strokeStyle = colors.line;
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, cell, cell);
      const t = label?.(i);
      if (t && cell >= 12) {
        ctx.fillStyle = colors.fg;
        ctx.fillText(t, x + cell / 2, y + cell / 2 + 0.5);
      }
    }
    if (outline !== null) {
      ctx.strokeStyle = SERIES[1];
      ctx.lineWidth = 3;
      ctx.strokeRect((outline % side) * cell + 1.5, Math.floor(outline / side) * cell + 1.5, cell - 2, cell - 2);
    }
  }, [side, cell, fill, label, outline, colors, px]);
  return (
    <figure style={{ margin: 0 }}>
      <canvas
        ref={ref}
        width={px}
        height={px}
        role="img"
        aria-label={ariaLabel}
        onClick={(e) => {
          if (!onPick) return;
          const r = e.currentTarget.getBoundingClientRect();
          const k = px / r.width;
          const col = Math.floor(((e.clientX - r.left) * k) / cell);
          const row = Math.floor(((e.clientY - r.top) * k) / cell);
          if (col >= 0 && row >= 0 && col < side && row < side) onPick(col, row);
        }}
        style={{ display: 'block', width: '100%', maxWidth: px, cursor: onPick ? 'crosshair' : undefined, imageRendering: 'pixelated' }}
      />
      <figcaption className="plot-caption">{text}</figcaption>
    </figure>
  );
}

export function ConvPanel({ g, conn, pick, onPick }: { g: ConvGeometry; conn: Connectivity; pick: [number, number]; onPick: (col: number, row: number) => void }) {
  const colors = useThemeColors();
  const out = conn.outSize;
  const [col, row] = [Math.min(pick[0], out - 1), Math.min(pick[1], out - 1)];
  const fed = useMemo(() => new Set(feeders(conn, row, col)), [conn, row, col]);
  const max = useMemo(() => Math.max(1, ...conn.counts), [conn]);
  const min = useMemo(() => Math.min(...conn.counts), [conn]);
  const inCell = Math.floor(288 / g.inSize);
  const outCell = Math.max(7, Math.floor(288 / out));
  const inFill = useMemo(() => (i: number) => (fed.has(i) ? SERIES[1] : colors.bg), [fed, colors]);
  const outFill = useMemo(() => (i: number) => countShade(conn.counts[i], max, colors.dark), [conn, max, colors]);
  const outLabel = useMemo(() => (i: number) => String(conn.counts[i]), [conn]);
  const what = g.kind === 'transposed' ? 'transposed convolution' : 'dilated convolution';
  return (
    <div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(12rem, 1fr))', gap: '0.6rem 1rem', alignItems: 'start', maxWidth: '40rem' }}>
        <PixelGrid
          side={g.inSize}
          cell={inCell}
          fill={inFill}
          text={`Input ${g.inSize}×${g.inSize}: the ${fed.size} pixel${fed.size === 1 ? '' : 's'} feeding the picked output pixel`}
          outline={null}
          ariaLabel={`Input of ${g.inSize} by ${g.inSize} pixels; ${fed.size} of them feed output pixel column ${col}, row ${row}`}
        />
        <PixelGrid
          side={out}
          cell={outCell}
          fill={outFill}
          label={outLabel}
          text={`Output ${out}×${out}: how many input pixels reach each pixel (${min === max ? `all ${max}` : `from ${min} to ${max}`}); click to pick`}
          outline={row * out + col}
          onPick={onPick}
          ariaLabel={`Output of the ${what}, ${out} by ${out} pixels, shaded by how many input pixels reach each; picked column ${col}, row ${row}`}
        />
      </div>
    </div>
  );
}
