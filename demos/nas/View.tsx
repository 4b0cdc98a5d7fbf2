'use client';
import { useMemo, useState } from 'react';
import { loadBenchTable } from '../runtime/nasbench/table';
import { exportRuns, optimum, type SearchExport } from '../runtime/nasbench/search';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useReady, useShownCount } from '../ui/useReady';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls, JobProblem } from '../ui/controls/JobControls';
import { SearchFiles } from '../ui/SearchFiles';
import { TrainChild } from '../ui/TrainChild';
import { NAS_METHODS } from './model';
import { childParams, nasParams } from './params';
import { configOf, mediansText, raceStatus } from './display';
import { BestChart, ControllerTable, RewardChart } from './Panels';
import { useRace } from './useRace';
import { formatPercent } from '../ui/plots/scale';

/** REINFORCE's controller sampling the benchmark's cells, against random search, over many seeds. */
export default function NasView() {
  const { values: p, set } = useDemoParams(nasParams);
  const { values: pc, set: setChild } = useDemoParams(childParams);
  const bench = useResource((signal) => loadBenchTable(fetch, undefined, signal), 'nasbench');
  const table = bench.value;
  const [file, setFile] = useState<SearchExport | null>(null);
  const config = useMemo(() => configOf(p), [p]);
  const { job, start, race, result } = useRace(table, config, file);
  useReady(race !== null);
  const shown = useShownCount(race);
  const f = race?.frame ?? null;
  const best = table ? optimum(table) : null;

  return (
    <div className="nas-demo">
      <ParamControls table={nasParams} values={p} onChange={set} />
      <div className="toolbar" data-frames={shown} data-running={job.state === 'running' ? '1' : '0'}>
        <button type="button" data-action="step" onClick={() => set('seed', p.seed >= nasParams.seed.max ? 1 : p.seed + 1)}>
          Next seed
        </button>
        <span className="status-line">{raceStatus(file !== null, f, bench.progress < 1, p)}</span>
      </div>
      {!file && <JobControls job={job} onStart={start} startLabel="Start the race" label="Trials done" />}
      {!file && <JobProblem job={job} />}
      {race && f && table && best && (
        <>
          <ControllerTable f={f} />
          <RewardChart race={race} />
          <BestChart race={race} best={best.val} />
          <p className="plot-caption">
            After {f.trial} trials, median best validation accuracy: {mediansText(f)}; the space’s
            best {formatPercent(best.val, 2)} (cell {best.bestValCell}).
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
