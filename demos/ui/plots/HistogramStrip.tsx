'use client';
import { useEffect, useRef } from 'react';
import { useWidth } from './useSize';
import { useThemeColors } from './useTheme';
import { sizedContext } from './draw';

/** One row of cells (a network, say): its name and colour. */
export interface StripRow {
  label: string;
  color: string;
}

export interface HistogramStripProps {
  /** What the figure shows, for screen readers. */
  label: string;
  rows: readonly StripRow[];
  /** Cells per row (layers, say), and the name under each. */
  cells: number;
  cellLabel: (cell: number) => string;
  /** Time of each histogram (a training step), oldest first; the x axis of every cell runs from 0 to tMax. */
  times: readonly number[];
  tMax: number;
  /** Bins per histogram, spanning [lo, hi] (bin 0 at lo). */
  bins: number;
  range: readonly [number, number];
  /** Fractions per bin of the histogram at time index t of a cell; null draws nothing there. */
  density: (row: number, cell: number, t: number) => ArrayLike<number> | null;
  /** Height of one row of cells, CSS px. */
  rowHeight?: number;
}

/** Bins whose fraction reaches this are drawn at full strength (sparser bins fade as its square root). */
const FULL = 0.15;

/**
 * Small multiples of histograms over time: one cell per row and column, time left to right, the value
 * bottom to top, each bin as dark as its share of the values (TensorBoard's "histograms over time" as a
 * heatmap). A distribution that drifts shows as a band that moves; one that spreads, as a band that widens;
 * values beyond the range pile up in the top and bottom bins.
 */
export function HistogramStrip({ label, rows, cells, cellLabel, times, tMax, bins, range, density, rowHeight = 74 }: HistogramStripProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useWidth(box);
  const colors = useThemeColors();
  const pad = { l: 70, r: 4, t: 4, b: 18, gap: 4, rowGap: 8 };
  const height = pad.t + rows.length * (rowHeight + pad.rowGap) + pad.b;
  const count = times.length;

  useEffect(() => {
    const ctx = sizedContext(canvas.current, width, height);
    if (!ctx || !width) return;
    const cellW = (width - pad.l - pad.r - pad.gap * (cells - 1)) / cells;
    if (cellW < 4) return;
    const [lo, hi] = range;
    ctx.font = `11px ${colors.font}`;
    ctx.textBaseline = 'middle';
    rows.forEach((row, r) => {
      const y0 = pad.t + r * (rowHeight + pad.rowGap);
      // The row's name in its colour, wrapped at spaces into the margin left of the value ticks.
      ctx.fillStyle = row.color;
      ctx.textAlign = 'left';
      ctx.font = `600 12px ${colors.font}`;
      const words = row.label.split(' ');
      words.forEach((w, i) => ctx.fillText(w, 0, y0 + rowHeight / 2 + (i - (words.length - 1) / 2) * 14, pad.l - 24));
      ctx.font = `11px ${colors.font}`;
      ctx.fillStyle = colors.muted;
      ctx.textAlign = 'right';
      for (const [v, yy] of [
        [hi, y0 + 5],
        [0, y0 + (rowHeight * hi) / (hi - lo)],
        [lo, y0 + rowHeight - 5],
      ] as const)
        ctx.fillText(String(v), pad.l - 4, yy);
      for (let cell = 0; cell < cells; cell++) {
        const x0 = pad.l + cell * (cellW + pad.gap);
        ctx.strokeStyle = colors.line;
        ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, y0 + 0.5, cellW - 1, rowHeight - 1);
        ctx.fillStyle = row.color;
        const binH = rowHeight / bins;
        for (let t = 0; t < count; t++) {
          const d = density(r, cell, t);
          if (!d) continue;
          // Each histogram spans from its time to the next one's (the last: a column's width).
          const xa = x0 + (cellW * times[t]) / tMax;
          const xb = t + 1 < count ? x0 + (cellW * times[t + 1]) / tMax : xa + Math.max(2, cellW / 20);
          const w = Math.min(xb, x0 + cellW) - xa;
          if (w <= 0) continue;
          for (let b = 0; b < bins; b++) {
            const f = d[b];
            if (!(f > 0)) continue;
            ctx.globalAlpha = Math.min(1, Math.sqrt(f / FULL));
            ctx.fillRect(xa, y0 + rowHeight - (b + 1) * binH, w + 0.5, binH + 0.5);
          }
        }
        ctx.globalAlpha = 1;
        // The zero line, to judge a drift of the mean.
        ctx.strokeStyle = colors.muted;
        ctx.globalAlpha = 0.35;
        const yz = y0 + (rowHeight * hi) / (hi - lo);
        ctx.beginPath();
        ctx.moveTo(x0, yz + 0.5);
        ctx.lineTo(x0 + cellW, yz + 0.5);
        ctx.stroke();
        ctx.globalAlpha = 1;
        if (r === rows.length - 1) {
          ctx.fillStyle = colors.muted;
          ctx.textAlign = 'center';
          ctx.fillText(cellLabel(cell), x0 + cellW / 2, y0 + rowHeight + pad.b / 2 + 2);
        }
      }
    });
    // The drawing depends on the data through `count` (histograms are only ever appended) and the callbacks.
  }, [width, height, colors, rows, cells, cellLabel, times, tMax, bins, range, density, rowHeight, count, pad.l, pad.r, pad.t, pad.b, pad.gap, pad.rowGap]);

  return (
    <div ref={box} className="histogram-strip">
      <canvas ref={canvas} role="img" aria-label={label} data-histograms={count} style={{ width: '100%', height, display: 'block' }} />
    </div>
  );
}
