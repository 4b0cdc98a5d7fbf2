/**
 * The loop of a training job (a detector, a U-Net) in a worker: steps in chunks sized to ~`targetMs`, an
 * evaluation every `evalEvery` steps and at the end, a progress message after every chunk. Pure: no React, no DOM.
 */
import { loadMnist, MNIST_BASE_URL } from '../data/loader';
import type { MnistArrays } from '../data/idx';
import { JobError, nextChunkSize, type JobProgress } from './protocol';
import { formatInt } from '../format';

/** What the loop drives: a trainer that counts its steps and runs `n` more, returning their mean loss. */
export interface ChunkedTrainer {
  readonly steps: number;
  train(n: number): Promise<number>;
}

export interface ChunkedOptions<P> {
  total: number;
  evalEvery: number;
  chunk: { targetMs: number; min: number; max: number };
  /** Steps in the first chunk (default 1). */
  first?: number;
  /** Called after each chunk with its mean loss and its milliseconds of training. */
  afterChunk(loss: number, ms: number): void;
  /** Scores the current network (into the caller's progress). */
  evaluate(): Promise<void>;
  /** A copy of the progress to send (it must survive postMessage). */
  snapshot(): P;
}

/** Evaluates the untrained network, then trains to `total` steps; yields after the first evaluation and every chunk. */
export async function* chunkedTraining<P>(net: ChunkedTrainer, o: ChunkedOptions<P>): AsyncGenerator<JobProgress<P>, void, undefined> {
  await o.evaluate();
  yield { fraction: 0, partial: o.snapshot() };
  for (let size = o.first ?? 1; net.steps < o.total; ) {
    const nextEval = Math.min(o.total, (Math.floor(net.steps / o.evalEvery) + 1) * o.evalEvery);
    const n = Math.min(size, nextEval - net.steps);
    const t = performance.now();
    const loss = await net.train(n);
    const ms = performance.now() - t;
    size = nextChunkSize(n, ms, o.chunk);
    o.afterChunk(loss, ms);
    if (net.steps === nextEval) await o.evaluate();
    yield { fraction: net.steps / o.total, partial: o.snapshot() };
  }
}

/** Refuses a budget or seed a job cannot run, as a JobError the view shows. */
export function checkBudget(total: number, seed: number, max = 20_000): void {
  if (!Number.isInteger(total) || total < 1 || total > max) throw new JobError(`Choose between 1 and ${formatInt(max)} steps (got ${total}).`);
  if (!Number.isInteger(seed)) throw new JobError(`The seed must be a whole number (got ${seed}).`);
}

/** The first `trainCount` training and `testCount` test digits, fetched together. `fetchFn`: Node passes fileFetch. */
export async function loadTrainTest(trainCount: number, testCount: number, fetchFn: typeof fetch, signal?: AbortSignal): Promise<[MnistArrays, MnistArrays]> {
  return Promise.all([
    loadMnist({ split: 'train', count: trainCount, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal }),
    loadMnist({ split: 'test', count: testCount, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal }),
  ]);
}
