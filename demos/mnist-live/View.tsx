'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DemoViewProps } from '../ui/types';
import type { tf } from '../runtime/tf';
import { loadModel, MODELS_BASE_URL, type ModelManifest } from '../runtime/data/models';
import { useDemoParams } from '@/demos/ui/controls/useDemoParams';
import { DigitInput, type DigitMeta, type DigitMode } from '@/demos/ui/digits/DigitInput';
import { ProbabilityBars } from '@/demos/ui/plots/ProbabilityBars';
import { argMax, describeArchitecture, predict } from './model';
import { liveParams } from './params';

const MODEL = 'cnn';
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

interface Shown {
  probs: Float32Array;
  meta: DigitMeta;
}

const TH = { whiteSpace: 'nowrap', width: '1%', verticalAlign: 'top' } as const;
const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}\u00a0%`; // no line break before %

/** What the network says, in one sentence (announced to screen readers). */
function verdict(shown: Shown | null, waiting: DigitMeta | null): string {
  if (!shown) {
    if (waiting?.source === 'draw') return 'Draw a digit on the pad.';
    if (waiting?.source === 'upload') return 'Choose an image of a digit.';
    return 'Waiting for a digit…';
  }
  const top = argMax(shown.probs);
  const base = `The network says ${top}, with probability ${pct(shown.probs[top])}.`;
  if (shown.meta.source === 'test' && shown.meta.label !== undefined) {
    return `${base} The true label is ${shown.meta.label}: ${shown.meta.label === top ? 'correct' : 'wrong'}.`;
  }
  return base;
}

/** The shipped CNN classifying a drawn, picked or uploaded digit in the reader's browser. */
export default function MnistLiveView({ prefix, onNote, onReady, onError }: DemoViewProps) {
  const { values: p, set } = useDemoParams(liveParams, prefix, onNote);
  const [manifest, setManifest] = useState<ModelManifest | null>(null);
  const [progress, setProgress] = useState(0);
  const [shown, setShown] = useState<Shown | null>(null);
  const [waiting, setWaiting] = useState<DigitMeta | null>(null);
  const [predictions, setPredictions] = useState(0);
  const [testCount, setTestCount] = useState(liveParams.digit.max + 1);
  const model = useRef<tf.LayersModel | null>(null);
  const pending = useRef<{ input: Float32Array; meta: DigitMeta; seq: number } | null>(null);
  const seq = useRef(0);
  const busy = useRef(false);

  // Predicts the newest pending input; inputs arriving meanwhile replace each other (no queue build-up).
  const pump = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      while (pending.current && model.current) {
        const job = pending.current;
        pending.current = null;
        const m = model.current;
        const probs = await predict(m, job.input);
        if (model.current !== m || job.seq !== seq.current) continue; // unmounted, or a newer input came
        setShown({ probs, meta: job.meta });
        setPredictions((n) => n + 1);
      }
    } catch (e) {
      if (model.current) onError(e);
    } finally {
      busy.current = false;
    }
  }, [onError]);

  useEffect(() => {
    let alive = true;
    const ctl = new AbortController();
    let owned: tf.LayersModel | null = null;
    setProgress(0);
    loadModel(MODEL, { baseUrl: MODELS_BASE_URL, signal: ctl.signal, onProgress: (f) => alive && setProgress(f) }).then(
      (m) => {
        if (!alive) return m.model.dispose(); // unmounted while loading
        owned = m.model;
        model.current = m.model;
        setManifest(m.manifest);
        void pump();
      },
      (e: unknown) => alive && onError(e),
    );
    return () => {
      alive = false;
      ctl.abort();
      model.current = null;
      owned?.dispose();
    };
  }, [pump, onError]);

  const onInput = useCallback(
    (input: Float32Array | null, meta: DigitMeta) => {
      seq.current += 1;
      if (meta.testCount) setTestCount(meta.testCount);
      if (!input) {
        pending.current = null;
        setShown(null);
        setWaiting(meta);
        return;
      }
      pending.current = { input, meta, seq: seq.current };
      void pump();
    },
    [pump],
  );

  const ready = shown !== null;
  useEffect(() => {
    if (ready) onReady();
  }, [ready, onReady]);

  const mode = p.input as DigitMode;
  const next = () => {
    set('input', 'test');
    set('digit', mode === 'test' ? (p.digit + 1) % testCount : p.digit);
  };
  const top = shown ? argMax(shown.probs) : -1;

  return (
    <div className="mnist-live">
      <div className="toolbar" data-frames={predictions} data-running="0">
        <button type="button" data-action="step" onClick={next}>
          Next test digit
        </button>
        <span className="status-line">
          {predictions} prediction{predictions === 1 ? '' : 's'}
        </span>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput
          indexName={`${prefix}digit`}
          mode={mode}
          onModeChange={(m) => set('input', m)}
          testIndex={p.digit}
          onTestIndexChange={(i) => set('digit', i)}
          onInput={onInput}
        >
          {shown && (
            <span aria-hidden="true" style={{ color: 'var(--fg)' }}>
              Network: <strong style={{ fontSize: '1.3rem', color: 'var(--accent)' }}>{top}</strong> ({pct(shown.probs[top])})
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
                      {manifest.params.toLocaleString('en-US')} ({Math.round(manifest.weightBytes / 1024)} KB download)
                    </td>
                  </tr>
                  <tr>
                    <th scope="row" style={TH}>Training</th>
                    <td style={{ textAlign: 'left' }}>
                      {manifest.training.epochs} epochs of Adam on {manifest.training.trainExamples.toLocaleString('en-US')} digits
                    </td>
                  </tr>
                  <tr>
                    <th scope="row" style={TH}>Test accuracy</th>
                    <td style={{ textAlign: 'left' }} data-test-accuracy={manifest.test.accuracy}>
                      {pct(manifest.test.accuracy, 2)} of the {manifest.test.count.toLocaleString('en-US')} MNIST test digits
                    </td>
                  </tr>
                </tbody>
              </table>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
