'use client';
import type { Simulation } from '../runtime/simulation';
import { useSimulation, type SimulationHandle, type SimulationOptions } from './useSimulation';

/** A simulation that does nothing and reports null: what a view runs while its data set is still loading. */
const idle = <F>(): Simulation<F | null> => ({ step: async () => null, dispose: () => {} });

/**
 * useSimulation for a model that needs a loaded data set (e.g. MNIST from useResource): until `data` is there,
 * an idle simulation reporting null runs and the frame is not told the first result is on screen; once it is,
 * `create(data, params)` is created (and re-created when the params change) as useSimulation does. A null frame
 * counts as converged, so the loop does not spin while the data load.
 */
export function useDataSimulation<D, F, P>(
  data: D | null,
  create: (data: D, params: P) => Simulation<F>,
  params: P,
  options: SimulationOptions<F | null>,
): SimulationHandle<F | null> {
  const make = (q: P & { data: boolean }): Simulation<F | null> => (q.data && data !== null ? create(data, q) : idle<F>());
  const converged = options.converged;
  return useSimulation<F | null, P & { data: boolean }>(make, { ...params, data: data !== null }, {
    ...options,
    converged: (f) => f === null || (converged?.(f) ?? false),
    ready: data !== null && (options.ready ?? true),
  });
}
