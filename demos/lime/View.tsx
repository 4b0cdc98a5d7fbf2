'use client';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ParamValues } from '../runtime/params';
import type { Simulation } from '../runtime/simulation';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { MapImage } from '../ui/plots/MapImage';
import { createLimeRun, gridSegments, segmentImage, summarizeRuns, topSegments, type LimeFrame } from './model';
import { digitParams, limeParams } from './params';
import { formatNumber } from '../ui/plots/scale';

type Values = ParamValues<typeof limeParams>;
/** The settings that change what LIME computes (the number of segments shown does not). */
type RunKey = Omit<Values, 'k'> & { digit: number };

const MAP_PX = 140;
const THUMB_PX = 56;
const loadNet = (signal: AbortSignal, onProgress: (f: number) => void) => loadModel('cnn', { baseUrl: MODELS_BASE_URL, signal, onProgress });

/** The digit kept where `keep` is true and dimmed elsewhere: LIME's picture of an explanation. */
function masked(pixels: Float32Array, segmentOf: Int32Array, keep: ReadonlySet<number>): Float32Array {
  return Float32Array.from(pixels, (v, p) => (keep.has(segmentOf[p]) ? v : 0.15 * v));
}

/** LIME on the reader's digit, ten times with ten seeds, to show what it says and how much that moves. */
export default function LimeView() {
  const { values: p, set } = useDemoParams(limeParams);
  const digit = useDigitParams(digitParams);
  const net = useResource<LoadedModel>(loadNet, 'cnn', (m) => m.model.dispose());
  const model = net.value?.model ?? null;
  // The newest digit: a counter in the simulation's parameters restarts LIME when it changes.
  const pixels = useRef<Float32Array | null>(null);
  const [digitKey, setDigitKey] = useState(0);
  const [meta, setMeta] = useState<DigitMeta | null>(null);
  const onInput = useCallback((input: Float32Array | null, m: DigitMeta) => {
    pixels.current = input;
    setMeta(m);
    setDigitKey((k) => k + 1);
  }, []);

  const ready = model !== null && pixels.current !== null;
  const key: RunKey & { ready: boolean } = { cls: p.cls, block: p.block, samples: p.samples, fill: p.fill, width: p.width, seed: p.seed, digit: digitKey, ready };
  const simulate = (q: typeof key): Simulation<LimeFrame | null> =>
    q.ready && model && pixels.current
      ? createLimeRun(model, pixels.current, q.cls === 'top' ? 'top' : Number(q.cls), {
          block: Number(q.block),
          samples: Number(q.samples),
          fill: Number(q.fill),
          width: q.width,
          seed: q.seed,
        })
      : { step: async () => null, dispose: () => {} };
  const sim = useSimulation<LimeFrame | null, typeof key>(simulate, key, {
    budget: 1000,
    autoplay: true,
    converged: (f) => !f || f.steps >= f.total,
    ready,
  });
  const f = sim.frame;
  const { segmentOf } = useMemo(() => gridSegments(Number(p.block)), [p.block]);
  const summary = f && f.runs.length > 0 ? summarizeRuns(f.runs, f.segments, p.k) : null;
  const x = pixels.current;
  const label = meta?.label;
  const runsDone = f?.runs.length ?? 0;

  return (
    <div className="lime-demo">
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digit.props} onInput={onInput}>
          {f && (
            <span aria-hidden="true" style={{ color: 'var(--fg)' }}>
              Explaining <strong style={{ fontSize: '1.3rem', color: 'var(--accent)' }}>{f.cls}</strong> (p = {f.prob.toFixed(3)})
              {label !== undefined && ` · label ${label}`}
            </span>
          )}
        </DigitInput>
        <div className="compact-controls" style={{ minWidth: 0 }}>
          <ParamControls table={limeParams} values={p} onChange={set} />
        </div>
      </div>
      <Transport
        sim={sim}
        status={
          f
            ? `run ${Math.min(f.runsTotal, runsDone + (f.steps < f.total ? 1 : 0))} of ${f.runsTotal} · ${formatNumber(f.scored)} of ${formatNumber(f.runsTotal * Number(p.samples))} perturbed digits scored`
            : model
              ? 'Give the network a digit.'
              : `Loading the trained network… ${Math.round(100 * net.progress)} %`
        }
      />
      {x && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.8rem 1rem', marginTop: '0.5rem' }}>
          <div style={{ width: MAP_PX }}>
            <MapImage
              values={summary ? masked(x, segmentOf, new Set(topSegments(summary.mean, p.k))) : x}
              width={28}
              height={28}
              zoom={MAP_PX / 28}
              scale={1}
              label={`The digit with the ${p.k} segments of largest mean weight kept`}
            />
            <div className="plot-caption">{summary ? `Top ${p.k} by mean weight` : 'The digit'}</div>
          </div>
          <div style={{ width: MAP_PX }}>
            {summary ? (
              <MapImage values={segmentImage(summary.mean, segmentOf)} width={28} height={28} zoom={MAP_PX / 28} label="Mean surrogate weight per segment" />
            ) : (
              <MapImage values={segmentImage(Float64Array.from({ length: segmentOf.length }, (_, i) => (i % 2 ? 0.3 : 0.6)), segmentOf)} width={28} height={28} zoom={MAP_PX / 28} scale={1} label="The segments" />
            )}
            <div className="plot-caption">{summary ? `Mean weight over ${runsDone} run${runsDone === 1 ? '' : 's'} (blue: against)` : 'Segments'}</div>
          </div>
          {summary && runsDone > 1 && (
            <div style={{ width: MAP_PX }}>
              <MapImage values={segmentImage(summary.std, segmentOf)} width={28} height={28} zoom={MAP_PX / 28} scale={Math.max(...summary.mean.map(Math.abs))} label="Standard deviation of each segment's weight across runs" />
              <div className="plot-caption">Spread across runs (same scale)</div>
            </div>
          )}
        </div>
      )}
      {summary && x && (
        <>
          <div role="group" aria-label="Each run's top segments" style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: '0.6rem' }}>
            {summary.tops.map((top, r) => (
              <MapImage key={r} values={masked(x, segmentOf, new Set(top))} width={28} height={28} zoom={THUMB_PX / 28} scale={1} label={`Run ${r + 1}: segments ${top.join(', ')}`} />
            ))}
          </div>
          <p className="plot-caption" data-agreement={summary.agreement} data-runs={runsDone}>
            Each small image is one run’s top {p.k} segments (seeds {p.seed}–{p.seed + runsDone - 1}).
            {runsDone > 1
              ? ` Their mean pairwise overlap (Jaccard) is ${summary.agreement.toFixed(2)}: 1 would mean every seed picks the same segments.`
              : ' The overlap between runs appears after the second run.'}
          </p>
        </>
      )}
    </div>
  );
}
