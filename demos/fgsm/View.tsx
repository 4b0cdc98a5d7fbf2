'use client';
import { useCallback, useEffect, useMemo } from 'react';
import type { tf } from '../runtime/tf';
import type { AttackSpec } from '../runtime/models/attacks';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls } from '../ui/controls/JobControls';
import { useResource } from '../ui/useResource';
import { useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useJob } from '../ui/useJob';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { ProbabilityBars } from '../ui/plots/ProbabilityBars';
import { SERIES } from '../ui/plots/palette';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { argMax, attackDigit, type DigitAttack } from './model';
import { curve, CURVE_MODELS, type CurvesInput, type CurvesProgress } from './curves';
import { attackParams, curveParams, digitParams } from './params';

const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const NETS = [
  { name: 'cnn', title: 'Normal CNN' },
  { name: 'cnn-adv', title: 'Adversarially trained CNN' },
] as const;
const pct = (x: number) => `${(100 * x).toFixed(1)}\u00a0%`;
const num = (x: number) => x.toLocaleString('en-US');

const loader = (name: string) => (signal: AbortSignal, onProgress: (f: number) => void) => loadModel(name, { baseUrl: MODELS_BASE_URL, signal, onProgress });
const loadCnn = loader('cnn');
const loadAdv = loader('cnn-adv');
const disposeModel = (m: LoadedModel) => m.model.dispose();

interface Job {
  input: Float32Array;
  meta: DigitMeta;
  spec: AttackSpec;
}

/** One network's answer before and after the attack, the perturbation it got and the attacked digit. */
function NetworkPanel({ title, r, eps }: { title: string; r: DigitAttack | null; eps: number }) {
  const before = r ? argMax(r.clean) : -1;
  const after = r ? argMax(r.adversarial) : -1;
  const fooled = r !== null && after !== r.target;
  return (
    <section aria-label={title} data-net={title} data-before={before >= 0 ? before : undefined} data-after={after >= 0 ? after : undefined} style={{ minWidth: 0 }}>
      <p className="demo-subtitle" style={{ margin: '0 0 0.4rem', fontSize: '0.95rem' }}>{title}</p>
      <div style={{ display: 'flex', gap: '0.6rem', flexWrap: 'wrap' }}>
        <MapImage
          values={r?.delta ?? new Float32Array(784)}
          width={28}
          height={28}
          zoom={3}
          scale={Math.max(eps, 1e-6)}
          positive={SERIES[1]}
          label={`The perturbation δ: orange pixels brightened, blue darkened, by up to ε = ${eps}`}
          caption="δ = x′ − x"
        />
        <MapImage values={r?.image ?? new Float32Array(784)} width={28} height={28} zoom={3} scale={1} label="The attacked digit x′" caption="x′" />
      </div>
      <ProbabilityBars probs={r?.adversarial ?? null} classes={CLASSES} top={after} label={`${title}: class probabilities on the attacked digit`} rowHeight={18} />
      <p className="plot-caption" aria-live="polite" style={{ margin: '0.2rem 0 0' }}>
        {r
          ? `Before: ${before} (${pct(r.clean[before])}). After: ${after} (${pct(r.adversarial[after])})${fooled ? ', fooled.' : ', still right.'} Logit Z_${r.target}: ${r.logitClean.toFixed(1)} → ${r.logitAdversarial.toFixed(1)}; a network linear around x would give ${(r.logitClean + r.linearPrediction).toFixed(1)} (∇ₓZᵀδ = ${r.linearPrediction.toFixed(1)}).`
          : 'Loading the network…'}
      </p>
    </section>
  );
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
  const latest = useLatest(models ? run : null);
  const { submit, clear } = latest;
  const { digit } = digitIn;
  useEffect(() => {
    if (digit) submit({ ...digit, spec });
    else clear();
  }, [digit, spec, submit, clear]);
  const results = latest.result;
  useReady(results !== null);
  const label = latest.input?.meta.label;
  const loading = Math.round((100 * (cnn.progress + adv.progress)) / 2);

  const job = useJob<CurvesInput, CurvesProgress, CurvesProgress>(() => new Worker(new URL('./curves.worker.ts', import.meta.url), { type: 'module' }));
  const shown = job.result ?? job.partial;
  const count = Number(c.count);
  const done = shown ? Math.min(...Array.from(shown.counts)) : 0;

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
          <NetworkPanel key={n.name} title={n.title} r={results?.[i] ?? null} eps={latest.input?.spec.epsilon ?? p.eps} />
        ))}
      </div>
      {!models && <p className="status-line">Loading the two networks… {loading} %</p>}

      <section aria-label="Error against ε over test digits" style={{ marginTop: '1rem', paddingTop: '0.8rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.6rem', fontSize: '0.95rem' }}>
          <strong>Error against ε over test digits.</strong> Both networks, both attacks (PGD with {p.steps} steps of 2.5·ε/{p.steps}), on the first test digits, in a Web Worker.
        </p>
        <ParamControls table={curveParams} values={c} onChange={setCurve} />
        <JobControls
          job={job}
          onStart={() => job.start({ count, steps: p.steps })}
          startLabel="Compute the curves"
          label="Attacks done"
          status={shown ? `${num(done)} of ${num(shown.total)} digits through every attack${job.result ? '' : ' so far'}` : job.state === 'running' ? 'loading the networks and digits…' : undefined}
        />
        {job.state === 'error' && !job.fatal && <p role="alert">{job.error}</p>}
        <Chart
          label="Test error against ε"
          height={240}
          x={shown?.epsilons ?? []}
          xLabel="ε"
          yLabel="test error"
          yMin={0}
          yMax={1}
          series={
            shown
              ? CURVE_MODELS.flatMap((_, m) =>
                  (['FGSM', 'PGD'] as const).map((a, k) => ({
                    label: `${NETS[m].title}, ${a}`,
                    color: SERIES[m],
                    dashed: k === 1,
                    values: curve(shown, m, k),
                  })),
                )
              : []
          }
        />
      </section>
    </div>
  );
}
