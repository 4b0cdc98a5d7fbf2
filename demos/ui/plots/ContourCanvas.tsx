'use client';
import { useLayoutEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { Box } from '@/demos/runtime/grid';
import { contourPixels, type Rgb } from './contour';
import { bandColor } from './palette';
import { fittingTicks, linearTicks, tickLabel } from './scale';
import { FONT_PX, textWidth } from './text';
import { useDevicePixelRatio, useWidth } from './useSize';
import { useThemeColors, type ThemeColors } from './useTheme';

/** Data coordinates to CSS pixels on the canvas (the plot area's offset included). */
export type ToPx = (x: number, y: number) => [number, number];

/** Draws over the contours on every render (trajectories, arrows, markers), clipped to the plot area. `size` is
 * the plot's side in CSS px; `colors` the theme's (colors.dark, colors.fg, colors.bg for rims). */
export type Overlay = (ctx: CanvasRenderingContext2D, toPx: ToPx, size: number, colors: ThemeColors) => void;

interface Props {
  /**
   * Function values on an ny × nx grid, row 0 at yMin, column 0 at xMin (gridPoints' layout); null while they are
   * not known yet (a model still starting): the axes and the overlay alone.
   */
  values: Float32Array | number[] | null;
  nx: number;
  ny: number;
  box: Box;
  /** Contour bands on log(f − min + 1) when the function spans decades (Rosenbrock). */
  log?: boolean;
  bands?: number;
  /** Fixed value range for the colour scale (probabilities: [0, 1]); default: the data's min and max. */
  range?: readonly [number, number];
  /** Colour of a band in [0, 1] for each theme (default: the quiet sequential ramp). */
  palette?: (t: number, dark: boolean) => Rgb;
  overlay?: Overlay;
  /** Click picks a point in data coordinates; with `picked`, arrow keys move it (Shift: larger steps). */
  onPick?: (x: number, y: number) => void;
  /** The currently picked point, for keyboard nudging. */
  picked?: readonly [number, number];
  label: string;
  /** Largest side of the square plot area, CSS px; narrower containers get a smaller plot. */
  size?: number;
  /** Axis titles under the x ticks and beside the y ticks. */
  xLabel?: string;
  yLabel?: string;
}

const TICK = 4;
/** HiDPI backing stores beyond 2× cost pixels (the contour is computed per pixel) for no visible gain. */
const MAX_DPR = 2;

interface Layout {
  /** CSS px: left and top of the plot area, its side, the whole canvas. */
  left: number;
  top: number;
  side: number;
  width: number;
  height: number;
  xTicks: number[];
  yTicks: number[];
  xStep: number;
  yStep: number;
}

/** Where the plot area sits: y tick labels and titles on the left, x labels below, the square as large as fits. */
function layout(avail: number, size: number, box: Box, font: string, xLabel?: string, yLabel?: string): Layout {
  const title = FONT_PX + 6;
  const guess = Math.max(120, Math.min(size, avail - 60));
  const yTicks = linearTicks(box.yMin, box.yMax, Math.max(2, Math.floor(guess / 50)));
  const yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
  const labelW = Math.max(0, ...yTicks.map((t) => textWidth(tickLabel(t, yStep), font)));
  const left = Math.ceil(labelW + TICK + 4 + (yLabel ? title : 0)) + 1;
  const right = 10; // half of the last x tick label
  const top = 8;
  const bottom = TICK + FONT_PX + 6 + (xLabel ? title : 0);
  const side = Math.max(60, Math.floor(Math.min(size, avail - left - right)));
  const xTicks = fittingTicks(box.xMin, box.xMax, side, (t) => textWidth(t, font));
  return {
    left,
    top,
    side,
    width: left + side + right,
    height: top + side + bottom,
    xTicks,
    xStep: xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1,
    yTicks,
    yStep,
  };
}

function drawAxes(ctx: CanvasRenderingContext2D, L: Layout, box: Box, c: ThemeColors, font: string, xLabel?: string, yLabel?: string) {
  const X = (x: number) => L.left + ((x - box.xMin) / (box.xMax - box.xMin)) * L.side;
  const Y = (y: number) => L.top + (1 - (y - box.yMin) / (box.yMax - box.yMin)) * L.side;
  ctx.save();
  ctx.strokeStyle = c.muted;
  ctx.fillStyle = c.muted;
  ctx.lineWidth = 1;
  ctx.font = font;
  ctx.beginPath();
  for (const t of L.xTicks) {
    const x = Math.round(X(t)) + 0.5;
    ctx.moveTo(x, L.top + L.side);
    ctx.lineTo(x, L.top + L.side + TICK);
  }
  for (const t of L.yTicks) {
    const y = Math.round(Y(t)) + 0.5;
    ctx.moveTo(L.left - TICK, y);
    ctx.lineTo(L.left, y);
  }
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of L.xTicks) ctx.fillText(tickLabel(t, L.xStep), X(t), L.top + L.side + TICK + 2);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of L.yTicks) ctx.fillText(tickLabel(t, L.yStep), L.left - TICK - 3, Y(t));
  ctx.textAlign = 'center';
  if (xLabel) {
    ctx.textBaseline = 'bottom';
    ctx.fillText(xLabel, L.left + L.side / 2, L.height - 1);
  }
  if (yLabel) {
    ctx.translate(1, L.top + L.side / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'top';
    ctx.fillText(yLabel, 0, 0);
  }
  ctx.restore();
  ctx.strokeStyle = c.line;
  ctx.strokeRect(L.left - 0.5, L.top - 0.5, L.side + 1, L.side + 1);
}

