'use client';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MnistArrays } from '../runtime/data/idx';
import { digitsLoader } from '../runtime/data/loader';
import type { Scene } from '../runtime/data/scenes';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { TrainingSection } from '../ui/controls/TrainingSection';
import { useResource } from '../ui/useResource';
import { useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useEvaluated, useJob, useJobRun } from '../ui/useJob';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { drawGrayScaled } from '../ui/plots/boxes';
import { useThemeColors } from '../ui/plots/useTheme';
import { HEAT, heldOutScenes, initialFlat, keypointsFromHeatmaps, pck, predictHeatmaps, SCENE, type KeypointKind, type KeypointResult } from './model';
import { HELD_OUT, TEST_DIGITS, TRACKED_ALPHA, TRAIN_DIGITS, type TrainInput, type TrainProgress } from './train';
import { pckParams, poseParams } from './params';

/** Scenes shown at a time; the α grid of the PCK curve. */
const PER_PAGE = 6;
const ALPHAS = Array.from({ length: 50 }, (_, i) => (i + 1) / 100);
const loadTest = digitsLoader('test', TEST_DIGITS);
const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)}\u00a0%`);

/** One scene: the digits, the predicted heatmap over them, the true keypoints (rings) and the predicted ones (crosses). */
function SceneView({ scene, heat, found, alpha, index }: { scene: Scene; heat: Float32Array | null; found: KeypointResult[]; alpha: number; index: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const Z = 4;
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
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
  }, [scene, heat, found, alpha, colors]);
  const hits = found.filter((k) => k.normDist <= alpha).length;
  return (
    <figure style={{ margin: 0 }}>
      <canvas
        ref={ref}
        width={SCENE * Z}
        height={SCENE * Z}
        role="img"
        aria-label={`Held-out scene ${index + 1}: ${found.length} digits, ${hits} keypoints within α of the truth`}
        style={{ display: 'block', width: '100%', maxWidth: SCENE * Z, border: '1px solid var(--line)' }}
      />
      <figcaption className="plot-caption">
        {hits} of {found.length} within α · errors {found.map((k) => k.normDist.toFixed(2)).join(', ')}
      </figcaption>
    </figure>
  );
}

interface Inference {
  flat: Float32Array;
  scenes: Scene[];
  kind: KeypointKind;
}

const infer = async (q: Inference) => {
  const heat = await predictHeatmaps(q.flat, q.scenes);
  return { heat, found: keypointsFromHeatmaps(heat, q.scenes, q.kind) };
};

/** A small heatmap-regression network trained in a worker to find a keypoint of every digit in scenes of MNIST digits; PCK on held-out scenes. */
export default function PoseView() {
  const { values: p, set } = useDemoParams(poseParams);
  const { values: a, set: setAlpha } = useDemoParams(pckParams);
  const kind = p.keypoint as KeypointKind;
  const test = useResource<MnistArrays>(loadTest, 'test');
  const [page, setPage] = useState(0);
  const pages = HELD_OUT / PER_PAGE;
  // Scenes are composed in order from one seeded stream: the page's first k are the worker's first k.
  const held = useMemo(() => (test.value ? heldOutScenes(test.value, (page + 1) * PER_PAGE, p.seed).slice(page * PER_PAGE) : null), [test.value, page, p.seed]);

  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const input: TrainInput = useMemo(() => ({ seed: p.seed, steps: Number(p.steps), keypoint: kind }), [p.seed, p.steps, kind]);
  const { run, start } = useJobRun(job, input);
  const trained = useEvaluated(run?.flat, run?.pckAt.at(-1) ?? -1);
  const flat = useMemo(() => trained ?? initialFlat(p.seed), [trained, p.seed]);

  const latest = useLatest(held ? infer : null);
  const { submit } = latest;
  useEffect(() => {
    if (held) submit({ flat, scenes: held, kind });
  }, [held, flat, kind, submit]);
  useReady(latest.result !== null);
  const result = latest.result;
  const shown = latest.input?.scenes ?? [];
  const shownDists = result ? result.found.flat().map((k) => k.normDist) : [];

  const evalAt = run?.pckAt.at(-1);
  const heldPck = run && run.normDists.length ? pck(run.normDists, a.alpha) : NaN;
  const status = run
    ? `step ${run.steps.toLocaleString('en-US')} of ${run.total.toLocaleString('en-US')} · PCK@${a.alpha} ${pct(heldPck)} on ${run.digits} held-out digits at step ${evalAt} · ${run.trainSeconds.toFixed(1)} s of training${job.result ? '' : ' so far'}`
    : job.state === 'running'
      ? `loading ${TRAIN_DIGITS.toLocaleString('en-US')} training and ${TEST_DIGITS.toLocaleString('en-US')} test digits…`
      : undefined;
  const who = run ? `after ${evalAt ?? 0} steps` : 'untrained (step 0)';

  return (
    <div className="pose-demo">
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={() => setPage((k) => (k + 1) % pages)}>
          Next scenes
        </button>
        <span className="status-line">
          held-out scenes {page * PER_PAGE + 1}–{(page + 1) * PER_PAGE} of {HELD_OUT}, the network {who}: PCK@{a.alpha} {pct(pck(shownDists, a.alpha))} on their {shownDists.length} digits
        </span>
      </div>
      <ParamControls table={pckParams} values={a} onChange={setAlpha} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: '0.6rem', maxWidth: '40rem' }}>
        {shown.map((s, i) => (
          <SceneView key={page * PER_PAGE + i} scene={s} heat={result ? result.heat.subarray(i * HEAT * HEAT, (i + 1) * HEAT * HEAT) : null} found={result?.found[i] ?? []} alpha={a.alpha} index={page * PER_PAGE + i} />
        ))}
      </div>
      {!held && <p className="status-line">Loading test digits… {Math.round(100 * test.progress)} %</p>}
      <p className="plot-caption">
        Orange: the predicted heatmap. Rings: the true keypoints ({kind === 'top' ? 'the middle of each digit’s topmost row of ink' : 'each digit’s centre of mass'}). Crosses: the heatmap’s maximum near each digit, green when
        within α × the digit’s height of the truth, pink when not.
      </p>

      <TrainingSection label="Train the keypoint network" table={poseParams} values={p} onChange={set} job={job} onStart={start} status={status}>
        <Chart label={`PCK@${TRACKED_ALPHA} on the digits of ${HELD_OUT} held-out scenes`} series={[{ label: `PCK@${TRACKED_ALPHA}`, color: SERIES[2], values: run?.pck ?? [] }]} x={run?.pckAt ?? []} xLabel="step" yLabel="PCK" yMin={0} yMax={1} height={180} />
        <Chart label="Training loss (squared error of the heatmaps)" series={[{ label: 'loss', color: SERIES[0], values: run?.loss ?? [] }]} x={run?.lossAt ?? []} xLabel="step" yLabel="loss" log height={180} />
        <Chart
          label="PCK against the threshold α, held-out digits, last evaluation"
          series={[{ label: 'PCK', color: SERIES[4], values: run && run.normDists.length ? ALPHAS.map((t) => pck(run.normDists, t)) : [] }]}
          x={ALPHAS}
          xLabel="α"
          yLabel="PCK"
          yMin={0}
          yMax={1}
          height={180}
        />
      </TrainingSection>
    </div>
  );
}
