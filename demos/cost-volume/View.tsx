'use client';
import { useEffect, useLayoutEffect, useMemo, useRef, type MouseEvent } from 'react';
import type { MnistArrays } from '../runtime/data/idx';
import { digitsLoader } from '../runtime/data/loader';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useResource } from '../ui/useResource';
import { useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { arrow } from '../ui/plots/draw';
import { SERIES } from '../ui/plots/palette';
import { useThemeColors, type ThemeColors } from '../ui/plots/useTheme';
import { displacements, evidenceOf, HEIGHT, makeFrames, matchFrames, pixelCosts, WIDTH, type CostKind, type CostVolumeResult, type Evidence, type Frames } from './model';
import { costVolumeParams } from './params';

const Z = 5;
const EVERY = 4;
const loadDigits = digitsLoader('test', 1000);
const COLOR: Record<Evidence, string> = { unique: SERIES[2], aperture: SERIES[1], textureless: SERIES[7] };
const fmt = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(2));

/** Frame 1 (blue) and frame 2 (orange) over each other, or frame 1 with the winner-take-all flow as arrows. */
function FrameCanvas({ frames, result, maxD, pick, onPick, mode, colors }: { frames: Frames; result: CostVolumeResult | null; maxD: number; pick: [number, number]; onPick: (x: number, y: number) => void; mode: 'frames' | 'flow'; colors: ThemeColors }) {
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
    if (mode === 'flow' && result) {
      const { flow } = result;
      for (let y = EVERY / 2; y < HEIGHT; y += EVERY) {
        for (let x = EVERY / 2; x < WIDTH; x += EVERY) {
          const p = y * WIDTH + x;
          const c = COLOR[evidenceOf(flow.ties[p], maxD)];
          if (flow.dx[p] === 0 && flow.dy[p] === 0) {
            ctx.fillStyle = c;
            ctx.fillRect((x + 0.5) * Z - 1.5, (y + 0.5) * Z - 1.5, 3, 3);
          } else arrow(ctx, toPx, x, y, flow.dx[p] * 0.8, flow.dy[p] * 0.8, c, 1.6);
        }
      }
    }
    ctx.strokeStyle = colors.fg;
    ctx.lineWidth = 2;
    ctx.strokeRect(pick[0] * Z - 1, pick[1] * Z - 1, Z + 2, Z + 2);
  }, [frames, result, maxD, pick, mode, colors]);
  const click = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = Math.floor(((e.clientX - r.left) / r.width) * WIDTH);
    const y = Math.floor(((e.clientY - r.top) / r.height) * HEIGHT);
    if (x >= 0 && y >= 0 && x < WIDTH && y < HEIGHT) onPick(x, y);
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
function CostGrid({ costs, maxD, kind, truth, win, colors }: { costs: Float32Array; maxD: number; kind: CostKind; truth: [number, number]; win: [number, number]; colors: ThemeColors }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const n = 2 * maxD + 1;
  const cell = Math.floor(200 / n);
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of costs) {
      lo = Math.min(lo, c);
      hi = Math.max(hi, c);
    }
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, n * cell, n * cell);
    displacements(maxD).forEach((d, k) => {
      const t = hi > lo ? (costs[k] - lo) / (hi - lo) : 0;
      const good = kind === 'ssd' ? 1 - t : t;
      ctx.globalAlpha = 0.1 + 0.9 * good;
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

interface Query {
  frames: Frames;
  maxD: number;
  radius: number;
  kind: CostKind;
}

const compute = (q: Query) => matchFrames(q.frames, q.maxD, q.radius, q.kind);

/** Two frames, the cost volume of patch matches by tfjs ops, its winner-take-all flow and the end-point error. */
export default function CostVolumeView() {
  const { values: p, set } = useDemoParams(costVolumeParams);
  const colors = useThemeColors();
  const digits = useResource<MnistArrays>(loadDigits, 'test');
  const frames = useMemo(() => (digits.value ? makeFrames(digits.value, p.seed) : null), [digits.value, p.seed]);
  const latest = useLatest(frames ? compute : null);
  const { submit } = latest;
  const kind = p.cost as CostKind;
  useEffect(() => {
    if (frames) submit({ frames, maxD: p.maxD, radius: p.radius, kind });
  }, [frames, p.maxD, p.radius, kind, submit]);
  useReady(latest.result !== null);
  const result = latest.result;
  const q = latest.input;
  const [px, py] = p.pixel;
  const pick = (x: number, y: number) => set('pixel', [x, y]);
  const at = py * WIDTH + px;
  const costs = result && q ? pixelCosts(result.volume, WIDTH, HEIGHT, q.maxD, px, py) : null;
  const truth: [number, number] = q ? [q.frames.trueDx[at], q.frames.trueDy[at]] : [0, 0];
  const win: [number, number] = result ? [result.flow.dx[at], result.flow.dy[at]] : [0, 0];
  const ev = result && q ? evidenceOf(result.flow.ties[at], q.maxD) : null;
  const r = result?.report;

  return (
    <div className="cost-volume-demo">
      <ParamControls table={costVolumeParams} values={p} onChange={set} />
      {!frames && <p className="status-line">Loading test digits… {Math.round(100 * digits.progress)} %</p>}
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={() => set('seed', (p.seed % 9999) + 1)}>
          Next frames
        </button>
        {frames && (
          <span className="status-line">
            True shifts: digit {frames.classes[0]} ({frames.shifts[0].dx}, {frames.shifts[0].dy}), digit {frames.classes[1]} ({frames.shifts[1].dx}, {frames.shifts[1].dy}), rectangle ({frames.shifts[2].dx}, {frames.shifts[2].dy}); the background stays.
          </span>
        )}
      </div>
      {frames && (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '0.6rem', maxWidth: '42rem' }}>
          <figure style={{ margin: 0 }}>
            <FrameCanvas frames={frames} result={result} maxD={q?.maxD ?? p.maxD} pick={p.pixel} onPick={pick} mode="frames" colors={colors} />
            <figcaption className="plot-caption">Frame 1 (blue) and frame 2 (orange). Click a pixel.</figcaption>
          </figure>
          <figure style={{ margin: 0 }}>
            <FrameCanvas frames={frames} result={result} maxD={q?.maxD ?? p.maxD} pick={p.pixel} onPick={pick} mode="flow" colors={colors} />
            <figcaption className="plot-caption">
              Winner-take-all flow every {EVERY} px: <span style={{ color: COLOR.unique }}>one best match</span>, <span style={{ color: COLOR.aperture }}>several tie (aperture problem)</span>,{' '}
              <span style={{ color: COLOR.textureless }}>all tie (textureless)</span>; dots: zero flow.
            </figcaption>
          </figure>
        </div>
      )}
      {result && q && costs && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.6rem 1.2rem', marginTop: '0.6rem', alignItems: 'flex-start' }}>
          <figure style={{ margin: 0 }}>
            <CostGrid costs={costs} maxD={q.maxD} kind={q.kind} truth={truth} win={win} colors={colors} />
            <figcaption className="plot-caption" style={{ maxWidth: '14rem' }}>
              Pixel ({px}, {py}): cost over dx (across) and dy (down), darker = better match; orange square: the true shift ({truth.join(', ')}); dot: the winner ({win.join(', ')}),{' '}
              {result.flow.ties[at]} displacement{result.flow.ties[at] === 1 ? '' : 's'} tied ({ev}).
            </figcaption>
          </figure>
          {r && (
            <table className="stats" data-epe-unique={r.byEvidence.unique.epe} data-epe-moving={r.epeMoving} style={{ fontVariantNumeric: 'tabular-nums', fontSize: '0.85rem' }}>
              <caption style={{ captionSide: 'top', textAlign: 'left', color: 'var(--muted)', fontSize: '0.8rem' }}>End-point error ‖flow − truth‖ in pixels</caption>
              <thead>
                <tr>
                  <th scope="col" style={{ textAlign: 'left' }}>pixels</th>
                  <th scope="col">count</th>
                  <th scope="col">EPE</th>
                </tr>
              </thead>
              <tbody>
                {(['unique', 'aperture', 'textureless'] as const).map((e) => (
                  <tr key={e}>
                    <th scope="row" style={{ textAlign: 'left', fontWeight: 400 }}>moving, {e === 'unique' ? 'one best match' : e === 'aperture' ? 'several tie' : 'all tie'}</th>
                    <td style={{ textAlign: 'right' }}>{r.byEvidence[e].count}</td>
                    <td style={{ textAlign: 'right' }}>{fmt(r.byEvidence[e].epe)}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row" style={{ textAlign: 'left', fontWeight: 400 }}>all moving pixels</th>
                  <td style={{ textAlign: 'right' }}>{r.byEvidence.unique.count + r.byEvidence.aperture.count + r.byEvidence.textureless.count}</td>
                  <td style={{ textAlign: 'right' }}>{fmt(r.epeMoving)}</td>
                </tr>
                <tr>
                  <th scope="row" style={{ textAlign: 'left', fontWeight: 400 }}>every pixel (background too)</th>
                  <td style={{ textAlign: 'right' }}>{WIDTH * HEIGHT}</td>
                  <td style={{ textAlign: 'right' }}>{fmt(r.epeAll)}</td>
                </tr>
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
