'use client';
import type { History } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { useSimulation } from '../ui/useSimulation';
import { useRemoteSimulation } from '../ui/useRemoteSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { DEFAULT_RACE, fcHeadParams, gapHeadParams, runLength, type HeadFrame, type RaceParams } from './model';
import { raceParams, TEST_DIGITS, TRAIN_DIGITS } from './params';
import { int, raceStatus } from './display';
import { formatPercent } from '../ui/plots/scale';

type Race = ParamValues<typeof raceParams>;
const TOTAL = DEFAULT_RACE.total;
const LENGTH = runLength(TRAIN_DIGITS, TEST_DIGITS);

function record(f: HeadFrame, h: History) {
  if (!f.accuracy || f.measuredAt !== f.trained || f.loss === null) return;
  h.push('step', f.trained);
  h.push('gap', f.accuracy[0]);
  h.push('fc', f.accuracy[1]);
}

/** The GAP head and the FC head trained side by side on the shipped CNN's frozen pool2 maps, in the demo's worker. */
export function HeadRacePanel({ r, set }: { r: Race; set: <K extends keyof Race>(k: K, v: Race[K]) => void }) {
  const simulate = useRemoteSimulation<RaceParams, HeadFrame>(() => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module' }));
  const sim = useSimulation(simulate, { micro: r.micro, lr: r.lr, seed: r.seed }, { budget: LENGTH, autoplay: true, record, converged: (f) => f.trained >= TOTAL });
  const f = sim.frame;
  const h = sim.history;
  const gapParams = gapHeadParams({ channels: 32, classes: 10 }, Number(r.micro));
  const fcParams = fcHeadParams({ side: 4, channels: 32, classes: 10, hidden: 0, layers: 1 });
  const series = [
    { label: `GAP head, ${int(gapParams)} parameters`, color: SERIES[0], values: h.values('gap') },
    { label: `FC head, ${int(fcParams)} parameters`, color: SERIES[1], values: h.values('fc') },
  ];
  return (
    <section aria-label="A GAP head against a fully connected head">
      <p className="demo-sub">3 · Two heads on the shipped CNN&apos;s frozen 4×4×32 pool2 maps</p>
      <ParamControls table={raceParams} values={r} onChange={set} only={['micro', 'lr', 'seed']} />
      <Transport sim={sim} status={raceStatus(f, TOTAL, TRAIN_DIGITS)} />
      <Chart label={`Test accuracy on ${TEST_DIGITS} digits: GAP head (${int(gapParams)} parameters) against FC head (${int(fcParams)})`} height={190} x={h.values('step')} xLabel="Adam step" yLabel="test accuracy" yMin={0} yMax={1} series={series} />
      {f?.accuracy && (
        <p className="plot-caption">
          After {f.measuredAt} steps: GAP head {formatPercent(f.accuracy[0])}, FC head {formatPercent(f.accuracy[1])}. These maps were trained for the CNN&apos;s own dense layers.
        </p>
      )}
    </section>
  );
}
