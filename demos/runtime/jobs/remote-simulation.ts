/**
 * A demo's model in a Web Worker, driven by the page as if it were local: the page side and the messages. The
 * worker side is ./simulation-worker.ts (`serveSimulation`), the React side demos/ui/useRemoteSimulation.ts.
 *
 * Where ./protocol.ts runs one long job per worker, this serves the kit's `Simulation<F>` (step, dispose) for a
 * view's whole life: the worker loads tfjs and the demo's data once, then creates a model for every set of
 * parameters the reader picks, steps it when the page's loop asks and sends each frame back. The page's main
 * thread then only draws: training steps longer than a display frame no longer drop frames, and a page whose
 * demos all run in workers loads no tfjs at all (registry `runs: 'worker'`). No tfjs and no React here.
 *
 * Messages are answered in order (one queue in the worker), so each step's frame is the next reply for its model.
 */
import type { Simulation } from '../simulation';
import type { BackendName } from '../tf';

const BACKENDS: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

/** Page → worker. `start` comes first and once; ids number the models the page created, from 1. */
export type SimToWorker =
  | { type: 'start'; backend: BackendName }
  | { type: 'create'; id: number; params: unknown }
  | { type: 'step'; id: number; k: number }
  | { type: 'dispose'; id: number };

/**
 * Worker → page. `frame` and `problem` answer a step; `problem` says the model refused its parameters (the view
 * shows the message and waits for others). `error` is fatal: the worker cannot go on. `tensors` is the worker's
 * tensor count after the step or disposal (the browser tests' leak check).
 */
export type SimFromWorker<F = unknown> =
  | { type: 'started'; backend: BackendName; detail: string; notes: string[] }
  | { type: 'frame'; id: number; frame: F; tensors: number }
  | { type: 'problem'; id: number; message: string }
  | { type: 'disposed'; id: number; tensors: number }
  | { type: 'error'; message: string };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isId = (x: unknown): x is number => Number.isInteger(x) && (x as number) > 0;
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

/** A message the worker received, checked; null if it is not one of {@link SimToWorker}. */
export function parseSimToWorker(data: unknown): SimToWorker | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'start':
      return (BACKENDS as readonly unknown[]).includes(data.backend) ? { type: 'start', backend: data.backend as BackendName } : null;
    case 'create':
      return isId(data.id) && 'params' in data ? { type: 'create', id: data.id, params: data.params } : null;
    case 'step':
      return isId(data.id) && isCount(data.k) ? { type: 'step', id: data.id, k: data.k } : null;
    case 'dispose':
      return isId(data.id) ? { type: 'dispose', id: data.id } : null;
    default:
      return null;
  }
}

/** A message the page received, checked; null if it is not one of {@link SimFromWorker}. Frames are the demo's own type. */
export function parseSimFromWorker<F>(data: unknown): SimFromWorker<F> | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'started':
      return (BACKENDS as readonly unknown[]).includes(data.backend) && typeof data.detail === 'string' && isStrings(data.notes)
        ? { type: 'started', backend: data.backend as BackendName, detail: data.detail, notes: data.notes }
        : null;
    case 'frame':
      return isId(data.id) && 'frame' in data && isCount(data.tensors) ? { type: 'frame', id: data.id, frame: data.frame as F, tensors: data.tensors } : null;
    case 'problem':
      return isId(data.id) && typeof data.message === 'string' ? { type: 'problem', id: data.id, message: data.message } : null;
    case 'disposed':
      return isId(data.id) && isCount(data.tensors) ? { type: 'disposed', id: data.id, tensors: data.tensors } : null;
    case 'error':
      return typeof data.message === 'string' ? { type: 'error', message: data.message } : null;
    default:
      return null;
  }
}

/**
 * A model's refusal of its parameters, as a step's rejection: useSimulation shows it as the view's `problem` (as
 * when a local `create` throws), not as the frame's error.
 */
export class SimulationProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationProblem';
  }
}

/** What the page needs of a Worker (a MessagePort wrapper in Node tests). */
export interface SimWorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (e: Event) => void): void;
  terminate(): void;
}

