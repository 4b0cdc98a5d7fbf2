'use client';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { useDevicePixelRatio, useWidth } from '../ui/plots/useSize';
import { useThemeColors } from '../ui/plots/useTheme';
import { SERIES } from '../ui/plots/palette';
import { histogram } from './model';

const HEIGHT = 220;
const BINS = 120;
const PAD = { left: 44, right: 10, top: 10, bottom: 30 };

/**
 * A layer's weights as a histogram (counts on a square-root scale, so the rare large weights stay visible),
 * with the shared values drawn as vertical lines and each cluster's range as alternating bands.
 */
export function HistogramCanvas({ weights, centroids, label }: { weights: Float32Array; centroids: Float64Array; label: string }) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const width = useWidth(wrap) ?? 600;
  const dpr = Math.min(2, useDevicePixelRatio());
  const { lo, hi, counts } = useMemo(() => {
    let a = Infinity;
    let b = -Infinity;
    for (const v of weights) (a = Math.min(a, v)), (b = Math.max(b, v));
    const m = Math.max(Math.abs(a), Math.abs(b));
    return { lo: -m, hi: m, counts: histogram(weights, BINS, -m, m) };
  }, [weights]);

  useLayoutEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!canvas.current || !ctx) return;
    canvas.current.width = Math.round(width * dpr);
    canvas.current.height = Math.round(HEIGHT * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    const plotW = width - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const top = Math.sqrt(Math.max(1, ...counts));
    const X = (v: number) => PAD.left + ((v - lo) / (hi - lo)) * plotW;
    const Y = (c: number) => PAD.top + plotH * (1 - Math.sqrt(c) / top);
    ctx.font = `11px ${colors.font}`;
    // Cluster ranges: alternate shading between the midpoints of neighbouring centroids.
    const k = centroids.length;
    for (let j = 0; j < k; j++) {
      const a = j === 0 ? lo : (centroids[j - 1] + centroids[j]) / 2;
      const b = j === k - 1 ? hi : (centroids[j] + centroids[j + 1]) / 2;
      if (j % 2) {
        ctx.fillStyle = colors.line;
        ctx.globalAlpha = 0.5;
        ctx.fillRect(X(a), PAD.top, X(b) - X(a), plotH);
        ctx.globalAlpha = 1;
      }
    }
    // The histogram.
    ctx.fillStyle = SERIES[0];
    const bw = plotW / BINS;
    counts.forEach((c, i) => c && ctx.fillRect(PAD.left + i * bw, Y(c), Math.max(1, bw - 0.5), PAD.top + plotH - Y(c)));
    // The shared values.
    ctx.strokeStyle = SERIES[1];
    ctx.lineWidth = k > 64 ? 1 : 2;
    for (const c of centroids) {
      ctx.beginPath();
      ctx.moveTo(X(c), PAD.top);
      ctx.lineTo(X(c), PAD.top + plotH);
      ctx.stroke();
    }
    // Axes: x ticks at round weights, y at a few counts.
    ctx.strokeStyle = colors.line;
    ctx.fillStyle = colors.muted;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(PAD.left, PAD.top + plotH);
    ctx.lineTo(width - PAD.right, PAD.top + plotH);
    ctx.stroke();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const step = [0.05, 0.1, 0.2, 0.25, 0.5, 1].find((s) => (hi - lo) / s <= Math.max(4, plotW / 70)) ?? 1;
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ctx.fillText((Math.abs(t) < 1e-9 ? 0 : t).toFixed(step < 0.1 ? 2 : 1), X(t), PAD.top + plotH + 4);
    ctx.fillText('weight value', PAD.left + plotW / 2, PAD.top + plotH + 17);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const peak = top * top;
    for (const c of [peak, peak / 4, peak / 25, 100, 10].filter((c, i, a) => c >= 1 && c <= peak && a.indexOf(c) === i)) {
      ctx.fillText(c >= 1000 ? `${(c / 1000).toFixed(c >= 10000 ? 0 : 1)}k` : String(Math.round(c)), PAD.left - 4, Y(c));
    }
  });

  return (
    <div ref={wrap} style={{ width: '100%' }}>
      <canvas ref={canvas} role="img" aria-label={label} style={{ width: '100%', height: HEIGHT, display: 'block' }} />
    </div>
  );
}
