'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ParamValues } from '../runtime/params';
import type { Simulation } from '../runtime/simulation';
import type { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { JobControls } from '../ui/controls/JobControls';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { useLatest } from '../ui/useLatest';
import { useJob } from '../ui/useJob';
import { MapImage } from '../ui/plots/MapImage';
import { ProbabilityBars } from '../ui/plots/ProbabilityBars';
import { SERIES } from '../ui/plots/palette';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { predictProbs, rowArgMax } from './attack';
import { createDigitTransfer, createExcitation, type DigitTransferFrame, type ExcitationFrame } from './model';
import { transferRates, type TransferInput, type TransferProgress } from './transfer';
import { attackParams, batchParams, digitParams, unitParams } from './params';

const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}\u00a0%` : '–');
const top1 = (p: Float32Array) => rowArgMax(p)[0];
const loader = (name: string) => (signal: AbortSignal, onProgress: (f: number) => void) => loadModel(name, { baseUrl: MODELS_BASE_URL, signal, onProgress });
const disposeModel = (m: LoadedModel) => m.model.dispose();
const loadCnn = loader('cnn');
const idle: Simulation<ExcitationFrame | null> = { step: async () => null, dispose: () => {} };

type UnitValues = ParamValues<typeof unitParams>;

/** k digits of the test set with their labels and scores. */
function DigitRow({ title, data, top, scores, purity, testId }: { title: string; data: MnistArrays | null; top: Int32Array | null; scores: Float32Array | null; purity: number; testId: string }) {
  return (
    <section aria-label={title} data-top={top ? Array.from(top).join(',') : undefined} data-testid={testId} style={{ minWidth: 0 }}>
      <p className="demo-subtitle" style={{ margin: '0 0 0.3rem', fontSize: '0.95rem' }}>{title}</p>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.3rem' }}>
        {Array.from(top ?? [], (j, i) => (
          <MapImage
            key={`${i}-${j}`}
            values={Float32Array.from(data!.images.subarray(j * 784, (j + 1) * 784), (v) => v / 255)}
            width={28}
            height={28}
            zoom={2}
            scale={1}
            label={`Test digit ${j}, label ${data!.labels[j]}, score ${scores![i].toFixed(2)}`}
            caption={`${data!.labels[j]} · ${scores![i].toFixed(1)}`}
          />
        ))}
      </div>
      <p className="plot-caption" style={{ margin: '0.2rem 0 0' }}>
        {top ? `Labels: ${Array.from(top, (j) => data!.labels[j]).join(' ')}; the most common label covers ${pct(purity)}.` : 'Waiting for the digits…'}
      </p>
    </section>
  );
}

/** One network's answers on x and on x + r. */
function NetPanel({ title, clean, adv, label }: { title: string; clean: Float32Array | null; adv: Float32Array | null; label?: number }) {
  const a = clean ? top1(clean) : -1;
  const b = adv ? top1(adv) : -1;
  return (
    <section aria-label={title} data-before={a >= 0 ? a : undefined} data-after={b >= 0 ? b : undefined} style={{ minWidth: 0 }}>
      <p className="demo-subtitle" style={{ margin: '0 0 0.3rem', fontSize: '0.95rem' }}>{title}</p>
      <ProbabilityBars probs={adv} classes={CLASSES} top={b} label={`${title}: class probabilities on x + r`} rowHeight={16} width={260} />
      <p className="plot-caption" style={{ margin: '0.2rem 0 0' }}>
        {clean && adv
          ? `On x: ${a} (${pct(clean[a])}). On x + r: ${b} (${pct(adv[b])})${label !== undefined ? (b === label ? ', still right.' : ', wrong.') : b === a ? ', unchanged.' : ', changed.'}`
          : 'Loading…'}
      </p>
    </section>
  );
}

interface AttackJob {
  input: Float32Array;
  meta: DigitMeta;
  goal: string;
}

/** Units against random directions; an adversarial digit made on one network and tried on another; transfer rates. */
export default function IntriguingView() {
  const { values: u, set: setUnit } = useDemoParams(unitParams);
  const { values: a, set: setAttack } = useDemoParams(attackParams);
  const { values: b, set: setBatch } = useDemoParams(batchParams);
  const digitIn = useDigitParams(digitParams, true);
  const cnn = useResource<LoadedModel>(loadCnn, 'cnn', disposeModel);
  const src = useResource<LoadedModel>(useMemo(() => loader(a.source), [a.source]), a.source, disposeModel);
  const dst = useResource<LoadedModel>(useMemo(() => loader(a.target), [a.target]), a.target, disposeModel);
  const data = digitIn.test.kind === 'ready' ? digitIn.test.data : null;

  // (1) The excitation ranking: one chunk of test digits per step.
  const ready = cnn.value !== null && data !== null;
  const simulate = (q: UnitValues & { ready: boolean }): Simulation<ExcitationFrame | null> =>
    q.ready && cnn.value && data ? createExcitation(cnn.value.model, data, { unit: q.unit, seed: q.seed, count: Number(q.count) }) : idle;
  const sim = useSimulation<ExcitationFrame | null, UnitValues & { ready: boolean }>(simulate, { ...u, ready }, {
    budget: 400,
    autoplay: true,
    converged: (f) => !f || f.finished,
    ready,
    pace: { max: 4 },
  });
  const f = sim.frame;

  // (2) The attack on the reader's digit: run to the end of the search, newest input wins.
  const models = useMemo(() => (src.value && dst.value ? [src.value.model, dst.value.model] : null), [src.value, dst.value]);
  const run = useCallback(
    async (job: AttackJob): Promise<DigitTransferFrame> => {
      const [s, t] = models as tf.LayersModel[];
      const goal = job.goal === 'next' ? ((job.meta.label ?? top1(await predictProbs(s, job.input))) + 1) % 10 : Number(job.goal);
      const attack = createDigitTransfer(s, t, job.input, goal);
      try {
        // Twenty steps at a time, giving the page a turn in between: the search never holds the main thread long.
        let fr = await attack.step(20);
        while (!fr.done) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          fr = await attack.step(20);
        }
        return fr;
      } finally {
        attack.dispose();
      }
    },
    [models],
  );
  const latest = useLatest(models ? run : null);
  const { submit, clear } = latest;
  const { digit } = digitIn;
  // The attack starts once the ranking shows its first digits, so that the first result is not kept waiting.
  const [started, setStarted] = useState(false);
  useEffect(() => {
    if (f) setStarted(true);
  }, [f]);
  useEffect(() => {
    if (digit && started) submit({ ...digit, goal: a.goal });
    else clear();
  }, [digit, a.goal, started, submit, clear]);
  const r = latest.result;
  const label = latest.input?.meta.label;
  const busy = digit !== null && models !== null && (latest.input?.input !== digit.input || latest.input?.goal !== a.goal);
  const same = a.source === a.target;

  // (3) The transfer rate over test digits, in a worker.
  const job = useJob<TransferInput, TransferProgress, TransferProgress>(() => new Worker(new URL('./transfer.worker.ts', import.meta.url), { type: 'module' }));
  const shown = job.result ?? job.partial;
  const rates = shown ? transferRates(shown.tally) : null;

  return (
    <div className="intriguing-demo">
      <section aria-label="A unit against a random direction">
        <p style={{ margin: '0 0 0.5rem', fontSize: '0.95rem' }}>
          <strong>A unit against a random direction.</strong> The test digits x with the largest ⟨φ(x), eᵢ⟩ (unit i of the CNN’s 128-unit layer fc1) beside those with the largest ⟨φ(x), v⟩ for a random unit vector v of the same layer.
        </p>
        <ParamControls table={unitParams} values={u} onChange={setUnit} />
        <Transport sim={sim} status={f ? `${f.done.toLocaleString('en-US')} of ${f.total.toLocaleString('en-US')} test digits ranked${f.done === f.total ? `; survey ${f.survey.units + f.survey.directions} of ${f.dim + f.survey.of}` : ''}` : ready ? '' : 'Loading the CNN and the test digits…'} />
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '0.8rem 1.5rem', alignItems: 'start' }}>
          <DigitRow title={`Unit e${toSub(u.unit)}`} data={data} top={f?.unitTop ?? null} scores={f?.unitScores ?? null} purity={f?.unitPurity ?? NaN} testId="unit-top" />
          <DigitRow title={`Random direction v (seed ${u.seed})`} data={data} top={f?.dirTop ?? null} scores={f?.dirScores ?? null} purity={f?.dirPurity ?? NaN} testId="dir-top" />
        </div>
        <p className="plot-caption" aria-live="polite" data-unit-mean={f?.finished ? f.survey.unitMean : undefined} data-dir-mean={f?.finished ? f.survey.dirMean : undefined}>
          {f && f.survey.units + f.survey.directions > 0
            ? `Over every unit that fires (${f.survey.units - f.survey.dead} of ${f.survey.units} so far) the most common label covers ${pct(f.survey.unitMean)} of its top ${f.unitTop.length} on average; over ${f.survey.directions} random directions, ${pct(f.survey.dirMean)}.`
            : 'Once every digit is ranked, the same comparison runs over all 128 units and 128 random directions.'}
        </p>
      </section>

      <section aria-label="An adversarial digit tried on a second network" style={{ marginTop: '1rem', paddingTop: '0.8rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.5rem', fontSize: '0.95rem' }}>
          <strong>An adversarial digit, tried on a second network.</strong> The smallest r found with x + r in [0, 1]⁷⁸⁴ that the first network assigns to class l (c·‖r‖² + loss, projected Adam, search over c), then given to the second network.
        </p>
        <ParamControls table={attackParams} values={a} onChange={setAttack} />
        {same && <p role="note" className="status-line">Both sides are the same network: this is the white-box attack itself, not a transfer.</p>}
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(14rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
          <DigitInput {...digitIn.props}>
            <span style={{ color: 'var(--fg)' }}>{label !== undefined ? `Label ${label}.` : 'No label: “next digit” aims at the first network’s answer + 1.'}</span>
          </DigitInput>
          <section aria-label="The perturbation" data-distortion={r && Number.isFinite(r.distortion) ? r.distortion : undefined} style={{ minWidth: 0 }}>
            <div style={{ display: 'flex', gap: '0.6rem', flexWrap: 'wrap' }}>
              <MapImage values={r?.r ?? new Float32Array(784)} width={28} height={28} zoom={3} positive={SERIES[1]} label="The perturbation r (orange: brightened, blue: darkened), scaled to its largest pixel" caption="r (scaled)" />
              <MapImage values={r?.image ?? new Float32Array(784)} width={28} height={28} zoom={3} scale={1} label="The adversarial digit x + r" caption="x + r" />
            </div>
            <p className="plot-caption" aria-live="polite" style={{ margin: '0.2rem 0 0' }}>
              {r
                ? Number.isFinite(r.bestNorm)
                  ? `Aimed at ${r.goal}: ‖r‖₂ = ${r.bestNorm.toFixed(2)}, RMS distortion √(Σr²/784) = ${r.distortion.toFixed(3)}, last c = ${r.c.toPrecision(2)}, ${r.steps} steps.`
                  : `No r within ${r.steps} steps reached ${r.goal}: the first network still says ${top1(r.sourceAdv)}.`
                : !models
                  ? `Loading the two networks… ${Math.round(50 * (src.progress + dst.progress))} %`
                  : busy
                    ? ''
                    : 'Give a digit to attack.'}
              {busy ? `${r ? ' ' : ''}Searching…` : ''}
            </p>
          </section>
          <NetPanel title={`Made on: ${a.source}`} clean={r?.sourceClean ?? null} adv={r?.sourceAdv ?? null} label={label} />
          <NetPanel title={`Tried on: ${a.target}`} clean={r?.targetClean ?? null} adv={r?.targetAdv ?? null} label={label} />
        </div>
      </section>

      <section aria-label="Transfer over test digits" style={{ marginTop: '1rem', paddingTop: '0.8rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.5rem', fontSize: '0.95rem' }}>
          <strong>Transfer over test digits.</strong> The same attack on the first test digits (aimed at label + 1), on {a.source}, then tried on {a.target}; in a Web Worker.
        </p>
        <ParamControls table={batchParams} values={b} onChange={setBatch} />
        <JobControls
          job={job}
          onStart={() => job.start({ source: a.source, target: a.target, count: Number(b.batch) })}
          startLabel="Attack the test digits"
          label="Digits attacked"
          status={shown ? `${shown.tally.attacked} of ${shown.total} digits (${shown.source} → ${shown.target})` : job.state === 'running' ? 'loading the networks and digits…' : undefined}
        />
        {job.state === 'error' && !job.fatal && <p role="alert">{job.error}</p>}
        {rates && shown && shown.tally.attacked > 0 && (
          <table className="data-table" data-transfer={rates.transfer} style={{ marginTop: '0.5rem' }}>
            <tbody>
              <tr><th scope="row">Adversarial examples found on {shown.source}</th><td>{shown.tally.found} of {shown.tally.attacked} ({pct(rates.success)})</td></tr>
              <tr><th scope="row">Mean RMS distortion √(Σr²/784)</th><td>{Number.isFinite(rates.distortion) ? rates.distortion.toFixed(3) : '–'}</td></tr>
              <tr><th scope="row">{shown.target} wrong on x (same digits)</th><td>{pct(rates.cleanError)}</td></tr>
              <tr><th scope="row">{shown.target} wrong on x + r (transfer)</th><td>{pct(rates.transfer)}, of which says l: {pct(rates.targetClass)}</td></tr>
              <tr><th scope="row">{shown.target} wrong on x + r magnified to RMS 0.1</th><td>{pct(rates.magnified)}</td></tr>
              <tr><th scope="row">{shown.target} wrong on x + Gaussian noise of the same RMS</th><td>{pct(rates.noise)}</td></tr>
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

const SUB = '₀₁₂₃₄₅₆₇₈₉';
function toSub(n: number): string {
  return String(n).replace(/\d/g, (d) => SUB[Number(d)]);
}

