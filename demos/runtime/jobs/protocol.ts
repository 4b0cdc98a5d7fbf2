/**
 * Long work in a Web Worker: the messages between a page and its worker, their validation, and the page's
 * state machine. Pure (no tfjs, no DOM, no React): the worker side is ./worker.ts, the page side ./client.ts,
 * the React hook demos/ui/useJob.ts.
 *
 * One run, one worker: the page creates the worker, sends `start`, may send `pause`, `resume` and `cancel`;
 * the worker answers `started` (tfjs is up, on this backend), `progress` after every chunk of work, `paused` /
 * `resumed` once it really has, and ends with exactly one of `done`, `cancelled` or `error`. The page then
 * terminates the worker.
 */
import type { BackendName } from '../tf';

const BACKENDS: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

/** Page → worker. */
export type ToWorker =
  | { type: 'start'; input: unknown; backend: BackendName }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' };

/** Worker → page. `P` is the partial result a view draws while the job runs, `R` the final result. */
export type FromWorker<P = unknown, R = unknown> =
  | { type: 'started'; backend: BackendName; notes: string[] }
  | { type: 'progress'; fraction: number; partial: P | null }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'done'; result: R }
  | { type: 'cancelled' }
  | { type: 'error'; message: string; fatal: boolean };

/**
 * An error a job throws on purpose, for a problem the reader can fix (bad input, nothing to do): shown in the
 * view, and the demo carries on. Anything else a job throws is fatal: it goes to the demo frame's error
 * display, with its Retry.
 */
export class JobError extends Error {
  readonly fatal: boolean;
  constructor(message: string, { fatal = false }: { fatal?: boolean } = {}) {
    super(message);
    this.name = 'JobError';
    this.fatal = fatal;
  }
}

/** What a job yields after each chunk of work: how far it is, and what the view can draw so far. */
export interface JobProgress<P> {
  /** Fraction done, in [0, 1]. */
  fraction: number;
  partial?: P;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isBackend = (x: unknown): x is BackendName => (BACKENDS as readonly unknown[]).includes(x);
const isFraction = (x: unknown): x is number => typeof x === 'number' && x >= 0 && x <= 1;

/** A message the worker received, checked; null if it is not one of {@link ToWorker}. */
export function parseToWorker(data: unknown): ToWorker | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'start':
      return 'input' in data && isBackend(data.backend) ? { type: 'start', input: data.input, backend: data.backend } : null;
    case 'pause':
    case 'resume':
    case 'cancel':
      return { type: data.type };
    default:
      return null;
  }
}

/**
 * A message the page received, checked; null if it is not one of {@link FromWorker}. Partial and final results
 * are the job's own types: the job's module defines them, and they arrive by structured clone.
 */
export function parseFromWorker<P, R>(data: unknown): FromWorker<P, R> | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'started':
      return isBackend(data.backend) && Array.isArray(data.notes) && data.notes.every((n) => typeof n === 'string')
        ? { type: 'started', backend: data.backend, notes: data.notes as string[] }
        : null;
    case 'progress':
      return isFraction(data.fraction) ? { type: 'progress', fraction: data.fraction, partial: (data.partial ?? null) as P | null } : null;
    case 'paused':
    case 'resumed':
      return { type: data.type };
    case 'done':
      return 'result' in data ? { type: 'done', result: data.result as R } : null;
    case 'cancelled':
      return { type: 'cancelled' };
    case 'error':
      return typeof data.message === 'string' && typeof data.fatal === 'boolean' ? { type: 'error', message: data.message, fatal: data.fatal } : null;
    default:
      return null;
  }
}

/** Where a run is, as the page sees it. */
export type JobStatus = 'idle' | 'running' | 'paused' | 'done' | 'error' | 'cancelled';

/** Everything a view shows about a run. */
export interface JobSnapshot<P, R> {
  state: JobStatus;
  /** Fraction done, in [0, 1]. */
  progress: number;
  /** The newest partial result, or null. */
  partial: P | null;
  /** The final result once done. */
  result: R | null;
  /** The backend the worker runs, once it has started; null before. */
  backend: BackendName | null;
  /** What the worker said about choosing it (a fallback). */
  notes: string[];
  /** The error message when state is 'error'. */
  error: string | null;
  /** True when that error is fatal (for the demo frame), false when the view shows it. */
  fatal: boolean;
  /** A request the worker has not confirmed yet (the controls disable its button meanwhile). */
  pending: 'pause' | 'resume' | 'cancel' | null;
}

