'use client';
import { useEffect, useRef } from 'react';
import { SERIES } from '../ui/plots/palette';
import { sizedContext } from '../ui/plots/draw';
import { useWidth } from '../ui/plots/useSize';
import { useThemeColors } from '../ui/plots/useTheme';
import { argMax, PARTS, WHOLES, type PartsRouting, type Pose } from './model';
import { lastCoupling, lastLengths, placed } from './display';

/** c and ‖v‖ of the parts panel at its last iteration. */
export function PartsTable({ routed }: { routed: PartsRouting | null }) {
  const lengths = routed ? lastLengths(routed) : null;
  return (
    <table className="stats" aria-live="polite" data-house={lengths ? lengths[0].toFixed(3) : undefined}>
      <thead>
        <tr>
          <th scope="col">after {routed?.iterations ?? '…'} iterations</th>
          {WHOLES.map((w) => (
            <th scope="col" key={w}>
              {w}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {PARTS.map((p, i) => (
          <tr key={p}>
            <th scope="row" style={{ fontWeight: 'normal' }}>
              <span style={{ color: SERIES[i] }} aria-hidden="true">
                ■
              </span>{' '}
              c of the {p}
            </th>
            {WHOLES.map((w, j) => (
              <td key={w}>{routed ? lastCoupling(routed, i, j).toFixed(2) : '…'}</td>
            ))}
          </tr>
        ))}
        <tr>
          <th scope="row">length ‖v‖</th>
          {WHOLES.map((w, j) => (
            <td key={w} style={{ fontWeight: lengths && argMax(lengths) === j ? 700 : 400 }}>
              {lengths ? lengths[j].toFixed(2) : '…'}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

const RECT: [number, number][] = [
  [-0.5, -0.35],
  [0.5, -0.35],
  [0.5, 0.35],
  [-0.5, 0.35],
];
const TRI: [number, number][] = [
  [-0.6, -0.2],
  [0.6, -0.2],
  [0, 0.4],
];
const HALF = 1.6;

/** The two parts where the reader put them, and where each predicts the house (circle) and the boat (square). */
export function PartsCanvas({ poses, routed }: { poses: Pose[]; routed: PartsRouting | null }) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useWidth(box);
  const colors = useThemeColors();
  const size = Math.min(width ?? 0, 320);
  useEffect(() => {
    const ctx = sizedContext(canvas.current, size, size);
    if (!ctx || !routed) return;
    const px = (x: number, y: number): [number, number] => [((x + HALF) / (2 * HALF)) * size, ((HALF - y) / (2 * HALF)) * size];
    const shape = (pose: Pose, pts: [number, number][], fill: string, alpha: number) => {
      ctx.beginPath();
      placed(pose, pts).forEach(([a, b], k) => {
        const [x, y] = px(a, b);
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.closePath();
      ctx.globalAlpha = alpha;
      ctx.fillStyle = fill;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = fill;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    };
    ctx.strokeStyle = colors.line;
    ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
    poses.forEach((pose, i) => shape(pose, i === 0 ? RECT : TRI, SERIES[i], 0.35));
    routed.predicted.forEach((preds, i) =>
      preds.forEach((w, j) => {
        const [x, y] = px(w.x, w.y);
        const rad = 4 + 8 * lastCoupling(routed, i, j);
        const t = (w.deg * Math.PI) / 180;
        ctx.strokeStyle = SERIES[i];
        ctx.lineWidth = 2;
        ctx.beginPath();
        if (j === 0) ctx.arc(x, y, rad, 0, 2 * Math.PI);
        else ctx.rect(x - rad, y - rad, 2 * rad, 2 * rad);
        ctx.moveTo(x, y);
        ctx.lineTo(x - Math.sin(t) * (rad + 6), y - Math.cos(t) * (rad + 6));
        ctx.stroke();
      }),
    );
  }, [poses, routed, size, colors]);
  return (
    <figure style={{ margin: 0 }} ref={box}>
      <canvas ref={canvas} style={{ width: size, height: size, display: 'block' }} role="img" aria-label="The rectangle and the triangle, with the house and boat poses each predicts" />
      <figcaption className="plot-caption">
        Blue rectangle, orange triangle; each part’s prediction of the house (○) and the boat (□), drawn larger the more the part is coupled to it, with a
        tick for the predicted upright.
      </figcaption>
    </figure>
  );
}
