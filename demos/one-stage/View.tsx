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
import { useJob, useJobRun } from '../ui/useJob';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { useThemeColors } from '../ui/plots/useTheme';
import { drawScaled } from '../ui/plots/boxes';
import { detect, EASY, focalTerm, heldOutScenes, initialFlat, lossShares, SCENE, type CellProbabilities, type SceneDetection } from './model';
import { HELD_OUT, TEST_DIGITS, type TrainInput, type TrainProgress } from './train';
import { detectorParams, focalParams } from './params';

/** Scenes shown at a time, scenes whose cells feed the focal-loss panel, and the score a drawn box needs. */
const PER_PAGE = 6;
const CELL_SCENES = 16;
const SHOW_SCORE = 0.3;
const loadTest = digitsLoader('test', TEST_DIGITS);
const pct = (x: number) => `${(100 * x).toFixed(1)}\u00a0%`;

/** One scene: the digits, their true boxes dashed, the detector's boxes (score ≥ SHOW_SCORE) with class and score. */
function SceneView({ scene, detections, index }: { scene: Scene; detections: SceneDetection[]; index: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const Z = 3;
  const shown = detections.filter((d) => d.score >= SHOW_SCORE);
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
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
  }, [scene, shown, colors]);
  const said = shown.map((d) => `${d.cls} (${d.score.toFixed(2)})`).join(', ') || 'nothing';
  return (
    <figure style={{ margin: 0 }}>
      <canvas
        ref={ref}
        width={SCENE * Z}
        height={SCENE * Z}
        role="img"
        aria-label={`Held-out scene ${index + 1}: digits ${scene.objects.map((o) => o.cls).join(', ')}; detected ${said}`}
        style={{ display: 'block', width: '100%', maxWidth: SCENE * Z, border: '1px solid var(--line)' }}
      />
      <figcaption className="plot-caption">
        true {scene.objects.map((o) => o.cls).join(' ')} · found {shown.map((d) => d.cls).join(' ') || '–'}
      </figcaption>
    </figure>
  );
}

interface Inference {
  flat: Float32Array;
  scenes: Scene[];
}

