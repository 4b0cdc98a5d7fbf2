'use client';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ParamValues } from '../runtime/params';
import { MODELS_BASE_URL } from '../runtime/data/base-url';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useComputed } from '../ui/useLatest';
import { useOnScreen } from '../ui/useOnScreen';
import { useReady } from '../ui/useReady';
import { WhenNear } from '../ui/WhenNear';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { LoadProgress } from '../ui/controls/LoadProgress';
import { ColumnHeads } from '../ui/ColumnHeads';
import { SERIES } from '../ui/plots/palette';
import { formatInt } from '../ui/plots/scale';
import { BoxCanvas, boxLabel, drawGray, strokeBox } from '../ui/plots/boxes';
import type { ThemeColors } from '../ui/plots/useTheme';
import {
  INTERPOLATION_NAMES,
  INTERPOLATIONS,
  interpolationPoints,
  intersection,
  iou,
  loadShipped,
  mapSummary,
  nmsPerClass,
  nmsTrace,
  createPrBuild,
  type Box,
  type Interpolation,
  type NmsMethod,
  type PrFrame,
  type Shipped,
} from './model';
import { FIELD, metricsParams } from './params';

type Values = ParamValues<typeof metricsParams>;
type SetParam = <K extends keyof Values>(key: K, value: Values[K]) => void;
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}\u00a0%` : '–');
/** Windows of the scene shown in the NMS stepper: the best ones only, so that each step can be followed. */
const NMS_SHOWN = 24;

export default function DetectionMetricsView() {
  const { values: p, set } = useDemoParams(metricsParams);
  useReady(true); // the IoU playground, the first result, needs nothing loaded
  return (
    <div className="detection-metrics-demo">
      <IouPlayground p={p} set={set} />
      <WhenNear minHeight="120rem">
        <Detector p={p} set={set} />
      </WhenNear>
    </div>
  );
}

/** Parts 2 and 3, on the sliding-window detector's shipped output: loaded as the reader nears them. */
function Detector({ p, set }: { p: Values; set: SetParam }) {
  const res = useResource((signal) => loadShipped(MODELS_BASE_URL, { signal }), 'cnn-sliding-window');
  if (!res.value) return <LoadProgress id="detection-metrics-progress" what="the sliding-window detector's output" progress={res.progress} />;
  return (
    <>
      <NmsStepper shipped={res.value} p={p} set={set} />
      <WhenNear minHeight="75rem">
        <Scores shipped={res.value} p={p} set={set} />
      </WhenNear>
    </>
  );
}

// ---- 1. IoU of two boxes, dragged with the pointer or moved with the keyboard ----

const boxOf = (corner: readonly number[], size: readonly number[]): Box => [corner[0], corner[1], corner[0] + size[0], corner[1] + size[1]];
const clampInt = (v: number, lo: number, hi: number) => Math.round(Math.min(hi, Math.max(lo, v)));

function IouPlayground({ p, set }: { p: Values; set: SetParam }) {
  const A = boxOf(p.a, p.aSize);
  const B = boxOf(p.b, p.bSize);
  const [selected, setSelected] = useState<'a' | 'b'>('b');
  const drag = useRef<{ which: 'a' | 'b'; mode: 'move' | 'resize'; dx: number; dy: number } | null>(null);
  const inter = intersection(A, B);
  const interArea = inter ? (inter[2] - inter[0]) * (inter[3] - inter[1]) : 0;
  const areaA = p.aSize[0] * p.aSize[1];
  const areaB = p.bSize[0] * p.bSize[1];
  const value = iou(A, B);

  const move = (which: 'a' | 'b', x: number, y: number) => {
    const size = which === 'a' ? p.aSize : p.bSize;
    set(which, [clampInt(x, 0, FIELD - size[0]), clampInt(y, 0, FIELD - size[1])]);
  };
  const resize = (which: 'a' | 'b', w: number, h: number) => {
    const c = which === 'a' ? p.a : p.b;
    set(which === 'a' ? 'aSize' : 'bSize', [clampInt(w, 4, FIELD - c[0]), clampInt(h, 4, FIELD - c[1])]);
  };
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, colors: ThemeColors, unit: number) => {
      if (inter) strokeBox(ctx, inter, SERIES[2], unit, { fill: 0.35, width: 0 });
      for (const [which, b, color] of [['a', A, SERIES[0]], ['b', B, SERIES[1]]] as const) {
        strokeBox(ctx, b, color, unit, { width: which === selected ? 3 : 2, fill: 0.08 });
        ctx.fillStyle = color;
        ctx.fillRect(b[2] - 5 * unit * 2, b[3] - 5 * unit * 2, 10 * unit, 10 * unit);
        boxLabel(ctx, which.toUpperCase(), b[0] + 2 * unit, b[1] + 14 * unit, color, colors, unit);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [A.join(), B.join(), selected],
  );
  const down = (e: PointerEvent<HTMLCanvasElement>, [x, y]: [number, number]) => {
    for (const [which, b] of [['b', B], ['a', A]] as const) {
      const corner = Math.abs(x - b[2]) < 7 && Math.abs(y - b[3]) < 7;
      if (corner || (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3])) {
        drag.current = corner ? { which, mode: 'resize', dx: b[2] - x, dy: b[3] - y } : { which, mode: 'move', dx: b[0] - x, dy: b[1] - y };
        setSelected(which);
        e.currentTarget.setPointerCapture(e.pointerId);
        return;
      }
    }
  };
  const moveTo = (_: PointerEvent<HTMLCanvasElement>, [x, y]: [number, number]) => {
    const d = drag.current;
    if (!d) return;
    const c = d.which === 'a' ? p.a : p.b;
    if (d.mode === 'move') move(d.which, x + d.dx, y + d.dy);
    else resize(d.which, x + d.dx - c[0], y + d.dy - c[1]);
  };
  const key = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const steps: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (e.key === ' ' || e.key === 'Enter') {
      setSelected((s) => (s === 'a' ? 'b' : 'a'));
      e.preventDefault();
      return;
    }
    const st = steps[e.key];
    if (!st) return;
    e.preventDefault();
    const k = e.altKey ? 5 : 1;
    const c = selected === 'a' ? p.a : p.b;
    const s = selected === 'a' ? p.aSize : p.bSize;
    if (e.shiftKey) resize(selected, s[0] + st[0] * k, s[1] + st[1] * k);
    else move(selected, c[0] + st[0] * k, c[1] + st[1] * k);
  };
  return (
    <section aria-label="Intersection over union">
      <p className="demo-subtitle" style={{ margin: '0.2rem 0' }}>1. Intersection over union</p>
      <div className="plots" style={{ alignItems: 'center' }}>
        <BoxCanvas
          units={[FIELD, FIELD]}
          px={260}
          draw={draw}
          label={`Two boxes, A and B, overlapping with IoU ${value.toFixed(3)}. Focus and use the arrow keys to move box ${selected.toUpperCase()}, Shift + arrows to resize it, Space to switch box.`}
          focusable
          onPointerDown={down}
          onPointerMove={moveTo}
          onPointerUp={() => (drag.current = null)}
          onKeyDown={key}
        />
        <div>
          <p style={{ fontSize: '1.4rem', margin: '0 0 0.3rem' }} data-iou={value.toFixed(4)}>
            IoU = <strong>{value.toFixed(3)}</strong>
          </p>
          <p className="plot-caption" style={{ fontSize: '0.9rem' }}>
            |A ∩ B| = {interArea}, |A| = {areaA}, |B| = {areaB}: IoU = {interArea} / ({areaA} + {areaB} − {interArea}).{' '}
            {value >= 0.5 ? 'At the usual threshold 0.5 these two would match.' : 'Below 0.5: at the usual threshold these two would not match.'}
          </p>
          <p className="plot-caption">Drag a box, or its corner square to resize it. Keyboard: focus the picture, arrows move box {selected.toUpperCase()} (Alt: by 5), Shift + arrows resize it, Space switches box.</p>
        </div>
      </div>
    </section>
  );
}

// ---- 2. NMS step by step on one scene ----

function NmsStepper({ shipped, p, set }: { shipped: Shipped; p: Values; set: SetParam }) {
  const image = Math.min(shipped.scenes.length, p.scene) - 1;
  const scene = shipped.scenes[image];
  const method = p.method as NmsMethod;
  const shown = useMemo(
    () =>
      shipped.raw
        .filter((d) => d.image === image)
        .sort((x, y) => y.score - x.score)
        .slice(0, NMS_SHOWN),
    [shipped, image],
  );
  const trace = useMemo(() => nmsTrace(shown.map((d) => d.box), shown.map((d) => d.score), { method, iouThreshold: p.nmsIou, sigma: 0.5 }), [shown, method, p.nmsIou]);
  const [k, setK] = useState(0);
  useEffect(() => setK(0), [trace]);
  const step = trace[k - 1];
  const removed = new Set(trace.slice(0, k).flatMap((s) => s.removed));
  const kept = trace.slice(0, k).map((s) => s.pick);
  const scores = step ? step.scores : shown.map((d) => d.score);
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, colors: ThemeColors, unit: number) => {
      drawGray(ctx, scene.pixels, scene.size, scene.size, colors);
      for (const o of scene.objects) strokeBox(ctx, o.box, colors.muted, unit, { width: 1, dash: [3, 3] });
      shown.forEach((d, i) => {
        if (kept.includes(i)) return;
        if (removed.has(i)) strokeBox(ctx, d.box, SERIES[7], unit, { width: 1, alpha: 0.35 });
        else strokeBox(ctx, d.box, SERIES[0], unit, { width: 1, alpha: 0.25 + 0.75 * scores[i] });
      });
      for (const i of kept) {
        const current = step && i === step.pick;
        strokeBox(ctx, shown[i].box, current ? SERIES[1] : SERIES[2], unit, { width: current ? 3 : 2 });
        boxLabel(ctx, `${shown[i].cls} ${scores[i].toFixed(2)}`, shown[i].box[0], shown[i].box[1], current ? SERIES[1] : SERIES[2], colors, unit);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [scene, shown, k, trace],
  );
  const soft = method !== 'greedy';
  const status = !step
    ? `${shown.length} best windows of scene ${image + 1}, before suppression (dashed grey: the digits' true boxes).`
    : `Step ${k} of ${trace.length}: keep window ${step.pick + 1} (digit ${shown[step.pick].cls}, score ${scores[step.pick].toFixed(3)}); ` +
      (soft
        ? `rescore ${step.decayed.length} overlapping window${step.decayed.length === 1 ? '' : 's'}${step.removed.length ? `, drop ${step.removed.length} below 0.001` : ''}; ${step.open.length} left.`
        : `remove ${step.removed.length} window${step.removed.length === 1 ? '' : 's'} with IoU > ${p.nmsIou.toFixed(2)}; ${step.open.length} left.`);
  return (
    <section aria-label="Non-maximum suppression step by step">
      <p className="demo-subtitle" style={{ margin: '0.8rem 0 0.2rem' }}>2. Non-maximum suppression, step by step</p>
      <ParamControls table={metricsParams} values={p} onChange={set} only={['scene', 'method', 'nmsIou']} />
      <div className="controls" role="group" aria-label="NMS steps">
        <button type="button" data-nms="back" disabled={k === 0} onClick={() => setK(k - 1)}>
          ◀ Back
        </button>
        <button type="button" data-nms="next" disabled={k >= trace.length} onClick={() => setK(k + 1)}>
          Next NMS step ▶
        </button>
        <button type="button" data-nms="all" disabled={k >= trace.length} onClick={() => setK(trace.length)}>
          All steps
        </button>
      </div>
      <div className="plots" style={{ alignItems: 'start' }}>
        <BoxCanvas units={[scene.size, scene.size]} px={320} draw={draw} label={`Scene ${image + 1} with the detector's windows. ${status}`} />
        <p className="plot-caption" aria-live="polite" style={{ fontSize: '0.9rem' }} data-nms-step={k}>
          {status}
          <br />
          Green: kept; orange: kept at this step; blue: still open (fainter = lower score); grey: removed.
        </p>
      </div>
    </section>
  );
}

