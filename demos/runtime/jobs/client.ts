/**
 * The page side of a job (see ./protocol.ts): owns one worker per run, sends the page's requests, and keeps the
 * run's snapshot from the worker's messages. No React (demos/ui/useJob.ts wraps it) and no tfjs: the page
 * never loads the job's code, only the worker does.
 */
import type { BackendName } from '../tf';
import { IDLE, isFinished, jobReducer, parseFromWorker, workerBackend, type JobEvent, type JobSnapshot, type ToWorker } from './protocol';

/** What the client needs of a Worker (a MessagePort wrapper in Node tests). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (e: Event) => void): void;
  terminate(): void;
}

export interface JobClientOptions {
  /**
   * How long a cancel waits for the worker to stop at its next chunk before terminating it outright (a chunk
   * that never ends): the run is 'cancelled' either way.
   */
  cancelTimeoutMs?: number;
}

/** One job's runs, one at a time, each in a fresh worker from `create` (terminated when the run ends). */
export class JobClient<I, P, R> {
  private state: JobSnapshot<P, R> = IDLE;
  private worker: WorkerLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly create: () => WorkerLike,
    private readonly onChange: (snapshot: JobSnapshot<P, R>) => void,
    private readonly options: JobClientOptions = {},
  ) {}

  get snapshot(): JobSnapshot<P, R> {
    return this.state;
  }

  /** Starts a run in a new worker; `backend` is the page's (the worker runs wasm unless the page runs cpu). */
  start(input: I, backend: BackendName): void {
    if (this.disposed || !this.dispatch({ type: 'request', action: 'start' })) return;
    let w: WorkerLike;
    try {
      w = this.create();
    } catch (e) {
      this.dispatch({ type: 'crash', message: `The job's worker could not be created: ${(e as Error).message ?? e}` });
      return;
    }
    this.worker = w;
    const mine = (f: (e: Event) => void) => (e: Event) => this.worker === w && f(e);
    w.addEventListener('message', mine((e) => {
      const m = parseFromWorker<P, R>((e as MessageEvent).data);
      this.dispatch(m ? { type: 'message', message: m } : { type: 'crash', message: "The job's worker sent a message the page does not understand" });
    }));
    w.addEventListener('messageerror', mine(() => this.dispatch({ type: 'crash', message: "A message from the job's worker could not be read" })));
    w.addEventListener('error', mine((e) => {
      e.preventDefault(); // reported here, in the demo, not as an uncaught page error
      const what = (e as ErrorEvent).message;
      this.dispatch({ type: 'crash', message: what ? `The job's worker failed: ${what}` : "The job's worker could not start (its script did not load)" });
    }));
    this.send({ type: 'start', input, backend: workerBackend(backend) });
  }

  pause(): void {
    if (this.dispatch({ type: 'request', action: 'pause' })) this.send({ type: 'pause' });
  }

  resume(): void {
    if (this.dispatch({ type: 'request', action: 'resume' })) this.send({ type: 'resume' });
  }

  /** Asks the worker to stop at its next chunk (it frees its tensors); terminates it if it does not answer. */
  cancel(): void {
    if (!this.dispatch({ type: 'request', action: 'cancel' })) return;
    this.send({ type: 'cancel' });
    const w = this.worker;
    this.timer = setTimeout(() => this.worker === w && this.dispatch({ type: 'killed' }), this.options.cancelTimeoutMs ?? 3000);
  }

  /** Terminates any worker at once and goes quiet (the view is leaving). */
  dispose(): void {
    this.disposed = true;
    this.stopWorker();
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private stopWorker(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.worker?.terminate();
    this.worker = null;
  }

  /** Applies an event; true if the snapshot changed. A run that has ended has its worker terminated. */
  private dispatch(e: JobEvent<P, R>): boolean {
    const next = jobReducer(this.state, e);
    if (next === this.state || this.disposed) return false;
    this.state = next;
    if (isFinished(next.state)) this.stopWorker();
    this.onChange(next);
    return true;
  }
}