/**
 * A contour plot of a 2-D function on a canvas: banded fill plus iso-lines where the band changes, axes with
 * ticks, an overlay callback for what moves on top. The canvas is as wide as its container allows (up to `size`
 * plus axes), its backing store at the device's pixel ratio, its colours the theme's. Pure drawing, no tfjs.
 */
export function ContourCanvas({ values, nx, ny, box, log = false, bands = 14, range, palette = bandColor, overlay, onPick, picked, label, size = 360, xLabel, yLabel }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const base = useRef<HTMLCanvasElement | null>(null);
  const colors = useThemeColors();
  const avail = useWidth(wrap);
  const dpr = Math.min(MAX_DPR, useDevicePixelRatio());
  const font = `${FONT_PX}px ${colors.font}`;
  const L = layout(avail ?? size + 60, size, box, font, xLabel, yLabel);
  const px = Math.round(L.side * dpr);
  const { xMin: xmin, xMax: xmax, yMin: ymin, yMax: ymax } = box;

  // The contour image depends only on the grid, the theme and the pixel size: computed when those change.
  const [r0, r1] = range ?? [NaN, NaN];
  // One offscreen canvas and one ImageData, kept while the size stays: a demo that redraws its regions every
  // frame (dropout) then allocates no canvas and no pixel buffer per frame.
  const image = useRef<ImageData | null>(null);
  useLayoutEffect(() => {
    if (!base.current || base.current.width !== px) {
      base.current = document.createElement('canvas');
      base.current.width = base.current.height = px;
      image.current = new ImageData(px, px);
    }
    const img = image.current!;
    if (values === null) img.data.fill(0); // transparent: the page's background
    else contourPixels(values, nx, ny, px, { log, bands, range: Number.isNaN(r0) ? undefined : [r0, r1], palette, dark: colors.dark }, img.data);
    base.current.getContext('2d')!.putImageData(img, 0, 0);
  }, [values, nx, ny, log, bands, px, colors.dark, r0, r1, palette]); // range by value: views pass a literal

  // Axes, contours and overlay: every render (the overlay changes with the demo's state), in the same paint as
  // the DOM around it (layout effects).
  useLayoutEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || !base.current) return;
    const w = Math.round(L.width * dpr);
    const h = Math.round(L.height * dpr);
    if (el.width !== w || el.height !== h) {
      el.width = w;
      el.height = h;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(base.current, Math.round(L.left * dpr), Math.round(L.top * dpr));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawAxes(ctx, L, box, colors, font, xLabel, yLabel);
    if (!overlay) return;
    const toPx: ToPx = (x, y) => [L.left + ((x - xmin) / (xmax - xmin)) * L.side, L.top + (1 - (y - ymin) / (ymax - ymin)) * L.side];
    ctx.save();
    ctx.beginPath();
    ctx.rect(L.left, L.top, L.side, L.side);
    ctx.clip();
    overlay(ctx, toPx, L.side, colors);
    ctx.restore();
  });

  const pick = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!onPick) return;
    const r = e.currentTarget.getBoundingClientRect();
    const s = r.width / L.width; // CSS px of the element per layout px (1 unless scaled by CSS)
    const fx = Math.min(1, Math.max(0, (e.clientX - r.left - L.left * s) / (L.side * s)));
    const fy = Math.min(1, Math.max(0, (e.clientY - r.top - L.top * s) / (L.side * s)));
    onPick(xmin + fx * (xmax - xmin), ymax - fy * (ymax - ymin));
  };
  const key = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (!onPick) return;
    const [px0, py0] = picked ?? [(xmin + xmax) / 2, (ymin + ymax) / 2];
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
    onPick(Math.min(xmax, Math.max(xmin, px0 + m[0])), Math.min(ymax, Math.max(ymin, py0 + m[1])));
  };
  return (
    <div ref={wrap} className="contour" data-theme={colors.dark ? 'dark' : 'light'}>
      <canvas
        ref={canvas}
        className="plot"
        width={Math.round(L.width * dpr)}
        height={Math.round(L.height * dpr)}
        role="img"
        aria-label={onPick ? `${label}. Click, or use the arrow keys, to move the point.` : label}
        tabIndex={onPick ? 0 : undefined}
        onClick={pick}
        onKeyDown={key}
        style={{ cursor: onPick ? 'crosshair' : undefined, width: L.width, maxWidth: '100%', height: 'auto' }}
      />
    </div>
  );
}
