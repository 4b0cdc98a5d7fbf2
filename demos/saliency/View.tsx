'use client';
import { useCallback, useMemo } from 'react';
import type { ParamValues } from '../runtime/params';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useLatest } from '../ui/useLatest';
import { useResource } from '../ui/useResource';
import { useReady } from '../ui/useReady';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { MapImage } from '../ui/plots/MapImage';
import { createExplainer, explainChecked, MAPS, METHODS, type Checked, type ExplainOptions, type Method, type Randomized, type TargetRequest } from './model';
import { digitParams, explainParams } from './params';

type Values = ParamValues<typeof explainParams>;

const NAMES: Record<Method, string> = {
  saliency: 'Saliency |∂S/∂x|',
  deconvnet: 'Deconvnet',
  guided: 'Guided backprop',
  gradcam: 'Grad-CAM',
  ig: 'Integrated gradients',
};

const MAP_PX = 140; // two maps side by side on a 360-px phone, five in a row on a laptop
const TILE_PX = 40; // conv1's 16 maps in one row

const loadExplainer = async (signal: AbortSignal, onProgress: (f: number) => void) => {
  const { model } = await loadModel('cnn', { baseUrl: MODELS_BASE_URL, signal, onProgress });
  try {
    return createExplainer(model); // copies the weights it needs
  } finally {
    model.dispose();
  }
};

/** The request the parameters describe; a conv1 channel past its 16 is read as the last one, and said so. */
function request(p: Values): { opts: ExplainOptions; note: string | null } {
  let target: TargetRequest;
  let note: string | null = null;
  if (p.target === 'class') target = { kind: 'class', cls: p.cls === 'top' ? 'top' : Number(p.cls) };
  else {
    const layer = p.target as 'conv1' | 'conv2';
    const last = MAPS[layer].channels - 1;
    if (p.unit > last) note = `${layer} has channels 0–${last}: showing channel ${last}.`;
    target = { kind: 'unit', layer, channel: Math.min(p.unit, last) };
  }
  return { opts: { target, igSteps: p.steps, randomize: p.randomize as Randomized, seed: p.seed }, note };
}

const describe = (t: Checked['trained']['target']) => (t.kind === 'class' ? `the score of class ${t.cls}` : `the strongest activation of ${t.layer} channel ${t.channel}`);

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
  const rows: { title: string; e: Checked['trained'] }[] = r ? [{ title: 'Trained network', e: r.trained }] : [];
  if (r?.randomized) rows.push({ title: explainParams.randomize.options.find((o) => o.value === p.randomize)!.label.replace(/^re-draw/, 'Re-drawn:'), e: r.randomized });

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
      {rows.map(({ title, e }, row) => (
        <section key={title} aria-label={title}>
          {r?.randomized && <p className="demo-subtitle" style={{ margin: '0.6rem 0 0.2rem', fontSize: '0.9rem' }}>{title}</p>}
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.8rem 1rem' }} data-row={row === 0 ? 'trained' : 'randomized'}>
            {METHODS.map((m) => {
              const map = e.maps[m];
              const sim = row === 1 ? r!.similarity[m] : null;
              return (
                <div key={m} data-method={m} style={{ width: MAP_PX }}>
                  {map ? (
                    <MapImage values={map} width={28} height={28} zoom={MAP_PX / 28} label={`${NAMES[m]} for ${describe(e.target)}`} />
                  ) : (
                    <div style={{ width: MAP_PX, height: MAP_PX, border: '1px dashed var(--line)', display: 'grid', placeItems: 'center', fontSize: '0.75rem', color: 'var(--muted)', textAlign: 'center' }}>
                      needs a class target
                    </div>
                  )}
                  <div className="plot-caption" style={{ margin: '0.1rem 0 0' }}>
                    {NAMES[m]}
                    {sim !== null && <> · r&nbsp;=&nbsp;{sim.toFixed(2)}</>}
                  </div>
                </div>
              );
            })}
          </div>
        </section>
      ))}
      {t && (
        <p className="plot-caption" data-ig-sum={t.igSum} data-ig-delta={t.igDelta}>
          Integrated gradients with {p.steps} step{p.steps === 1 ? '' : 's'}: the attributions add up to {t.igSum.toFixed(3)}, and the score rises by {t.igDelta.toFixed(3)} from a black
          image to this digit (completeness asks them to be equal). Blue marks negative values; every map is scaled to its own largest magnitude.
          {r?.randomized && ' r is the rank correlation of a method’s map before and after re-drawing the weights: near 1, the map ignores what those layers learned.'}
        </p>
      )}
      {t && (
        <details open>
          <summary style={{ cursor: 'pointer', fontSize: '0.9rem' }}>The digit’s feature maps (pick one to explain its strongest unit)</summary>
          {(['conv1', 'conv2'] as const).map((layer) => {
            const { side, channels } = MAPS[layer];
            return (
              <div key={layer} role="group" aria-label={`${layer} feature maps`} style={{ display: 'flex', flexWrap: 'wrap', gap: 2, margin: '0.4rem 0', alignItems: 'center' }}>
                <span className="status-line" style={{ width: '100%' }}>
                  {layer}: {channels} maps of {side}×{side}
                </span>
                {Array.from({ length: channels }, (_, c) => {
                  const chosen = t.target.kind === 'unit' && t.target.layer === layer && t.target.channel === c;
                  return (
                    <button
                      key={c}
                      type="button"
                      aria-pressed={chosen}
                      aria-label={`Explain ${layer} channel ${c}`}
                      onClick={() => pickUnit(layer, c)}
                      style={{ padding: 1, border: chosen ? '2px solid var(--accent)' : '2px solid transparent', background: 'none', cursor: 'pointer' }}
                    >
                      <MapImage values={t[layer]} width={side} height={side} zoom={TILE_PX / side} channel={c} channels={channels} label={`${layer} channel ${c}`} />
                    </button>
                  );
                })}
              </div>
            );
          })}
        </details>
      )}
    </div>
  );
}
