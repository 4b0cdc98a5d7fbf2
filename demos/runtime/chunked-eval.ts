/**
 * A metric summed over a large fixed set (correct answers over 1,000 test digits, say), measured in chunks
 * spread over the following frames on a snapshot of the weights: one frame of a training demo then runs a
 * slice of the test set, not all of it, and the number reported is still exact for the step it is reported
 * at (the snapshot's), since sums of chunks are the sum. Pure tfjs: no React, no DOM.
 */
import { tf } from './tf';

/** Named parameter tensors (a trainer's `params()`), or a list of tensors. */
export type Snapshot = Readonly<Record<string, tf.Tensor>> | readonly tf.Tensor[];

export interface ChunkedSum<S extends Snapshot = Snapshot> {
  /** The step of the snapshot being measured, or null when none is. */
  readonly at: number | null;
  /** Rows measured so far of the pending measurement. */
  readonly done: number;
  /** Starts measuring `snapshot`, the weights at step `at`; takes it over (and disposes it when done). Throws while one is pending. */
  start(at: number, snapshot: S): void;
  /**
   * Sums the next `chunks` chunks (at least one). When that was the last row, returns the total (a tensor
   * the caller owns) and goes idle; otherwise null. Null when idle. Safe inside the caller's tf.tidy.
   */
  advance(chunks?: number): tf.Tensor | null;
  /** Sums every remaining chunk at once and returns the total (see `advance`); null when idle. */
  finish(): tf.Tensor | null;
  /** Frees the snapshot and the partial sum; safe to call twice. */
  dispose(): void;
}

const tensorsOf = (s: Snapshot): tf.Tensor[] => (Array.isArray(s) ? [...s] : Object.values(s));

/**
 * `rows` rows measured `chunk` at a time by `sum(snapshot, from, size)`, which returns a tensor (of any one
 * shape: a count per net, say) summing the metric over rows [from, from + size).
 */
export function chunkedSum<S extends Snapshot>(rows: number, chunk: number, sum: (snapshot: S, from: number, size: number) => tf.Tensor): ChunkedSum<S> {
  if (!(Number.isInteger(rows) && rows >= 1)) throw new RangeError(`chunkedSum: rows must be a whole number ≥ 1, got ${rows}`);
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw new RangeError(`chunkedSum: chunk must be a whole number ≥ 1, got ${chunk}`);
  let snapshot: S | null = null;
  let at: number | null = null;
  let done = 0;
  let acc: tf.Tensor | null = null;
  const clear = () => {
    if (snapshot) tf.dispose(tensorsOf(snapshot));
    if (acc) acc.dispose();
    snapshot = null;
    acc = null;
    at = null;
    done = 0;
  };
  const advance = (chunks = 1): tf.Tensor | null => {
    if (!snapshot) return null;
    const s = snapshot;
    const to = Math.min(rows, done + Math.max(1, Math.floor(chunks)) * chunk);
    const next = tf.tidy(() => {
      let total = acc;
      for (let from = done; from < to; from += chunk) {
        const part = sum(s, from, Math.min(chunk, to - from));
        total = total ? tf.add(total, part) : part;
      }
      return total!;
    });
    tf.keep(next);
    acc?.dispose();
    acc = next;
    done = to;
    if (done < rows) return null;
    acc = null; // handed over
    clear();
    return next;
  };
  return {
    get at() {
      return at;
    },
    get done() {
      return done;
    },
    start(step, snap) {
      if (snapshot) throw new Error(`chunkedSum: a measurement of step ${at} is pending`);
      for (const t of tensorsOf(snap)) tf.keep(t);
      snapshot = snap;
      at = step;
      done = 0;
    },
    advance,
    finish: () => advance(Math.ceil(rows / chunk)),
    dispose: clear,
  };
}

/** What {@link trainOrMeasure} did: training steps run, and the measurements completed (totals the caller owns). */
export interface UnitsDone {
  trained: number;
  measured: { at: number; total: tf.Tensor }[];
}

/**
 * Runs `k` units of a training demo that measures on snapshots with `evaluation`: while a measurement is pending, a
 * unit is one chunk of it; otherwise a training unit, `train(left)` (`left` the units this call has left, this one
 * included), which starts a measurement when one falls due and returns false once training is over, else true, or
 * the number of units it took (a step spread over several units when calls are short, run at once when a call has
 * room for all of them). Training waits for a pending measurement, so none is ever skipped or overtaken and the
 * measured steps are the same at any frame rate; and a frame never carries a training step and a measurement chunk
 * both (k = 1 on a slow backend). `atOnce` (the default for k = 0) first completes a pending measurement at once: a
 * run's first result, a test's number. `trained` counts the training units' calls. Safe inside the caller's tf.tidy.
 */
export function trainOrMeasure<S extends Snapshot>(evaluation: ChunkedSum<S>, k: number, train: (left: number) => boolean | number, atOnce = k === 0): UnitsDone {
  const done: UnitsDone = { trained: 0, measured: [] };
  const at = evaluation.at;
  if (atOnce && at !== null) done.measured.push({ at, total: evaluation.finish()! });
  for (let u = 0; u < k; u++) {
    const at = evaluation.at;
    if (at !== null) {
      const total = evaluation.advance();
      if (total) done.measured.push({ at, total });
      continue;
    }
    const took = train(k - u);
    if (took === false) break;
    done.trained++;
    if (typeof took === 'number') u += Math.max(1, took) - 1;
  }
  return done;
}

/**
 * Units of work of a run of `total` training steps with a measurement of `jobs` jobs every `every` steps and at the
 * end (the one at the start is measured at once), as {@link trainOrMeasure} counts them: a view's step budget.
 */
export const measuredRunUnits = (total: number, every: number, jobs: number) => total + Math.ceil(total / every) * jobs;
