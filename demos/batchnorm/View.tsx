'use client';
import { useCallback, useMemo } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { trainTestLoader } from '../runtime/data/loader';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { HistogramStrip } from '../ui/plots/HistogramStrip';
import { SERIES } from '../ui/plots/palette';
import { createBnRun, measurementJobs, runUnits, DEFAULT_CONFIG, HIST_BINS, HIST_RANGE, type BnFrame, type Snapshot } from './model';
import { bnParams } from './params';
import { formatNumber, formatPercent } from '../ui/plots/scale';

type Values = ParamValues<typeof bnParams>;
const TRAIN_DIGITS = 5000;
const TEST_DIGITS = 500;
const TOTAL = DEFAULT_CONFIG.total;
const NAMES = ['without BN', 'with BN'];
const COLORS = [SERIES[1], SERIES[0]];
const RANGE = [-HIST_RANGE, HIST_RANGE] as const;
const EMPTY: readonly Snapshot[] = [];

/** The first 5,000 training digits to train on and 500 test digits to score (one shard each). */
const loadDigits = trainTestLoader(TRAIN_DIGITS, TEST_DIGITS);

function record(f: BnFrame, h: History) {
  if (!f.trainLoss) return;
  h.push('step', f.steps);
  f.trainLoss.forEach((v, i) => h.push(`loss${i}`, v));
}

const num = (x: number) => (!Number.isFinite(x) ? 'diverged' : x >= 100 ? x.toExponential(1) : x.toFixed(2));

/** A deep MLP trained on MNIST with and without batch normalization, its layers' inputs as histograms over time. */
export default function BatchNormView() {
  const { values: p, set } = useDemoParams(bnParams);
  const digits = useResource(loadDigits, 'mnist');
  const data = digits.value;
  const simulate = (q: Values & { data: boolean }): Simulation<BnFrame> =>
    createBnRun({ seed: q.seed, act: q.act === 'sigmoid' ? 'sigmoid' : 'relu', depth: q.depth, lr: q.lr }, q.data ? data : null);
  // Nothing trains before the digits arrive; their arrival re-creates the run, and the frame hears "ready" then.
  // Units of work: SGD steps and the measurements' jobs (one of them a unit); the run ends once its last step is
  // measured.
  const sim = useSimulation(simulate, { ...p, data: data !== null }, {
    budget: runUnits(TOTAL, measurementJobs(TEST_DIGITS)),
    autoplay: true,
    record,
    converged: (fr) => fr.snapshots[fr.snapshots.length - 1]?.step >= TOTAL,
    ready: data !== null,
  });
  const f = sim.frame;
  const h = sim.history;
  const snaps = f?.snapshots ?? EMPTY;
  const count = snaps.length;
  const last = count ? snaps[count - 1] : null;
  const depth = last?.hist.length ?? p.depth;

  // `snaps` is the run's own growing list (the same array every frame): keyed on its length too, the strip
  // redraws when a histogram is added, not on every frame in between.
  const times = useMemo(() => snaps.map((s) => s.step), [snaps, count]);
  const density = useCallback((r: number, l: number, t: number) => snaps[t]?.hist[l]?.subarray(r * HIST_BINS, (r + 1) * HIST_BINS) ?? null, [snaps, count]);
  const rows = useMemo(() => NAMES.map((label, i) => ({ label, color: COLORS[i] })), []);
  const cellLabel = useCallback((l: number) => String(l + 1), []);

  return (
    <div className="bn-demo">
      <ParamControls table={bnParams} values={p} onChange={set} />
      <Transport sim={sim} status={data ? `SGD step ${f?.steps ?? 0} of ${TOTAL}, mini-batches of 60 from ${formatNumber(TRAIN_DIGITS)} digits` : `loading MNIST digits… ${Math.round(100 * digits.progress)} %`} />
      <div className="plots">
        <Chart
          label="Training cross-entropy per SGD step, without and with batch normalization (mean over each frame's mini-batches)"
          log
          height={200}
          x={h.values('step')}
          xLabel="SGD step"
          yLabel="train cross-entropy"
          // A diverged net's loss (10²⁰ and more) would flatten the other: it runs off the top, its value stays in the legend.
          yMax={10}
          series={NAMES.map((label, i) => ({ label, color: COLORS[i], values: h.values(`loss${i}`) }))}
        />
        <Chart
          label={`Accuracy on ${TEST_DIGITS} test digits; the BN net with its running statistics, as at inference`}
          height={200}
          x={times}
          xLabel="SGD step"
          yLabel="test accuracy"
          yMin={0}
          yMax={1}
          series={NAMES.map((label, i) => ({ label, color: COLORS[i], values: snaps.map((s) => s.testAcc[i]) }))}
        />
      </div>
      <HistogramStrip
        label={`What each hidden layer's non-linearity receives, on a fixed batch of 100 test digits, histogram over time: one cell per layer, step 0 to ${TOTAL} left to right, values ${-HIST_RANGE} to ${HIST_RANGE} bottom to top`}
        rows={rows}
        cells={depth}
        cellLabel={cellLabel}
        times={times}
        tMax={TOTAL}
        bins={HIST_BINS}
        range={RANGE}
        density={density}
      />
      <p className="plot-caption">
        Input of each hidden layer’s {p.act === 'sigmoid' ? 'sigmoid' : 'ReLU'} (layer 1 to {depth}, left to right), histogram over the steps 0–{TOTAL}; values beyond ±{HIST_RANGE} fill
        the edge bins.
        {last &&
          ` At step ${last.step}: std at layer ${depth} ${NAMES.map((n, i) => `${n} ${num(last.std[depth - 1][i])}`).join(', ')}; test accuracy ${NAMES.map((n, i) => `${n} ${formatPercent(last.testAcc[i])}`).join(', ')}.`}
      </p>
    </div>
  );
}
