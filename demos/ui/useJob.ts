'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { JobClient, type JobClientOptions, type WorkerLike } from '@/demos/runtime/jobs/client';
import { IDLE, type JobSnapshot } from '@/demos/runtime/jobs/protocol';
import { useFrame } from './frame';

export interface JobHandle<I, P, R> extends JobSnapshot<P, R> {
  /** Starts a run in a new worker (ignored while one runs). */
  start: (input: I) => void;
  pause: () => void;
  resume: () => void;
  /** Stops the run at its next chunk; the worker is then terminated. */
  cancel: () => void;
}

/**
 * Long work in a Web Worker (an architecture search, training a detector, scoring a test set): the run's state,
 * progress and newest partial result, and its controls (see demos/runtime/jobs/ and `JobControls`).
 *
 *     const job = useJob<Input, Partial, Result>(() => new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }));
 *
 * `createWorker` must contain that `new Worker(new URL(…, import.meta.url))` expression itself: the bundler
 * finds the worker's entry there. The worker runs wasm (cpu if the page does); unmounting the view terminates
 * it. A fatal error (the worker crashed, the job threw) goes to the frame's error display; a `JobError` the
 * job throws on purpose stays in `error`, for the view to show.
 */
export function useJob<I, P, R>(createWorker: () => Worker, options?: JobClientOptions): JobHandle<I, P, R> {
  const { backend, onError } = useFrame();
  const [snapshot, setSnapshot] = useState<JobSnapshot<P, R>>(IDLE);
  const client = useRef<JobClient<I, P, R> | null>(null);
  const latest = useRef({ createWorker, backend, options });
  latest.current = { createWorker, backend, options };

  useEffect(() => {
    const c = new JobClient<I, P, R>(() => latest.current.createWorker() as WorkerLike, setSnapshot, latest.current.options);
    client.current = c;
    setSnapshot(IDLE);
    return () => {
      c.dispose();
      client.current = null;
    };
  }, []);

  const fatal = snapshot.state === 'error' && snapshot.fatal ? snapshot.error : null;
  useEffect(() => {
    if (fatal !== null) onError(new Error(fatal));
  }, [fatal, onError]);

  const start = useCallback((input: I) => client.current?.start(input, latest.current.backend), []);
  const pause = useCallback(() => client.current?.pause(), []);
  const resume = useCallback(() => client.current?.resume(), []);
  const cancel = useCallback(() => client.current?.cancel(), []);
  return useMemo(() => ({ ...snapshot, start, pause, resume, cancel }), [snapshot, start, pause, resume, cancel]);
}

/**
 * The run a training view shows: the job's result, else its latest progress, but only while the input is the one
 * the job was started with (change a parameter and the view falls back to its untrained state). `start` runs the
 * job on the current input; `current` says the job's run is of the current input, `result` its end (else null).
 */
export function useJobRun<I, P, R extends P = P>(job: JobHandle<I, P, R>, input: I): { run: P | null; result: R | null; current: boolean; start: () => void } {
  const [ranFor, setRanFor] = useState<string | null>(null);
  const key = JSON.stringify(input);
  const current = ranFor === key;
  const run = current ? (job.result ?? job.partial) : null;
  const { start: startJob } = job;
  const start = useCallback(() => {
    setRanFor(key);
    startJob(input);
  }, [key, input, startJob]);
  return { run, result: current ? job.result : null, current, start };
}

/**
 * The parameters a training job evaluated last: its worker sends them with every progress message, a fresh copy
 * each time; this keeps one copy per evaluation step `at`, so that what depends on it by identity (inference on
 * the page, a redraw) reruns only when the job evaluates again. Null while there are none (empty or absent).
 */
export function useEvaluated<T extends { length: number }>(value: T | null | undefined, at: number): T | null {
  const kept = useRef<{ at: number; value: T } | null>(null);
  if (!value?.length) kept.current = null;
  else if (kept.current?.at !== at) kept.current = { at, value };
  return kept.current?.value ?? null;
}