export const IDLE: JobSnapshot<never, never> = {
  state: 'idle',
  progress: 0,
  partial: null,
  result: null,
  backend: null,
  notes: [],
  error: null,
  fatal: false,
  pending: null,
};

/** What the page does or hears: its own requests, the worker's messages, and the worker failing outright. */
export type JobEvent<P, R> =
  | { type: 'request'; action: 'start' | 'pause' | 'resume' | 'cancel' }
  | { type: 'message'; message: FromWorker<P, R> }
  /** The worker died or could not load (a script error, a message that failed to clone or parse). */
  | { type: 'crash'; message: string }
  /** The page gave up waiting for `cancelled` and terminated the worker. */
  | { type: 'killed' };

/** True for the states a run ends in (the worker is gone). */
export function isFinished(state: JobStatus): boolean {
  return state === 'idle' || state === 'done' || state === 'error' || state === 'cancelled';
}

/**
 * The page's state machine. A request only marks itself pending (and is ignored where it makes no sense:
 * pause when not running); the state changes when the worker confirms. Messages after the run has ended
 * are ignored.
 */
export function jobReducer<P, R>(s: JobSnapshot<P, R>, e: JobEvent<P, R>): JobSnapshot<P, R> {
  if (e.type === 'request') {
    switch (e.action) {
      case 'start':
        return isFinished(s.state) ? { ...(IDLE as JobSnapshot<P, R>), state: 'running' } : s;
      case 'pause':
        return s.state === 'running' && s.pending === null ? { ...s, pending: 'pause' } : s;
      case 'resume':
        return s.state === 'paused' && s.pending === null ? { ...s, pending: 'resume' } : s;
      case 'cancel':
        return !isFinished(s.state) && s.pending !== 'cancel' ? { ...s, pending: 'cancel' } : s;
    }
  }
  if (isFinished(s.state)) return s;
  if (e.type === 'crash') return { ...s, state: 'error', error: e.message, fatal: true, pending: null };
  if (e.type === 'killed') return { ...s, state: 'cancelled', pending: null };
  const m = e.message;
  switch (m.type) {
    case 'started':
      return { ...s, backend: m.backend, notes: m.notes };
    case 'progress':
      return { ...s, progress: m.fraction, partial: m.partial ?? s.partial };
    case 'paused':
      return { ...s, state: 'paused', pending: s.pending === 'pause' ? null : s.pending };
    case 'resumed':
      return { ...s, state: 'running', pending: s.pending === 'resume' ? null : s.pending };
    case 'done':
      return { ...s, state: 'done', progress: 1, result: m.result, pending: null };
    case 'cancelled':
      return { ...s, state: 'cancelled', pending: null };
    case 'error':
      return { ...s, state: 'error', error: m.message, fatal: m.fatal, pending: null };
  }
}

/**
 * The backend a worker asks for, given the page's: a reader who chose cpu gets cpu; otherwise wasm, which
 * needs no canvas (WebGL in a worker needs OffscreenCanvas and would compete with the page's own WebGL).
 */
export function workerBackend(page: BackendName): BackendName {
  return page === 'cpu' ? 'cpu' : 'wasm';
}

/**
 * Chunk size for the next chunk of work, aiming at `targetMs` per chunk from how long the last one took:
 * short enough that pause and cancel answer quickly and progress moves smoothly, long enough that messages
 * cost nothing. Changes by at most a factor of 4 per chunk, within [min, max].
 */
export function nextChunkSize(size: number, elapsedMs: number, { targetMs = 100, min = 1, max = Infinity } = {}): number {
  const ratio = elapsedMs > 0 ? targetMs / elapsedMs : 4;
  const next = Math.round(size * Math.min(4, Math.max(0.25, ratio)));
  return Math.min(max, Math.max(min, next));
}
