'use client';
import { useCallback, useRef, useState } from 'react';
import type { History } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { loadBenchTable, type BenchTable } from '../runtime/nasbench/table';
import { exportRuns, METHOD_LABELS, optimum, type SearchExport } from '../runtime/nasbench/search';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useDataSimulation } from '../ui/useDataSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { TrialScatter } from '../ui/plots/TrialScatter';
import { SERIES } from '../ui/plots/palette';
import { SearchFiles } from '../ui/SearchFiles';
import { TrainChild } from '../ui/TrainChild';
import { createRace, EVOLUTION_METHODS, replayRuns, type Race, type RaceFrame } from './model';
import { evolutionParams } from './params';
import { formatPercent } from '../ui/plots/scale';

type Values = ParamValues<typeof evolutionParams>;
const COLORS = { aging: SERIES[0], nonaging: SERIES[1], random: SERIES[7] } as const;

/** The imported file (if any) travels with the parameters, so a new file re-creates the race. */
type SimParams = Values & { file: SearchExport | null };

const simulate = (table: BenchTable, p: SimParams): Race => {
  if (p.sample > p.population) throw new Error(`The tournament S = ${p.sample} cannot be larger than the population P = ${p.population}.`);
  const race = p.file
    ? createRace(table, { population: Number(p.file.params.population) || p.population, sample: p.sample, budget: p.file.runs[0].trials.length, runs: 0, seed: p.seed }, replayRuns(p.file))
    : createRace(table, p);
  return race;
};

function record(f: RaceFrame | null, h: History) {
  if (!f) return;
  h.push('trial', f.trial);
  for (const m of EVOLUTION_METHODS) {
    h.push(`${m}-med`, f.methods[m].val.median);
    h.push(`${m}-q1`, f.methods[m].val.q1);
    h.push(`${m}-q3`, f.methods[m].val.q3);
  }
}

/** Aging evolution, non-aging evolution and random search on the benchmark, many seeds each, side by side. */
export default function EvolutionView() {
  const { values: p, set } = useDemoParams(evolutionParams);
  const bench = useResource((signal) => loadBenchTable(fetch, undefined, signal), 'nasbench');
  const table = bench.value;
  const [file, setFile] = useState<SearchExport | null>(null);
  const race = useRef<Race | null>(null); // the current runs, for the export
  const make = useCallback((t: BenchTable, q: SimParams) => (race.current = simulate(t, q)), []);
  const budget = file ? file.runs[0].trials.length : p.budget;
  const sim = useDataSimulation(table, make, { ...p, file }, { budget, autoplay: true, record, converged: (fr) => fr !== null && fr.trial >= fr.budget });
  const f = sim.frame;
  const h = sim.history;
  const best = table ? optimum(table) : null;
  const trials = h.values('trial');
  const opt = best ? Array.from(trials, () => best.val) : [];

  return (
    <div className="evolution-demo">
      <ParamControls table={evolutionParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `trial ${f.trial} of ${f.budget}, ${file ? file.runs.length / 3 : p.runs} seeds per method${file ? ' (imported)' : ''}` : bench.progress < 1 ? 'loading the benchmark…' : ''} />
      {sim.problem && <p className="demo-error" role="alert">{sim.problem}</p>}
      <Chart
        label="Best validation accuracy found so far: median over seeds (solid) and interquartile band (dashed), per method"
        height={220}
        x={trials}
        xLabel="trials (models looked up)"
        yLabel="best validation accuracy"
        series={[
          ...EVOLUTION_METHODS.flatMap((m) => [
            { label: `${METHOD_LABELS[m]} median`, color: COLORS[m], values: h.values(`${m}-med`) },
            { label: `${METHOD_LABELS[m]} 25th pct`, color: COLORS[m], values: h.values(`${m}-q1`), dashed: true },
            { label: `${METHOD_LABELS[m]} 75th pct`, color: COLORS[m], values: h.values(`${m}-q3`), dashed: true },
          ]),
          { label: 'the space’s best', color: SERIES[4], values: opt, dashed: true },
        ]}
      />
      {f && table && best && (
        <>
          <div className="plots">
            {(['aging', 'nonaging'] as const).map((m) => (
              <figure key={m} style={{ margin: 0 }}>
                <TrialScatter
                  label={`${METHOD_LABELS[m]}, first seed: validation accuracy of every child against its time of birth; the living population filled`}
                  values={f.shown[m].trials.map((c) => table.val[c])}
                  strong={f.shown[m].alive}
                  trials={f.budget}
                  yMin={0.7}
                  yMax={Math.ceil(best.val * 50) / 50}
                  reference={{ value: best.val, label: 'optimum' }}
                  color={COLORS[m]}
                />
                <figcaption className="plot-caption">
                  {METHOD_LABELS[m]}, first seed: each child at its birth; filled = alive now ({f.shown[m].alive.length})
                </figcaption>
              </figure>
            ))}
          </div>
          <table className="stats" aria-label="Best found so far by each method, over seeds">
            <thead>
              <tr>
                <th>after {f.trial} trials</th>
                <th>best validation: median [IQR]</th>
                <th>its test accuracy: median</th>
              </tr>
            </thead>
            <tbody>
              {EVOLUTION_METHODS.map((m) => (
                <tr key={m}>
                  <td>{METHOD_LABELS[m]}</td>
                  <td>
                    {formatPercent(f.methods[m].val.median, 2)} [{formatPercent(f.methods[m].val.q1, 2)}, {formatPercent(f.methods[m].val.q3, 2)}]
                  </td>
                  <td>{formatPercent(f.methods[m].test.median, 2)}</td>
                </tr>
              ))}
              <tr>
                <td>the space’s optimum (cell {best.bestValCell})</td>
                <td>{formatPercent(best.val, 2)}</td>
                <td>{formatPercent(best.testOfBestVal, 2)}</td>
              </tr>
            </tbody>
          </table>
          <SearchFiles
            demo="evolution"
            benchmark={table.manifest.sha256}
            methods={EVOLUTION_METHODS}
            make={() => (race.current ? exportRuns('evolution', table.manifest.sha256, p, race.current.runs) : null)}
            onImport={setFile}
            imported={file !== null}
            onLeave={() => setFile(null)}
          />
          {f.methods.aging.shownBest >= 0 && <TrainChild table={table} cell={f.methods.aging.shownBest} what="Aging evolution’s best so far (first seed)" />}
        </>
      )}
    </div>
  );
}
