import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { accuracy } from '../runtime/models/classify';
import { JobError } from '../runtime/jobs/protocol';
import { fileFetch } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { evaluate, type EvaluationProgress, type EvaluationResult } from './evaluate';

// The evaluation job on the real shipped CNN and real shards (public/), driven as the worker drives it.
const fetchFn = fileFetch('public');
const COUNT = 600;

beforeAll(() => useNodeBackend('wasm'));

async function drain(count: number, model = 'cnn') {
  const steps: { fraction: number; partial?: EvaluationProgress }[] = [];
  const gen = evaluate({ model, count }, { signal: new AbortController().signal }, fetchFn);
  for (;;) {
    const r = await gen.next();
    if (r.done) return { steps, result: r.value as EvaluationResult };
    steps.push(r.value);
  }
}

describe('evaluate (the job behind "Evaluate on all 10,000 test digits")', () => {
  it('scores the first digits chunk by chunk, filling the confusion matrix, and agrees with accuracy()', async () => {
    const before = tf.memory().numTensors;
    const { steps, result } = await drain(COUNT);
    expect(tf.memory().numTensors).toBe(before); // the model was disposed

    // Progress: from 0 to 1, never backwards, each step's matrix holding exactly the digits done.
    expect(steps[0]).toMatchObject({ fraction: 0, partial: { done: 0, correct: 0, total: COUNT } });
    expect(steps.at(-1)!.fraction).toBe(1);
    expect(steps.length).toBeGreaterThan(2);
    for (let i = 1; i < steps.length; i++) {
      const p = steps[i].partial!;
      expect(steps[i].fraction).toBeGreaterThan(steps[i - 1].fraction);
      expect(p.confusion.reduce((a, b) => a + b, 0)).toBe(p.done);
      expect([0, 11, 22, 33, 44, 55, 66, 77, 88, 99].reduce((a, k) => a + p.confusion[k], 0)).toBe(p.correct);
    }
    // Row sums are the label counts of those digits.
    const test = await loadMnist({ split: 'test', count: COUNT, baseUrl: MNIST_BASE_URL, fetch: fetchFn });
    for (let d = 0; d < 10; d++) {
      const row = result.confusion.subarray(10 * d, 10 * d + 10).reduce((a, b) => a + b, 0);
      expect(row).toBe(test.labels.filter((l) => l === d).length);
    }

    // The same number the training script's scoring gives on the same digits.
    const { model } = await loadModel('cnn', { baseUrl: MODELS_BASE_URL, fetch: fetchFn });
    const ref = await accuracy(model, test);
    model.dispose();
    expect(result).toMatchObject({ done: COUNT, total: COUNT, correct: ref.correct, accuracy: ref.accuracy });
    expect(result.manifest).toEqual({ accuracy: 0.9916, correct: 9916, count: 10000 });
  });

  it('a model of some digits is scored on those digits only', async () => {
    const { result } = await drain(300, 'cnn-0to4');
    expect(result.digits).toEqual([0, 1, 2, 3, 4]);
    expect(result.confusion.length).toBe(25);
    expect(result.total).toBeLessThan(300);
    expect(result.total).toBeGreaterThan(100);
  });

  it('refuses a count it cannot score, with a message for the view (not fatal)', async () => {
    for (const count of [0, 10_001, 2.5, NaN]) {
      const err = await drain(count).catch((e: unknown) => e);
      expect(err, String(count)).toBeInstanceOf(JobError);
      expect((err as JobError).fatal).toBe(false);
      expect((err as JobError).message).toMatch(/between 1 and 10,000/);
    }
  });
});
