'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ParamValues } from '../runtime/params';
import { loadBenchTable } from '../runtime/nasbench/table';
import { exportRuns, METHOD_LABELS, optimum, type SearchExport } from '../runtime/nasbench/search';
import { DECISIONS, OP_LABELS, OPS, STAGE_WIDTHS } from '../runtime/nasbench/space';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useReady, useShownCount } from '../ui/useReady';
import { useJob } from '../ui/useJob';
import { useComputed } from '../ui/useLatest';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls, JobProblem } from '../ui/controls/JobControls';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { SearchFiles } from '../ui/SearchFiles';
import { TrainChild } from '../ui/TrainChild';
import { NAS_METHODS, type NasConfig } from './model';
import { replayRace, type RaceProgress, type RaceResult } from './race';
import { childParams, nasParams } from './params';

type Values = ParamValues<typeof nasParams>;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const optionNames = DECISIONS.map((d) => (d.kind === 'op' ? OPS.map((o) => OP_LABELS[o]) : STAGE_WIDTHS[d.stage].map((w) => `width ${w}`)));
const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
const configOf = (p: Values): NasConfig => ({ budget: p.budget, runs: p.runs, seed: p.seed, learningRate: p.learningRate, baselineDecay: p.baselineDecay });

/** The state before any trial: nothing searched yet (the controller's distribution comes with the worker's first message). */
function initial(budget: number): RaceProgress {
  const none = { q1: NaN, median: NaN, q3: NaN };
  return {
    frame: { trial: 0, budget, best: { reinforce: none, random: none }, probabilities: null, likely: null, children: [], shownBest: -1 },
    curve: { trial: [], rl: [], rlQ1: [], rlQ3: [], random: [] },
    first: { trial: [], reward: [], baseline: [] },
  };
}

/** REINFORCE's controller sampling the benchmark's cells, against random search, over many seeds. */
export default function NasView() {
  const { values: p, set } = useDemoParams(nasParams);
  const { values: pc, set: setChild } = useDemoParams(childParams);
  const bench = useResource((signal) => loadBenchTable(fetch, undefined, signal), 'nasbench');
  const table = bench.value;
  const [file, setFile] = useState<SearchExport | null>(null);

  // The race runs in a Web Worker (one controller update is ~100 ms of tfjs on wasm); an imported file replays here.
  const job = useJob<NasConfig, RaceProgress, RaceResult>(() => new Worker(new URL('./race.worker.ts', import.meta.url), { type: 'module' }));
  const config = useMemo(() => configOf(p), [p]);
  const key = JSON.stringify(config);
  const [ranFor, setRanFor] = useState<string | null>(null);
  const start = () => {
    setRanFor(key);
    job.start(config);
  };
  // Autoplay (not for a reader who asks for reduced motion): a race per setting; a changed setting cancels the old one.
  const [autoplay] = useState(() => !reducedMotion());
  const started = useRef(new Set<string>());
  const finished = job.state !== 'running' && job.state !== 'paused';
  useEffect(() => {
    if (!table) return;
    if (!finished && (file || ranFor !== key)) job.cancel();
    else if (!file && finished && autoplay && !started.current.has(key)) {
      started.current.add(key);
      setRanFor(key);
      job.start(config);
    }
  }, [file, table, finished, ranFor, key, autoplay, job, config]);
  const replayed = useComputed(async (q: { file: SearchExport | null; config: NasConfig; ready: boolean }) => (q.file && table ? replayRace(table, q.config, q.file) : null), { file, config, ready: table !== null });
  // A new initial state per setting (keyed on it): the count of shown results moves with it.
  const start0 = useMemo(() => initial(config.budget), [key]);
  const ours = ranFor === key ? (job.result ?? job.partial) : null;
  const race: RaceProgress | null = file ? (replayed?.frame.trial ? replayed : null) : table ? (ours ?? start0) : null;
  useReady(race !== null);
  const shown = useShownCount(race);
  const f = race?.frame ?? null;
  const result = file ? replayed : ranFor === key ? job.result : null;
  const best = table ? optimum(table) : null;
  const status = file
    ? f
      ? `trial ${f.trial} of ${f.budget} (imported)`
      : 'replaying the imported file…'
    : f && f.trial > 0
      ? `trial ${f.trial} of ${f.budget}`
      : bench.progress < 1
        ? 'loading the benchmark…'
        : `${p.runs} seeds of each search, ${p.budget} trials each`;

  return (
    <div className="nas-demo">
      <ParamControls table={nasParams} values={p} onChange={set} />
      <div className="toolbar" data-frames={shown} data-running={job.state === 'running' ? '1' : '0'}>
        <button type="button" data-action="step" onClick={() => set('seed', p.seed >= nasParams.seed.max ? 1 : p.seed + 1)}>
          Next seed
        </button>
        <span className="status-line">{status}</span>
      </div>
      {!file && <JobControls job={job} onStart={start} startLabel="Start the race" label="Trials done" />}
      {!file && <JobProblem job={job} />}
      {race && f && table && best && (
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
            x={race.first.trial}
            xLabel="trial"
            yLabel="accuracy"
            series={[
              { label: 'reward R', color: SERIES[5], values: race.first.reward },
              { label: 'baseline b', color: SERIES[1], values: race.first.baseline },
            ]}
          />
          <Chart
            label="Best validation accuracy found so far, median over seeds (REINFORCE's quartiles dashed), and the space's best"
            height={200}
            x={race.curve.trial}
            xLabel="trial"
            yLabel="best validation accuracy"
            series={[
              { label: 'REINFORCE median', color: SERIES[0], values: race.curve.rl },
              { label: 'REINFORCE 25th pct', color: SERIES[0], values: race.curve.rlQ1, dashed: true },
              { label: 'REINFORCE 75th pct', color: SERIES[0], values: race.curve.rlQ3, dashed: true },
              { label: 'random search median', color: SERIES[7], values: race.curve.random },
              { label: 'the space’s best', color: SERIES[4], values: race.curve.trial.map(() => best.val), dashed: true },
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
            make={() => (result ? exportRuns('nas', table.manifest.sha256, p, result.runs) : null)}
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
