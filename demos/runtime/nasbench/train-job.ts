/**
 * "Train this child live": one cell of the benchmark trained from scratch with the benchmark's settings, as a
 * job for a Web Worker (demos/ui/train-child.worker.ts), so the reader can check a table entry. It loads the
 * same MNIST digits the benchmark used (from the site's shards) and yields every few steps with the loss.
 * Pure: no React, no DOM; runs in Node too (pass a file-backed fetch).
 */
import { loadMnist, MNIST_BASE_URL } from '../data/loader';
import { JobError, type JobProgress } from '../jobs/protocol';
import type { JobContext } from '../jobs/worker';
import { BENCH_SETTINGS, benchData, trainCell, type BenchSettings } from './build';
import { SPACE_SIZE } from './space';

export interface TrainChildInput {
  cell: number;
  /** Tests shorten the run; the page always trains with the benchmark's settings. */
  settings?: BenchSettings;
  maxSteps?: number;
}

export interface TrainChildProgress {
  cell: number;
  step: number;
  steps: number;
  loss: number;
}

export interface TrainChildResult {
  cell: number;
  validationAccuracy: number;
  testAccuracy: number;
  trainSeconds: number;
}

/** Steps between yields (each step is one mini-batch of 32 digits: a few ms on wasm). */
const STEPS_PER_YIELD = 4;

export async function* trainChild(
  input: TrainChildInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<TrainChildProgress>, TrainChildResult, undefined> {
  const { cell } = input;
  if (!Number.isInteger(cell) || cell < 0 || cell >= SPACE_SIZE) throw new JobError(`Pick a cell between 0 and ${SPACE_SIZE - 1} (got ${cell}).`);
  const s = input.settings ?? BENCH_SETTINGS;
  const [train, test] = await Promise.all([
    loadMnist({ split: 'train', count: Math.max(s.trainRange[1], s.validationRange[1]), baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    loadMnist({ split: 'test', count: s.testRange[1], baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
  ]);
  const data = benchData(train, test, s);
  const steps = Math.min(input.maxSteps ?? Infinity, Math.ceil((s.trainRange[1] - s.trainRange[0]) / s.batchSize) * s.epochs);
  // trainCell waits at its onStep promise; the generator releases it after each yield (where pause and cancel happen).
  let progress: TrainChildProgress = { cell, step: 0, steps, loss: NaN };
  let release: (() => void) | null = null;
  let arrived: (() => void) | null = null;
  let tick = new Promise<void>((r) => (arrived = r));
  let finished = false;
  let stopped = false;
  const run = trainCell(cell, data, {
    settings: s,
    maxSteps: input.maxSteps,
    onStep: (step, loss) => {
      if (stopped) throw new Error('cancelled');
      progress = { cell, step, steps, loss };
      if (step % STEPS_PER_YIELD !== 0) return;
      return new Promise<void>((r) => {
        release = r;
        arrived?.();
      });
    },
  }).finally(() => {
    finished = true;
    arrived?.();
  });
  run.catch(() => {}); // awaited below; this only keeps an early rejection from being reported as unhandled
  try {
    yield { fraction: 0, partial: progress };
    while (!finished) {
      await tick;
      tick = new Promise<void>((r) => (arrived = r));
      if (finished) break;
      yield { fraction: progress.step / steps, partial: progress };
      const go = release as (() => void) | null;
      release = null;
      go?.();
    }
    const r = await run;
    return { cell, validationAccuracy: r.validationAccuracy, testAccuracy: r.testAccuracy, trainSeconds: r.trainSeconds };
  } finally {
    // Cancelled mid-run: the next onStep throws, so trainCell stops and disposes its model.
    stopped = true;
    (release as (() => void) | null)?.();
    await run.catch(() => {});
  }
}
