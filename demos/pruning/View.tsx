'use client';
import { useMemo, useState } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import type { MnistArrays } from '../runtime/data/idx';
import { loadMnist, MNIST_BASE_URL, floatImages } from '../runtime/data/loader';
import { MODELS_BASE_URL } from '../runtime/data/models';
import { loadDenseWeights, type DenseWeights } from '../runtime/compress/layers';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { LoadProgress, progressParts } from '../ui/controls/LoadProgress';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { createPruning, encodingTable, maskImages, pruneMasks, pruningRunUnits, timeProducts, type ProductTimes, type PruneFrame } from './model';
import { pruningParams } from './params';
import { EncodingTable, MaskImages, pct } from './Panels';

type Values = ParamValues<typeof pruningParams>;
/** Retraining steps per run (Play resumes for as many again). */
const BUDGET = 300;
const TRAIN_DIGITS = 5000;
const TEST_DIGITS = 1000;
const INDEX_BITS = 5;

interface Loaded {
  layers: DenseWeights[];
  train: MnistArrays;
  test: MnistArrays;
}

async function loadAll(signal: AbortSignal, onProgress: (f: number) => void): Promise<Loaded> {
  const part = progressParts(3, onProgress);
  const [net, train, test] = await Promise.all([
    loadDenseWeights('mlp', { baseUrl: MODELS_BASE_URL, signal, onProgress: part(0) }),
    loadMnist({ split: 'train', count: TRAIN_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: part(1).bytes }),
    loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: part(2).bytes }),
  ]);
  return { layers: net.layers, train, test };
}

/** Magnitude pruning of the shipped MLP, layer by layer, and a short retraining with the masks fixed. */
export default function PruningView() {
  const res = useResource(loadAll, 'mlp+mnist');
  if (!res.value) {
    return (
      <div className="pruning-demo">
        <LoadProgress id="pruning-progress" what={`the shipped MLP and ${TRAIN_DIGITS.toLocaleString('en-US')} training digits`} progress={res.progress} />
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
  // A call's k counts units of work (training steps and measurement chunks): a run is BUDGET steps and its measurements.
  const sim = useSimulation(simulate, p, { budget: pruningRunUnits(BUDGET, TEST_DIGITS), autoplay: true, record });
  const f = sim.frame;
  const h = sim.history;
  const [k1, k2, k3] = keep;
  const masks = useMemo(() => pruneMasks(layers, [k1, k2, k3]), [layers, k1, k2, k3]);
  const images = useMemo(() => maskImages(layers, masks), [layers, masks]);
  const table = useMemo(() => encodingTable(layers, masks, INDEX_BITS), [layers, masks]);
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
      <MaskImages images={images} keep={keep} />
      <EncodingTable {...table} indexBits={INDEX_BITS} />
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
