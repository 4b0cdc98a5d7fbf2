'use client';
import { useLayoutEffect, useRef } from 'react';
import { useDevicePixelRatio, useWidth } from '../ui/plots/useSize';
import { useThemeColors } from '../ui/plots/useTheme';
import { SERIES } from '../ui/plots/palette';
import type { HuffmanFrame } from './model';

const HEIGHT = 260;
const PAD = { left: 44, right: 8, top: 10, bottom: 26 };

/**
 * The Huffman forest after `frame.done` merges, as a dendrogram: each node at the height of its count (log
 * scale), leaves in the finished tree's order so no edges cross; the newest merge in the accent colour. A
 * leaf's code length is the number of joins above it; once done, it is written under the leaf (when they fit).
 */
export function TreeCanvas({ frame, label }: { frame: HuffmanFrame; label: string }) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const width = useWidth(wrap) ?? 600;
  const dpr = Math.min(2, useDevicePixelRatio());

  useLayoutEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    el.width = Math.round(width * dpr);
    el.height = Math.round(HEIGHT * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    const { tree, layout, done } = frame;
    const m = tree.symbols.length;
    if (m === 0) return;
    const total = tree.weights[tree.weights.length - 1];
    const minW = Math.min(...tree.weights.slice(0, m));
    const y0 = Math.log2(minW);
    const y1 = Math.max(Math.log2(total), y0 + 1);
    const plotW = width - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const X = (slot: number) => PAD.left + ((slot + 0.5) / m) * plotW;
    const Y = (w: number) => PAD.top + (1 - (Math.log2(w) - y0) / (y1 - y0)) * plotH;
    const font = `11px ${colors.font}`;
    ctx.font = font;

    // Axis: counts on a log scale, ticks at powers of ten.
    ctx.strokeStyle = colors.line;
    ctx.fillStyle = colors.muted;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let p = Math.ceil(Math.log10(minW)); 10 ** p <= total * 1.0001; p++) {
      const y = Y(10 ** p);
      ctx.beginPath();
      ctx.moveTo(PAD.left, y);
      ctx.lineTo(width - PAD.right, y);
      ctx.stroke();
      ctx.fillText(p >= 3 ? `${10 ** (p - 3)}k` : String(10 ** p), PAD.left - 4, y);
    }
    ctx.save();
    ctx.translate(10, PAD.top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('count', 0, 0);
    ctx.restore();

    // Leaves: a stem from the floor to the leaf's count, like a histogram sorted by the tree.
    const stem = Math.max(1, Math.min(6, (plotW / m) * 0.6));
    ctx.fillStyle = colors.muted;
    ctx.globalAlpha = 0.35;
    for (let v = 0; v < m; v++) ctx.fillRect(X(layout.x[v]) - stem / 2, Y(tree.weights[v]), stem, PAD.top + plotH - Y(tree.weights[v]));
    ctx.globalAlpha = 1;

    // Merges so far: up from each child to the parent's height, then across.
    for (let j = 0; j < done; j++) {
      const [a, b] = tree.merges[j];
      const yp = Y(tree.weights[m + j]);
      ctx.strokeStyle = j === done - 1 ? SERIES[1] : colors.fg;
      ctx.lineWidth = j === done - 1 ? 2.5 : 1.2;
      ctx.beginPath();
      for (const c of [a, b]) {
        ctx.moveTo(X(layout.x[c]), Y(tree.weights[c]));
        ctx.lineTo(X(layout.x[c]), yp);
      }
      ctx.moveTo(X(layout.x[a]), yp);
      ctx.lineTo(X(layout.x[b]), yp);
      ctx.stroke();
    }
    // Leaves as dots on top.
    ctx.fillStyle = SERIES[0];
    const r = Math.max(1, Math.min(3.5, (plotW / m) * 0.35));
    for (let v = 0; v < m; v++) {
      ctx.beginPath();
      ctx.arc(X(layout.x[v]), Y(tree.weights[v]), r, 0, 2 * Math.PI);
      ctx.fill();
    }
    // Code lengths under the leaves, when they are final and there is room.
    ctx.fillStyle = colors.fg;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    if (done === Math.max(m - 1, 0) && plotW / m >= 9) {
      for (let v = 0; v < m; v++) ctx.fillText(String(m === 1 ? 1 : frame.leafDepth[v]), X(layout.x[v]), PAD.top + plotH + 4);
    } else {
      ctx.fillStyle = colors.muted;
      ctx.fillText(done === Math.max(m - 1, 0) ? 'symbols (too many to label)' : 'code lengths appear when done', PAD.left + plotW / 2, PAD.top + plotH + 4);
    }
  });

  return (
    <div ref={wrap} style={{ width: '100%' }}>
      <canvas ref={canvas} role="img" aria-label={label} style={{ width: '100%', height: HEIGHT, display: 'block' }} />
    </div>
  );
}
