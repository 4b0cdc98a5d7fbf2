'use client';
import { useLayoutEffect, useRef, type CSSProperties, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { useThemeColors, type ThemeColors } from './useTheme';

/** A box [x1, y1, x2, y2] in a picture's own units. */
export type PictureBox = readonly [number, number, number, number];

/** Draws `draw` on a canvas whose own units are `units` wide and tall, sharp at the device's pixel ratio. */
export function BoxCanvas({
  units,
  draw,
  label,
  px = 320,
  style,
  onPointerDown,
  onPointerMove,
  onPointerUp,
  onKeyDown,
  focusable,
}: {
  /** Width and height of the picture in its own units (a scene's pixels). */
  units: readonly [number, number];
  /** Called with the context already scaled to the picture's units; redrawn when it changes or the theme does. */
  draw: (ctx: CanvasRenderingContext2D, colors: ThemeColors, unit: number) => void;
  /** What the picture shows, for screen readers. */
  label: string;
  /** Largest CSS width. */
  px?: number;
  style?: CSSProperties;
  onPointerDown?: (e: PointerEvent<HTMLCanvasElement>, at: [number, number]) => void;
  onPointerMove?: (e: PointerEvent<HTMLCanvasElement>, at: [number, number]) => void;
  onPointerUp?: (e: PointerEvent<HTMLCanvasElement>) => void;
  onKeyDown?: (e: KeyboardEvent<HTMLCanvasElement>) => void;
  focusable?: boolean;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const [uw, uh] = units;
  const scale = Math.max(1, Math.floor((px * 2) / uw));
  useLayoutEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    draw(ctx, colors, 1 / scale);
  }, [draw, colors, scale]);
  const at = (e: PointerEvent<HTMLCanvasElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * uw, ((e.clientY - r.top) / r.height) * uh];
  };
  return (
    <canvas
      ref={ref}
      className="plot"
      width={uw * scale}
      height={uh * scale}
      role="img"
      aria-label={label}
      tabIndex={focusable ? 0 : undefined}
      style={{ maxWidth: px, border: '1px solid var(--line)', touchAction: onPointerDown ? 'none' : undefined, ...style }}
      onPointerDown={onPointerDown && ((e) => onPointerDown(e, at(e)))}
      onPointerMove={onPointerMove && ((e) => onPointerMove(e, at(e)))}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}

/**
 * A square picture `side` units wide drawn at `zoom` CSS pixels a unit (no wider than that, narrower on a narrow
 * screen) in a figure with an optional caption; `draw` paints it, again when it changes (memoise it) or the theme does.
 */
export function ZoomedCanvas({ side, zoom, label, draw, caption }: { side: number; zoom: number; label: string; draw: (ctx: CanvasRenderingContext2D, colors: ThemeColors) => void; caption?: ReactNode }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) draw(ctx, colors);
  }, [draw, colors]);
  return (
    <figure style={{ margin: 0 }}>
      <canvas ref={ref} width={side * zoom} height={side * zoom} role="img" aria-label={label} style={{ display: 'block', width: '100%', maxWidth: side * zoom, border: '1px solid var(--line)' }} />
      {caption !== undefined && <figcaption className="plot-caption">{caption}</figcaption>}
    </figure>
  );
}

/** A colour as the canvas parses it, as 0–255 red, green and blue. */
function rgbOf(ctx: CanvasRenderingContext2D, color: string): [number, number, number] {
  ctx.fillStyle = color;
  const s = String(ctx.fillStyle); // '#rrggbb', or 'rgba(r, g, b, a)' for a translucent colour
  if (s.startsWith('#')) return [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16)) as [number, number, number];
  const [r = 0, g = 0, b = 0] = (s.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b];
}

/**
 * A grey-scale picture (row-major, ink bright) drawn as ink on the page's background, one unit a pixel: the ink's
 * colour at 55 % of each value's opacity, in one image drawn unsmoothed (a rectangle per pixel, thousands of
 * canvas calls, held a phone's page at each redraw).
 */
export function drawGray(ctx: CanvasRenderingContext2D, pixels: ArrayLike<number>, width: number, height: number, colors: ThemeColors, max = 255): void {
  const img = document.createElement('canvas');
  img.width = width;
  img.height = height;
  const ictx = img.getContext('2d');
  if (!ictx) return;
  const [r, g, b] = rgbOf(ictx, colors.fg);
  const data = ictx.createImageData(width, height);
  const px = data.data;
  for (let i = 0; i < width * height; i++) {
    const v = pixels[i] / max;
    if (!(v > 0.02)) continue;
    px[4 * i] = r;
    px[4 * i + 1] = g;
    px[4 * i + 2] = b;
    px[4 * i + 3] = Math.round(255 * Math.min(1, v) * 0.55);
  }
  ictx.putImageData(data, 0, 0);
  const smooth = ctx.imageSmoothingEnabled;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(img, 0, 0, width, height);
  ctx.imageSmoothingEnabled = smooth;
}

/** A square grey picture (side × side values up to `max`) on the theme's background, scaled by `zoom` without smoothing. */
export function drawGrayScaled(ctx: CanvasRenderingContext2D, pixels: ArrayLike<number>, side: number, zoom: number, colors: ThemeColors, max = 255): void {
  drawScaled(ctx, side, zoom, colors, (ictx) => drawGray(ictx, pixels, side, side, colors, max));
}

/**
 * A square picture of side × side pixels that `paint` draws, one canvas pixel a picture pixel, on the theme's
 * background, then scaled by `zoom` without smoothing (a canvas's own scaling would blur the pixels).
 */
export function drawScaled(ctx: CanvasRenderingContext2D, side: number, zoom: number, colors: ThemeColors, paint: (ictx: CanvasRenderingContext2D) => void): void {
  const img = document.createElement('canvas');
  img.width = side;
  img.height = side;
  const ictx = img.getContext('2d');
  if (!ictx) return;
  ictx.fillStyle = colors.bg;
  ictx.fillRect(0, 0, side, side);
  paint(ictx);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(img, 0, 0, side * zoom, side * zoom);
}

/** Strokes a box; `unit` is one CSS pixel in the picture's units (so lines keep their width at any scale). */
export function strokeBox(ctx: CanvasRenderingContext2D, b: PictureBox, color: string, unit: number, opts: { width?: number; dash?: number[]; fill?: number; alpha?: number } = {}): void {
  const { width = 2, dash, fill, alpha = 1 } = opts;
  ctx.globalAlpha = alpha;
  if (fill) {
    ctx.globalAlpha = alpha * fill;
    ctx.fillStyle = color;
    ctx.fillRect(b[0], b[1], b[2] - b[0], b[3] - b[1]);
    ctx.globalAlpha = alpha;
  }
  ctx.strokeStyle = color;
  ctx.lineWidth = width * unit;
  ctx.setLineDash(dash ? dash.map((d) => d * unit) : []);
  ctx.strokeRect(b[0], b[1], b[2] - b[0], b[3] - b[1]);
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

/** A small label at a point, in CSS pixels whatever the picture's scale. */
export function boxLabel(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, color: string, colors: ThemeColors, unit: number): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(unit, unit);
  ctx.font = `11px ${colors.font}`;
  const w = ctx.measureText(text).width + 4;
  ctx.fillStyle = colors.bg;
  ctx.globalAlpha = 0.85;
  ctx.fillRect(0, -12, w, 13);
  ctx.globalAlpha = 1;
  ctx.fillStyle = color;
  ctx.fillText(text, 2, -2);
  ctx.restore();
}