/** Shares of the objectness loss under cross-entropy and under the focal loss, on the detector's own cells. */
function Shares({ cells, gamma, alpha }: { cells: CellProbabilities; gamma: number; alpha: number }) {
  const ce = lossShares(cells, 0, 0.5);
  const fl = lossShares(cells, gamma, alpha);
  const rows = [
    { name: `easy negatives (p_t > ${EASY})`, key: 'easyNegatives' as const },
    { name: 'other negatives', key: 'hardNegatives' as const },
    { name: 'positives (an object’s cell)', key: 'positives' as const },
  ];
  return (
    <table className="stats" data-easy-ce={ce.easyNegatives} data-easy-focal={fl.easyNegatives} style={{ fontVariantNumeric: 'tabular-nums', fontSize: '0.85rem' }}>
      <caption style={{ captionSide: 'top', textAlign: 'left', color: 'var(--muted)', fontSize: '0.8rem' }}>
        Who carries the loss, over the {cells.p.length.toLocaleString('en-US')} cells of {CELL_SCENES} held-out scenes as the detector sees them now
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
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row" style={{ textAlign: 'left', fontWeight: 400 }}>{r.name}</th>
            <td style={{ textAlign: 'right' }}>{ce.counts[r.key]}</td>
            <td style={{ textAlign: 'right' }}>{pct(ce[r.key])}</td>
            <td style={{ textAlign: 'right' }}>{pct(fl[r.key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const infer = (q: Inference) => detect(q.flat, q.scenes);

const P_T = Array.from({ length: 100 }, (_, i) => 0.01 + (0.99 * i) / 99);

/** A tiny YOLO-style detector trained in a worker on scenes of MNIST digits; its detections and mAP on held-out scenes; the focal loss. */
export default function OneStageView() {
  const { values: p, set } = useDemoParams(detectorParams);
  const { values: f, set: setFocal } = useDemoParams(focalParams);
  const test = useResource<MnistArrays>(loadTest, 'test');
  const [page, setPage] = useState(0);
  // Scenes are composed in order from one seeded stream, so the first k of the worker's 200 are composed alone (the first result waits for 16, not 200).
  const needed = Math.max(CELL_SCENES, (page + 1) * PER_PAGE);
  const held = useMemo(() => (test.value ? heldOutScenes(test.value, needed, p.seed) : null), [test.value, needed, p.seed]);
  const pages = HELD_OUT / PER_PAGE;

  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const input: TrainInput = useMemo(() => ({ seed: p.seed, steps: Number(p.steps), gamma: p.gamma }), [p.seed, p.steps, p.gamma]);
  const { run, start } = useJobRun(job, input);
  const flat = useMemo(() => run?.flat ?? initialFlat(p.seed), [run?.flat, p.seed]);

  // The shown scenes first (the first result), then the cells of the focal-loss panel, which change only with the parameters.
  const latest = useLatest(held ? infer : null);
  const { submit } = latest;
  useEffect(() => {
    if (held) submit({ flat, scenes: held.slice(page * PER_PAGE, (page + 1) * PER_PAGE) });
  }, [held, flat, page, submit]);
  const shownFirst = latest.result !== null;
  useReady(shownFirst);
  const cellsOf = useLatest(held && shownFirst ? infer : null);
  const { submit: submitCells } = cellsOf;
  const cellScenes = useMemo(() => (test.value ? heldOutScenes(test.value, CELL_SCENES, p.seed) : null), [test.value, p.seed]);
  useEffect(() => {
    if (cellScenes) submitCells({ flat, scenes: cellScenes });
  }, [cellScenes, flat, submitCells]);
  const result = latest.result;
  const cells = cellsOf.result?.cells ?? null;
  const scenes = latest.input?.scenes ?? [];

  const last = run && run.map.length ? run.map[run.map.length - 1] : null;
  const who = run ? `after ${run.mapAt[run.mapAt.length - 1] ?? 0} steps` : 'untrained (step 0)';
  const status = run
    ? `step ${run.steps.toLocaleString('en-US')} of ${run.total.toLocaleString('en-US')} · mAP@0.5 ${last === null ? '–' : last.toFixed(3)} at step ${run.mapAt.at(-1)} · ${run.trainSeconds.toFixed(1)} s of training${job.result ? '' : ' so far'}`
    : job.state === 'running'
      ? 'loading 10,000 training and 5,000 test digits…'
      : undefined;

  return (
    <div className="one-stage-demo">
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={() => setPage((k) => (k + 1) % pages)}>
          Next scenes
        </button>
        <span className="status-line">
          held-out scenes {page * PER_PAGE + 1}–{(page + 1) * PER_PAGE} of {HELD_OUT}, the detector {who}
        </span>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: '0.6rem', maxWidth: '40rem' }}>
        {scenes.map((s, i) => (
          <SceneView key={page * PER_PAGE + i} scene={s} detections={result?.detections[i] ?? []} index={page * PER_PAGE + i} />
        ))}
      </div>
      {!held && <p className="status-line">Loading test digits… {Math.round(100 * test.progress)} %</p>}
      <p className="plot-caption">Dashed: the true boxes. Coloured: the detector’s boxes after NMS with a score of at least {SHOW_SCORE} (class and score on each).</p>

      <TrainingSection label="Train the detector" table={detectorParams} values={p} onChange={set} job={job} onStart={start} status={status}>
        <Chart label="mAP@0.5 on 200 held-out scenes" series={[{ label: 'mAP@0.5', color: SERIES[2], values: run?.map ?? [] }]} x={run?.mapAt ?? []} yLabel="mAP@0.5" yMin={0} yMax={1} height={180} />
        <Chart label="Training loss" series={[{ label: 'loss', color: SERIES[0], values: run?.loss ?? [] }]} x={run?.lossAt ?? []} log height={180} />
      </TrainingSection>

      <section aria-label="The focal loss" style={{ marginTop: '0.8rem', paddingTop: '0.6rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.4rem', fontSize: '0.95rem' }}>
          <strong>The focal loss.</strong> FL(p_t) = −α_t (1 − p_t)^γ log p_t against cross-entropy −log p_t, and the share of each loss that the
          detector’s own cells carry.
        </p>
        <ParamControls table={focalParams} values={f} onChange={setFocal} />
        <Chart
          label="Loss of one example against p_t, the probability of its true label"
          series={[
            { label: 'cross-entropy', color: SERIES[0], values: P_T.map((q) => focalTerm(q, 0)) },
            { label: `FL, γ = ${f.fgamma}`, color: SERIES[1], values: P_T.map((q) => focalTerm(q, f.fgamma)) },
          ]}
          x={P_T}
          xLabel="p_t"
          yLabel="loss"
          yMin={0}
          yMax={5}
          height={180}
        />
        {cells && <Shares cells={cells} gamma={f.fgamma} alpha={f.alpha} />}
      </section>
    </div>
  );
}
