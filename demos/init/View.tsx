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
import { createInitRun, DEFAULT_CONFIG, layerSizes, measurementJobs, runUnits, predictedBackwardStd, predictedForwardStd, INITS, INIT_NAMES, type InitFrame, type InitName } from './model';
import { initParams } from './params';
import { formatNumber } from '../ui/plots/scale';

type Values = ParamValues<typeof initParams>;
const TRAIN_DIGITS = 5000;
const TEST_DIGITS = 500;
const TOTAL = DEFAULT_CONFIG.total;

const COLORS: Record<InitName, string> = { unit: SERIES[1], small: SERIES[7], xavier: SERIES[2], he: SERIES[0] };
/** The chosen initialisations in a fixed order, so each keeps its colour. */
const chosen = (p: Values): InitName[] => INIT_NAMES.filter((n) => p.inits.includes(n));

/** The first 5,000 training digits to train on and 500 test digits to score (one shard each). */
const loadDigits = trainTestLoader(TRAIN_DIGITS, TEST_DIGITS);

function record(f: InitFrame, h: History) {
  if (!f.trainLoss) return;
  h.push('step', f.steps);
  f.trainLoss.forEach((v, i) => h.push(`loss${i}`, v));
}

const sci = (x: number) => (!Number.isFinite(x) ? 'overflow' : x === 0 ? 'underflow' : x.toExponential(1));

/** Signal propagation through depth under four initialisations, then the same networks trained on MNIST. */
export default function InitView() {
  const { values: p, set } = useDemoParams(initParams);
  const digits = useResource(loadDigits, 'mnist');
  const names = chosen(p);
  const data = digits.value;
  const simulate = (q: Values & { data: boolean }): Simulation<InitFrame> =>
    createInitRun({ seed: q.seed, inits: chosen(q), act: q.act === 'tanh' ? 'tanh' : 'relu', depth: q.depth, width: Number(q.width), lr: q.lr }, q.data ? data : null);
  // The propagation needs no digits: it shows at once. Without digits there is nothing to train, so the run
  // stops at once; the digits' arrival re-creates it, and it trains. The frame hears "ready" only then, so
  // nothing (a reader's Step, a test) acts on the run that the digits replace.
  // Units of work: parts of SGD steps (a step's pass spread over a few) and the measurements' jobs (one of them a
  // unit); the run ends once its last step is measured.
  const sim = useSimulation(simulate, { ...p, data: data !== null }, {
    budget: runUnits(TOTAL, measurementJobs(names.length, TEST_DIGITS), p.depth),
    autoplay: true,
    record,
    converged: (fr) => !fr.testLoss || fr.measuredAt >= TOTAL,
    ready: data !== null,
  });
  const f = sim.frame;
  const h = sim.history;
  const sizes = layerSizes(p.depth, Number(p.width));
  const layers = { start: 1, step: 1 };
  const relu = p.act === 'relu';
  const spreadChart = (which: 'forward' | 'backward', label: string, yLabel: string, predict: typeof predictedForwardStd) => (
    <Chart
      label={label}
      log
      height={220}
      x={layers}
      xLabel={which === 'forward' ? 'layer l (its pre-activations)' : 'layer l (gradient at its input)'}
      yLabel={yLabel}
      series={names.flatMap((n, i) => [
        { label: INITS[n].name, color: COLORS[n], values: f ? f.propagation[which].map((row) => row[i]) : [] },
        // He et al.'s prediction holds for ReLU; for tanh only near 0, so it is not drawn.
        ...(relu ? [{ label: `${INITS[n].name}, predicted`, color: COLORS[n], values: predict(n, sizes), dashed: true }] : []),
      ])}
    />
  );

  return (
    <div className="init-demo">
      <ParamControls table={initParams} values={p} onChange={set} />
      <Transport sim={sim} status={data ? `SGD step ${f?.steps ?? 0} of ${TOTAL} on ${formatNumber(TRAIN_DIGITS)} digits` : `loading MNIST digits… ${Math.round(100 * digits.progress)} %`} />
      <div className="plots">
        {spreadChart('forward', 'Standard deviation of each layer’s pre-activations, per initialisation', 'std of y_l', predictedForwardStd)}
        {spreadChart('backward', 'Standard deviation of the gradient at each layer’s input, per initialisation', 'std of ∂/∂x_l', predictedBackwardStd)}
      </div>
      {f && (
        <p className="plot-caption">
          At the logits, std forward: {names.map((n, i) => `${INITS[n].name} ${sci(f.propagation.forward[p.depth][i])}`).join(' · ')}. Gradient at the image:{' '}
          {names.map((n, i) => `${INITS[n].name} ${sci(f.propagation.backward[0][i])}`).join(' · ')}.
          {relu ? ' Dashed: He et al.’s prediction.' : ''}
        </p>
      )}
      <Chart
        label="Training cross-entropy of each network per SGD step (mean over the mini-batches of each frame)"
        log
        height={200}
        x={h.values('step')}
        xLabel="SGD step"
        yLabel="train cross-entropy"
        // An exploded network's loss (10¹⁵ and more) would flatten the others: it runs off the top, its value stays in the legend.
        yMax={10}
        series={names.map((n, i) => ({ label: INITS[n].name, color: COLORS[n], values: h.values(`loss${i}`) }))}
      />
      {f?.testAcc && (
        <p className="plot-caption">
          After {f.measuredAt} steps, on {formatNumber(TEST_DIGITS)} test digits:{' '}
          {names.map((n, i) => `${INITS[n].name} ${Number.isFinite(f.testLoss![i]) ? `cross-entropy ${f.testLoss![i].toFixed(2)}, ${(100 * f.testAcc![i]).toFixed(1)} % right` : 'diverged'}`).join(' · ')}
        </p>
      )}
    </div>
  );
}
