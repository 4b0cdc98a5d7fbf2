/**
 * The worker side of a remote simulation (see ./remote-simulation.ts): serves a demo's models to its page.
 *
 *     // demos/<id>/model.worker.ts
 *     import { serveSimulation } from '../runtime/jobs/simulation-worker';
 *     serveSimulation(async ({ signal }) => {
 *       const data = await loadMnist(…, { signal });      // once per worker
 *       return (params: Params) => createRun(data, params); // once per set of parameters
 *     });
 *
 * `setup` runs once, after tfjs has started (on the page's backend where the worker can run it: webgl through an
 * OffscreenCanvas, else the next that starts); what it returns makes a `Simulation` per `create`. Every message
 * waits for the one before it, so a step never overlaps another step, a create or a dispose.
 */
import { tf, type BackendName } from '../tf';
import type { Simulation } from '../simulation';
import { parseSimToWorker, type SimFromWorker } from './remote-simulation';
import { startWorkerBackend, type JobPort } from './worker';

export interface SimulationContext {
  backend: BackendName;
  /** Aborted when the worker stops serving (a fatal error, or `stop` in Node tests): pass it to fetches. */
  signal: AbortSignal;
}

export type SimulationSetup<P, F> = (ctx: SimulationContext) => ((params: P) => Simulation<F>) | Promise<(params: P) => Simulation<F>>;

/**
 * Serves `setup`'s models on `port` (default: this worker's global scope) until the page terminates the worker.
 * Returns what terminating does where there is no worker to kill (Node tests, which share one process): stop
 * answering and free every model, after the message in hand.
 */
export function serveSimulation<P, F>(setup: SimulationSetup<P, F>, port: JobPort = globalThis as unknown as JobPort): () => Promise<void> {
  const post = (m: SimFromWorker<F>) => port.postMessage(m);
  const abort = new AbortController();
  let make: Promise<(params: P) => Simulation<F>> | null = null;
  const sims = new Map<number, Simulation<F>>();
  /** Models that refused their parameters: each of their steps answers with the reason. */
  const refused = new Map<number, string>();
  let queue = Promise.resolve();
  let dead = false;

  const handle = async (data: unknown): Promise<void> => {
    const m = parseSimToWorker(data);
    if (!m) throw new Error(`The demo's worker got a message it does not understand: ${JSON.stringify(data)?.slice(0, 80)}`);
    switch (m.type) {
      case 'start': {
        if (make) throw new Error("The demo's worker was started twice");
        const choice = await startWorkerBackend(m.backend);
        post({ type: 'started', backend: choice.backend, detail: `${choice.detail}, in a Web Worker`, notes: choice.notes });
        make = Promise.resolve(setup({ backend: choice.backend, signal: abort.signal }));
        await make;
        return;
      }
      case 'create': {
        if (!make) throw new Error("The demo's worker was asked for a model before it started");
        const create = await make;
        try {
          sims.set(m.id, create(m.params as P));
        } catch (e) {
          refused.set(m.id, e instanceof Error ? e.message : String(e));
        }
        return;
      }
      case 'step': {
        const why = refused.get(m.id);
        if (why !== undefined) return post({ type: 'problem', id: m.id, message: why });
        const sim = sims.get(m.id);
        if (!sim) throw new Error(`The demo's worker has no model ${m.id} to step`);
        const frame = await sim.step(m.k);
        return post({ type: 'frame', id: m.id, frame, tensors: tf.memory().numTensors });
      }
      case 'dispose': {
        refused.delete(m.id);
        sims.get(m.id)?.dispose();
        sims.delete(m.id);
        return post({ type: 'disposed', id: m.id, tensors: tf.memory().numTensors });
      }
    }
  };

  port.addEventListener('message', (e: MessageEvent) => {
    queue = queue.then(async () => {
      if (dead) return;
      try {
        await handle(e.data);
      } catch (err) {
        // Fatal: the page shows it in the demo's frame (with its Retry, which starts a new worker).
        dead = true;
        abort.abort();
        post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    });
  });
  port.start?.();
  return () =>
    (queue = queue.then(() => {
      dead = true;
      abort.abort();
      for (const sim of sims.values()) sim.dispose();
      sims.clear();
    }));
}
