'use client';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { trainTestLoader } from '../runtime/data/loader';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { CLASSES, createSmoothRun, DEFAULT_CONFIG, optimalLogitGap, smoothTarget, type NetEval, type SmoothFrame } from './model';
import { smoothParams } from './params';
import { formatNumber, formatPercent } from '../ui/plots/scale';

type Values = ParamValues<typeof smoothParams>;
const TRAIN_DIGITS = 5000;
const TEST_DIGITS = 500;
const TOTAL = DEFAULT_CONFIG.total;
const BINS = DEFAULT_CONFIG.bins;
const HARD = SERIES[1];
const SMOOTH = SERIES[0];
/** The class whose target the first chart draws. */
const SHOWN = 3;

/** The first 5,000 training digits to train on and 500 test digits to score (one shard each). */
const loadDigits = trainTestLoader(TRAIN_DIGITS, TEST_DIGITS);

/** One history point per measurement after training steps. */
function record(f: SmoothFrame, h: History) {
  if (!f.trainLoss || !f.test || f.measuredAt !== f.steps) return;
  h.push('step', f.steps);
  f.test.forEach((e, i) => {
    h.push(`conf${i}`, e.confidence);
    h.push(`acc${i}`, e.accuracy);
  });
}

const describe = (name: string, e: NetEval) =>
  `${name}: ${formatPercent(e.accuracy)} right, mean confidence ${formatPercent(e.confidence)}, logit gap ${e.gap.toFixed(2)}, ECE ${formatPercent(e.reliability.ece)}`;

/** A hard-target net and a label-smoothed net trained side by side on MNIST, compared by confidence and calibration. */
export default function LabelSmoothView() {
  const { values: p, set } = useDemoParams(smoothParams);
  const digits = useResource(loadDigits, 'mnist');
  const data = digits.value;
  const simulate = (q: Values & { data: boolean }): Simulation<SmoothFrame> => createSmoothRun({ seed: q.seed, eps: q.eps, lr: q.lr }, q.data ? data : null);
  // Without digits there is nothing to train: the run stops at once and the targets show; the digits'
  // arrival re-creates it, and it trains. The frame hears "ready" only then.
  const sim = useSimulation(simulate, { ...p, data: data !== null }, { budget: TOTAL, autoplay: true, record, converged: (fr) => !fr.test || fr.steps >= TOTAL, ready: data !== null });
  const f = sim.frame;
  const h = sim.history;
  const test = f?.test ?? null;
  const epsLabel = `ε = ${p.eps}`;

  return (
    <div className="labelsmooth-demo">
      <ParamControls table={smoothParams} values={p} onChange={set} />
      <Transport sim={sim} status={data ? `Adam step ${f?.steps ?? 0} of ${TOTAL} on ${formatNumber(TRAIN_DIGITS)} digits` : `loading MNIST digits… ${Math.round(100 * digits.progress)} %`} />
      <div className="plots">
        <Chart
          label={`Training target for a digit ${SHOWN}: hard against smoothed with ${epsLabel}`}
          height={200}
          x={{ start: 0, step: 1 }}
          xLabel="class"
          yLabel="target probability"
          yMin={0}
          yMax={1}
          series={[
            { label: 'hard (one-hot)', color: HARD, values: smoothTarget(SHOWN, CLASSES, 0) },
            { label: `smoothed, ${epsLabel}`, color: SMOOTH, values: smoothTarget(SHOWN, CLASSES, p.eps) },
          ]}
        />
        <Chart
          label={`Reliability diagram on ${TEST_DIGITS} test digits: accuracy per confidence bin (${BINS} bins); the diagonal is perfect calibration`}
          height={200}
          x={{ start: 0.5 / BINS, step: 1 / BINS }}
          xLabel="confidence (bin centre)"
          yLabel="accuracy in bin"
          yMin={0}
          yMax={1}
          series={[
            { label: 'perfect calibration', color: SERIES[7], values: Array.from({ length: BINS }, (_, b) => (b + 0.5) / BINS), dashed: true },
            { label: 'hard targets', color: HARD, values: test ? test[0].reliability.accuracy : [] },
            { label: `smoothed, ${epsLabel}`, color: SMOOTH, values: test ? test[1].reliability.accuracy : [] },
          ]}
        />
      </div>
      {test && (
        <p className="plot-caption">
          After {f!.measuredAt} steps, on {TEST_DIGITS} test digits. {describe('Hard targets', test[0])}. {describe(`Smoothed (${epsLabel})`, test[1])}. The smoothed
          loss is smallest at a gap of {Number.isFinite(optimalLogitGap(CLASSES, p.eps)) ? optimalLogitGap(CLASSES, p.eps).toFixed(2) : '∞'} and a top probability of{' '}
          {formatPercent(1 - p.eps + p.eps / CLASSES)}.
        </p>
      )}
      <Chart
        label="Mean confidence (solid) and accuracy (dashed) on the test digits, per network"
        height={200}
        x={h.values('step')}
        xLabel="Adam step"
        yLabel="fraction"
        series={[
          { label: 'hard: confidence', color: HARD, values: h.values('conf0') },
          { label: 'hard: accuracy', color: HARD, values: h.values('acc0'), dashed: true },
          { label: 'smoothed: confidence', color: SMOOTH, values: h.values('conf1') },
          { label: 'smoothed: accuracy', color: SMOOTH, values: h.values('acc1'), dashed: true },
        ]}
      />
    </div>
  );
}
