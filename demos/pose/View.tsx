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
import { useEvaluated, useJob, useJobRun } from '../ui/useJob';
import { heldOutScenes, initialFlat, keypointsFromHeatmaps, pck, predictHeatmaps, type KeypointKind } from './model';
import { HELD_OUT, TEST_DIGITS, type TrainInput, type TrainProgress } from './train';
import { pckParams, poseParams } from './params';
import { keypointMeaning, trainingStatus, whoFinds } from './display';
import { Scenes, TrainingCharts } from './Panels';
import { formatPercent } from '../ui/plots/scale';

/** Scenes shown at a time. */
const PER_PAGE = 6;
const loadTest = digitsLoader('test', TEST_DIGITS);

const infer = async (q: { flat: Float32Array; scenes: Scene[]; kind: KeypointKind }) => {
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
  const { run, start } = useJobRun(job, useMemo(() => ({ seed: p.seed, steps: Number(p.steps), keypoint: kind }), [p.seed, p.steps, kind]));
  const trained = useEvaluated(run?.flat, run?.pckAt.at(-1) ?? -1);
  const flat = useMemo(() => trained ?? initialFlat(p.seed), [trained, p.seed]);

  const latest = useLatestOf(held ? infer : null, held ? { flat, scenes: held, kind } : null);
  useReady(latest.result !== null);
  const shownDists = latest.result ? latest.result.found.flat().map((k) => k.normDist) : [];

  return (
    <div className="pose-demo">
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={() => setPage((k) => (k + 1) % pages)}>
          Next scenes
        </button>
        <span className="status-line">
          held-out scenes {page * PER_PAGE + 1}–{(page + 1) * PER_PAGE} of {HELD_OUT}, the network {whoFinds(run)}: PCK@{a.alpha} {formatPercent(pck(shownDists, a.alpha))} on their {shownDists.length} digits
        </span>
      </div>
      <ParamControls table={pckParams} values={a} onChange={setAlpha} />
      <Scenes scenes={latest.input?.scenes ?? []} result={latest.result} first={page * PER_PAGE} alpha={a.alpha} meaning={keypointMeaning(kind)}>
        {!held && <p className="status-line">Loading test digits… {Math.round(100 * test.progress)} %</p>}
      </Scenes>

      <TrainingSection label="Train the keypoint network" table={poseParams} values={p} onChange={set} job={job} onStart={start} status={trainingStatus(run, a.alpha, Boolean(job.result), job.state === 'running')}>
        <TrainingCharts run={run} heldOut={HELD_OUT} />
      </TrainingSection>
    </div>
  );
}
