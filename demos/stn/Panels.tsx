'use client';
import { useLayoutEffect, useRef } from 'react';
import { CANVAS, OUT, type DistortedSet, type Rectified } from './model';
import type { TrainProgress } from './train';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { useThemeColors } from '../ui/plots/useTheme';
import { answerLine, fmt, rectifiedBy } from './display';
import { formatNumber } from '../ui/plots/scale';

/** A 36×36 canvas scaled up, with the sampling grid of θ (every fourth line of the 28×28 grid and its border) drawn over it. */
function GridCanvas({ canvas, theta, zoom = 6 }: { canvas: Float32Array; theta: readonly number[]; zoom?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const side = CANVAS * zoom;
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, side, side);
    ctx.fillStyle = colors.fg;
    for (let i = 0; i < CANVAS * CANVAS; i++) {
      const v = canvas[i];
      if (!(v > 0)) continue;
      ctx.globalAlpha = Math.min(1, v);
      ctx.fillRect((i % CANVAS) * zoom, Math.floor(i / CANVAS) * zoom, zoom, zoom);
    }
    ctx.globalAlpha = 1;
    // Source point of target (x_t, y_t), in canvas pixels (pixel centres at (k + 0.5)·zoom).
    const at = (xt: number, yt: number): [number, number] => {
      const xs = theta[0] * xt + theta[1] * yt + theta[2];
      const ys = theta[3] * xt + theta[4] * yt + theta[5];
      return [(((xs + 1) * (CANVAS - 1)) / 2 + 0.5) * zoom, (((ys + 1) * (CANVAS - 1)) / 2 + 0.5) * zoom];
    };
    const line = (pts: [number, number][]) => {
      ctx.beginPath();
      pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
    };
    const ticks = Array.from({ length: 8 }, (_, k) => -1 + (2 * k) / 7);
    ctx.strokeStyle = SERIES[0];
    ctx.lineWidth = 1;
    for (const t of ticks) {
      line([at(t, -1), at(t, 1)]);
      line([at(-1, t), at(1, t)]);
    }
    ctx.strokeStyle = SERIES[1];
    ctx.lineWidth = 2;
    line([at(-1, -1), at(1, -1), at(1, 1), at(-1, 1), at(-1, -1)]);
    // The output's top-left corner, so a turn or a flip is visible.
    const [cx, cy] = at(-1, -1);
    ctx.fillStyle = SERIES[1];
    ctx.beginPath();
    ctx.arc(cx, cy, 4, 0, 2 * Math.PI);
    ctx.fill();
  }, [canvas, theta, colors, side, zoom]);
  return <canvas ref={ref} width={side} height={side} role="img" aria-label="The input canvas with the sampling grid drawn over it" style={{ display: 'block', width: '100%', maxWidth: side, border: '1px solid var(--line)' }} />;
}

/** θ as a 2×3 matrix. */
function ThetaTable({ theta }: { theta: readonly number[] }) {
  return (
    <table className="stats" aria-label="θ, the 2×3 affine matrix" data-theta={theta.map((v) => v.toFixed(4)).join(' ')} style={{ fontVariantNumeric: 'tabular-nums' }}>
      <tbody>
        {[0, 1].map((r) => (
          <tr key={r}>
            <th scope="row">{r === 0 ? 'x_s =' : 'y_s ='}</th>
            <td>{fmt(theta[3 * r])}·x_t</td>
            <td>{fmt(theta[3 * r + 1])}·y_t</td>
            <td>+ {fmt(theta[3 * r + 2])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The hand-set θ: the input canvas with its sampling grid, the output V it samples, and θ itself. */
export function HandPanel({ canvas, theta, output }: { canvas: Float32Array | null; theta: readonly number[]; output: Float32Array | null }) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(12rem, 1fr))', gap: '0.8rem 1.2rem', alignItems: 'start' }}>
      <figure style={{ margin: 0 }}>
        {canvas ? <GridCanvas canvas={canvas} theta={theta} /> : <div style={{ aspectRatio: '1', maxWidth: 216, border: '1px solid var(--line)' }} />}
        <figcaption className="plot-caption">Input U (36 × 36) and the sampling grid: where each output pixel is read. Orange: the output&apos;s border; the dot is its top-left corner.</figcaption>
      </figure>
      <figure style={{ margin: 0 }}>
        <MapImage values={output ?? new Float32Array(OUT * OUT)} width={OUT} height={OUT} zoom={6} scale={1} label="The output V sampled with θ" />
        <figcaption className="plot-caption">Output V (28 × 28), bilinear.</figcaption>
        <ThetaTable theta={theta} />
      </figure>
    </div>
  );
}

/** `count` held-out canvases from `start`, each above the STN's rectified digit and the two networks' answers. */
export function RectifiedStrip({ held, rect, start, count, run }: { held: DistortedSet | null; rect: Rectified | null; start: number; count: number; run: TrainProgress | null }) {
  return (
    <>
      <div style={{ display: 'grid', gridTemplateColumns: `repeat(${count}, minmax(0, 1fr))`, gap: '0.3rem', maxWidth: '36rem' }} data-rectified={rect ? count : 0}>
        {Array.from({ length: count }, (_, i) => (
          <div key={i} style={{ display: 'grid', gap: 2, fontSize: '0.75rem', justifyItems: 'center' }}>
            <MapImage values={held ? held.canvases.subarray((start + i) * CANVAS * CANVAS, (start + i + 1) * CANVAS * CANVAS) : new Float32Array(CANVAS * CANVAS)} width={CANVAS} height={CANVAS} zoom={2} scale={1} label={`Held-out digit ${start + i}, distorted`} />
            <MapImage values={rect ? rect.rectified.subarray(i * OUT * OUT, (i + 1) * OUT * OUT) : new Float32Array(OUT * OUT)} width={OUT} height={OUT} zoom={2} scale={1} label={`Held-out digit ${start + i} as the STN rectifies it`} />
            <span>{answerLine(rect, i, held?.labels[start + i])}</span>
          </div>
        ))}
      </div>
      <p className="plot-caption">
        Top: held-out distorted test digits; below: the STN&apos;s output for each, {rectifiedBy(run)}. Under each: the STN&apos;s answer · the plain CNN&apos;s (✗ wrong).
      </p>
    </>
  );
}

/** The two networks' curves, in the same colours in both charts. */
const both = (stn: number[] | undefined, plain: number[] | undefined) => [
  { label: 'STN', color: SERIES[0], values: stn ?? [] },
  { label: 'plain CNN', color: SERIES[1], values: plain ?? [] },
];

/** Held-out accuracy and training loss of both networks over the run. */
export function TrainingCharts({ run, heldOut }: { run: TrainProgress | null; heldOut: number }) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '0.5rem 1rem' }}>
      <Chart label={`Accuracy on ${formatNumber(heldOut)} distorted held-out test digits`} series={both(run?.accStn, run?.accPlain)} x={run?.accAt ?? []} xLabel="step" yLabel="accuracy" yMin={0} yMax={1} height={180} />
      <Chart label="Training loss (cross-entropy)" series={both(run?.lossStn, run?.lossPlain)} x={run?.lossAt ?? []} xLabel="step" log height={180} />
    </div>
  );
}
