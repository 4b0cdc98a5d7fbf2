'use client';
import { useMemo, useState } from 'react';
import type { MnistArrays } from '../runtime/data/idx';
import { digitsLoader } from '../runtime/data/loader';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls, JobProblem } from '../ui/controls/JobControls';
import { useResource } from '../ui/useResource';
import { useLatestOf } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useJob, useJobRun } from '../ui/useJob';
import { calibration, heldOut, initialFlats, restoreShown, type Scale } from './model';
import { HELD_OUT, TEST_DIGITS, type TrainInput, type TrainProgress } from './train';
import { restoreParams } from './params';
import { trainingStatus, whoRestores } from './display';
import { Means, RestoredDigits, TrainingCharts } from './Panels';

/** Digits shown at a time. */
const PER_PAGE = 3;
const loadTest = digitsLoader('test', TEST_DIGITS);

/** ESPCN ×2 / ×3 and a DnCNN-style denoiser trained in a worker on MNIST; held-out digits against bicubic and the noisy input. */
export default function SuperResolutionView() {
  const { values: p, set: setParams } = useDemoParams(restoreParams);
  const scale = Number(p.scale) as Scale;
  const test = useResource<MnistArrays>(loadTest, 'test');
  const [page, setPage] = useState(0);
  const pages = Math.floor(HELD_OUT / PER_PAGE);
  const held = useMemo(() => (test.value ? heldOut(test.value, (page + 1) * PER_PAGE, scale, p.sigma, p.seed) : null), [test.value, page, scale, p.sigma, p.seed]);
  const calib = useMemo(() => (test.value ? calibration(test.value, p.sigma, p.seed) : null), [test.value, p.sigma, p.seed]);

  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const input = useMemo(() => ({ seed: p.seed, steps: Number(p.steps), scale, sigma: p.sigma }), [p.seed, p.steps, scale, p.sigma]);
  const { run, start: train } = useJobRun(job, input);
  const start = useMemo(() => initialFlats(scale, p.seed), [scale, p.seed]);
  const latest = useLatestOf(held && calib ? restoreShown : null, held && calib ? { sr: run?.srFlat ?? start.sr, dn: run?.dnFlat ?? start.dn, set: held, calib, from: page * PER_PAGE } : null);
  useReady(latest.result !== null);

  return (
    <div className="super-resolution-demo">
      <ParamControls table={restoreParams} values={p} onChange={setParams} />
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={() => setPage((k) => (k + 1) % pages)}>
          Next digits
        </button>
        <span className="status-line">
          test digits {page * PER_PAGE + 1}–{(page + 1) * PER_PAGE}, the networks {whoRestores(run)}
        </span>
      </div>
      {!held && <p className="status-line">Loading test digits… {Math.round(100 * test.progress)} %</p>}
      <RestoredDigits shown={latest.result} set={latest.input?.set ?? null} from={latest.input?.from ?? 0} scale={scale} sigma={p.sigma} />

      <section aria-label="Train both networks" style={{ marginTop: '0.8rem', paddingTop: '0.6rem', borderTop: '1px solid var(--line)' }}>
        <JobControls job={job} onStart={train} startLabel="Train both" label="Training steps done" status={trainingStatus(run, Boolean(job.result), job.state === 'running')} />
        <JobProblem job={job} />
        <Means run={run} />
        <TrainingCharts run={run} scale={scale} sigma={p.sigma} heldOut={HELD_OUT} />
      </section>
    </div>
  );
}
