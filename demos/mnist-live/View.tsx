'use client';
import { useCallback, useState } from 'react';
import type { tf } from '../runtime/tf';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { useLatest } from '../ui/useLatest';
import { useResource } from '../ui/useResource';
import { useReady } from '../ui/useReady';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { ProbabilityBars } from '../ui/plots/ProbabilityBars';
import { argMax, describeArchitecture, predict } from './model';
import { liveParams } from './params';
import { Evaluate } from './Evaluate';
import { formatNumber, formatPercent } from '../ui/plots/scale';

const MODEL = 'cnn';
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

interface Shown {
  probs: Float32Array;
  meta: DigitMeta;
}

const TH = { whiteSpace: 'nowrap', width: '1%', verticalAlign: 'top' } as const;

/** What the network says, in one sentence (announced to screen readers). */
function verdict(shown: Shown | null, waiting: DigitMeta | null): string {
  if (!shown) {
    if (waiting?.source === 'draw') return 'Draw a digit on the pad.';
    if (waiting?.source === 'upload') return 'Choose an image of a digit.';
    return 'Waiting for a digit…';
  }
  const top = argMax(shown.probs);
  const base = `The network says ${top}, with probability ${formatPercent(shown.probs[top])}.`;
  if (shown.meta.source === 'test' && shown.meta.label !== undefined) {
    return `${base} The true label is ${shown.meta.label}: ${shown.meta.label === top ? 'correct' : 'wrong'}.`;
  }
  return base;
}

/** The shipped CNN classifying a drawn, picked or uploaded digit in the reader's browser. */
export default function MnistLiveView() {
  const digit = useDigitParams(liveParams);
  const net = useResource((signal, onProgress) => loadModel(MODEL, { baseUrl: MODELS_BASE_URL, signal, onProgress }), MODEL, (m) => m.model.dispose());
  const model = net.value?.model ?? null;
  const manifest = net.value?.manifest ?? null;
  // The newest digit wins: strokes arriving while the network runs replace each other.
  const classify = useCallback((job: { input: Float32Array; meta: DigitMeta }) => predict(model as tf.LayersModel, job.input), [model]);
  const latest = useLatest(model ? classify : null);
  const [waiting, setWaiting] = useState<DigitMeta | null>(null);
  const shown: Shown | null = latest.result && latest.input ? { probs: latest.result, meta: latest.input.meta } : null;
  useReady(shown !== null);

  const { submit, clear } = latest;
  const onInput = useCallback(
    (input: Float32Array | null, meta: DigitMeta) => {
      setWaiting(meta);
      if (input) submit({ input, meta });
      else clear();
    },
    [submit, clear],
  );

  const predictions = latest.count;
  const progress = net.progress;
  const top = shown ? argMax(shown.probs) : -1;

  return (
    <div className="mnist-live">
      <div className="toolbar" data-frames={predictions} data-running="0">
        <button type="button" data-action="step" onClick={digit.next}>
          Next test digit
        </button>
        <span className="status-line">
          {predictions} prediction{predictions === 1 ? '' : 's'}
        </span>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digit.props} onInput={onInput}>
          {shown && (
            <span aria-hidden="true" style={{ color: 'var(--fg)' }}>
              Network: <strong style={{ fontSize: '1.3rem', color: 'var(--accent)' }}>{top}</strong> ({formatPercent(shown.probs[top])})
            </span>
          )}
        </DigitInput>
        <div style={{ minWidth: 0 }}>
          {!manifest ? (
            <div>
              <label htmlFor="mnist-live-progress" className="status-line">
                Loading the trained network… {Math.round(100 * progress)} %
              </label>
              <progress id="mnist-live-progress" max={1} value={progress} style={{ width: '100%' }} />
            </div>
          ) : (
            <>
              <p
                aria-live="polite"
                className="mnist-verdict"
                data-prediction={top >= 0 ? top : undefined}
                data-source={shown?.meta.source}
                data-index={shown?.meta.index}
                style={{ margin: '0 0 0.4rem', fontSize: '0.95rem', minHeight: '2.8em' }}
              >
                {verdict(shown, waiting)}
              </p>
              <ProbabilityBars probs={shown?.probs ?? null} classes={DIGITS} top={top} label="Probability the network gives each digit" />
              <table className="stats mnist-facts" style={{ marginTop: '0.6rem' }}>
                <caption>The network, from its manifest</caption>
                <tbody>
                  <tr>
                    <th scope="row" style={TH}>Layers</th>
                    <td style={{ textAlign: 'left' }}>{describeArchitecture(manifest)}</td>
                  </tr>
                  <tr>
                    <th scope="row" style={TH}>Parameters</th>
                    <td style={{ textAlign: 'left' }}>
                      {formatNumber(manifest.params)} ({Math.round(manifest.weightBytes / 1024)} KB download)
                    </td>
                  </tr>
                  <tr>
                    <th scope="row" style={TH}>Training</th>
                    <td style={{ textAlign: 'left' }}>
                      {manifest.training.epochs} epochs of Adam on {formatNumber(manifest.training.trainExamples)} digits
                    </td>
                  </tr>
                  <tr>
                    <th scope="row" style={TH}>Test accuracy</th>
                    <td style={{ textAlign: 'left' }} data-test-accuracy={manifest.test.accuracy}>
                      {formatPercent(manifest.test.accuracy, 2)} of the {formatNumber(manifest.test.count)} MNIST test digits
                    </td>
                  </tr>
                </tbody>
              </table>
            </>
          )}
        </div>
      </div>
      <Evaluate model={MODEL} />
    </div>
  );
}
