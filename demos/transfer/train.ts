/**
 * The transfer-learning race as a job for a Web Worker (./train.worker.ts): loads the shipped `cnn-0to4` and the
 * digits as the page does, trains the seven networks of ./model.ts in lockstep and yields their test accuracy
 * after every measurement. Pure: no React, no DOM; runs in Node with a file-backed fetch (the unit tests and
 * `npm run reproduce -- transfer` use the same run).
 */
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { JobError, type JobProgress } from '../runtime/jobs/protocol';
import type { JobContext } from '../runtime/jobs/worker';
import { baseWeights, createTransferRun, DEFAULT_CONFIG, NETS, type TransferConfig } from './model';

/** The digits the page draws from: the k-shot pool (first training digits) and the test set (first test digits). */
export const PAGE_DATA = { train: 5000, test: 1000 } as const;
/** The largest k the pool allows comfortably (its rarest class 5 has 434 digits). */
export const MAX_K = 100;

export interface TrainInput {
  k: number;
  seed: number;
  /** Overrides of the run's defaults (steps, batch, rate, measurement interval). */
  config?: Partial<Omit<TransferConfig, 'k' | 'seed'>>;
  /** Digits loaded; default {@link PAGE_DATA}. */
  data?: { train: number; test: number };
}

/** The curves so far: accuracy of network j at measurement i is accuracy[i·NETS.length + j]. */
export interface TrainProgress {
  k: number;
  seed: number;
  steps: number[];
  accuracy: Float32Array;
  total: number;
  testCount: number;
  trainCount: number;
  /** Seconds of training and measuring so far (loading excluded). */
  seconds: number;
}

/** Accuracy of network j along the run. */
export function curveOf(p: TrainProgress, j: number): number[] {
  const N = NETS.length;
  return p.steps.map((_, i) => p.accuracy[i * N + j]);
}

/** Accuracy of each network at the latest measurement (empty before the first). */
export function latest(p: TrainProgress): Float32Array {
  const N = NETS.length;
  return p.steps.length === 0 ? new Float32Array(0) : p.accuracy.slice((p.steps.length - 1) * N, p.steps.length * N);
}

export async function* train(
  input: TrainInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<TrainProgress>, TrainProgress, undefined> {
  const { k, seed } = input;
  if (!(Number.isInteger(k) && k >= 1 && k <= MAX_K)) throw new JobError(`Choose 1 to ${MAX_K} examples per class (got ${k}).`);
  if (!(Number.isInteger(seed) && seed >= 1)) throw new JobError(`The seed must be a whole number ≥ 1 (got ${seed}).`);
  const data = input.data ?? PAGE_DATA;
  const [trainSet, testSet, base] = await Promise.all([
    loadMnist({ split: 'train', count: data.train, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    loadMnist({ split: 'test', count: data.test, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    loadModel('cnn-0to4', { baseUrl: MODELS_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
  ]);
  let weights;
  try {
    weights = baseWeights(base.model);
  } finally {
    base.model.dispose();
  }
  const run = createTransferRun({ ...DEFAULT_CONFIG, ...input.config, k, seed }, { base: weights, train: trainSet, test: testSet });
  const t0 = Date.now();
  const steps: number[] = [];
  const acc: number[] = [];
  const now = (f: { testCount: number; trainCount: number }): TrainProgress => ({
    k,
    seed,
    steps: steps.slice(),
    accuracy: Float32Array.from(acc),
    total: run.config.total,
    testCount: f.testCount,
    trainCount: f.trainCount,
    seconds: (Date.now() - t0) / 1000,
  });
  try {
    let f = await run.step(0);
    steps.push(f.steps);
    acc.push(...f.accuracy);
    yield { fraction: 0, partial: now(f) };
    while (f.steps < run.config.total) {
      f = await run.step(run.config.every);
      steps.push(f.steps);
      acc.push(...f.accuracy);
      yield { fraction: f.steps / run.config.total, partial: now(f) };
    }
    return now(f);
  } finally {
    run.dispose();
  }
}
