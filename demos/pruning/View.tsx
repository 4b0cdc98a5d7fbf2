'use client';
import { useMemo, useState } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import type { MnistArrays } from '../runtime/data/idx';
import { loadMnist, MNIST_BASE_URL, floatImages } from '../runtime/data/loader';
import { MODELS_BASE_URL } from '../runtime/data/models';
import { loadDenseWeights, type DenseWeights } from '../runtime/compress/layers';
import { relativeIndices } from '../runtime/compress/sparse';
import { encodingBytes } from '../runtime/compress/csr';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { createPruning, maskImages, pruneMasks, timeProducts, type ProductTimes, type PruneFrame } from './model';
import { pruningParams } from './params';
import { MapImage } from '../ui/plots/MapImage';

type Values = ParamValues<typeof pruningParams>;
/** Retraining steps per run (Play resumes for as many again). */
const BUDGET = 300;
const TRAIN_DIGITS = 5000;
const TEST_DIGITS = 1000;
const INDEX_BITS = 5;
const kb = (b: number) => `${(b / 1024).toFixed(1)}\u00a0KB`;
const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}\u00a0%`;

interface Loaded {
  layers: DenseWeights[];
  train: MnistArrays;
  test: MnistArrays;
}

async function loadAll(signal: AbortSignal, onProgress: (f: number) => void): Promise<Loaded> {
  const parts = [0, 0, 0];
  const report = (i: number) => (f: number) => {
    parts[i] = f;
    onProgress((parts[0] + parts[1] + parts[2]) / 3);
  };
  const frac = (i: number) => (loaded: number, total: number) => report(i)(total > 0 ? loaded / total : 1);
  const [net, train, test] = await Promise.all([
    loadDenseWeights('mlp', { baseUrl: MODELS_BASE_URL, signal, onProgress: report(0) }),
    loadMnist({ split: 'train', count: TRAIN_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: frac(1) }),
    loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: frac(2) }),
  ]);
  return { layers: net.layers, train, test };
}

/** Magnitude pruning of the shipped MLP, layer by layer, and a short retraining with the masks fixed. */
export default function PruningView() {
  const res = useResource(loadAll, 'mlp+mnist');
  if (!res.value) {
    return (
      <div className="pruning-demo">
        <label htmlFor="pruning-progress" className="status-line">
          Loading the shipped MLP and {TRAIN_DIGITS.toLocaleString('en-US')} training digits… {Math.round(100 * res.progress)} %
        </label>
        <progress id="pruning-progress" max={1} value={res.progress} style={{ width: '100%' }} />
      </div>
    );
  }
  return <Pruned {...res.value} />;
}

const record = (f: PruneFrame, h: History) => {
  if (h.get('step').last() === f.measuredAt) return; // a frame that only measured on
  h.push('step', f.measuredAt);
  h.push('acc', 100 * f.accuracy);
  h.push('dense', 100 * f.denseAccuracy);
};

function Pruned({ layers, train, test }: Loaded) {
  const { values: p, set } = useDemoParams(pruningParams);
  const keep = [p.keep1 / 100, p.keep2 / 100, p.keep3 / 100];
  const simulate = (q: Values): Simulation<PruneFrame> => createPruning(layers, { train, test }, { keep: [q.keep1 / 100, q.keep2 / 100, q.keep3 / 100], lr: 1e-3, batchSize: 64, seed: q.seed, runSteps: BUDGET });
  const sim = useSimulation(simulate, p, { budget: BUDGET, autoplay: true, record, converged: (f) => f.steps >= BUDGET });
  const f = sim.frame;
  const h = sim.history;
  const [k1, k2, k3] = keep;
  const masks = useMemo(() => pruneMasks(layers, [k1, k2, k3]), [layers, k1, k2, k3]);
  const images = useMemo(() => maskImages(layers, masks), [layers, masks]);
  const bytes = useMemo(
    () =>
      layers.map((l, i) => {
        const nnz = masks[i].reduce((a, b) => a + b, 0);
        return { name: l.name, nnz, n: l.kernel.length, ...encodingBytes(l.inputs, l.units, nnz, relativeIndices(masks[i], INDEX_BITS).symbols.length, INDEX_BITS) };
      }),
    [layers, masks],
  );
  const total = (k: 'dense' | 'csr32' | 'csr16' | 'relative') => bytes.reduce((s, b) => s + b[k], 0);
  const [times, setTimes] = useState<ProductTimes | null>(null);
  const [timing, setTiming] = useState(false);
  const measure = async () => {
    setTiming(true);
    try {
      setTimes(await timeProducts(layers[0], masks[0], floatImages(test, 0, 256), 256));
    } finally {
      setTiming(false);
    }
  };

  return (
    <div className="pruning-demo">
      <ParamControls table={pruningParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `retraining step ${f.steps} of ${BUDGET}` : ''} />
      {f && (
        <p className="plot-caption" data-accuracy={f.accuracy} style={{ fontSize: '0.9rem', color: 'var(--fg)' }}>
          Accuracy on {TEST_DIGITS.toLocaleString('en-US')} test digits: unpruned {pct(f.denseAccuracy)} · pruned, before retraining {pct(f.prunedAccuracy)} ·{' '}
          <strong>after {f.measuredAt} steps {pct(f.accuracy)}</strong>
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
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem', alignItems: 'flex-start', margin: '0.6rem 0' }}>
        <MapImage values={images[0].values} width={28} height={28} zoom={4} scale={1} label={`fc1: share kept per input pixel (${pct(k1, 0)} kept)`} caption={`fc1: share kept per input pixel (${pct(k1, 0)} kept)`} />
        <MapImage values={images[1].values} width={images[1].width} height={images[1].height} zoom={1} scale={1} label={`fc2 mask, 100 units × 300 inputs (${pct(k2, 0)})`} caption={`fc2 mask, 100 units × 300 inputs (${pct(k2, 0)})`} />
        <MapImage values={images[2].values} width={images[2].width} height={images[2].height} zoom={3} scale={1} label={`output mask, 10 × 100 (${pct(k3, 0)})`} caption={`output mask, 10 × 100 (${pct(k3, 0)})`} />
      </div>
      <table className="stats">
        <caption>Bytes of the pruned weights in each encoding (float32 values; relative indices of {INDEX_BITS} bits)</caption>
        <thead>
          <tr>
            <th scope="col">layer</th>
            <th scope="col">kept</th>
            <th scope="col">dense</th>
            <th scope="col">CSR, 32-bit indices</th>
            <th scope="col">CSR, 16-bit</th>
            <th scope="col">relative</th>
          </tr>
        </thead>
        <tbody>
          {bytes.map((b) => (
            <tr key={b.name}>
              <th scope="row">{b.name}</th>
              <td>{b.nnz.toLocaleString('en-US')}</td>
              <td>{kb(b.dense)}</td>
              <td>{kb(b.csr32)}</td>
              <td>{kb(b.csr16)}</td>
              <td>{kb(b.relative)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">all</th>
            <td />
            <td>{kb(total('dense'))}</td>
            <td>{kb(total('csr32'))}</td>
            <td>{kb(total('csr16'))}</td>
            <td data-ratio={(total('dense') / total('relative')).toFixed(2)}>
              {kb(total('relative'))} ({(total('dense') / total('relative')).toFixed(1)}×)
            </td>
          </tr>
        </tbody>
      </table>
      <div className="toolbar">
        <button type="button" onClick={measure} disabled={timing}>
          {timing ? 'Timing…' : 'Time fc1 on 256 digits: dense vs sparse'}
        </button>
        {times && (
          <span className="status-line" data-times={JSON.stringify(times)}>
            tfjs dense kernel {times.denseKernel.toFixed(1)} ms · plain dense loop {times.denseLoop.toFixed(1)} ms · plain CSR loop ({pct(times.density, 0)} of the weights){' '}
            {times.sparseLoop.toFixed(1)} ms
          </span>
        )}
      </div>
    </div>
  );
}
