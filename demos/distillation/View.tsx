'use client';
import { useCallback, useMemo } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import type { tf } from '../runtime/tf';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { sliceDigits } from '../runtime/data/idx';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { useLatest } from '../ui/useLatest';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { createDistillRun, DEFAULT_CONFIG, digitLogits, PAGE_DIGITS, softmaxAt, type DistillFrame } from './model';
import { digitParams, distillParams } from './params';
import { formatNumber, formatPercent } from '../ui/plots/scale';

type Values = ParamValues<typeof distillParams>;
const { teacher: TEACHER, train: TRAIN_DIGITS, test: TEST_DIGITS } = PAGE_DIGITS;
const TOTAL = DEFAULT_CONFIG.total;
const HARD = SERIES[1];
const SOFT = SERIES[0];

/** The first 5,000 training digits (one shard): the few labelled digits per class are drawn from them. */
const loadTrain = (signal: AbortSignal, onProgress: (f: number) => void) =>
  loadMnist({ split: 'train', count: TRAIN_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: (l, t) => onProgress(l / t) });
const loadTeacher = (signal: AbortSignal, onProgress: (f: number) => void) => loadModel(TEACHER, { baseUrl: MODELS_BASE_URL, signal, onProgress });

function record(f: DistillFrame, h: History) {
  // The start (step 0, once) and every measurement after training steps.
  if (f.measuredAt !== f.steps || (f.trainLoss ? false : f.steps > 0 || h.values('step').length > 0)) return;
  h.push('step', f.steps);
  h.push('hard', f.accuracy[0]);
  h.push('soft', f.accuracy[1]);
}

const fmtP = (p: number) => (p > 0.99 ? p.toFixed(4) : p >= 0.01 ? p.toFixed(2) : p.toExponential(0));

/** The shipped CNN's soft targets at a temperature, and a hard-target student against a distilled one. */
export default function DistillationView() {
  const { values: p, set } = useDemoParams(distillParams);
  const digit = useDigitParams(digitParams, true); // the students are scored on test digits whatever the mode
  const { test } = digit;
  const teacher = useResource<LoadedModel>(loadTeacher, TEACHER, (m) => m.model.dispose());
  const train = useResource(loadTrain, 'mnist-train');
  const model = teacher.value?.model ?? null;
  const testData = test.kind === 'ready' ? test.data : null;
  const inputs = useMemo(
    () => (model && train.value && testData ? { train: train.value, test: sliceDigits(testData, 0, TEST_DIGITS), teacher: model } : null),
    [model, train.value, testData],
  );

  const simulate = (q: Values & { ready: boolean }): Simulation<DistillFrame | null> =>
    q.ready && inputs
      ? createDistillRun({ seed: q.seed, T: q.T, alpha: q.alpha, perClass: Number(q.perClass) }, inputs)
      : { step: async () => null, dispose: () => {} };
  const sim = useSimulation<DistillFrame | null, Values & { ready: boolean }>(simulate, { ...p, ready: inputs !== null }, {
    budget: TOTAL,
    autoplay: true,
    record: (f, h) => f && record(f, h),
    converged: (f) => !f || f.steps >= TOTAL,
    ready: inputs !== null,
  });
  const f = sim.frame;
  const h = sim.history;

  // The digit's logits: the newest input wins; the temperature is applied here, so the slider redraws at once.
  const classify = useCallback((job: { input: Float32Array; meta: DigitMeta }) => digitLogits(model as tf.LayersModel, job.input), [model]);
  const latest = useLatest(model ? classify : null);
  const { submit, clear } = latest;
  const onInput = useCallback((input: Float32Array | null, meta: DigitMeta) => (input ? submit({ input, meta }) : clear()), [submit, clear]);
  const z = latest.result;
  const cold = z ? softmaxAt(z, 1) : null;
  const warm = z ? softmaxAt(z, p.T) : null;
  const top = cold ? cold.indexOf(Math.max(...cold)) : -1;
  const label = latest.input?.meta.label;
  const loading = Math.round(100 * (teacher.progress + train.progress + (test.kind === 'ready' ? 1 : test.kind === 'loading' && test.total ? test.loaded / test.total : 0)) / 3);

  return (
    <div className="distillation-demo">
      <ParamControls table={distillParams} values={p} onChange={set} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digit.props} onInput={onInput}>
          {cold && (
            <span aria-hidden="true" style={{ color: 'var(--fg)' }}>
              Teacher: <strong style={{ fontSize: '1.3rem', color: 'var(--accent)' }}>{top}</strong>
              {label !== undefined && ` (label ${label})`}
            </span>
          )}
        </DigitInput>
        <div style={{ minWidth: 0 }}>
          <Chart
            label={`The teacher's output for this digit at T = 1 and softened at T = ${p.T} (log scale)`}
            height={220}
            log
            x={{ start: 0, step: 1 }}
            xLabel="class"
            yLabel="probability"
            series={[
              { label: 'T = 1', color: HARD, values: cold ?? [] },
              { label: `T = ${p.T}`, color: SOFT, values: warm ?? [] },
            ]}
          />
          <p className="plot-caption" aria-live="polite" data-top={top >= 0 ? top : undefined}>
            {z && cold && warm
              ? `Logits ${Array.from(z, (v) => v.toFixed(1)).join(', ')}. At T = 1 the teacher gives ${top} ${fmtP(cold[top])}; at T = ${p.T}, ${fmtP(warm[top])}, and the runner-up classes get ${Array.from(warm)
                  .map((v, k) => [v, k] as const)
                  .filter(([, k]) => k !== top)
                  .sort((a, b) => b[0] - a[0])
                  .slice(0, 2)
                  .map(([v, k]) => `${k}: ${fmtP(v)}`)
                  .join(', ')}.`
              : `Loading the teacher and the digits… ${loading} %`}
          </p>
        </div>
      </div>
      <Transport
        sim={sim}
        status={inputs ? `Adam step ${f?.steps ?? 0} of ${TOTAL} on ${10 * Number(p.perClass)} labelled digits` : `loading the teacher and MNIST… ${loading} %`}
      />
      <Chart
        label={`Test accuracy of the two students on ${formatNumber(TEST_DIGITS)} test digits (at T = 1)`}
        height={220}
        x={h.values('step')}
        xLabel="Adam step (full batch)"
        yLabel="test accuracy"
        series={[
          { label: 'hard targets only', color: HARD, values: h.values('hard') },
          { label: `distilled: T = ${p.T}, α = ${p.alpha}`, color: SOFT, values: h.values('soft') },
        ]}
      />
      {f && (
        <p className="plot-caption" data-hard={f.accuracy[0]} data-soft={f.accuracy[1]}>
          After {f.measuredAt} steps: hard-target student {formatPercent(f.accuracy[0])}, distilled student {formatPercent(f.accuracy[1])} of {formatNumber(TEST_DIGITS)} test digits right. The
          teacher ({formatPercent(teacher.value?.manifest.test.accuracy ?? NaN)} on all 10,000 test digits) labels {formatPercent(f.teacherTrainAccuracy)} of the {10 * Number(p.perClass)} training digits
          correctly.
        </p>
      )}
    </div>
  );
}