// ---- 3. mAP over all scenes, and the precision–recall curve of one digit built detection by detection ----

interface PrParams {
  cls: string;
  matchIou: number;
  method: string;
  nmsIou: number;
}

function Scores({ shipped, p, set }: { shipped: Shipped; p: Values; set: SetParam }) {
  // Mounted as the reader nears it (WhenNear); the curve builds while they see it.
  const ref = useRef<HTMLDivElement>(null);
  const seen = useOnScreen(ref);
  const s = useComputed((q) => mapSummary(shipped.raw, shipped.groundTruths, { method: q.method as NmsMethod, iouThreshold: q.nmsIou, sigma: 0.5 }), { method: p.method, nmsIou: p.nmsIou });
  const cls = Number(p.cls);
  // NMS runs per scene and digit: this digit's windows alone give its detections.
  const simulate = (q: PrParams) =>
    createPrBuild(
      nmsPerClass(shipped.raw.filter((d) => d.cls === Number(q.cls)), { method: q.method as NmsMethod, iouThreshold: q.nmsIou, sigma: 0.5 }),
      shipped.groundTruths.filter((g) => g.cls === Number(q.cls)),
      q.matchIou,
    );
  const q: PrParams = { cls: p.cls, matchIou: p.matchIou, method: p.method, nmsIou: p.nmsIou };
  const sim = useSimulation(simulate, q, { budget: 2000, autoplay: true, visible: seen, pace: { max: 2 }, converged: (f: PrFrame) => f.shown >= f.rows.length });
  const f = sim.frame;
  return (
    <div ref={ref}>
      <p className="plot-caption" style={{ fontSize: '0.9rem', color: 'var(--fg)' }} data-map={s ? s.vocAll.toFixed(4) : ''}>
        With this suppression applied per scene and digit to all {formatInt(shipped.raw.length)} windows of the {shipped.scenes.length} scenes ({s ? formatInt(s.kept) : '…'}{' '}
        detections kept, {shipped.groundTruths.length} digits): mAP@0.5 over the ten digits <strong>{s ? pct(s.vocAll) : '…'}</strong> (VOC all-point),{' '}
        {s ? pct(s.voc11) : '…'} (VOC 11-point), {s ? pct(s.coco101) : '…'} (COCO 101-point); COCO AP@[.5:.95] <strong>{s ? pct(s.coco) : '…'}</strong>.
      </p>
      <section aria-label="Precision and recall, detection by detection">
        <p className="demo-subtitle" style={{ margin: '0.8rem 0 0.2rem' }}>3. Precision–recall and AP, detection by detection</p>
        <ParamControls table={metricsParams} values={p} onChange={set} only={['cls', 'matchIou']} />
        <Transport sim={sim} status={f ? `${f.shown} of ${f.rows.length} detections of digit ${cls}, ${f.groundTruths} true ${cls}s` : ''} stepLabel="Next detection" />
        {f && (
          <>
            <div className="plots">
              {INTERPOLATIONS.map((m) => (
                <PrPlot key={m} frame={f} interpolation={m} />
              ))}
            </div>
            <PrTable frame={f} />
          </>
        )}
      </section>
    </div>
  );
}