export interface RemoteEvents {
  /** The worker's tfjs is up, on this backend. */
  started?: (info: { backend: BackendName; detail: string; notes: string[] }) => void;
  /** The worker's tensor count after a step or a disposal. */
  tensors?: (count: number) => void;
  /** A worker was started (true) or terminated (false). */
  worker?: (live: boolean) => void;
  /** The worker failed for good (crashed, an uncaught error, a message nobody understands). */
  fatal?: (message: string) => void;
}

/** The page side: one worker (made on first use), any number of models in it, one after another. */
export class RemoteSimulations<P, F> {
  private worker: SimWorkerLike | null = null;
  private nextId = 1;
  /** Each model's steps awaiting their frames, in the order sent. */
  private pending = new Map<number, { resolve: (f: F) => void; reject: (e: Error) => void }[]>();
  private broken: string | null = null;

  constructor(
    private readonly createWorker: () => SimWorkerLike,
    private readonly backend: () => BackendName,
    private readonly events: RemoteEvents = {},
  ) {}

  /** A model in the worker for these parameters; its steps resolve with the worker's frames. */
  create(params: P): Simulation<F> {
    const id = this.nextId++;
    this.pending.set(id, []);
    this.send({ type: 'create', id, params });
    return {
      step: (k: number) =>
        new Promise<F>((resolve, reject) => {
          if (this.broken !== null) return reject(new Error(this.broken));
          const queue = this.pending.get(id);
          if (!queue) return reject(new Error('step after dispose'));
          queue.push({ resolve, reject });
          this.send({ type: 'step', id, k });
        }),
      dispose: () => {
        if (!this.pending.delete(id)) return;
        this.send({ type: 'dispose', id });
      },
    };
  }

  /** Terminates the worker at once; steps still waiting reject. The next `create` starts a new worker. */
  close(): void {
    this.stop();
    this.failAll('the demo was closed');
    this.pending.clear(); // the models died with their worker: disposing them later sends nothing
    this.broken = null;
  }

  private send(m: SimToWorker): void {
    if (this.broken !== null) return;
    if (!this.worker) this.open();
    this.worker?.postMessage(m);
  }

  private open(): void {
    let w: SimWorkerLike;
    try {
      w = this.createWorker();
    } catch (e) {
      return this.fail(`The demo's worker could not be created: ${(e as Error).message ?? e}`);
    }
    this.worker = w;
    this.events.worker?.(true);
    const mine = (f: (e: Event) => void) => (e: Event) => this.worker === w && f(e);
    w.addEventListener('message', mine((e) => this.receive((e as MessageEvent).data)));
    w.addEventListener('messageerror', mine(() => this.fail("A message from the demo's worker could not be read")));
    w.addEventListener('error', mine((e) => {
      e.preventDefault(); // reported in the demo's frame, not as an uncaught page error
      const what = (e as ErrorEvent).message;
      this.fail(what ? `The demo's worker failed: ${what}` : "The demo's worker could not start (its script did not load)");
    }));
    w.postMessage({ type: 'start', backend: this.backend() } satisfies SimToWorker);
  }

  private receive(data: unknown): void {
    const m = parseSimFromWorker<F>(data);
    if (!m) return this.fail("The demo's worker sent a message the page does not understand");
    switch (m.type) {
      case 'started':
        return this.events.started?.({ backend: m.backend, detail: m.detail, notes: m.notes });
      case 'frame':
        this.events.tensors?.(m.tensors);
        return this.pending.get(m.id)?.shift()?.resolve(m.frame);
      case 'problem':
        return this.pending.get(m.id)?.shift()?.reject(new SimulationProblem(m.message));
      case 'disposed':
        return this.events.tensors?.(m.tensors);
      case 'error':
        return this.fail(m.message);
    }
  }

  private fail(message: string): void {
    this.broken = message;
    this.stop();
    this.failAll(message);
    this.events.fatal?.(message);
  }

  private stop(): void {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    this.events.worker?.(false);
  }

  private failAll(message: string): void {
    for (const queue of this.pending.values()) for (const w of queue.splice(0)) w.reject(new Error(message));
  }
}
