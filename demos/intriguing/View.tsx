'use client';
import { useMemo } from 'react';
import type { ParamValues } from '../runtime/params';
import type { Simulation } from '../runtime/simulation';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { JobControls } from '../ui/controls/JobControls';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { useJob } from '../ui/useJob';
import { DigitInput } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { createExcitation, type ExcitationFrame } from './model';
import { useDigitAttack } from './useDigitAttack';
import { transferRates, type TransferInput, type TransferProgress } from './transfer';
import { attackParams, batchParams, digitParams, unitParams } from './params';
import { attackCaption, rankingStatus, surveyCaption, toSub } from './display';
import { DigitRow, NetPanel, Perturbation, TransferTable } from './Panels';

const loader = (name: string) => (signal: AbortSignal, onProgress: (f: number) => void) => loadModel(name, { baseUrl: MODELS_BASE_URL, signal, onProgress });
const disposeModel = (m: LoadedModel) => m.model.dispose();
const loadCnn = loader('cnn');
const idle: Simulation<ExcitationFrame | null> = { step: async () => null, dispose: () => {} };

type UnitValues = ParamValues<typeof unitParams>;

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

  // (2) The attack on the reader's digit: it starts once the ranking shows its first digits.
  const { r, label, loaded, busy } = useDigitAttack(src.value, dst.value, digitIn.digit, a.goal, Boolean(f));

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
        <Transport sim={sim} status={rankingStatus(f, ready)} />
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '0.8rem 1.5rem', alignItems: 'start' }}>
          <DigitRow title={`Unit e${toSub(u.unit)}`} data={data} top={f?.unitTop ?? null} scores={f?.unitScores ?? null} purity={f?.unitPurity ?? NaN} testId="unit-top" />
          <DigitRow title={`Random direction v (seed ${u.seed})`} data={data} top={f?.dirTop ?? null} scores={f?.dirScores ?? null} purity={f?.dirPurity ?? NaN} testId="dir-top" />
        </div>
        <p className="plot-caption" aria-live="polite" data-unit-mean={f?.finished ? f.survey.unitMean : undefined} data-dir-mean={f?.finished ? f.survey.dirMean : undefined}>
          {surveyCaption(f)}
        </p>
      </section>

      <section aria-label="An adversarial digit tried on a second network" style={{ marginTop: '1rem', paddingTop: '0.8rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.5rem', fontSize: '0.95rem' }}>
          <strong>An adversarial digit, tried on a second network.</strong> The smallest r found with x + r in [0, 1]⁷⁸⁴ that the first network assigns to class l (c·‖r‖² + loss, projected Adam, search over c), then given to the second network.
        </p>
        <ParamControls table={attackParams} values={a} onChange={setAttack} />
        {a.source === a.target && <p role="note" className="status-line">Both sides are the same network: this is the white-box attack itself, not a transfer.</p>}
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(14rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
          <DigitInput {...digitIn.props}>
            <span style={{ color: 'var(--fg)' }}>{label !== undefined ? `Label ${label}.` : 'No label: “next digit” aims at the first network’s answer + 1.'}</span>
          </DigitInput>
          <Perturbation r={r} caption={attackCaption(r, { loaded, loading: (src.progress + dst.progress) / 2, busy })} />
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
        {rates && shown && shown.tally.attacked > 0 && <TransferTable shown={shown} rates={rates} />}
      </section>
    </div>
  );
}

