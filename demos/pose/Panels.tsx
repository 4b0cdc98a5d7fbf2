'use client';
import { useCallback, type ReactNode } from 'react';
import type { Scene } from '../runtime/data/scenes';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { drawGrayScaled, ZoomedCanvas } from '../ui/plots/boxes';
import type { ThemeColors } from '../ui/plots/useTheme';
import { HEAT, pck, SCENE, type KeypointResult } from './model';
import { TRACKED_ALPHA, type TrainProgress } from './train';

/** The α grid of the PCK curve. */
const ALPHAS = Array.from({ length: 50 }, (_, i) => (i + 1) / 100);

/** One scene: the digits, the predicted heatmap over them, the true keypoints (rings) and the predicted ones (crosses). */
function SceneView({ scene, heat, found, alpha, index }: { scene: Scene; heat: Float32Array | null; found: KeypointResult[]; alpha: number; index: number }) {
  const Z = 4;
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, colors: ThemeColors) => {
      drawGrayScaled(ctx, scene.image, SCENE, Z, colors, 1);
      if (heat) {
        const cell = (SCENE / HEAT) * Z;
        ctx.fillStyle = SERIES[1];
        for (let i = 0; i < HEAT * HEAT; i++) {
          const h = Math.min(1, Math.max(0, heat[i]));
          if (h < 0.04) continue;
          ctx.globalAlpha = 0.8 * h;
          ctx.fillRect((i % HEAT) * cell, Math.floor(i / HEAT) * cell, cell, cell);
        }
        ctx.globalAlpha = 1;
      }
      ctx.lineWidth = 2;
      for (const k of found) {
        ctx.strokeStyle = colors.fg;
        ctx.beginPath();
        ctx.arc(k.truth.x * Z, k.truth.y * Z, 5, 0, 2 * Math.PI);
        ctx.stroke();
        ctx.strokeStyle = k.normDist <= alpha ? SERIES[2] : SERIES[3];
        const [x, y] = [k.pred.x * Z, k.pred.y * Z];
        ctx.beginPath();
        ctx.moveTo(x - 6, y - 6);
        ctx.lineTo(x + 6, y + 6);
        ctx.moveTo(x + 6, y - 6);
        ctx.lineTo(x - 6, y + 6);
        ctx.stroke();
      }
    },
    [scene, heat, found, alpha],
  );
  const hits = found.filter((k) => k.normDist <= alpha).length;
  return (
    <ZoomedCanvas
      side={SCENE}
      zoom={Z}
      draw={draw}
      label={`Held-out scene ${index + 1}: ${found.length} digits, ${hits} keypoints within α of the truth`}
      caption={`${hits} of ${found.length} within α · errors ${found.map((k) => k.normDist.toFixed(2)).join(', ')}`}
    />
  );
}

/** The shown held-out scenes (the first is number `first` + 1) with heatmaps and keypoints, `children` (a loading line) and the key. */
export function Scenes({ scenes, result, first, alpha, meaning, children }: { scenes: Scene[]; result: { heat: Float32Array; found: KeypointResult[][] } | null; first: number; alpha: number; meaning: string; children?: ReactNode }) {
  return (
    <>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: '0.6rem', maxWidth: '40rem' }}>
        {scenes.map((s, i) => (
          <SceneView key={first + i} scene={s} heat={result ? result.heat.subarray(i * HEAT * HEAT, (i + 1) * HEAT * HEAT) : null} found={result?.found[i] ?? []} alpha={alpha} index={first + i} />
        ))}
      </div>
      {children}
      <p className="plot-caption">
        Orange: the predicted heatmap. Rings: the true keypoints ({meaning}). Crosses: the heatmap’s maximum near each digit, green when within α × the digit’s height of the truth, pink when not.
      </p>
    </>
  );
}

/** PCK@TRACKED_ALPHA and the training loss over the run, and PCK against α at the last evaluation. */
export function TrainingCharts({ run, heldOut }: { run: TrainProgress | null; heldOut: number }) {
  const curve = run && run.normDists.length ? ALPHAS.map((t) => pck(run.normDists, t)) : [];
  return (
    <>
      <Chart label={`PCK@${TRACKED_ALPHA} on the digits of ${heldOut} held-out scenes`} series={[{ label: `PCK@${TRACKED_ALPHA}`, color: SERIES[2], values: run?.pck ?? [] }]} x={run?.pckAt ?? []} xLabel="step" yLabel="PCK" yMin={0} yMax={1} height={180} />
      <Chart label="Training loss (squared error of the heatmaps)" series={[{ label: 'loss', color: SERIES[0], values: run?.loss ?? [] }]} x={run?.lossAt ?? []} xLabel="step" yLabel="loss" log height={180} />
      <Chart label="PCK against the threshold α, held-out digits, last evaluation" series={[{ label: 'PCK', color: SERIES[4], values: curve }]} x={ALPHAS} xLabel="α" yLabel="PCK" yMin={0} yMax={1} height={180} />
    </>
  );
}