function PrPlot({ frame, interpolation }: { frame: PrFrame; interpolation: Interpolation }) {
  const rows = frame.rows.slice(0, frame.shown);
  const coco = interpolation === 'coco101';
  const prec = rows.map((r) => (coco ? r.cocoPrecision : r.precision));
  const rec = rows.map((r) => (coco ? r.cocoRecall : r.recall));
  const pts = interpolationPoints(prec, rec, interpolation);
  const W = 200;
  const H = 150;
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, colors: ThemeColors, unit: number) => {
      const L = 26;
      const T = 8;
      const w = W - L - 6;
      const h = H - T - 22;
      const X = (r: number) => L + r * w;
      const Y = (q: number) => T + (1 - q) * h;
      ctx.strokeStyle = colors.line;
      ctx.lineWidth = unit;
      ctx.strokeRect(L, T, w, h);
      boxLabel(ctx, 'recall →', L + w - 44, H - 4, colors.muted, colors, unit * 1.4);
      boxLabel(ctx, '1', 8, T + 8, colors.muted, colors, unit * 1.4);
      boxLabel(ctx, '0', 8, T + h + 4, colors.muted, colors, unit * 1.4);
      // What the interpolation integrates, shaded.
      ctx.fillStyle = SERIES[2];
      ctx.globalAlpha = 0.3;
      if (interpolation === 'voc-all') {
        let prev = 0;
        pts.recall.forEach((r, i) => {
          ctx.fillRect(X(prev), Y(pts.precision[i]), X(r) - X(prev), Y(0) - Y(pts.precision[i]));
          prev = r;
        });
      } else {
        const bw = interpolation === 'voc11' ? w / 11 : w / 101;
        pts.recall.forEach((r, i) => ctx.fillRect(X(r) - bw / 2, Y(pts.precision[i]), bw * 0.8, Y(0) - Y(pts.precision[i])));
      }
      ctx.globalAlpha = 1;
      // The raw curve, one point per detection.
      ctx.strokeStyle = SERIES[0];
      ctx.lineWidth = 1.5 * unit;
      ctx.beginPath();
      rec.forEach((r, i) => (i ? ctx.lineTo(X(r), Y(prec[i])) : ctx.moveTo(X(r), Y(prec[i]))));
      ctx.stroke();
      if (rows.length) {
        ctx.fillStyle = SERIES[1];
        ctx.beginPath();
        ctx.arc(X(rec[rec.length - 1]), Y(prec[prec.length - 1]), 3 * unit * 1.4, 0, 2 * Math.PI);
        ctx.fill();
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [frame.shown, frame.rows, interpolation],
  );
  return (
    <figure style={{ margin: 0 }}>
      <BoxCanvas units={[W, H]} px={300} draw={draw} label={`Precision against recall after ${frame.shown} detections, with the ${INTERPOLATION_NAMES[interpolation]} interpolation shaded: AP ${pct(frame.ap[interpolation])}`} style={{ width: '100%' }} />
      <figcaption className="plot-caption" data-ap={interpolation} data-value={frame.ap[interpolation].toFixed(4)}>
        {INTERPOLATION_NAMES[interpolation]}: AP = <strong>{pct(frame.ap[interpolation])}</strong>
        {coco ? ' (COCO matching)' : ' (VOC matching)'}
      </figcaption>
    </figure>
  );
}

