'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { BenchTable } from '../runtime/nasbench/table';
import type { SearchExport } from '../runtime/nasbench/search';
import { useJob, useJobRun } from '../ui/useJob';
import { useComputed } from '../ui/useLatest';
import type { NasConfig } from './model';
import { replayRace, type RaceProgress, type RaceResult } from './race';
import { initialRace } from './display';

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * The race the view shows: run in a Web Worker (one controller update is ~100 ms of tfjs on wasm), started by
 * itself once per setting (not for a reader who asks for reduced motion; a changed setting or an imported file
 * cancels the old run), or an imported file replayed here. `race` is null until the benchmark (or the replay) is
 * there; `result` is the finished run of these settings (or the replay), for the export.
 */
export function useRace(table: BenchTable | null, config: NasConfig, file: SearchExport | null) {
  const job = useJob<NasConfig, RaceProgress, RaceResult>(() => new Worker(new URL('./race.worker.ts', import.meta.url), { type: 'module' }));
  const { run, result: ours, current, start } = useJobRun(job, config);
  const key = JSON.stringify(config);
  const [autoplay] = useState(() => !reducedMotion());
  const started = useRef(new Set<string>());
  const finished = job.state !== 'running' && job.state !== 'paused';
  useEffect(() => {
    if (!table) return;
    if (!finished && (file || !current)) job.cancel();
    else if (!file && finished && autoplay && !started.current.has(key)) {
      started.current.add(key);
      start();
    }
  }, [file, table, finished, current, key, autoplay, job, start]);
  const replayed = useComputed(async (q: { file: SearchExport | null; config: NasConfig; ready: boolean }) => (q.file && table ? replayRace(table, q.config, q.file) : null), { file, config, ready: table !== null });
  // A new initial state per setting (keyed on it): the count of shown results moves with it.
  const start0 = useMemo(() => initialRace(config.budget), [key]);
  const race: RaceProgress | null = file ? (replayed?.frame.trial ? replayed : null) : table ? (run ?? start0) : null;
  return { job, start, race, result: file ? replayed : ours };
}
