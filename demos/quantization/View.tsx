'use client';
import { useMemo } from 'react';
import type { Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import type { MnistArrays } from '../runtime/data/idx';
import { loadMnist, MNIST_BASE_URL, floatImages } from '../runtime/data/loader';
import { MODELS_BASE_URL } from '../runtime/data/models';
import { loadDenseWeights, type DenseWeights } from '../runtime/compress/layers';
import type { CentroidInit } from '../runtime/compress/kmeans';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { LoadProgress, progressParts } from '../ui/controls/LoadProgress';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { createQuantization, sweepUnits, type TestDigits, SWEEP_BITS, SWEEP_POINTS, SWEEP_SERIES, type QuantizationCache, type QuantizationFrame, type SweepSeries } from './model';
import { quantizationParams } from './params';
import { HistogramCanvas } from './HistogramCanvas';
import { formatNumber, formatPercent } from '../ui/plots/scale';

const TEST_DIGITS = 1000;
const pct = (x: number) => (Number.isFinite(x) ? formatPercent(x) : '…');
const SERIES_LABEL: Record<SweepSeries, string> = { fc1: 'fc1 alone', fc2: 'fc2 alone', fc3: 'output alone', all: 'all three' };

interface Loaded {
  layers: DenseWeights[];
  test: TestDigits;
}

async function loadAll(signal: AbortSignal, onProgress: (f: number) => void): Promise<Loaded> {
  const report = progressParts(2, onProgress);

  const [net, test]: [{ layers: DenseWeights[] }, MnistArrays] = await Promise.all([
    loadDenseWeights('mlp', { baseUrl: MODELS_BASE_URL, signal, onProgress: report(0) }),
    loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: report(1).bytes }),
  ]);
  return { layers: net.layers, test: { images: floatImages(test), labels: test.labels, count: test.count } };
}

/** k-means weight sharing on the shipped MLP: a layer's histogram with its shared values, and accuracy against bits. */
export default function QuantizationView() {
  const res = useResource(loadAll, 'mlp+test');
  if (!res.value) {
    return (
      <div className="quantization-demo">
        <LoadProgress id="quantization-progress" what={`the shipped MLP and ${formatNumber(TEST_DIGITS)} test digits`} progress={res.progress} />
      </div>
    );
  }
  return <Shared {...res.value} />;
}

function Shared({ layers, test }: Loaded) {
  const { values: p, set } = useDemoParams(quantizationParams);
  const cache = useMemo<QuantizationCache>(() => new Map(), []);
  const simulate = (q: ParamValues<typeof quantizationParams>): Simulation<QuantizationFrame> =>
    createQuantization(layers, test, { layer: q.layer as SweepSeries, bits: q.bits, init: q.init as CentroidInit, seed: q.seed }, cache);
  // One unit of work per frame (a layer's k-means or one point's scoring, each a frame's work on fc1): the pacer
  // would otherwise group several cheap ones with a dear one.
  const sim = useSimulation(simulate, p, { budget: sweepUnits(layers.length), autoplay: true, pace: { max: 1 }, converged: (f) => f.points >= SWEEP_POINTS });
  const f = sim.frame;
  const k = 2 ** p.bits;
  return (
    <div className="quantization-demo">
      <ParamControls table={quantizationParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `accuracy-against-bits sweep: ${f.points} of ${SWEEP_POINTS} points` : ''} />
      {f && (
        <>
          <HistogramCanvas
            weights={f.shown.weights}
            centroids={f.shown.shared.centroids}
            label={`Histogram of the ${f.shown.weights.length} weights of ${f.shown.name} with its ${k} shared values`}
          />
          <p className="plot-caption" data-accuracy={f.accuracy} style={{ fontSize: '0.9rem', color: 'var(--fg)' }}>
            {f.shown.name}: {formatNumber(f.shown.weights.length)} weights → {k} shared values ({p.bits}-bit indices), RMS error{' '}
            {Math.sqrt(f.shown.shared.mse).toExponential(2)}. Accuracy on {formatNumber(TEST_DIGITS)} test digits: unclustered {pct(f.denseAccuracy)} ·{' '}
            <strong>
              {SERIES_LABEL[p.layer as SweepSeries]} at {p.bits} bits {pct(f.accuracy)}
            </strong>
          </p>
          <Chart
            label="Test accuracy against bits per weight, each layer clustered alone and all together"
            height={200}
            x={SWEEP_BITS as unknown as number[]}
            xLabel="bits per weight"
            yLabel="test accuracy (%)"
            yMin={80}
            yMax={100}
            series={[
              ...SWEEP_SERIES.map((s, i) => ({ label: SERIES_LABEL[s], color: SERIES[[0, 2, 4, 1][i]], values: Array.from(f.sweep[s], (a) => 100 * a) })),
              { label: 'unclustered', color: SERIES[7], values: SWEEP_BITS.map(() => 100 * f.denseAccuracy), dashed: true },
            ]}
          />
        </>
      )}
    </div>
  );
}
