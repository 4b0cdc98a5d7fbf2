import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { initBackend, tf } from '../tf';
import { JobClient, type WorkerLike } from './client';
import { JobError, type JobSnapshot } from './protocol';
import { serveJob, type Job } from './worker';

// The page side (JobClient) and the worker side (serveJob) joined by a real MessageChannel, with real tfjs on
// cpu: the same code and the same structured-clone messages as a page and its Web Worker.

interface Harness<P, R> {
  client: JobClient<unknown, P, R>;
  /** Every snapshot the client reported, in order. */
  seen: JobSnapshot<P, R>[];
  /** Resolves with the first snapshot (from now on, or the current one) that satisfies `pred`. */
  until: (pred: (s: JobSnapshot<P, R>) => boolean) => Promise<JobSnapshot<P, R>>;
  /** Workers created, and whether each was terminated. */
  workers: { terminated: boolean }[];
}

function harness<P, R>(job: Job<never, P, R>, cancelTimeoutMs = 3000): Harness<P, R> {
  const seen: JobSnapshot<P, R>[] = [];
  const waiters: { pred: (s: JobSnapshot<P, R>) => boolean; resolve: (s: JobSnapshot<P, R>) => void }[] = [];
  const workers: { terminated: boolean }[] = [];
  const create = (): WorkerLike => {
    const { port1, port2 } = new MessageChannel();
    // The worker side shares this process, so terminate() cannot kill it as it kills a Web Worker: it tells the
    // job to stop at its next chunk instead (as a cancel would). Left running, a job would go on making tensors
    // after the test, under the tensor counts of whatever test runs next in this process.
    const inside: ((e: MessageEvent) => void)[] = [];
    serveJob(job, {
      postMessage: (m) => port2.postMessage(m),
      addEventListener: (type, f) => (inside.push(f), port2.addEventListener(type, f as never)),
      start: () => port2.start(),
    });
    const record = { terminated: false };
    workers.push(record);
    const page = port1 as unknown as WorkerLike & { start(): void; close(): void };
    page.start();
    return {
      postMessage: (m) => page.postMessage(m),
      addEventListener: (type, f) => page.addEventListener(type, f),
      terminate: () => {
        record.terminated = true;
        page.close();
        for (const f of inside) f(new MessageEvent('message', { data: { type: 'cancel' } }));
      },
    };
  };
  const client = new JobClient<unknown, P, R>(create, (s) => {
    seen.push(s);
    for (const w of [...waiters]) if (w.pred(s)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(s));
  }, { cancelTimeoutMs });
  const until = (pred: (s: JobSnapshot<P, R>) => boolean) =>
    pred(client.snapshot) ? Promise.resolve(client.snapshot) : new Promise<JobSnapshot<P, R>>((resolve) => waiters.push({ pred, resolve }));
  return { client, seen, until, workers };
}

/** Lets the event loop turn `n` times (messages in flight get delivered). */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
};

/**
 * A job that sums `chunks` ones into a variable, leaving a tensor behind every chunk and never disposing the
 * variable: the runner must free both. `finallyRan` tells whether its cleanup ran.
 */
function summing(chunks: number) {
  const probe = { finallyRan: false };
  const job: Job<never, { i: number }, number> = async function* (_input, _ctx) {
    const total = tf.variable(tf.zeros([1]));
    try {
      for (let i = 0; i < chunks; i++) {
        total.assign(total.add(tf.ones([1])));
        await total.data();
        yield { fraction: (i + 1) / chunks, partial: { i } };
      }
      return (await total.data())[0];
    } finally {
      probe.finallyRan = true;
    }
  };
  return { job, probe };
}