function PrTable({ frame }: { frame: PrFrame }) {
  const last = frame.rows.slice(Math.max(0, frame.shown - 8), frame.shown);
  const first = Math.max(0, frame.shown - 8);
  const differ = frame.rows.slice(0, frame.shown).filter((r) => r.voc !== r.coco).length;
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="stats" style={{ fontSize: '0.85rem' }}>
        <caption>
          The last detections taken, in descending score: matched at IoU ≥ threshold by VOC&apos;s rule and by COCO&apos;s{differ ? ` (the rules disagree on ${differ} so far)` : ''}
        </caption>
        <ColumnHeads names={['rank', 'scene', 'score', 'IoU', 'VOC', 'COCO', 'precision', 'recall']} />
        <tbody>
          {last.map((r, i) => (
            <tr key={first + i} style={r.voc !== r.coco ? { fontWeight: 600 } : undefined}>
              <td>{first + i + 1}</td>
              <td>{r.image + 1}</td>
              <td>{r.score.toFixed(3)}</td>
              <td>{r.iou.toFixed(2)}</td>
              <td style={{ color: r.voc ? SERIES[2] : SERIES[1] }}>{r.voc ? 'TP' : 'FP'}</td>
              <td style={{ color: r.coco ? SERIES[2] : SERIES[1] }}>{r.coco ? 'TP' : 'FP'}</td>
              <td>{r.precision.toFixed(3)}</td>
              <td>{r.recall.toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
