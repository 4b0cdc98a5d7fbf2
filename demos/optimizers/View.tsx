'use client';
import { useMemo } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { ink } from '../ui/plots/palette';
import { useTheme } from '../ui/plots/useTheme';
import { OPTIMIZERS, SURFACES, type OptimizerName, type SurfaceName } from './model';
import { hyperParams, raceParams } from './params';
import { raceOver, recordRace, runSpecs, simulateRace } from './race';
import { COLOR, surfaceGrid } from './display';
import { HyperDetails, RacePlot, RaceTable } from './Panels';

const MAX_STEPS = 3000; // then the race stops by itself, with a "resume"

/** Optimizer race: the reader's choice of torch.optim rules descending a 2-D surface together. */
export default function OptimizersView() {
  const fg = ink(useTheme() === 'dark');
  const { values: r, set: setRace } = useDemoParams(raceParams);
  const surfaceId = r.surface as SurfaceName;
  const surface = SURFACES[surfaceId];
  const table = hyperParams(surfaceId);
  const { values: h, set: setHyper } = useDemoParams(table);
  const opts = r.opts as OptimizerName[];
  const start = h.start as [number, number];
  const speed = r.speed as number;
  const sim = useSimulation(
    simulateRace,
    { surface: surfaceId, runs: runSpecs(opts, h, start) },
    { budget: MAX_STEPS, record: recordRace, converged: raceOver, pace: { initial: speed, max: speed } },
  );
  const hist = sim.history;
  const grid = useMemo(() => surfaceGrid(surface), [surface]);

  return (
    <div className="optimizers-demo">
      <ParamControls table={raceParams} values={r} onChange={setRace} />
      <Transport sim={sim} status={`step ${sim.frame?.t ?? 0} · click the plot to move the start`} />
      {sim.problem && (
        <p className="demo-error" role="alert">
          {sim.problem} — change the hyper-parameters to race again.
        </p>
      )}
      <div className="plots">
        <RacePlot surface={surface} grid={grid} opts={opts} hist={hist} start={start} onPick={(x, y) => setHyper('start', [Number(x.toFixed(2)), Number(y.toFixed(2))])} fg={fg} />
        <div>
          <Chart label="Loss per step of each optimizer" log={surface.minima.length > 0} series={opts.map((o, i) => ({ label: OPTIMIZERS[o].name, color: COLOR[o], values: hist.values(`loss${i}`) }))} xLabel="step" yLabel="f(x, y)" />
          <RaceTable opts={opts} hist={hist} divergedAt={sim.frame?.divergedAt} />
        </div>
      </div>
      {opts.map((o) => (
        <HyperDetails key={o} o={o} table={table} values={h} onChange={setHyper} />
      ))}
    </div>
  );
}
