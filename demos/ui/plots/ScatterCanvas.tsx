'use client';
import { useLayoutEffect, useRef } from 'react';
import { useDevicePixelRatio } from './useSize';
import { useThemeColors } from './useTheme';

interface Props {
  /** Points as [x0, y0, x1, y1, …]; NaN points are skipped. */
  points: Float32Array | number[];
  /** A colour per point (CSS), or one for all. */
  color: (i: number) => string;
  /** Points drawn as a hollow ring instead of a dot (say, the ones a transformation lost). */
  ring?: (i: number) => boolean;
  /** Half the side of the square data window, centred on the origin. */
  extent: number;
  /** Side in CSS px. */
  size?: number;
  label: string;
  radius?: number;
}

/**
 * A square scatter of 2-D points around the origin, with faint axes through it: for small multiples (one point
 * set per panel), so no ticks. Backing store at the device's pixel ratio, colours the caller's, frame the theme's.
 */
export function ScatterCanvas({ points, color, ring, extent, size = 150, label, radius = 1.8 }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const dpr = Math.min(2, useDevicePixelRatio());
  useLayoutEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    const to = (v: number) => (size / 2) * (1 + v / extent);
    ctx.strokeStyle = colors.line;
    ctx.lineWidth = 1;
    ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
    ctx.beginPath();
    ctx.moveTo(size / 2, 0);
    ctx.lineTo(size / 2, size);
    ctx.moveTo(0, size / 2);
    ctx.lineTo(size, size / 2);
    ctx.stroke();
    for (let i = 0; 2 * i + 1 < points.length; i++) {
      const x = points[2 * i];
      const y = points[2 * i + 1];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const c = color(i);
      ctx.beginPath();
      ctx.arc(to(x), size - to(y), radius, 0, 2 * Math.PI);
      if (ring?.(i)) {
        ctx.strokeStyle = c;
        ctx.stroke();
      } else {
        ctx.fillStyle = c;
        ctx.fill();
      }
    }
  });
  return (
    <canvas
      ref={canvas}
      className="plot"
      width={Math.round(size * dpr)}
      height={Math.round(size * dpr)}
      role="img"
      aria-label={label}
      style={{ width: size, height: size, maxWidth: '100%' }}
    />
  );
}
