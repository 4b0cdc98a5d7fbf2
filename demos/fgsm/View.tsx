'use client';
import { useCallback, useMemo } from 'react';
import type { tf } from '../runtime/tf';
import type { AttackSpec } from '../runtime/models/attacks';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls, JobProblem } from '../ui/controls/JobControls';
import { useResource } from '../ui/useResource';
import { useLatestOf } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useJob } from '../ui/useJob';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { attackDigit, type DigitAttack } from './model';
import type { CurvesInput, CurvesProgress } from './curves';
import { attackParams, curveParams, digitParams } from './params';
import { curvesStatus } from './display';
import { ErrorCurves, NetworkPanel, NETS } from './Panels';

const loader = (name: string) => (signal: AbortSignal, onProgress: (f: number) => void) => loadModel(name, { baseUrl: MODELS_BASE_URL, signal, onProgress });
const loadCnn = loader('cnn');
const loadAdv = loader('cnn-adv');
const disposeModel = (m: LoadedModel) => m.model.dispose();

interface Job {
  input: Float32Array;
  meta: DigitMeta;
  spec: AttackSpec;
}

/** FGSM / PGD on the reader's digit against the normal and the adversarially trained CNN; error-against-ε curves. */
export default function FgsmView() {
  const { values: p, set } = useDemoParams(attackParams);
  const { values: c, set: setCurve } = useDemoParams(curveParams);
  const digitIn = useDigitParams(digitParams);
  const cnn = useResource<LoadedModel>(loadCnn, 'cnn', disposeModel);
  const adv = useResource<LoadedModel>(loadAdv, 'cnn-adv', disposeModel);
  // One array per pair of loaded networks: a new `run` would make useLatest drop the answer in flight.
  const models = useMemo(() => (cnn.value && adv.value ? [cnn.value.model, adv.value.model] : null), [cnn.value, adv.value]);

  const spec: AttackSpec = useMemo(
    () => (p.attack === 'pgd' ? { kind: 'pgd', epsilon: p.eps, steps: p.steps, stepSize: p.stepSize } : { kind: 'fgsm', epsilon: p.eps }),
    [p.attack, p.eps, p.steps, p.stepSize],
  );
  const run = useCallback(
    async (job: Job): Promise<DigitAttack[]> => {
      const out: DigitAttack[] = [];
      for (const m of models as readonly tf.LayersModel[]) out.push(await attackDigit(m, job.input, job.spec, job.meta.label));
      return out;
    },
    [models],
  );
  const { digit } = digitIn;
  const latest = useLatestOf(models ? run : null, digit ? { ...digit, spec } : null);
  useReady(latest.result !== null);
  const label = latest.input?.meta.label;

  const job = useJob<CurvesInput, CurvesProgress, CurvesProgress>(() => new Worker(new URL('./curves.worker.ts', import.meta.url), { type: 'module' }));
  const shown = job.result ?? job.partial;

  return (
    <div className="fgsm-demo">
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={digitIn.next}>
          Next test digit
        </button>
        <span className="status-line">
          {latest.count} attack{latest.count === 1 ? '' : 's'} on each network
        </span>
      </div>
      <ParamControls table={attackParams} values={p} onChange={set} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digitIn.props}>
          <span style={{ color: 'var(--fg)' }}>
            {label !== undefined ? `Label ${label}: the attack pushes away from it.` : 'No label: the attack pushes away from each network’s own answer.'}
          </span>
        </DigitInput>
        {NETS.map((n, i) => (
          <NetworkPanel key={n.name} title={n.title} r={latest.result?.[i] ?? null} eps={latest.input?.spec.epsilon ?? p.eps} />
        ))}
      </div>
      {!models && <p className="status-line">Loading the two networks… {Math.round((100 * (cnn.progress + adv.progress)) / 2)} %</p>}

      <section aria-label="Error against ε over test digits" style={{ marginTop: '1rem', paddingTop: '0.8rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.6rem', fontSize: '0.95rem' }}>
          <strong>Error against ε over test digits.</strong> Both networks, both attacks (PGD with {p.steps} steps of 2.5·ε/{p.steps}), on the first test digits, in a Web Worker.
        </p>
        <ParamControls table={curveParams} values={c} onChange={setCurve} />
        <JobControls
          job={job}
          onStart={() => job.start({ count: Number(c.count), steps: p.steps })}
          startLabel="Compute the curves"
          label="Attacks done"
          status={curvesStatus(shown, Boolean(job.result), job.state === 'running')}
        />
        <JobProblem job={job} />
        <ErrorCurves shown={shown} />
      </section>
    </div>
  );
}
