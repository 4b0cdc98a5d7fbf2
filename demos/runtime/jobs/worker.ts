/**
 * The worker side of a job (see ./protocol.ts): turns an async generator into the worker's message loop.
 *
 *     // demos/<id>/search.worker.ts
 *     import { serveJob } from '../runtime/jobs/worker';
 *     serveJob(async function* search(input: Input, ctx) {
 *       for (let i = 0; i < input.trials; i++) {
 *         … one chunk of work (≈ 100 ms), tensors inside tf.tidy …
 *         yield { fraction: (i + 1) / input.trials, partial: best };
 *       }
 *       return best;
 *     });
 *
 * Between chunks (at every `yield`) the loop lets the page's messages in: pause waits there until resume;
 * cancel ends the generator there (its `finally` blocks run). Every tensor the job made and left is freed
 * when it ends, however it ends. tfjs starts through ../tf.ts, on wasm (or the page's choice of cpu).
 */
import { configureWasmPaths, initBackend, tf, type BackendChoice, type BackendName } from '../tf';
import { JobError, parseToWorker, type FromWorker, type JobProgress } from './protocol';

/** What a running job is handed besides its input. */
export interface JobContext {
  /** The backend the job runs on. */
  backend: BackendName;
  /** Aborted on cancel: pass it to fetches (loadModel, loadMnist) so a download stops too. */
  signal: AbortSignal;
}

/** A job: yields progress after each chunk of work, returns the final result. Results must be cloneable. */
export type Job<I, P, R> = (input: I, ctx: JobContext) => AsyncGenerator<JobProgress<P>, R, undefined>;

/** Where a worker talks to its page: the worker's global scope, or one end of a MessageChannel in tests. */
export interface JobPort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  /** MessagePorts deliver nothing before start(); a worker scope has none. */
  start?: () => void;
}

/** Where the wasm binaries are, as for the page (public/tfjs-wasm/, copied there at build time). */
const WASM_PATHS = '/tfjs-wasm/';

/** Starts tfjs in a worker (or, in Node tests, in the process) on `preferred`, else the next backend that starts. */
export function startWorkerBackend(preferred: BackendName): Promise<BackendChoice> {
  if (tf.env().getBool('IS_BROWSER')) {
    // ../tf.ts sets wasm up for pages; a worker has no window. No WASM threads here: the worker is the thread.
    configureWasmPaths(WASM_PATHS);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  return initBackend(preferred);
}

/** Lets queued messages (pause, cancel) in: a job's awaits may all be microtasks, which never yield to them. */
const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Pause, resume and cancel as they arrive; the job loop reads them at its checkpoints. */
class Control {
  paused = false;
  cancelled = false;
  readonly abort = new AbortController();
  private wake: (() => void) | null = null;

  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.wake?.();
  }
  cancel(): void {
    this.cancelled = true;
    this.abort.abort(new Error('cancelled'));
    this.wake?.();
  }
  /** Between chunks: false if cancelled; while paused, says so and waits for resume or cancel. */
  async checkpoint(post: (m: FromWorker<never, never>) => void): Promise<boolean> {
    await macrotask();
    if (this.paused && !this.cancelled) {
      post({ type: 'paused' });
      while (this.paused && !this.cancelled) await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
      if (!this.cancelled) post({ type: 'resumed' });
    }
    return !this.cancelled;
  }
}

function describe(e: unknown): { message: string; fatal: boolean } {
  const message = e instanceof Error ? e.message : String(e);
  return { message, fatal: !(e instanceof JobError) || e.fatal };
}

/**
 * Serves `job` on `port` (default: this worker's global scope): one run per worker, started by the page's
 * `start` message. The page terminates the worker after the run's last message.
 */
export function serveJob<I, P, R>(job: Job<I, P, R>, port: JobPort = globalThis as unknown as JobPort): void {
  const post = (m: FromWorker<P, R>) => port.postMessage(m);
  let control: Control | null = null;

  port.addEventListener('message', (e: MessageEvent) => {
    const msg = parseToWorker(e.data);
    if (!msg) return post({ type: 'error', message: `The job's worker got a message it does not understand: ${JSON.stringify(e.data)?.slice(0, 80)}`, fatal: true });
    if (msg.type !== 'start') return control?.[msg.type]();
    if (control) return post({ type: 'error', message: 'The job was started twice in one worker', fatal: true });
    const c = (control = new Control());
    void run(job, msg.input as I, msg.backend, c, post);
  });
  port.start?.();
}

async function run<I, P, R>(job: Job<I, P, R>, input: I, preferred: BackendName, c: Control, post: (m: FromWorker<P, R>) => void): Promise<void> {
  let backend: BackendName;
  try {
    const choice = await startWorkerBackend(preferred);
    backend = choice.backend;
    post({ type: 'started', backend, notes: choice.notes });
  } catch (e) {
    return post({ type: 'error', message: describe(e).message, fatal: true });
  }

  // Everything the job makes is freed when it ends: tensors through a scope around the whole run (the worker
  // runs nothing else, so an async scope is safe here), variables (model weights) by name.
  const variables = new Set(Object.keys(tf.engine().state.registeredVariables));
  tf.engine().startScope();
  let end: FromWorker<P, R>;
  const gen = job(input, { backend, signal: c.abort.signal });
  try {
    for (;;) {
      if (!(await c.checkpoint(post))) {
        await gen.return(undefined as R); // runs the job's finally blocks
        end = { type: 'cancelled' };
        break;
      }
      const step = await gen.next();
      if (step.done) {
        end = { type: 'done', result: step.value };
        break;
      }
      const { fraction, partial } = step.value;
      if (!(fraction >= 0 && fraction <= 1)) throw new Error(`The job reported progress ${fraction}, not a fraction in [0, 1]`);
      post({ type: 'progress', fraction, partial: partial ?? null });
    }
  } catch (e) {
    // After a cancel, what the job throws (an aborted download) is the cancel, not a failure.
    end = c.cancelled ? { type: 'cancelled' } : { type: 'error', ...describe(e) };
    await gen.return(undefined as R).catch(() => {}); // if it failed outside the job (a partial that cannot be cloned)
  } finally {
    tf.engine().endScope();
    for (const [name, v] of Object.entries(tf.engine().state.registeredVariables)) if (!variables.has(name)) v.dispose();
  }
  try {
    post(end);
  } catch (e) {
    post({ type: 'error', message: `The job's result could not be sent to the page: ${describe(e).message}`, fatal: true });
  }
}
