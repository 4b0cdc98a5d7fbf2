'use client';
import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { Box } from '@/demos/runtime/grid';
import { bandColor } from './palette';
import { useTheme } from './useTheme';

export type ToPx = (x: number, y: number) => [number, number];

interface Props {
  /** Function values on an ny × nx grid, row 0 at yMin, column 0 at xMin (gridPoints' layout). */
  values: Float32Array | number[];
  nx: number;
  ny: number;
  box: Box;
  /** Contour bands on log(f − min + 1) when the function spans decades (Rosenbrock). */
  log?: boolean;
  bands?: number;
  /** Fixed value range for the colour scale (probabilities: [0, 1]); default: the data's min and max. */
  range?: readonly [number, number];
  /** Colour of a band in [0, 1] (default: the quiet sequential ramp). */
  palette?: (t: number, dark: boolean) => [number, number, number];
  /** Drawn over the contours on every render (trajectories, arrows, markers). */
  overlay?: (ctx: CanvasRenderingContext2D, toPx: ToPx, size: number) => void;
  /** Click picks a point in data coordinates; with `picked`, arrow keys move it (Shift: larger steps). */
  onPick?: (x: number, y: number) => void;
  /** The currently picked point, for keyboard nudging. */
  picked?: readonly [number, number];
  label: string;
  size?: number;
}

/**
 * A contour plot of a 2-D function on a canvas: banded fill plus iso-lines where the band changes,
 * with an overlay callback for what moves on top. Pure drawing, no tfjs.
 */
export function ContourCanvas({ values, nx, ny, box, log = false, bands = 14, range, palette = bandColor, overlay, onPick, picked, label, size = 360 }: Props) {
  const base = useRef<HTMLCanvasElement | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const dark = useTheme() === 'dark';
  const { xMin: xmin, xMax: xmax, yMin: ymin, yMax: ymax } = box;

  // The contour image depends only on the grid: render it once to an offscreen canvas.
  useEffect(() => {
    const off = document.createElement('canvas');
    off.width = off.height = size;
    const ctx = off.getContext('2d')!;
    let lo = range ? range[0] : Infinity;
    let hi = range ? range[1] : -Infinity;
    if (!range) {
      for (const v of values) {
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    const tr = (v: number) => (log ? Math.log1p(Math.max(0, v - lo)) : v - lo);
    const span = tr(hi) || 1;
    const img = ctx.createImageData(size, size);
    const band = new Int16Array(size * size);
    for (let py = 0; py < size; py++) {
      const gy = ((size - 1 - py) / (size - 1)) * (ny - 1);
      const y0 = Math.floor(gy);
      const y1 = Math.min(ny - 1, y0 + 1);
      const fy = gy - y0;
      for (let px = 0; px < size; px++) {
        const gx = (px / (size - 1)) * (nx - 1);
        const x0 = Math.floor(gx);
        const x1 = Math.min(nx - 1, x0 + 1);
        const fx = gx - x0;
        const v =
          (values[y0 * nx + x0] * (1 - fx) + values[y0 * nx + x1] * fx) * (1 - fy) +
          (values[y1 * nx + x0] * (1 - fx) + values[y1 * nx + x1] * fx) * fy;
        band[py * size + px] = Math.max(0, Math.min(bands - 1, Math.floor((tr(v) / span) * bands)));
      }
    }
    for (let i = 0; i < size * size; i++) {
      const b = band[i];
      const edge = (i % size < size - 1 && band[i + 1] !== b) || (i < size * (size - 1) && band[i + size] !== b);
      const [r, g, bl] = palette(b / (bands - 1), dark);
      const k = edge ? (dark ? 1.35 : 0.78) : 1;
      img.data[4 * i] = Math.min(255, r * k);
      img.data[4 * i + 1] = Math.min(255, g * k);
      img.data[4 * i + 2] = Math.min(255, bl * k);
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    base.current = off;
  }, [values, nx, ny, log, bands, size, dark, range, palette]);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !base.current) return;
    ctx.drawImage(base.current, 0, 0);
    const toPx: ToPx = (x, y) => [((x - xmin) / (xmax - xmin)) * size, (1 - (y - ymin) / (ymax - ymin)) * size];
    overlay?.(ctx, toPx, size);
  });

  const pick = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!onPick) return;
    const r = e.currentTarget.getBoundingClientRect();
    const fx = (e.clientX - r.left) / r.width;
    const fy = (e.clientY - r.top) / r.height;
    onPick(xmin + fx * (xmax - xmin), ymax - fy * (ymax - ymin));
  };
  const key = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (!onPick) return;
    const [px, py] = picked ?? [(xmin + xmax) / 2, (ymin + ymax) / 2];
    const f = e.shiftKey ? 0.1 : 0.02;
    const d: Record<string, [number, number]> = {
      ArrowLeft: [-f * (xmax - xmin), 0],
      ArrowRight: [f * (xmax - xmin), 0],
      ArrowUp: [0, f * (ymax - ymin)],
      ArrowDown: [0, -f * (ymax - ymin)],
    };
    const m = d[e.key];
    if (!m) return;
    e.preventDefault();
    onPick(Math.min(xmax, Math.max(xmin, px + m[0])), Math.min(ymax, Math.max(ymin, py + m[1])));
  };
  return (
    <canvas
      ref={canvas}
      className="plot"
      width={size}
      height={size}
      role="img"
      aria-label={onPick ? `${label}. Click, or use the arrow keys, to move the point.` : label}
      tabIndex={onPick ? 0 : undefined}
      onClick={pick}
      onKeyDown={key}
      style={{ cursor: onPick ? 'crosshair' : undefined, maxWidth: size }}
    />
  );
}
