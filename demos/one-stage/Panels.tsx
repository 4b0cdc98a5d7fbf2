'use client';
import { useCallback, useMemo, type ReactNode } from 'react';
import type { Scene } from '../runtime/data/scenes';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import type { ThemeColors } from '../ui/plots/useTheme';
import { drawScaled, ZoomedCanvas } from '../ui/plots/boxes';
import { focalTerm, SCENE, type CellProbabilities, type SceneDetection } from './model';
import type { TrainProgress } from './train';
import { shareTable } from './display';
import { formatNumber } from '../ui/plots/scale';

/** The score a drawn box needs. */
const SHOW_SCORE = 0.3;

/** One scene: the digits, their true boxes dashed, the detector's boxes (score ≥ SHOW_SCORE) with class and score. */
function SceneView({ scene, detections, index }: { scene: Scene; detections: SceneDetection[]; index: number }) {
  const Z = 3;
  const shown = useMemo(() => detections.filter((d) => d.score >= SHOW_SCORE), [detections]);
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, colors: ThemeColors) => {
      drawScaled(ctx, SCENE, Z, colors, (ictx) => {
        ictx.fillStyle = colors.fg;
        for (let i = 0; i < SCENE * SCENE; i++) {
          const v = scene.image[i];
          if (v <= 0) continue;
          ictx.globalAlpha = Math.min(1, v);
          ictx.fillRect(i % SCENE, Math.floor(i / SCENE), 1, 1);
        }
      });
      ctx.lineWidth = 1.5;
      ctx.setLineDash([4, 3]);
      ctx.strokeStyle = colors.muted;
      for (const o of scene.objects) ctx.strokeRect(o.box[0] * Z, o.box[1] * Z, (o.box[2] - o.box[0]) * Z, (o.box[3] - o.box[1]) * Z);
      ctx.setLineDash([]);
      ctx.lineWidth = 2;
      ctx.font = `600 12px ${colors.font}`;
      for (const d of shown) {
        const c = SERIES[d.cls % SERIES.length];
        const [x1, y1, x2, y2] = d.box.map((v) => v * Z);
        ctx.strokeStyle = c;
        ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
        const text = `${d.cls} ${d.score.toFixed(2)}`;
        const w = ctx.measureText(text).width + 6;
        const ty = Math.max(0, y1 - 15);
        ctx.fillStyle = c;
        ctx.fillRect(x1, ty, w, 15);
        ctx.fillStyle = '#ffffff';
        ctx.fillText(text, x1 + 3, ty + 12);
      }
    },
    [scene, shown],
  );
  const said = shown.map((d) => `${d.cls} (${d.score.toFixed(2)})`).join(', ') || 'nothing';
  const truth = scene.objects.map((o) => o.cls);
  return (
    <ZoomedCanvas
      side={SCENE}
      zoom={Z}
      draw={draw}
      label={`Held-out scene ${index + 1}: digits ${truth.join(', ')}; detected ${said}`}
      caption={`true ${truth.join(' ')} · found ${shown.map((d) => d.cls).join(' ') || '–'}`}
    />
  );
}

/** The shown held-out scenes (the first is number `first` + 1) with the detector's boxes, `children` (a loading line) and the key. */
export function Scenes({ scenes, detections, first, children }: { scenes: Scene[]; detections: SceneDetection[][] | null; first: number; children?: ReactNode }) {
  return (
    <>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: '0.6rem', maxWidth: '40rem' }}>
        {scenes.map((s, i) => (
          <SceneView key={first + i} scene={s} detections={detections?.[i] ?? []} index={first + i} />
        ))}
      </div>
      {children}
      <p className="plot-caption">Dashed: the true boxes. Coloured: the detector’s boxes after NMS with a score of at least {SHOW_SCORE} (class and score on each).</p>
    </>
  );
}

/** mAP@0.5 on the held-out scenes and the training loss over the run. */
export function TrainingCharts({ run, heldOut }: { run: TrainProgress | null; heldOut: number }) {
  return (
    <>
      <Chart label={`mAP@0.5 on ${heldOut} held-out scenes`} series={[{ label: 'mAP@0.5', color: SERIES[2], values: run?.map ?? [] }]} x={run?.mapAt ?? []} yLabel="mAP@0.5" yMin={0} yMax={1} height={180} />
      <Chart label="Training loss" series={[{ label: 'loss', color: SERIES[0], values: run?.loss ?? [] }]} x={run?.lossAt ?? []} log height={180} />
    </>
  );
}

const P_T = Array.from({ length: 100 }, (_, i) => 0.01 + (0.99 * i) / 99);

/** FL(p_t) at γ against cross-entropy, for p_t in (0, 1]. */
export function FocalCurve({ gamma }: { gamma: number }) {
  const series = [
    { label: 'cross-entropy', color: SERIES[0], values: P_T.map((q) => focalTerm(q, 0)) },
    { label: `FL, γ = ${gamma}`, color: SERIES[1], values: P_T.map((q) => focalTerm(q, gamma)) },
  ];
  return <Chart label="Loss of one example against p_t, the probability of its true label" series={series} x={P_T} xLabel="p_t" yLabel="loss" yMin={0} yMax={5} height={180} />;
}

/** Shares of the objectness loss under cross-entropy and under the focal loss, on the detector's own cells of `scenes` scenes. */
export function Shares({ cells, gamma, alpha, scenes }: { cells: CellProbabilities; gamma: number; alpha: number; scenes: number }) {
  const t = shareTable(cells, gamma, alpha);
  return (
    <table className="stats" data-easy-ce={t.easyCe} data-easy-focal={t.easyFocal} style={{ fontVariantNumeric: 'tabular-nums', fontSize: '0.85rem' }}>
      <caption style={{ captionSide: 'top', textAlign: 'left', color: 'var(--muted)', fontSize: '0.8rem' }}>
        Who carries the loss, over the {formatNumber(cells.p.length)} cells of {scenes} held-out scenes as the detector sees them now
      </caption>
      <thead>
        <tr>
          <th scope="col" style={{ textAlign: 'left' }}>cells</th>
          <th scope="col">count</th>
          <th scope="col">share of CE</th>
          <th scope="col">share of FL (γ = {gamma}, α = {alpha})</th>
        </tr>
      </thead>
      <tbody>
        {t.rows.map((r) => (
          <tr key={r.key}>
            <th scope="row" style={{ textAlign: 'left', fontWeight: 400 }}>{r.name}</th>
            {r.cells.map((c, i) => (
              <td key={i} style={{ textAlign: 'right' }}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
