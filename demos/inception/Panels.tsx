'use client';
import { useEffect, useRef } from 'react';
import { useThemeColors } from '../ui/plots/useTheme';
import { formatNumber } from '../ui/plots/scale';
import type { ModuleCost } from './model';

const COLS = 8;
const fmt = formatNumber;
const mega = (x: number) => `${(x / 1e6).toFixed(x >= 1e8 ? 0 : 1)} M`;

/** Channel maps (values in [0, 1]) as a grid of tiles on a canvas, in the theme's text colour. */
export function Tiles({ tiles, count, size, label }: { tiles: Float32Array; count: number; size: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { fg } = useThemeColors();
  const cols = Math.min(COLS, count);
  const rows = Math.ceil(count / cols);
  const gap = 2;
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const w = cols * (size + gap) - gap;
    const h = rows * (size + gap) - gap;
    c.width = w;
    c.height = h;
    const img = ctx.createImageData(w, h);
    const rgb = fg.startsWith('#') && fg.length === 7 ? [1, 3, 5].map((i) => parseInt(fg.slice(i, i + 2), 16)) : [20, 20, 20];
    for (let k = 0; k < count; k++) {
      const ox = (k % cols) * (size + gap);
      const oy = Math.floor(k / cols) * (size + gap);
      for (let i = 0; i < size * size; i++) {
        const at = 4 * ((oy + Math.floor(i / size)) * w + ox + (i % size));
        img.data[at] = rgb[0];
        img.data[at + 1] = rgb[1];
        img.data[at + 2] = rgb[2];
        // A faint floor shows each tile's extent; the response darkens it.
        img.data[at + 3] = 18 + Math.round(237 * tiles[k * size * size + i]);
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [tiles, count, size, cols, rows, fg]);
  return <canvas ref={ref} role="img" aria-label={label} style={{ width: '100%', maxWidth: cols * 40, imageRendering: 'pixelated', display: 'block' }} />;
}

/** One row of the cost table per convolution, with and without reductions. */
export function CostTable({ reduced, naive }: { reduced: ModuleCost; naive: ModuleCost }) {
  const rows = (c: ModuleCost, which: string) =>
    c.branches.flatMap((b) =>
      (b.convs.length ? b.convs : [null]).map((v, i) => (
        <tr key={`${which}-${b.name}-${i}`}>
          <td style={{ textAlign: 'left' }}>{v ? `${v.name} (${v.cin}→${v.cout})` : `${b.name}: max-pool passes ${b.out} channels`}</td>
          <td>{v ? fmt(v.weights) : 0}</td>
          <td>{v ? mega(v.macs) : '–'}</td>
        </tr>
      )),
    );
  return (
    <div className="plots">
      {[
        ['With 1×1 reductions (Figure 2b)', reduced],
        ['Naive, without reductions (Figure 2a)', naive],
      ].map(([title, c]) => (
        <table className="stats" key={title as string}>
          <caption>{title as string}</caption>
          <thead>
            <tr>
              <th>convolution</th>
              <th>weights</th>
              <th>multiply-adds</th>
            </tr>
          </thead>
          <tbody>{rows(c as ModuleCost, title as string)}</tbody>
          <tfoot>
            <tr>
              <th>total, {(c as ModuleCost).out} channels out</th>
              <th>{fmt((c as ModuleCost).weights)}</th>
              <th>{mega((c as ModuleCost).macs)}</th>
            </tr>
          </tfoot>
        </table>
      ))}
    </div>
  );
}
