'use client';
import { useCallback } from 'react';
import type { tf } from '../runtime/tf';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useResource } from '../ui/useResource';
import { useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { ProbabilityBars } from '../ui/plots/ProbabilityBars';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { predictBase } from './model';
import { digitParams } from './params';
import { formatPercent } from '../ui/plots/scale';

const BASE_CLASSES = ['0', '1', '2', '3', '4'];
const loadBase = (signal: AbortSignal, onProgress: (f: number) => void) => loadModel('cnn-0to4', { baseUrl: MODELS_BASE_URL, signal, onProgress });
const disposeModel = (m: LoadedModel) => m.model.dispose();

/** The shipped cnn-0to4 (digits 0–4) on the reader's digit, on the page: what it makes of a 5–9 is the first result. */
export function BasePanel() {
  const digitIn = useDigitParams(digitParams);
  const base = useResource<LoadedModel>(loadBase, 'cnn-0to4', disposeModel);
  const model = base.value?.model ?? null;

  const run = useCallback((job: { input: Float32Array; meta: DigitMeta }) => predictBase(model as tf.LayersModel, job.input), [model]);
  const said = useLatest(model ? run : null);
  const { submit, clear } = said;
  const onInput = useCallback(
    (input: Float32Array | null, meta: DigitMeta) => {
      if (input) submit({ input, meta });
      else clear();
    },
    [submit, clear],
  );
  useReady(said.result !== null);
  const probs = said.result;
  const top = probs ? probs.indexOf(Math.max(...probs)) : -1;
  const label = said.input?.meta.label;

  return (
    <>
      <div className="toolbar" data-frames={said.count} data-running="0">
        <button type="button" data-action="step" onClick={digitIn.next}>
          Next test digit
        </button>
        <span className="status-line">The base network knows only 0–4: what does it make of this digit?</span>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digitIn.props} onInput={onInput} />
        <div style={{ minWidth: 0 }}>
          <p aria-live="polite" style={{ margin: '0 0 0.4rem', fontSize: '0.95rem', minHeight: '2.8em' }} data-prediction={top >= 0 ? top : undefined}>
            {probs
              ? `cnn-0to4 says ${top} (${formatPercent(probs[top])})${label !== undefined ? `; the digit is a ${label}` : ''}. Its last layer can only name 0–4; the layers below it are what a new task can reuse.`
              : model
                ? 'Waiting for a digit…'
                : `Loading cnn-0to4… ${Math.round(100 * base.progress)} %`}
          </p>
          <ProbabilityBars probs={probs} classes={BASE_CLASSES} top={top} label="cnn-0to4's probabilities for the digits it was trained on" rowHeight={18} />
        </div>
      </div>
    </>
  );
}
