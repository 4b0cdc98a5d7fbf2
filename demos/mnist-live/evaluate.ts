/**
 * "Evaluate on all 10,000 test digits": the shipped network scored on the MNIST test set, as a job for a Web
 * Worker (./evaluate.worker.ts). It loads the model and the shards the way the page does (loadModel, loadMnist)
 * and scores them the way the training script did (predictClasses, behind `accuracy`), so the number it ends
 * with is the manifest's. Pure: no React, no DOM; runs in Node too (pass a file-backed fetch).
 */
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { predictClasses, selectDigits, tally } from '../runtime/models/classify';
import { JobError, nextChunkSize, type JobProgress } from '../runtime/jobs/protocol';
import type { JobContext } from '../runtime/jobs/worker';
import { formatInt } from '../runtime/format';

/** The published test digits. */
export const TEST_DIGITS = 10_000;

export interface EvaluationInput {
  /** The shipped model (public/models/<model>/). */
  model: string;
  /** The first `count` test digits, 1…10,000. */
  count: number;
}

/** What the view draws while the evaluation runs. */
export interface EvaluationProgress {
  /** Digits scored so far, of `total`. */
  done: number;
  total: number;
  correct: number;
  /** The classes' digits (the matrix's row and column labels). */
  digits: number[];
  /** Row-major digits × digits counts: row = the true digit, column = the network's answer. */
  confusion: Uint32Array;
}

export interface EvaluationResult extends EvaluationProgress {
  /** correct / total. */
  accuracy: number;
  /** The training script's score on the test set, from the model's manifest. */
  manifest: { accuracy: number; correct: number; count: number };
  /** Seconds spent scoring (after loading). */
  seconds: number;
}

/** Digits per chunk: the first is small (progress shows at once), then sized to ~100 ms of work. */
const FIRST_CHUNK = 50;
const CHUNK = { targetMs: 100, min: 10, max: 1000 };

/** The job: yields after every chunk of digits, returns the accuracy beside the manifest's. */
export async function* evaluate(
  input: EvaluationInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<EvaluationProgress>, EvaluationResult, undefined> {
  const { model: name, count } = input;
  if (!Number.isInteger(count) || count < 1 || count > TEST_DIGITS) {
    throw new JobError(`Choose between 1 and ${formatInt(TEST_DIGITS)} test digits (got ${count}).`);
  }
  const [{ model, manifest }, test] = await Promise.all([
    loadModel(name, { baseUrl: MODELS_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    loadMnist({ split: 'test', count, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
  ]);
  try {
    const data = selectDigits(test, manifest.digits); // a model of some digits is scored on those (as the script does)
    const classes = manifest.digits.length;
    const confusion = new Uint32Array(classes * classes);
    let done = 0;
    let correct = 0;
    const now = (): EvaluationProgress => ({ done, total: data.count, correct, digits: manifest.digits, confusion: confusion.slice() });
    yield { fraction: 0, partial: now() };
    const t0 = performance.now();
    for (let size = FIRST_CHUNK; done < data.count; ) {
      const end = Math.min(done + size, data.count);
      const t = performance.now();
      correct += tally(confusion, classes, data.labels.subarray(done, end), await predictClasses(model, data, done, end));
      size = nextChunkSize(end - done, performance.now() - t, CHUNK);
      done = end;
      yield { fraction: done / data.count, partial: now() };
    }
    return {
      ...now(),
      accuracy: data.count === 0 ? 0 : correct / data.count,
      manifest: { accuracy: manifest.test.accuracy, correct: manifest.test.correct, count: manifest.test.count },
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    model.dispose();
  }
}
