'use client';
import type { History } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { useRemoteSimulation } from '../ui/useRemoteSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { DEFAULT_CONFIG, NETS, runUnits, TRAIN_DIGITS, type ResnetFrame } from './config';
import { resnetParams } from './params';

type Values = ParamValues<typeof resnetParams>;
const TOTAL = DEFAULT_CONFIG.total;
const COLORS = [SERIES[1], SERIES[0]];
const NAMES = ['plain', 'residual'];

function record(f: ResnetFrame, h: History) {
  if (!f.trainLoss) return;
  h.push('step', f.steps);
  f.trainLoss.forEach((v, i) => h.push(`loss${i}`, v));
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : 'not finite');

/** A plain and a residual network of the same depth and weights, trained side by side on MNIST digits. */
export default function ResnetView() {
  const { values: p, set } = useDemoParams(resnetParams);
  // The digits load and the nets train in ./model.worker.ts: the page only draws the frames it sends.
  const simulate = useRemoteSimulation<Values, ResnetFrame>(() => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module' }));
  const sim = useSimulation(simulate, p, {
    budget: runUnits({ depth: p.depth, total: TOTAL }), // units of work: parts of steps and of measurements; the last measurement stops the run (converged)
    autoplay: true,
    record,
    converged: (fr) => fr.steps >= TOTAL && fr.measuredAt >= fr.steps,
  });
  const f = sim.frame;
  const h = sim.history;
  const layers = p.depth + 2;

  return (
    <div className="resnet-demo">
      <ParamControls table={resnetParams} values={p} onChange={set} />
      <Transport
        sim={sim}
        status={f ? `SGD step ${f.steps} of ${TOTAL}, ${layers} weighted layers each, on ${TRAIN_DIGITS.toLocaleString('en')} digits${f.measuring ? ' · measuring the 256 probe digits' : ''}` : `loading ${TRAIN_DIGITS.toLocaleString('en')} MNIST digits…`}
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
          {NAMES.map((n, i) => `${n} cross-entropy ${f.probeLoss[i].toFixed(3)}, training error ${pct(f.probeError[i])}`).join(' · ')}. Gradient
          norm, stem ÷ last hidden layer:{' '}
          {NAMES.map((n, i) => `${n} ${sci(f.gradNorms[0][i] / f.gradNorms[layers - 2][i])}`).join(' · ')}.
        </p>
      )}
    </div>
  );
}
