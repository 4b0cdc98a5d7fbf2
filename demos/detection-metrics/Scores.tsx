'use client';
/** Part 3: mAP over all scenes, and the precision–recall curve of one digit built detection by detection. */
import { useCallback, useRef } from 'react';
import { useComputed } from '../ui/useLatest';
import { useOnScreen } from '../ui/useOnScreen';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { ColumnHeads } from '../ui/ColumnHeads';
import { SERIES } from '../ui/plots/palette';
import { formatInt, formatPercent } from '../ui/plots/scale';
import { BoxCanvas, boxLabel } from '../ui/plots/boxes';
import type { ThemeColors } from '../ui/plots/useTheme';
import {
  INTERPOLATION_NAMES,
  INTERPOLATIONS,
  interpolationPoints,
  iou,
  mapSummary,
  nmsPerClass,
  createPrBuild,
  type Interpolation,
  type NmsMethod,
  type PrFrame,
  type Shipped,
} from './model';
import { metricsParams } from './params';
import { type Values, type SetParam } from './display';

interface PrParams {
  cls: string;
  matchIou: number;
  method: string;
  nmsIou: number;
}

export function Scores({ shipped, p, set }: { shipped: Shipped; p: Values; set: SetParam }) {
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
        detections kept, {shipped.groundTruths.length} digits): mAP@0.5 over the ten digits <strong>{s ? formatPercent(s.vocAll) : '…'}</strong> (VOC all-point),{' '}
        {s ? formatPercent(s.voc11) : '…'} (VOC 11-point), {s ? formatPercent(s.coco101) : '…'} (COCO 101-point); COCO AP@[.5:.95] <strong>{s ? formatPercent(s.coco) : '…'}</strong>.
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
      <BoxCanvas units={[W, H]} px={300} draw={draw} label={`Precision against recall after ${frame.shown} detections, with the ${INTERPOLATION_NAMES[interpolation]} interpolation shaded: AP ${formatPercent(frame.ap[interpolation])}`} style={{ width: '100%' }} />
      <figcaption className="plot-caption" data-ap={interpolation} data-value={frame.ap[interpolation].toFixed(4)}>
        {INTERPOLATION_NAMES[interpolation]}: AP = <strong>{formatPercent(frame.ap[interpolation])}</strong>
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
