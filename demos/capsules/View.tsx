'use client';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useResource } from '../ui/useResource';
import { useComputed, useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { ProbabilityBars } from '../ui/plots/ProbabilityBars';
import { SERIES } from '../ui/plots/palette';
import { sizedContext } from '../ui/plots/draw';
import { useWidth } from '../ui/plots/useSize';
import { useThemeColors } from '../ui/plots/useTheme';
import { DigitInput } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { MODELS_BASE_URL } from '../runtime/data/models';
import {
  CAPSNET,
  HOUSE_PARTS,
  PARTS,
  WHOLES,
  argMax,
  couplingMap,
  loadCapsNet,
  routeParts,
  squashLength,
  traceDigit,
  type CapsNet,
  type CapsNetManifest,
  type PartsRouting,
  type Pose,
} from './model';
import { digitParams, partsParams, routingParams } from './params';

const ITERATIONS = 5;
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const pct = (x: number) => `${(100 * x).toFixed(1)}\u00a0%`;

type Shipped = { net: CapsNet; manifest: CapsNetManifest };
const load = (signal: AbortSignal) => loadCapsNet({ baseUrl: MODELS_BASE_URL, signal });
const unload = (s: Shipped) => s.net.dispose();

/** The squash curve, computed once: ‖v‖ = ‖s‖²/(1 + ‖s‖²) for ‖s‖ in [0, 5]. */
const S_NORMS = Array.from({ length: 101 }, (_, k) => k / 20);
const SQUASH = S_NORMS.map(squashLength);

/** Routing in a small CapsNet on one digit, step by step; then parts and wholes routed live, and the squash curve. */
export default function CapsulesView() {
  const { values: p, set } = useDemoParams(routingParams);
  const { values: q, set: setQ } = useDemoParams(partsParams);
  const digitIn = useDigitParams(digitParams);
  const shipped = useResource<Shipped>(load, 'capsnet', unload);
  const net = shipped.value?.net ?? null;
  const run = useCallback((input: Float32Array) => traceDigit(net as CapsNet, input, ITERATIONS), [net]);
  const latest = useLatest(net ? run : null);
  const { submit, clear } = latest;
  const { digit } = digitIn;
  useEffect(() => {
    if (digit) submit(digit.input);
    else clear();
  }, [digit, submit, clear]);
  const t = latest.result;
  useReady(t !== null);

  const r = p.iteration - 1;
  const lengths = t ? t.lengths.subarray(r * 10, r * 10 + 10) : null;
  const order = lengths ? Array.from(lengths.keys()).sort((a, b) => lengths[b] - lengths[a]) : [];
  const top2 = order.slice(0, 2);
  const topKey = top2.join();
  const maps = useMemo(() => (t ? topKey.split(',').filter(Boolean).map((j) => couplingMap(t, r, Number(j))) : []), [t, r, topKey]);
  const label = latest.input && digit?.meta.label;
  const acc = shipped.value?.manifest.test;

  const poses = useMemo<Pose[]>(() => {
    const k = PARTS.indexOf(q.part as (typeof PARTS)[number]);
    return HOUSE_PARTS.map((pose, i) => (i === k ? { x: pose.x + q.dx, y: pose.y + q.dy, deg: pose.deg + q.turn } : pose));
  }, [q.part, q.dx, q.dy, q.turn]);
  const parts = useComputed((a: { poses: Pose[]; rounds: number }) => routeParts(a.poses, a.rounds), { poses, rounds: q.rounds });

  return (
    <div className="capsules-demo">
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={digitIn.next}>
          Next test digit
        </button>
        <span className="status-line">
          {net ? `${latest.count} digit${latest.count === 1 ? '' : 's'} routed` : `Loading the CapsNet… ${Math.round(100 * shipped.progress)} %`}
          {acc ? ` · test accuracy ${pct(acc.accuracy1)} with 1 iteration, ${pct(acc.accuracy3)} with 3` : ''}
        </span>
      </div>
      <ParamControls table={routingParams} values={p} onChange={set} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digitIn.props}>
          <span style={{ color: 'var(--fg)' }} aria-live="polite">
            {lengths ? `Longest capsule after ${p.iteration} iteration${p.iteration === 1 ? '' : 's'}: ${order[0]}${label !== undefined ? ` (label ${label})` : ''}` : ''}
          </span>
        </DigitInput>
        <figure style={{ margin: 0 }}>
          <ProbabilityBars probs={lengths} classes={DIGITS} top={order.length ? order[0] : -1} label={`Length of each digit capsule after ${p.iteration} routing iterations`} rowHeight={20} />
          <figcaption className="plot-caption">‖v<sub>j</sub>‖ of the ten digit capsules after iteration {p.iteration}</figcaption>
        </figure>
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem', alignItems: 'start' }} data-iteration={p.iteration}>
        {top2.map((j, k) => (
          <MapImage
            key={k}
            values={maps[k] ?? []}
            width={CAPSNET.grid}
            height={CAPSNET.grid}
            zoom={18}
            scale={1}
            positive={SERIES[k + 1]}
            label={`Coupling of the 6 × 6 primary-capsule grid to digit capsule ${j} at iteration ${p.iteration}`}
            caption={`c to “${j}”, iteration ${p.iteration} (mean ${maps[k] ? (maps[k].reduce((a, b) => a + b, 0) / maps[k].length).toFixed(2) : '…'})`}
          />
        ))}
      </div>
      <p className="plot-caption">
        Each cell is a position of the 6 × 6 grid of primary capsules; its shade is c<sub>ij</sub> to the digit capsule named, averaged over the
        cell’s {CAPSNET.types} capsule types weighted by their lengths ‖u<sub>i</sub>‖. Iteration 1 is uniform (c = 1/10 everywhere): routing starts from
        b = 0.
      </p>
      <Chart
        label="Length of each digit capsule against the routing iteration"
        height={220}
        x={[1, 2, 3, 4, 5]}
        xLabel="routing iteration"
        yLabel="‖v_j‖"
        yMin={0}
        yMax={1}
        series={DIGITS.map((d, j) => ({ label: d, color: SERIES[j], dashed: j !== order[0], values: t ? Array.from({ length: ITERATIONS }, (_, i) => t.lengths[i * 10 + j]) : [] }))}
      />

      <p className="demo-subtitle" style={{ margin: '1.2rem 0 0.3rem' }}>Parts and wholes, routed live</p>
      <ParamControls table={partsParams} values={q} onChange={setQ} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <PartsCanvas poses={poses} routed={parts} />
        <PartsTable routed={parts} />
      </div>
      <Chart
        label="The squash function: output length against input length"
        height={180}
        x={S_NORMS}
        xLabel="‖s_j‖"
        yLabel="‖v_j‖"
        yMin={0}
        yMax={1}
        series={[{ label: '‖v‖ = ‖s‖²/(1+‖s‖²)', color: SERIES[0], values: SQUASH }]}
      />
    </div>
  );
}

