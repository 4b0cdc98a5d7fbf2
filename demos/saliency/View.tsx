'use client';
import { useCallback, useMemo } from 'react';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useLatest } from '../ui/useLatest';
import { useResource } from '../ui/useResource';
import { useReady } from '../ui/useReady';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { createExplainer, explainChecked } from './model';
import { digitParams, explainParams } from './params';
import { describe, mapRows, request } from './display';
import { FeatureMaps, IgCaption, MapRow } from './Panels';

const loadExplainer = async (signal: AbortSignal, onProgress: (f: number) => void) => {
  const { model } = await loadModel('cnn', { baseUrl: MODELS_BASE_URL, signal, onProgress });
  try {
    return createExplainer(model); // copies the weights it needs
  } finally {
    model.dispose();
  }
};

/** Five explanations of the shipped CNN's answer for the reader's digit, side by side, with a sanity check. */
export default function SaliencyView() {
  const { values: p, set } = useDemoParams(explainParams);
  const digit = useDigitParams(digitParams);
  const net = useResource(loadExplainer, 'cnn-explainer', (e) => e.dispose());
  const explainer = net.value;
  const { opts, note } = useMemo(() => request(p), [p]);
  // A new request (or the explainer arriving) answers the newest digit again: useLatest re-asks when fn changes.
  const explain = useCallback((job: { input: Float32Array; meta: DigitMeta }) => explainChecked(explainer!, job.input, opts), [explainer, opts]);
  const latest = useLatest(explainer ? explain : null);
  const { submit, clear } = latest;
  const onInput = useCallback((input: Float32Array | null, meta: DigitMeta) => (input ? submit({ input, meta }) : clear()), [submit, clear]);
  const r = latest.result;
  useReady(r !== null);
  const t = r?.trained;
  const top = t ? t.probs.indexOf(Math.max(...t.probs)) : -1;
  const label = latest.input?.meta.label;
  const pickUnit = (layer: 'conv1' | 'conv2', channel: number) => {
    set('target', layer);
    set('unit', channel);
  };
  return (
    <div className="saliency-demo">
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digit.props} onInput={onInput}>
          {t && (
            <span aria-hidden="true" style={{ color: 'var(--fg)' }}>
              Network: <strong style={{ fontSize: '1.3rem', color: 'var(--accent)' }}>{top}</strong> ({(100 * t.probs[top]).toFixed(1)}&nbsp;%)
              {label !== undefined && ` · label ${label}`}
            </span>
          )}
        </DigitInput>
        <div className="compact-controls" style={{ minWidth: 0 }}>
          <ParamControls table={explainParams} values={p} onChange={set} only={p.target === 'class' ? ['target', 'cls', 'randomize', 'steps'] : ['target', 'unit', 'randomize', 'steps']} />
          {p.randomize !== 'none' && <ParamControls table={explainParams} values={p} onChange={set} only={['seed']} />}
          {note && (
            <p className="status-line" role="status">
              {note}
            </p>
          )}
        </div>
      </div>
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={digit.next}>
          Next test digit
        </button>
        <span className="status-line" aria-live="polite">
          {t ? `Explaining ${describe(t.target)} (${t.score.toFixed(2)})` : explainer ? 'Give the network a digit.' : `Loading the trained network… ${Math.round(100 * net.progress)} %`}
        </span>
      </div>
      {r && mapRows(r, p.randomize).map(({ title, e }, row) => <MapRow key={title} title={title} e={e} row={row} r={r} />)}
      {t && <IgCaption t={t} steps={p.steps} checked={r?.randomized != null} />}
      {t && <FeatureMaps t={t} pick={pickUnit} />}
    </div>
  );
}
