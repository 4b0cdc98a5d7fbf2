'use client';
import { useMemo } from 'react';
import type { MnistArrays } from '../runtime/data/idx';
import { digitsLoader, floatImages } from '../runtime/data/loader';
import { thetaFromParts } from '../runtime/models/sampler';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls, JobProblem } from '../ui/controls/JobControls';
import { useResource } from '../ui/useResource';
import { useLatestOf } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useJob, useJobRun } from '../ui/useJob';
import { CANVAS, distortedSet, initialFlat, parameterCounts, rectify, sampleByHand, type DistortedSet } from './model';
import { HELD_OUT, type TrainInput, type TrainProgress } from './train';
import { thetaParams, trainParams } from './params';
import { trainingStatus } from './display';
import { HandPanel, RectifiedStrip, TrainingCharts } from './Panels';
import { formatNumber } from '../ui/plots/scale';

/** Held-out digits shown rectified. */
const SHOWN = 8;
const loadTest = digitsLoader('test', HELD_OUT);
const COUNTS = parameterCounts();

interface HandJob {
  canvas: Float32Array;
  theta: number[];
}
interface Shown {
  flat: Float32Array;
  canvases: Float32Array;
}

// Module-level, so useLatest sees the same function on every render.
const sampleHand = (q: HandJob) => sampleByHand(q.canvas, q.theta);
const rectifyShown = (q: Shown) => rectify(q.flat, q.canvases);

/** θ by hand on a held-out canvas; then an STN and a plain CNN trained in a worker on distorted digits. */
export default function StnView() {
  const { values: p, set } = useDemoParams(thetaParams);
  const { values: t, set: setT } = useDemoParams(trainParams);
  const test = useResource<MnistArrays>(loadTest, 'test');
  const held = useMemo<DistortedSet | null>(() => (test.value ? distortedSet(floatImages(test.value, 0, HELD_OUT), test.value.labels.subarray(0, HELD_OUT), t.seed) : null), [test.value, t.seed]);

  const theta = useMemo(() => thetaFromParts({ degrees: p.degrees, scale: p.scale, shear: p.shear, tx: p.tx, ty: p.ty }), [p.degrees, p.scale, p.shear, p.tx, p.ty]);
  const canvas = useMemo(() => (held ? held.canvases.subarray(p.digit * CANVAS * CANVAS, (p.digit + 1) * CANVAS * CANVAS) : null), [held, p.digit]);
  const hand = useLatestOf(held ? sampleHand : null, canvas ? { canvas, theta } : null);

  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const { run, start: startRun } = useJobRun(job, useMemo(() => ({ seed: t.seed, steps: Number(t.steps) }), [t.seed, t.steps]));
  const flat = useMemo(() => (run?.flat && run.flat.length ? run.flat : initialFlat(t.seed)), [run?.flat, t.seed]);
  const start = Math.min(p.digit, HELD_OUT - SHOWN);
  const strip = useMemo(() => held?.canvases.subarray(start * CANVAS * CANVAS, (start + SHOWN) * CANVAS * CANVAS), [held, start]);
  const shown = useLatestOf(held ? rectifyShown : null, strip ? { flat, canvases: strip } : null);
  useReady(hand.result !== null && shown.result !== null);

  return (
    <div className="stn-demo">
      <div className="toolbar" data-frames={hand.count} data-running="0">
        <button type="button" data-action="step" onClick={() => set('digit', (p.digit + 1) % HELD_OUT)}>
          Next digit
        </button>
        <span className="status-line">
          {held ? `held-out distorted digit ${p.digit} (label ${held.labels[p.digit]})` : `Loading test digits… ${Math.round(100 * test.progress)} %`}
        </span>
      </div>
      <ParamControls table={thetaParams} values={p} onChange={set} />
      <HandPanel canvas={canvas} theta={theta} output={hand.result} />

      <section aria-label="Train an STN and a plain CNN" style={{ marginTop: '0.8rem', paddingTop: '0.6rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.4rem', fontSize: '0.95rem' }}>
          <strong>Learning θ.</strong> An STN ({formatNumber(COUNTS.stn)} parameters, {formatNumber(COUNTS.loc)} of them in the localisation net) and a plain CNN (
          {formatNumber(COUNTS.plain)}) trained side by side on the same randomly distorted digits, in a worker.
        </p>
        <ParamControls table={trainParams} values={t} onChange={setT} />
        <JobControls job={job} onStart={startRun} startLabel="Train" label="Training steps done" status={trainingStatus(run, Boolean(job.result), job.state === 'running')} />
        <JobProblem job={job} />
        <RectifiedStrip held={held} rect={shown.result} start={start} count={SHOWN} run={run} />
        <TrainingCharts run={run} heldOut={HELD_OUT} />
      </section>
    </div>
  );
}
