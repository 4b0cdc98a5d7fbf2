'use client';
import { useLayoutEffect, useRef } from 'react';
import { FONT_PX } from './text';
import { useDevicePixelRatio, useWidth } from './useSize';
import { useThemeColors } from './useTheme';

interface Props {
  /** y of each trial, in trial order (x is the trial number, 1-based). */
  values: ArrayLike<number>;
  /** Trial numbers (0-based) drawn strong: a population's living members, say; the rest are faint. */
  strong?: readonly number[];
  /** x extent: the budget. */
  trials: number;
  yMin: number;
  yMax: number;
  /** A horizontal reference line (e.g. the space's optimum), with its label. */
  reference?: { value: number; label: string };
  color: string;
  label: string;
  height?: number;
}

/**
 * Trials of one search against time: one dot per trial at (trial number, accuracy), the `strong` ones filled
 * and the others faint, with y ticks, the x extent labelled, and an optional reference line. Canvas, theme colours.
 */
export function TrialScatter({ values, strong = [], trials, yMin, yMax, reference, color, label, height = 170 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const dpr = Math.min(2, useDevicePixelRatio());
  const width = useWidth(box) ?? 300;
  useLayoutEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const left = 40;
    const bottom = height - 18;
    const top = 6;
    const right = width - 8;
    const X = (t: number) => left + ((right - left) * t) / Math.max(1, trials);
    const Y = (v: number) => bottom - ((bottom - top) * (v - yMin)) / (yMax - yMin || 1);
    ctx.font = `${FONT_PX}px ${colors.font}`;
    ctx.strokeStyle = colors.line;
    ctx.lineWidth = 1;
    ctx.strokeRect(left + 0.5, top + 0.5, right - left, bottom - top);
    ctx.fillStyle = colors.muted;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let k = 0; k <= 4; k++) {
      const v = yMin + ((yMax - yMin) * k) / 4;
      ctx.fillText(`${(100 * v).toFixed(0)}%`, left - 4, Y(v));
    }
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText('trial 1', left, bottom + 3);
    ctx.textAlign = 'right';
    ctx.fillText(`${trials}`, right, bottom + 3);
    if (reference) {
      ctx.strokeStyle = colors.muted;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(left, Y(reference.value) + 0.5);
      ctx.lineTo(right, Y(reference.value) + 0.5);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.textBaseline = 'bottom';
      ctx.fillText(reference.label, right - 2, Y(reference.value) - 1);
    }
    const alive = new Set(strong);
    for (const pass of [false, true]) {
      ctx.globalAlpha = pass ? 1 : 0.28;
      ctx.fillStyle = color;
      for (let t = 0; t < values.length; t++) {
        if (alive.has(t) !== pass) continue;
        const v = values[t];
        if (!Number.isFinite(v)) continue;
        ctx.beginPath();
        ctx.arc(X(t + 1), Y(Math.min(yMax, Math.max(yMin, v))), pass ? 2.6 : 1.8, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
  });
  return (
    <div ref={box} style={{ width: '100%' }}>
      <canvas ref={canvas} className="plot" width={Math.round(width * dpr)} height={Math.round(height * dpr)} role="img" aria-label={label} style={{ width, height, display: 'block' }} />
    </div>
  );
}