describe('a job through the protocol', () => {
  beforeAll(() => initBackend('cpu')); // the page's tfjs, for counting tensors (the jobs start the same one)

  it('runs to done on the page’s choice of cpu, streaming partial results, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const { job, probe } = summing(5);
    const h = harness(job);
    h.client.start(undefined as never, 'cpu');
    const done = await h.until((s) => s.state === 'done');
    expect(done.result).toBe(5);
    expect(done.backend).toBe('cpu');
    expect(done.progress).toBe(1);
    const progress = h.seen.filter((s) => s.state === 'running' && s.partial).map((s) => [s.progress, s.partial!.i]);
    expect(progress).toEqual([[0.2, 0], [0.4, 1], [0.6, 2], [0.8, 3], [1, 4]]);
    expect(probe.finallyRan).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(h.workers).toEqual([{ terminated: true }]);
  });

  it('pause stops between chunks until resume; the run then completes with the same result', async () => {
    const { job } = summing(40);
    const h = harness(job);
    h.client.start(undefined as never, 'cpu');
    await h.until((s) => s.progress > 0);
    h.client.pause();
    const paused = await h.until((s) => s.state === 'paused');
    expect(paused.pending).toBeNull();
    expect(paused.progress).toBeLessThan(1);
    const count = h.seen.length;
    await turns(20);
    expect(h.seen.length).toBe(count); // nothing moved while paused
    expect(h.client.snapshot.progress).toBe(paused.progress);
    h.client.resume();
    const done = await h.until((s) => s.state === 'done');
    expect(done.result).toBe(40);
  });

  it('cancel stops at the next chunk, runs the job’s finally blocks, frees its tensors and ends the worker', async () => {
    const before = tf.memory().numTensors;
    const { job, probe } = summing(1000);
    const h = harness(job);
    h.client.start(undefined as never, 'cpu');
    await h.until((s) => s.progress >= 0.005);
    h.client.cancel();
    expect(h.client.snapshot.pending).toBe('cancel');
    const end = await h.until((s) => s.state === 'cancelled');
    expect(end.progress).toBeLessThan(0.5);
    await turns(5); // the worker side finishes its cleanup after posting
    expect(probe.finallyRan).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(h.workers).toEqual([{ terminated: true }]);

    // Start again: a new worker, from zero.
    h.client.start(undefined as never, 'cpu');
    expect(h.client.snapshot).toMatchObject({ state: 'running', progress: 0, partial: null });
    await h.until((s) => s.progress > 0);
    h.client.cancel();
    await h.until((s) => s.state === 'cancelled');
    expect(h.workers).toEqual([{ terminated: true }, { terminated: true }]);
  });

  it('cancel while paused, and cancel during a download (an aborted fetch is the cancel, not an error)', async () => {
    const { job } = summing(1000);
    const h = harness(job);
    h.client.start(undefined as never, 'cpu');
    await h.until((s) => s.progress > 0);
    h.client.pause();
    await h.until((s) => s.state === 'paused');
    h.client.cancel();
    expect((await h.until((s) => s.state !== 'paused')).state).toBe('cancelled');

    const download: Job<never, never, string> = async function* (_input, ctx) {
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('The operation was aborted'))));
      return 'never';
    };
    const d = harness(download);
    d.client.start(undefined as never, 'cpu');
    await d.until((s) => s.backend !== null);
    d.client.cancel();
    expect((await d.until((s) => s.state !== 'running')).state).toBe('cancelled');
  });

  it('errors: a JobError is the view’s to show; anything else is fatal; both free the job’s tensors', async () => {
    const before = tf.memory().numTensors;
    const failing = (e: Error): Job<never, never, never> =>
      async function* () {
        tf.ones([3]);
        yield { fraction: 0.5 };
        throw e;
      };
    const soft = harness(failing(new JobError('Ask for at most 10,000 digits')));
    soft.client.start(undefined as never, 'cpu');
    expect(await soft.until((s) => s.state === 'error')).toMatchObject({ error: 'Ask for at most 10,000 digits', fatal: false, progress: 0.5 });
    const hard = harness(failing(new TypeError('x is undefined')));
    hard.client.start(undefined as never, 'cpu');
    expect(await hard.until((s) => s.state === 'error')).toMatchObject({ error: 'x is undefined', fatal: true });
    await turns(5);
    expect(tf.memory().numTensors).toBe(before);
    expect([...soft.workers, ...hard.workers]).toEqual([{ terminated: true }, { terminated: true }]);
  });

  it('a job that reports nonsense progress or an uncloneable partial fails with a clear, fatal message', async () => {
    const nonsense: Job<never, never, number> = async function* () {
      yield { fraction: 2 };
      return 1;
    };
    const h = harness(nonsense);
    h.client.start(undefined as never, 'cpu');
    expect(await h.until((s) => s.state === 'error')).toMatchObject({ fatal: true, error: expect.stringMatching(/progress 2/) });

    const uncloneable: Job<never, () => void, number> = async function* () {
      yield { fraction: 0.5, partial: () => {} };
      return 1;
    };
    const u = harness(uncloneable);
    u.client.start(undefined as never, 'cpu');
    expect(await u.until((s) => s.state === 'error')).toMatchObject({ fatal: true, error: expect.stringMatching(/clone/i) });
  });

  it('after dispose (the view unmounted) the worker is terminated and nothing more is reported', async () => {
    const { job, probe } = summing(1000);
    const h = harness(job);
    const before = tf.memory().numTensors;
    h.client.start(undefined as never, 'cpu');
    await h.until((s) => s.progress > 0);
    h.client.dispose();
    const n = h.seen.length;
    expect(h.workers).toEqual([{ terminated: true }]);
    await turns(10);
    expect(h.seen.length).toBe(n);
    h.client.start(undefined as never, 'cpu'); // ignored once disposed
    expect(h.workers.length).toBe(1);
    // The job itself stopped (the harness's terminate), freeing what it made, instead of running on in this process.
    await vi.waitFor(() => expect(probe.finallyRan).toBe(true));
    expect(tf.memory().numTensors).toBe(before);
  });
  // Last: its worker side stays stuck in the chunk (in a real worker, terminate() ends it).
  it('a chunk that never ends: cancel terminates the worker after its timeout', async () => {
    const stuck: Job<never, never, string> = async function* () {
      await new Promise(() => {});
      return 'never';
    };
    const h = harness(stuck, 50);
    h.client.start(undefined as never, 'cpu');
    await h.until((s) => s.backend !== null);
    h.client.cancel();
    expect((await h.until((s) => s.state !== 'running')).state).toBe('cancelled');
    expect(h.workers).toEqual([{ terminated: true }]);
  });
});
