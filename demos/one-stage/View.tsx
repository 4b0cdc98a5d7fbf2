'use client';
import { useMemo, useState } from 'react';
import type { MnistArrays } from '../runtime/data/idx';
import { digitsLoader } from '../runtime/data/loader';
import type { Scene } from '../runtime/data/scenes';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { TrainingSection } from '../ui/controls/TrainingSection';
import { useResource } from '../ui/useResource';
import { useLatestOf } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useJob, useJobRun } from '../ui/useJob';
import { detect, heldOutScenes, initialFlat } from './model';
import { HELD_OUT, TEST_DIGITS, type TrainInput, type TrainProgress } from './train';
import { detectorParams, focalParams } from './params';
import { trainingStatus, whoDetects } from './display';
import { FocalCurve, Scenes, Shares, TrainingCharts } from './Panels';

/** Scenes shown at a time, and scenes whose cells feed the focal-loss panel. */
const PER_PAGE = 6;
const CELL_SCENES = 16;
const loadTest = digitsLoader('test', TEST_DIGITS);

const infer = (q: { flat: Float32Array; scenes: Scene[] }) => detect(q.flat, q.scenes);

/** A tiny YOLO-style detector trained in a worker on scenes of MNIST digits; its detections and mAP on held-out scenes; the focal loss. */
export default function OneStageView() {
  const { values: p, set } = useDemoParams(detectorParams);
  const { values: f, set: setFocal } = useDemoParams(focalParams);
  const test = useResource<MnistArrays>(loadTest, 'test');
  const [page, setPage] = useState(0);
  // Scenes are composed in order from one seeded stream, so the first k of the worker's 200 are composed alone (the first result waits for 16, not 200).
  const needed = Math.max(CELL_SCENES, (page + 1) * PER_PAGE);
  const held = useMemo(() => (test.value ? heldOutScenes(test.value, needed, p.seed) : null), [test.value, needed, p.seed]);
  const pageScenes = useMemo(() => held?.slice(page * PER_PAGE, (page + 1) * PER_PAGE), [held, page]);
  const cellScenes = useMemo(() => (test.value ? heldOutScenes(test.value, CELL_SCENES, p.seed) : null), [test.value, p.seed]);
  const pages = HELD_OUT / PER_PAGE;

  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const { run, start } = useJobRun(job, useMemo(() => ({ seed: p.seed, steps: Number(p.steps), gamma: p.gamma }), [p.seed, p.steps, p.gamma]));
  const flat = useMemo(() => run?.flat ?? initialFlat(p.seed), [run?.flat, p.seed]);

  // The shown scenes first (the first result), then the cells of the focal-loss panel, which change only with the parameters.
  const latest = useLatestOf(held ? infer : null, pageScenes ? { flat, scenes: pageScenes } : null);
  const shownFirst = latest.result !== null;
  useReady(shownFirst);
  const cells = useLatestOf(held && shownFirst ? infer : null, cellScenes ? { flat, scenes: cellScenes } : null).result?.cells ?? null;

  return (
    <div className="one-stage-demo">
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={() => setPage((k) => (k + 1) % pages)}>
          Next scenes
        </button>
        <span className="status-line">
          held-out scenes {page * PER_PAGE + 1}–{(page + 1) * PER_PAGE} of {HELD_OUT}, the detector {whoDetects(run)}
        </span>
      </div>
      <Scenes scenes={latest.input?.scenes ?? []} detections={latest.result?.detections ?? null} first={page * PER_PAGE}>
        {!held && <p className="status-line">Loading test digits… {Math.round(100 * test.progress)} %</p>}
      </Scenes>

      <TrainingSection label="Train the detector" table={detectorParams} values={p} onChange={set} job={job} onStart={start} status={trainingStatus(run, Boolean(job.result), job.state === 'running')}>
        <TrainingCharts run={run} heldOut={HELD_OUT} />
      </TrainingSection>

      <section aria-label="The focal loss" style={{ marginTop: '0.8rem', paddingTop: '0.6rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.4rem', fontSize: '0.95rem' }}>
          <strong>The focal loss.</strong> FL(p_t) = −α_t (1 − p_t)^γ log p_t against cross-entropy −log p_t, and the share of each loss that the
          detector’s own cells carry.
        </p>
        <ParamControls table={focalParams} values={f} onChange={setFocal} />
        <FocalCurve gamma={f.fgamma} />
        {cells && <Shares cells={cells} gamma={f.fgamma} alpha={f.alpha} scenes={CELL_SCENES} />}
      </section>
    </div>
  );
}
