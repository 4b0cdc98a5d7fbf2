'use client';
import { useCallback, useRef, useState } from 'react';
import type { History } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { loadBenchTable, type BenchTable } from '../runtime/nasbench/table';
import { exportRuns, METHOD_LABELS, optimum, type SearchExport } from '../runtime/nasbench/search';
import { CONTROLLER_DEFAULTS } from '../runtime/nasbench/controller';
import { DECISIONS, OP_LABELS, OPS, STAGE_WIDTHS } from '../runtime/nasbench/space';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useDataSimulation } from '../ui/useDataSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { SearchFiles } from '../ui/SearchFiles';
import { TrainChild } from '../ui/TrainChild';
import { createNasRace, NAS_METHODS, replayNasRuns, type NasFrame, type NasRace } from './model';
import { childParams, nasParams } from './params';

type Values = ParamValues<typeof nasParams>;
type Input = Values & { file: SearchExport | null };
const PACE = { initial: CONTROLLER_DEFAULTS.children, min: CONTROLLER_DEFAULTS.children, max: CONTROLLER_DEFAULTS.children };
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const optionNames = DECISIONS.map((d) => (d.kind === 'op' ? OPS.map((o) => OP_LABELS[o]) : STAGE_WIDTHS[d.stage].map((w) => `width ${w}`)));

function record(f: NasFrame | null, h: History) {
  if (!f || f.trial === 0) return;
  h.push('trial', f.trial);
  for (const ch of f.children) {
    h.push('child', ch.trial);
    h.push('reward', ch.reward);
    h.push('baseline', ch.baseline);
  }
  h.push('rl', f.best.reinforce.median);
  h.push('rl-q1', f.best.reinforce.q1);
  h.push('rl-q3', f.best.reinforce.q3);
  h.push('random', f.best.random.median);
}

/** REINFORCE's controller sampling the benchmark's cells, against random search, over many seeds. */
export default function NasView() {
  const { values: p, set } = useDemoParams(nasParams);
  const { values: pc, set: setChild } = useDemoParams(childParams);
  const bench = useResource((signal) => loadBenchTable(fetch, undefined, signal), 'nasbench');
  const table = bench.value;
  const [file, setFile] = useState<SearchExport | null>(null);
  const race = useRef<NasRace | null>(null);
  const make = useCallback(
    (t: BenchTable, q: Input) => (race.current = q.file ? createNasRace(t, { ...q, budget: q.file.runs[0].trials.length }, replayNasRuns(q.file)) : createNasRace(t, q)),
    [],
  );
  const budget = file ? file.runs[0].trials.length : p.budget;
  // A frame takes one controller update: its m children per seed (a lookup each) cost little beside it.
  const sim = useDataSimulation(table, make, { ...p, file }, { budget, autoplay: true, record, pace: PACE, converged: (fr) => fr !== null && fr.trial >= fr.budget });
  const f = sim.frame;
  const h = sim.history;
  const best = table ? optimum(table) : null;
  const x = h.values('trial');

  return (
    <div className="nas-demo">
      <ParamControls table={nasParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `trial ${f.trial} of ${f.budget}${file ? ' (imported)' : ''}` : bench.progress < 1 ? 'loading the benchmark…' : ''} />
      {sim.problem && <p className="demo-error" role="alert">{sim.problem}</p>}
      {f && table && best && (
        <>
          <table className="stats" aria-label="The first seed's controller: its probability of each option, per decision, along its most likely architecture" data-controller>
            <tbody>
              {DECISIONS.map((d, k) => (
                <tr key={k}>
                  <th>
                    stage {d.stage + 1} {d.kind}
                  </th>
                  {optionNames[k].map((name, o) => {
                    const q = f.probabilities ? f.probabilities[k][o] : NaN;
                    const chosen = f.likely?.[k] === o;
                    return (
                      <td key={name} style={{ textAlign: 'left', fontWeight: chosen ? 600 : undefined }} data-chosen={chosen || undefined}>
                        {name} {Number.isFinite(q) ? `${(100 * q).toFixed(0)} %` : '–'}
                        <div style={{ height: 4, width: `${Number.isFinite(q) ? 100 * q : 0}%`, background: 'var(--accent)' }} />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="plot-caption">
            The first seed’s LSTM controller, decision by decision along its most likely architecture: each row is its distribution given the options in
            bold above it, the most likely of each row (close to uniform at the start).
          </p>
          <Chart
            label="First seed: the reward R (validation accuracy of each sampled child) and the baseline b before it"
            height={170}
            x={h.values('child')}
            xLabel="trial"
            yLabel="accuracy"
            series={[
              { label: 'reward R', color: SERIES[5], values: h.values('reward') },
              { label: 'baseline b', color: SERIES[1], values: h.values('baseline') },
            ]}
          />
          <Chart
            label="Best validation accuracy found so far, median over seeds (REINFORCE's quartiles dashed), and the space's best"
            height={200}
            x={x}
            xLabel="trial"
            yLabel="best validation accuracy"
            series={[
              { label: 'REINFORCE median', color: SERIES[0], values: h.values('rl') },
              { label: 'REINFORCE 25th pct', color: SERIES[0], values: h.values('rl-q1'), dashed: true },
              { label: 'REINFORCE 75th pct', color: SERIES[0], values: h.values('rl-q3'), dashed: true },
              { label: 'random search median', color: SERIES[7], values: h.values('random') },
              { label: 'the space’s best', color: SERIES[4], values: Array.from(x, () => best.val), dashed: true },
            ]}
          />
          <p className="plot-caption">
            After {f.trial} trials, median best validation accuracy: {NAS_METHODS.map((m) => `${METHOD_LABELS[m]} ${pct(f.best[m].median)}`).join(', ')}; the space’s
            best {pct(best.val)} (cell {best.bestValCell}).
          </p>
          <SearchFiles
            demo="nas"
            benchmark={table.manifest.sha256}
            methods={NAS_METHODS}
            make={() => (race.current ? exportRuns('nas', table.manifest.sha256, p, race.current.runs) : null)}
            onImport={setFile}
            imported={file !== null}
            onLeave={() => setFile(null)}
          />
          <ParamControls table={childParams} values={pc} onChange={setChild} />
          {pc.child >= 0 ? (
            <TrainChild table={table} cell={pc.child} what="The child you chose" />
          ) : (
            f.shownBest >= 0 && <TrainChild table={table} cell={f.shownBest} what="The first REINFORCE seed’s best so far" />
          )}
        </>
      )}
    </div>
  );
}
