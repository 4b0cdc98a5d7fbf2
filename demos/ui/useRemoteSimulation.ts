'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { RemoteSimulations, type SimWorkerLike } from '@/demos/runtime/jobs/remote-simulation';
import type { Simulation } from '@/demos/runtime/simulation';
import { useFrame } from './frame';
import { debugHooks } from './debug';

/**
 * A demo's models in a Web Worker, for useSimulation: returns the `create` to pass it, whose models live in the
 * worker (demos/runtime/jobs/remote-simulation.ts). The loop, Play, Step, Reset and the history stay the page's;
 * the steps run in the worker, so the page's main thread only draws.
 *
 *     const create = useRemoteSimulation<Params, Frame>(() => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module' }));
 *     const sim = useSimulation(create, params, { … });
 *
 * `createWorker` must contain that `new Worker(new URL(…, import.meta.url))` expression itself: the bundler finds
 * the worker's entry there. Call this before useSimulation (its worker then outlives the models). The worker
 * starts on the frame's backend and tells the frame which one runs; unmounting the view terminates it, and with
 * it every tensor. A fatal worker error goes to the frame's error display.
 */
export function useRemoteSimulation<P, F>(createWorker: () => Worker): (params: P) => Simulation<F> {
  const frame = useFrame();
  const latest = useRef({ createWorker, frame });
  latest.current = { createWorker, frame };
  /** This demo's entry in the test hooks: its live workers and their last tensor count. */
  const hooks = () => (debugHooks().workers[latest.current.frame.id] ??= { live: 0, tensors: 0 });
  const [remote] = useState(
    () =>
      new RemoteSimulations<P, F>(
        () => latest.current.createWorker() as SimWorkerLike,
        () => latest.current.frame.backend,
        {
          started: (info) => latest.current.frame.onBackend(info),
          fatal: (message) => latest.current.frame.onError(new Error(message)),
          worker: (live) => void (hooks().live += live ? 1 : -1),
          tensors: (n) => void (hooks().tensors = n),
        },
      ),
  );
  useEffect(() => () => remote.close(), [remote]);
  return useCallback((params: P) => remote.create(params), [remote]);
}
