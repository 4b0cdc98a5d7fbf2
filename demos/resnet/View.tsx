'use client';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import type { MnistArrays } from '../runtime/data/idx';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { createResnetRun, DEFAULT_CONFIG, NETS, runUnits, type ResnetFrame } from './model';
import { resnetParams } from './params';
import { formatNumber, formatPercent } from '../ui/plots/scale';

type Values = ParamValues<typeof resnetParams>;
const TRAIN_DIGITS = 5000;
const TOTAL = DEFAULT_CONFIG.total;
const COLORS = [SERIES[1], SERIES[0]];
const NAMES = ['plain', 'residual'];

/** The first 5,000 training digits (one shard): the degradation problem is about training error. */
const loadTrain = (signal: AbortSignal, onProgress: (f: number) => void) =>
  loadMnist({ split: 'train', count: TRAIN_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: (l, t) => onProgress(l / t) });

function record(f: ResnetFrame | null, h: History) {
  if (!f?.trainLoss) return;
  h.push('step', f.steps);
  f.trainLoss.forEach((v, i) => h.push(`loss${i}`, v));
}

const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : 'not finite');

/** A plain and a residual network of the same depth and weights, trained side by side on MNIST digits. */
export default function ResnetView() {
  const { values: p, set } = useDemoParams(resnetParams);
  const digits = useResource(loadTrain, 'mnist-train');
  const data: MnistArrays | null = digits.value;
  const simulate = (q: Values & { data: boolean }): Simulation<ResnetFrame | null> =>
    q.data && data ? createResnetRun(data, { seed: q.seed, depth: q.depth, batchNorm: q.bn, lr: q.lr }) : { step: async () => null, dispose: () => {} };
  const sim = useSimulation<ResnetFrame | null, Values & { data: boolean }>(simulate, { ...p, data: data !== null }, {
    budget: runUnits({ depth: p.depth, total: TOTAL }), // units of work: parts of steps and of measurements; the last measurement stops the run (converged)
    autoplay: true,
    record,
    converged: (fr) => !fr || (fr.steps >= TOTAL && fr.measuredAt >= fr.steps),
    ready: data !== null,
  });
  const f = sim.frame;
  const h = sim.history;
  const layers = p.depth + 2;

  return (
    <div className="resnet-demo">
      <ParamControls table={resnetParams} values={p} onChange={set} />
      <Transport
        sim={sim}
        status={data ? `SGD step ${f?.steps ?? 0} of ${TOTAL}, ${layers} weighted layers each, on ${formatNumber(TRAIN_DIGITS)} digits${f?.measuring ? ' · measuring the 256 probe digits' : ''}` : `loading MNIST digits… ${Math.round(100 * digits.progress)} %`}
      />
      <div className="plots">
        <Chart
          label="Training cross-entropy per SGD step (mean over the mini-batches of each frame)"
          log
          height={220}
          x={h.values('step')}
          xLabel="SGD step"
          yLabel="train cross-entropy"
          yMax={10}
          series={NETS.map((_, i) => ({ label: NAMES[i], color: COLORS[i], values: h.values(`loss${i}`) }))}
        />
        <Chart
          label={`Norm of each layer’s weight gradient at step ${f?.measuredAt ?? 0}, on 256 fixed training digits`}
          log
          height={220}
          x={{ start: 1, step: 1 }}
          xLabel="layer l (1 = stem, last = classifier)"
          yLabel="‖∂loss/∂W_l‖"
          series={NETS.map((_, i) => ({ label: NAMES[i], color: COLORS[i], values: f ? f.gradNorms.map((row) => row[i]) : [] }))}
        />
      </div>
      {f && (
        <p className="plot-caption">
          At step {f.measuredAt}, on 256 training digits:{' '}
          {NAMES.map((n, i) => `${n} cross-entropy ${f.probeLoss[i].toFixed(3)}, training error ${formatPercent(f.probeError[i])}`).join(' · ')}. Gradient
          norm, stem ÷ last hidden layer:{' '}
          {NAMES.map((n, i) => `${n} ${sci(f.gradNorms[0][i] / f.gradNorms[layers - 2][i])}`).join(' · ')}.
        </p>
      )}
    </div>
  );
}
