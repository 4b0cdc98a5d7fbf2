'use client';
import { useLayoutEffect, useRef, type MouseEvent } from 'react';
import { arrow } from '../ui/plots/draw';
import { SERIES } from '../ui/plots/palette';
import type { ThemeColors } from '../ui/plots/useTheme';
import { displacements, HEIGHT, WIDTH, type CostKind, type CostVolumeResult, type FlowReport, type Frames } from './model';
import { COLOR, EVIDENCE, EVIDENCE_LABEL, flowSamples, fmt, matchQuality, pixelAt } from './display';

const Z = 5;

/** The status line: each object's true shift. */
export function TrueShifts({ frames }: { frames: Frames }) {
  return (
    <span className="status-line">
      True shifts: digit {frames.classes[0]} ({frames.shifts[0].dx}, {frames.shifts[0].dy}), digit {frames.classes[1]} ({frames.shifts[1].dx}, {frames.shifts[1].dy}), rectangle ({frames.shifts[2].dx}, {frames.shifts[2].dy}); the background stays.
    </span>
  );
}
/** The flow panel draws one arrow every EVERY px. */
export const EVERY = 4;

/** Frame 1 (blue) and frame 2 (orange) over each other, or frame 1 with the winner-take-all flow as arrows. */
export function FrameCanvas({ frames, result, maxD, pick, onPick, mode, colors }: { frames: Frames; result: CostVolumeResult | null; maxD: number; pick: [number, number]; onPick: (x: number, y: number) => void; mode: 'frames' | 'flow'; colors: ThemeColors }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.globalAlpha = 1;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, WIDTH * Z, HEIGHT * Z);
    const layers: [Float32Array, string, number][] = mode === 'frames' ? [[frames.f1, SERIES[0], 0.85], [frames.f2, SERIES[1], 0.6]] : [[frames.f1, colors.fg, 0.25]];
    for (const [img, color, alpha] of layers) {
      ctx.fillStyle = color;
      for (let i = 0; i < img.length; i++) {
        if (img[i] <= 0.02) continue;
        ctx.globalAlpha = alpha * Math.min(1, img[i]);
        ctx.fillRect((i % WIDTH) * Z, Math.floor(i / WIDTH) * Z, Z, Z);
      }
    }
    ctx.globalAlpha = 1;
    const toPx = (x: number, y: number): [number, number] => [(x + 0.5) * Z, (y + 0.5) * Z];
    if (mode === 'flow' && result)
      for (const { x, y, dx, dy, evidence } of flowSamples(result.flow, maxD, EVERY)) {
        if (dx === 0 && dy === 0) {
          ctx.fillStyle = COLOR[evidence];
          ctx.fillRect((x + 0.5) * Z - 1.5, (y + 0.5) * Z - 1.5, 3, 3);
        } else arrow(ctx, toPx, x, y, dx * 0.8, dy * 0.8, COLOR[evidence], 1.6);
      }
    ctx.strokeStyle = colors.fg;
    ctx.lineWidth = 2;
    ctx.strokeRect(pick[0] * Z - 1, pick[1] * Z - 1, Z + 2, Z + 2);
  }, [frames, result, maxD, pick, mode, colors]);
  const click = (e: MouseEvent<HTMLCanvasElement>) => {
    const p = pixelAt(e.currentTarget.getBoundingClientRect(), e.clientX, e.clientY);
    if (p) onPick(...p);
  };
  return (
    <canvas
      ref={ref}
      width={WIDTH * Z}
      height={HEIGHT * Z}
      role="img"
      aria-label={mode === 'frames' ? 'Frame 1 in blue and frame 2 in orange; click a pixel to see its costs' : 'Winner-take-all flow as arrows on frame 1; click a pixel to see its costs'}
      onClick={click}
      style={{ display: 'block', width: '100%', maxWidth: WIDTH * Z, border: '1px solid var(--line)', cursor: 'crosshair' }}
    />
  );
}

/** The picked pixel's cost over the (2D + 1)² displacements: darker is a better match; the true shift ringed, the winner marked. */
export function CostGrid({ costs, maxD, kind, truth, win, colors }: { costs: Float32Array; maxD: number; kind: CostKind; truth: [number, number]; win: [number, number]; colors: ThemeColors }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const n = 2 * maxD + 1;
  const cell = Math.floor(200 / n);
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, n * cell, n * cell);
    const good = matchQuality(costs, kind);
    displacements(maxD).forEach((d, k) => {
      ctx.globalAlpha = 0.1 + 0.9 * good[k];
      ctx.fillStyle = SERIES[0];
      ctx.fillRect((d.dx + maxD) * cell, (d.dy + maxD) * cell, cell - 1, cell - 1);
    });
    ctx.globalAlpha = 1;
    ctx.lineWidth = 3;
    const [tx, ty] = truth;
    if (Math.abs(tx) <= maxD && Math.abs(ty) <= maxD) {
      ctx.strokeStyle = SERIES[1];
      ctx.strokeRect((tx + maxD) * cell + 1.5, (ty + maxD) * cell + 1.5, cell - 4, cell - 4);
    }
    ctx.fillStyle = colors.fg;
    ctx.beginPath();
    ctx.arc((win[0] + maxD + 0.5) * cell, (win[1] + maxD + 0.5) * cell, Math.max(2.5, cell / 6), 0, 2 * Math.PI);
    ctx.fill();
  }, [costs, maxD, kind, truth, win, n, cell, colors]);
  return (
    <canvas
      ref={ref}
      width={n * cell}
      height={n * cell}
      role="img"
      aria-label={`Cost over displacements dx, dy from −${maxD} to ${maxD}: true shift (${truth.join(', ')}), winner (${win.join(', ')})`}
      style={{ display: 'block', border: '1px solid var(--line)' }}
    />
  );
}

const LEFT = { textAlign: 'left', fontWeight: 400 } as const;
const RIGHT = { textAlign: 'right' } as const;

/** End-point errors of the moving pixels by evidence, of all moving pixels, and of every pixel. */
export function EpeTable({ r }: { r: FlowReport }) {
  return (
    <table className="stats" data-epe-unique={r.byEvidence.unique.epe} data-epe-moving={r.epeMoving} style={{ fontVariantNumeric: 'tabular-nums', fontSize: '0.85rem' }}>
      <caption style={{ captionSide: 'top', textAlign: 'left', color: 'var(--muted)', fontSize: '0.8rem' }}>End-point error ‖flow − truth‖ in pixels</caption>
      <thead>
        <tr>
          <th scope="col" style={{ textAlign: 'left' }}>
            pixels
          </th>
          <th scope="col">count</th>
          <th scope="col">EPE</th>
        </tr>
      </thead>
      <tbody>
        {EVIDENCE.map((e) => (
          <tr key={e}>
            <th scope="row" style={LEFT}>
              moving, {EVIDENCE_LABEL[e]}
            </th>
            <td style={RIGHT}>{r.byEvidence[e].count}</td>
            <td style={RIGHT}>{fmt(r.byEvidence[e].epe)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row" style={LEFT}>
            all moving pixels
          </th>
          <td style={RIGHT}>{EVIDENCE.reduce((n, e) => n + r.byEvidence[e].count, 0)}</td>
          <td style={RIGHT}>{fmt(r.epeMoving)}</td>
        </tr>
        <tr>
          <th scope="row" style={LEFT}>
            every pixel (background too)
          </th>
          <td style={RIGHT}>{WIDTH * HEIGHT}</td>
          <td style={RIGHT}>{fmt(r.epeAll)}</td>
        </tr>
      </tbody>
    </table>
  );
}
