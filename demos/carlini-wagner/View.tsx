'use client';
import { useCallback, useRef, useState } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import type { tf } from '../runtime/tf';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { Chart } from '../ui/plots/Chart';
import { PerturbedDigit } from '../ui/digits/PerturbedDigit';
import { ProbabilityBars } from '../ui/plots/ProbabilityBars';
import { SERIES } from '../ui/plots/palette';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { createCwDigit, type CwDigitFrame } from './model';
import { cwParams, digitParams } from './params';

type Values = ParamValues<typeof cwParams>;
const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const loadCnn = (signal: AbortSignal, onProgress: (f: number) => void) => loadModel('cnn', { baseUrl: MODELS_BASE_URL, signal, onProgress });
const idle: Simulation<CwDigitFrame | null> = { step: async () => null, dispose: () => {} };

function record(f: CwDigitFrame, h: History) {
  h.push('step', f.steps);
  h.push('loss', f.loss);
  h.push('l2', f.l2);
  h.push('margin', f.margin);
}

function softmax(z: ArrayLike<number>): Float64Array {
  const m = Math.max(...Array.from(z));
  const e = Float64Array.from(z, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Carlini & Wagner's targeted L2 attack on the reader's digit, live, against the shipped CNN. */
export default function CarliniWagnerView() {
  const { values: p, set } = useDemoParams(cwParams);
  const digitIn = useDigitParams(digitParams);
  const cnn = useResource<LoadedModel>(loadCnn, 'cnn', (m) => m.model.dispose());
  const model = cnn.value?.model ?? null;

  // The digit: kept in a ref, its version in the simulation's parameters, so a new digit restarts the attack.
  const digit = useRef<{ input: Float32Array; meta: DigitMeta } | null>(null);
  const [version, setVersion] = useState(0);
  const onInput = useCallback((input: Float32Array | null, meta: DigitMeta) => {
    digit.current = input ? { input, meta } : null;
    setVersion((v) => v + 1);
  }, []);
  const target = Number(p.target);
  const ready = model !== null && digit.current !== null;
  const simulate = (q: Values & { version: number; ready: boolean }): Simulation<CwDigitFrame | null> =>
    q.ready && digit.current
      ? createCwDigit(model as tf.LayersModel, digit.current.input, Number(q.target), { kappa: q.kappa, iterations: q.iterations, searchSteps: q.searchSteps })
      : idle;
  const total = p.iterations * p.searchSteps;
  const sim = useSimulation<CwDigitFrame | null, Values & { version: number; ready: boolean }>(simulate, { ...p, version, ready }, {
    budget: total,
    autoplay: true,
    record: (f, h) => f && record(f, h),
    converged: (f) => !f || f.done,
    ready,
    pace: { max: 10 },
  });
  const f = sim.frame;
  const h = sim.history;
  const probs = f ? softmax(f.logits) : null;
  const top = probs ? probs.indexOf(Math.max(...probs)) : -1;
  const label = digit.current?.meta.label;

  return (
    <div className="cw-demo">
      <ParamControls table={cwParams} values={p} onChange={set} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digitIn.props} onInput={onInput}>
          <span style={{ color: 'var(--fg)' }}>{label !== undefined ? `Label ${label}; target ${target}.` : `Target ${target}.`}</span>
        </DigitInput>
        <section aria-label="The attacked digit" style={{ minWidth: 0 }} data-top={top >= 0 ? top : undefined} data-best-l2={f && Number.isFinite(f.bestL2) ? f.bestL2 : undefined}>
          <PerturbedDigit
            delta={f?.delta ?? null}
            image={f?.image ?? null}
            labels={['The perturbation δ (orange: brightened, blue: darkened), scaled to its largest pixel', 'The current x′ = ½(tanh w + 1)']}
            captions={['δ (scaled)', 'x′']}
          />
          <ProbabilityBars probs={probs} classes={CLASSES} top={top} label="The network's probabilities for x′" rowHeight={18} />
          <p className="plot-caption" aria-live="polite" style={{ margin: '0.2rem 0 0' }}>
            {f
              ? `Step ${f.steps}, round ${f.round + 1}, c = ${f.c.toPrecision(3)}: ‖δ‖₂ = ${f.l2.toFixed(2)}, Z_t − max other = ${f.margin.toFixed(2)}${f.margin > 0 ? ' (the target wins)' : ''}. Smallest success so far: ${Number.isFinite(f.bestL2) ? `‖δ‖₂ = ${f.bestL2.toFixed(2)}` : 'none yet'}.`
              : model
                ? 'Give a digit to attack.'
                : `Loading the network… ${Math.round(100 * cnn.progress)} %`}
          </p>
        </section>
      </div>
      <Transport sim={sim} status={f ? `Adam step ${f.steps} of ${total}` : ''} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '0.5rem 1.5rem' }}>
        <Chart
          label="Objective and distortion per step"
          height={200}
          x={h.values('step')}
          xLabel="Adam step"
          series={[
            { label: '‖δ‖² + c·f', color: SERIES[0], values: h.values('loss') },
            { label: '‖δ‖₂', color: SERIES[1], values: h.values('l2') },
          ]}
        />
        <Chart
          label="How far the target leads, per step"
          height={200}
          x={h.values('step')}
          xLabel="Adam step"
          yLabel="Z_t − max other"
          series={[{ label: 'Z_t − max other', color: SERIES[2], values: h.values('margin') }]}
        />
      </div>
    </div>
  );
}