/** c and ‖v‖ of the parts panel at its last iteration. */
function PartsTable({ routed }: { routed: PartsRouting | null }) {
  const r = routed ? routed.iterations - 1 : 0;
  const c = (i: number, j: number) => (routed ? routed.c[(r * PARTS.length + i) * WHOLES.length + j].toFixed(2) : '…');
  return (
    <table className="stats" aria-live="polite" data-house={routed ? routed.lengths[r * 2].toFixed(3) : undefined}>
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
              <td key={w}>{c(i, j)}</td>
            ))}
          </tr>
        ))}
        <tr>
          <th scope="row">length ‖v‖</th>
          {WHOLES.map((w, j) => (
            <td key={w} style={{ fontWeight: routed && argMax(routed.lengths.subarray(r * 2, r * 2 + 2)) === j ? 700 : 400 }}>
              {routed ? routed.lengths[r * 2 + j].toFixed(2) : '…'}
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
function PartsCanvas({ poses, routed }: { poses: Pose[]; routed: PartsRouting | null }) {
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
      const t = (pose.deg * Math.PI) / 180;
      ctx.beginPath();
      pts.forEach(([a, b], k) => {
        const [x, y] = px(pose.x + Math.cos(t) * a - Math.sin(t) * b, pose.y + Math.sin(t) * a + Math.cos(t) * b);
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
    const r = routed.iterations - 1;
    routed.predicted.forEach((preds, i) =>
      preds.forEach((w, j) => {
        const c = routed.c[(r * PARTS.length + i) * WHOLES.length + j];
        const [x, y] = px(w.x, w.y);
        const rad = 4 + 8 * c;
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
