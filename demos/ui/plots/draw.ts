import type { ToPx } from './ContourCanvas';

/** Canvas drawing helpers shared by the demos' overlays. */

/** A polyline through data-space points [x0, y0, x1, y1, …] (stride/offset pick one run of several). */
export function polyline(ctx: CanvasRenderingContext2D, toPx: ToPx, pts: ArrayLike<number>, color: string, opts: { stride?: number; offset?: number; width?: number; dash?: number[] } = {}) {
  const { stride = 2, offset = 0, width = 2, dash = [] } = opts;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let pen = false;
  for (let i = offset; i + 1 < pts.length; i += stride) {
    const x = pts[i];
    const y = pts[i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    const [px, py] = toPx(x, y);
    if (pen) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
    pen = true;
  }
  ctx.stroke();
  ctx.restore();
}

/** A filled dot with a white rim (start points, current positions, minima). */
export function dot(ctx: CanvasRenderingContext2D, toPx: ToPx, x: number, y: number, color: string, r = 4.5, shape: 'circle' | 'star' = 'circle') {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  const [px, py] = toPx(x, y);
  ctx.save();
  ctx.fillStyle = color;
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  if (shape === 'star') {
    for (let k = 0; k < 10; k++) {
      const a = (k * Math.PI) / 5 - Math.PI / 2;
      const rr = k % 2 ? r * 0.45 : r * 1.2;
      ctx.lineTo(px + rr * Math.cos(a), py + rr * Math.sin(a));
    }
    ctx.closePath();
  } else {
    ctx.arc(px, py, r, 0, 2 * Math.PI);
  }
  ctx.fill();
  ctx.stroke();
  ctx.restore();
}

/** An arrow from (x, y) by (dx, dy) in data space. */
export function arrow(ctx: CanvasRenderingContext2D, toPx: ToPx, x: number, y: number, dx: number, dy: number, color: string, width = 2, alpha = 1) {
  const [ax, ay] = toPx(x, y);
  const [bx, by] = toPx(x + dx, y + dy);
  const len = Math.hypot(bx - ax, by - ay);
  if (!Number.isFinite(len) || len < 1) return;
  const ux = (bx - ax) / len;
  const uy = (by - ay) / len;
  const head = Math.min(9, len / 2);
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(ax, ay);
  ctx.lineTo(bx - ux * head * 0.8, by - uy * head * 0.8);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(bx, by);
  ctx.lineTo(bx - ux * head - uy * head * 0.5, by - uy * head + ux * head * 0.5);
  ctx.lineTo(bx - ux * head + uy * head * 0.5, by - uy * head - ux * head * 0.5);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

/**
 * A canvas sized to width × height CSS px at the device's pixel ratio, cleared, its 2-D context scaled so drawing
 * is in CSS px; null when there is no canvas, no width yet or no context.
 */
export function sizedContext(c: HTMLCanvasElement | null, width: number | null, height: number): CanvasRenderingContext2D | null {
  if (!c || !width) return null;
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.round(width * dpr);
  c.height = Math.round(height * dpr);
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}
