'use client';
import { memo, useMemo, useState } from 'react';
import type { History } from '../runtime/simulation';
import { loadMnist, MNIST_BASE_URL, floatImages } from '../runtime/data/loader';
import { MODELS_BASE_URL } from '../runtime/data/models';
import { loadDenseWeights, type DenseWeights } from '../runtime/compress/layers';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { LoadProgress, progressParts } from '../ui/controls/LoadProgress';
import { useResource } from '../ui/useResource';
import { useReady } from '../ui/useReady';
import { useSimulation } from '../ui/useSimulation';
import { useRemoteSimulation } from '../ui/useRemoteSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { encodingTable, keptShares, maskImages, pruneMasks, pruningRunUnits, RUN_STEPS, TEST_DIGITS, timeProducts, type ProductTimes, type PruneFrame, type PruneParams } from './model';
import { pruningParams } from './params';
import { EncodingTable, MaskImages } from './Panels';
import { formatNumber, formatPercent } from '../ui/plots/scale';

/** Test digits fc1's products are timed on. */
const TIMED_DIGITS = 256;
const INDEX_BITS = 5;

/** What the page draws the masks from and times fc1 with; the retraining's worker loads its own copy and the digits. */
interface Loaded {
  layers: DenseWeights[];
  timed: Float32Array;
}

async function loadAll(signal: AbortSignal, onProgress: (f: number) => void): Promise<Loaded> {
  const part = progressParts(2, onProgress);
  const [net, test] = await Promise.all([
    loadDenseWeights('mlp', { baseUrl: MODELS_BASE_URL, signal, onProgress: part(0) }),
    loadMnist({ split: 'test', count: TIMED_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: part(1).bytes }),
  ]);
  return { layers: net.layers, timed: floatImages(test) };
}

const record = (f: PruneFrame, h: History) => {
  if (h.get('step').last() === f.measuredAt) return; // a frame that only measured on
  h.push('step', f.measuredAt);
  h.push('acc', 100 * f.accuracy);
  h.push('dense', 100 * f.denseAccuracy);
};

/** Magnitude pruning of the shipped MLP, layer by layer, and a short retraining with the masks fixed. */
export default function PruningView() {
  const { values: p, set } = useDemoParams(pruningParams);
  // The retraining runs in a worker (./model.worker.ts): a step is about a frame's time on wasm, which the page's
  // main thread would drop. It starts at once, while the page loads the weights it draws the masks from.
  const create = useRemoteSimulation<PruneParams, PruneFrame>(() => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module' }));
  // A call's k counts units of work (training steps and measurement chunks): a run is RUN_STEPS steps and its measurements.
  const sim = useSimulation(create, p, { budget: pruningRunUnits(RUN_STEPS, TEST_DIGITS), autoplay: true, record });
  const res = useResource(loadAll, 'mlp');
  // The masks and their encodings are the first result: they need only the shipped weights, not the worker.
  useReady(res.value !== null);
  const f = sim.frame;
  const h = sim.history;
  return (
    <div className="pruning-demo">
      <ParamControls table={pruningParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `retraining step ${f.steps} of ${RUN_STEPS}` : 'starting the retraining…'} />
      {f && (
        <p className="plot-caption" data-accuracy={f.accuracy} style={{ fontSize: '0.9rem', color: 'var(--fg)' }}>
          Accuracy on {formatNumber(TEST_DIGITS)} test digits: unpruned {formatPercent(f.denseAccuracy)} · pruned, before retraining {formatPercent(f.prunedAccuracy)} ·{' '}
          <strong>after {f.measuredAt} steps {formatPercent(f.accuracy)}</strong>
        </p>
      )}
      <Chart
        label="Test accuracy during retraining with the masks fixed"
        height={170}
        x={h.values('step')}
        xLabel="retraining step"
        yLabel="test accuracy (%)"
        series={[
          { label: 'pruned, retraining', color: SERIES[1], values: h.values('acc') },
          { label: 'unpruned', color: SERIES[7], values: h.values('dense'), dashed: true },
        ]}
      />
      {res.value ? <Masks {...res.value} p={p} /> : <LoadProgress id="pruning-progress" what="the shipped MLP" progress={res.progress} />}
    </div>
  );
}

/** The masks of the reader's kept shares, their encodings' bytes, and fc1's product timed dense and sparse (not redrawn with every frame). */
const Masks = memo(function Masks({ layers, timed, p }: Loaded & { p: PruneParams }) {
  const keep = keptShares(p);
  const [k1, k2, k3] = keep;
  const masks = useMemo(() => pruneMasks(layers, [k1, k2, k3]), [layers, k1, k2, k3]);
  const images = useMemo(() => maskImages(layers, masks), [layers, masks]);
  const table = useMemo(() => encodingTable(layers, masks, INDEX_BITS), [layers, masks]);
  const [times, setTimes] = useState<ProductTimes | null>(null);
  const [timing, setTiming] = useState(false);
  const measure = async () => {
    setTiming(true);
    try {
      setTimes(await timeProducts(layers[0], masks[0], timed, TIMED_DIGITS));
    } finally {
      setTiming(false);
    }
  };
  return (
    <>
      <MaskImages images={images} keep={keep} />
      <EncodingTable {...table} indexBits={INDEX_BITS} />
      <div className="toolbar">
        <button type="button" onClick={measure} disabled={timing}>
          {timing ? 'Timing…' : `Time fc1 on ${TIMED_DIGITS} digits: dense vs sparse`}
        </button>
        {times && (
          <span className="status-line" data-times={JSON.stringify(times)}>
            tfjs dense kernel {times.denseKernel.toFixed(1)} ms · plain dense loop {times.denseLoop.toFixed(1)} ms · plain CSR loop ({formatPercent(times.density, 0)} of the weights){' '}
            {times.sparseLoop.toFixed(1)} ms
          </span>
        )}
      </div>
    </>
  );
});
