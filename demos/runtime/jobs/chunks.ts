/**
 * The training loop of a job (demos/<id>/train.ts): steps in chunks sized to a time (`nextChunkSize`), a stop at
 * every multiple of `evalEvery` and at the budget to evaluate, and a yield after each chunk, where the job posts
 * its progress (and where the worker pauses or cancels). Pure: no tfjs, no DOM.
 */
import { nextChunkSize } from './protocol';

export interface ChunkedRun {
  /** The budget in steps. */
  total: number;
  /** Evaluate after this many steps, and at the budget. */
  evalEvery: number;
  /** Steps taken so far. */
  steps(): number;
  /** Takes `n` steps; the mean loss over them. */
  train(n: number): Promise<number>;
  evaluate(): Promise<void>;
  /** Chunk sizing (nextChunkSize's options); default ~150 ms, 1–50 steps. */
  chunk?: { targetMs: number; min: number; max: number };
}

/** One chunk done: its mean loss, its time in ms (training only), the steps so far and whether it ended with an evaluation. */
export interface Chunk {
  loss: number;
  ms: number;
  steps: number;
  evaluated: boolean;
}

/** Trains to the budget chunk by chunk, evaluating at every `evalEvery` steps; yields after every chunk. */
export async function* trainInChunks(run: ChunkedRun): AsyncGenerator<Chunk, void, undefined> {
  const chunk = run.chunk ?? { targetMs: 150, min: 1, max: 50 };
  for (let size = 2; run.steps() < run.total; ) {
    const nextEval = Math.min(run.total, (Math.floor(run.steps() / run.evalEvery) + 1) * run.evalEvery);
    const n = Math.min(size, nextEval - run.steps());
    const t = performance.now();
    const loss = await run.train(n);
    const ms = performance.now() - t;
    size = nextChunkSize(n, ms, chunk);
    const evaluated = run.steps() === nextEval;
    if (evaluated) await run.evaluate();
    yield { loss, ms, steps: run.steps(), evaluated };
  }
}
