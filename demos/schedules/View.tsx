'use client';
import { useMemo } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { createRace, scheduleCurve, SCHEDULES, SCHEDULE_NAMES, type RaceFrame, type ScheduleName } from './model';
import { scheduleParams } from './params';

type Values = ParamValues<typeof scheduleParams>;

/** The chosen schedules in a fixed order, so each keeps its colour whatever else is chosen. */
const chosen = (p: Values): ScheduleName[] => SCHEDULE_NAMES.filter((s) => p.schedules.includes(s));
/** Each schedule's own colour: the constant baseline in grey, and no two blues side by side. */
const COLORS: Record<ScheduleName, string> = { constant: SERIES[7], step: SERIES[1], cosine: SERIES[2], sgdr: SERIES[3], warmup: SERIES[6], onecycle: SERIES[0] };
const color = (s: ScheduleName) => COLORS[s];

const simulate = (p: Values): Simulation<RaceFrame> =>
  createRace({ seed: p.seed, schedules: chosen(p), optimizer: p.optimizer === 'adam' ? 'adam' : 'sgd', base: p.base, total: p.total, warmup: p.warmup, batchSize: Number(p.batch) });

function record(f: RaceFrame, h: History) {
  h.push('step', f.steps);
  f.trainLoss.forEach((v, i) => h.push(`train${i}`, v));
}

/** Learning-rate schedules: one network per schedule, same start, same batches; their γₜ and their losses. */
export default function SchedulesView() {
  const { values: p, set } = useDemoParams(scheduleParams);
  const sim = useSimulation(simulate, p, { budget: p.total, autoplay: true, record, converged: (f) => f.steps >= p.total });
  const names = chosen(p);
  const f = sim.frame;
  const h = sim.history;
  const { base, total, warmup } = p;
  // γₜ needs no training: drawn in full from the formulas at once.
  const curves = useMemo(() => SCHEDULE_NAMES.map((s) => scheduleCurve(s, { base, total, warmup })), [base, total, warmup]);

  return (
    <div className="schedules-demo">
      <ParamControls table={scheduleParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `step ${f.steps} of ${p.total}` : ''} />
      <div className="plots">
        <Chart
          label="Learning rate γₜ of each schedule per step"
          height={200}
          x={{ start: 0, step: 1 }}
          xLabel="step t"
          yLabel="γₜ"
          yMin={0}
          series={names.map((s) => ({ label: SCHEDULES[s].name, color: color(s), values: curves[SCHEDULE_NAMES.indexOf(s)] }))}
        />
        <Chart
          label="Training loss of each schedule's network per step"
          log
          height={200}
          x={h.values('step')}
          xLabel="step t"
          yLabel="train cross-entropy"
          series={names.map((s, i) => ({ label: SCHEDULES[s].name, color: color(s), values: h.values(`train${i}`) }))}
        />
      </div>
      {f && (
        <p className="plot-caption">
          After {f.steps} steps, train / test cross-entropy:{' '}
          {names.map((s, i) => `${SCHEDULES[s].name} ${f.trainLoss[i].toFixed(3)} / ${f.testLoss[i].toFixed(3)}`).join(' · ')}
        </p>
      )}
    </div>
  );
}
