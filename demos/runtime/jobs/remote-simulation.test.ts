import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { initBackend, tf } from '../tf';
import type { Simulation } from '../simulation';
import { parseSimFromWorker, parseSimToWorker, RemoteSimulations, SimulationProblem, type SimWorkerLike } from './remote-simulation';
import { serveSimulation, type SimulationSetup } from './simulation-worker';

// The page side (RemoteSimulations) and the worker side (serveSimulation) joined by a real MessageChannel, with
// real tfjs on cpu: the same code and the same structured-clone messages as a page and its Web Worker.

interface Frame {
  total: number;
  steps: number;
  series: Float32Array;
}

/** A model that adds `rate` to a variable per step, leaving no tensor behind; `rate` < 0 is refused, NaN fails a step. */
const counter = (log: string[]): SimulationSetup<{ rate: number }, Frame> => async ({ backend }) => {
  log.push(`setup on ${backend}`);
  return ({ rate }): Simulation<Frame> => {
    if (rate < 0) throw new Error(`rate must be ≥ 0, got ${rate}`);
    const total = tf.tidy(() => tf.variable(tf.scalar(0))); // tidy frees the initial value, the variable stays
    let steps = 0;
    return {
      async step(k) {
        if (Number.isNaN(rate)) throw new Error('the step failed');
        for (let i = 0; i < k; i++) tf.tidy(() => total.assign(total.add(rate)));
        steps += k;
        const t = (await total.data())[0];
        return { total: t, steps, series: Float32Array.from({ length: steps }, (_, i) => i) };
      },
      dispose: () => total.dispose(),
    };
  };
};

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

function connect(setup: SimulationSetup<{ rate: number }, Frame>) {
  const seen = { started: [] as string[], tensors: [] as number[], fatal: [] as string[], workers: [] as boolean[], made: 0 };
  const create = (): SimWorkerLike => {
    seen.made++;
    const { port1, port2 } = new MessageChannel();
    const stop = serveSimulation(setup, {
      postMessage: (m) => port2.postMessage(m),
      addEventListener: (type, f) => port2.addEventListener(type, f as never),
      start: () => port2.start(),
    });
    stops.push(stop);
    const page = port1 as unknown as SimWorkerLike & { start(): void; close(): void };
    page.start();
    return {
      postMessage: (m) => page.postMessage(m),
      addEventListener: (type, f) => page.addEventListener(type, f),
      // No worker to kill in one process: stop the server (it frees its models), as terminate would.
      terminate: () => (page.close(), void stop()),
    };
  };
  const remote = new RemoteSimulations<{ rate: number }, Frame>(create, () => 'cpu', {
    started: (s) => seen.started.push(`${s.backend}: ${s.detail}`),
    tensors: (n) => seen.tensors.push(n),
    fatal: (m) => seen.fatal.push(m),
    worker: (live) => seen.workers.push(live),
  });
  return { remote, seen };
}

describe('a simulation in a worker, through its messages', () => {
  beforeAll(() => initBackend('cpu'));

  it('steps a model in the worker and returns its frames, typed arrays included; disposing frees its tensors', async () => {
    const log: string[] = [];
    const { remote, seen } = connect(counter(log));
    const before = tf.memory().numTensors;
    const sim = remote.create({ rate: 0.5 });
    expect((await sim.step(0)).total).toBe(0);
    const f = await sim.step(3);
    expect(f.total).toBe(1.5);
    expect(f.steps).toBe(3);
    expect(f.series).toBeInstanceOf(Float32Array);
    expect([...f.series]).toEqual([0, 1, 2]);
    expect(seen.started).toEqual(['cpu: cpu: plain JavaScript, in a Web Worker']);
    expect(log).toEqual(['setup on cpu']);
    // The model's variable lives while it does: one tensor more in the (shared) engine, reported after each step.
    expect(seen.tensors.at(-1)).toBe(before + 1);
    sim.dispose();
    await expect.poll(() => seen.tensors.length).toBe(3);
    expect(seen.tensors.at(-1)).toBe(before);
    expect(tf.memory().numTensors).toBe(before);
    remote.close();
    expect(seen.workers).toEqual([true, false]);
  });

  it('keeps one worker for a view’s models: setup runs once, and models created one after another do not mix', async () => {
    const log: string[] = [];
    const { remote, seen } = connect(counter(log));
    const a = remote.create({ rate: 1 });
    const b = remote.create({ rate: 2 });
    const [fa, fb] = await Promise.all([a.step(2), b.step(2)]);
    expect([fa.total, fb.total]).toEqual([2, 4]);
    a.dispose();
    expect((await b.step(1)).total).toBe(6);
    await expect(a.step(1)).rejects.toThrow('step after dispose');
    b.dispose();
    expect(log).toEqual(['setup on cpu']);
    expect(seen.made).toBe(1);
    remote.close();
  });

  it('a model that refuses its parameters rejects its steps with a SimulationProblem, and the worker carries on', async () => {
    const { remote, seen } = connect(counter([]));
    const bad = remote.create({ rate: -1 });
    const err = await bad.step(0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimulationProblem);
    expect((err as Error).message).toBe('rate must be ≥ 0, got -1');
    bad.dispose();
    const good = remote.create({ rate: 1 });
    expect((await good.step(1)).total).toBe(1);
    good.dispose();
    expect(seen.fatal).toEqual([]);
    remote.close();
  });

  it('a step that throws is fatal: reported once, waiting and later steps reject, the worker is terminated', async () => {
    const { remote, seen } = connect(counter([]));
    const sim = remote.create({ rate: NaN });
    await expect(sim.step(1)).rejects.toThrow('the step failed');
    expect(seen.fatal).toEqual(['the step failed']);
    expect(seen.workers).toEqual([true, false]);
    await expect(sim.step(1)).rejects.toThrow('the step failed');
    expect(seen.made).toBe(1);
  });

  it('close rejects what waits, and disposing a model afterwards starts no worker', async () => {
    const { remote, seen } = connect(counter([]));
    const before = tf.memory().numTensors;
    const sim = remote.create({ rate: 1 });
    await sim.step(1);
    const waiting = sim.step(1_000);
    remote.close();
    await expect(waiting).rejects.toThrow('the demo was closed');
    sim.dispose();
    expect(seen.made).toBe(1);
    expect(seen.workers).toEqual([true, false]); // terminated, and no second worker
    await Promise.all(stops.splice(0).map((s) => s())); // the stand-in's terminate has freed the model
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a worker that cannot be created fails the demo with that reason', async () => {
    const fatal: string[] = [];
    const remote = new RemoteSimulations<{ rate: number }, Frame>(() => { throw new Error('no workers here'); }, () => 'wasm', { fatal: (m) => fatal.push(m) });
    await expect(remote.create({ rate: 1 }).step(0)).rejects.toThrow("The demo's worker could not be created: no workers here");
    expect(fatal).toEqual(["The demo's worker could not be created: no workers here"]);
  });

  it('checks every message both ways', () => {
    expect(parseSimToWorker({ type: 'step', id: 1, k: 2 })).toEqual({ type: 'step', id: 1, k: 2 });
    expect(parseSimToWorker({ type: 'step', id: 0, k: 2 })).toBeNull();
    expect(parseSimToWorker({ type: 'step', id: 1, k: -1 })).toBeNull();
    expect(parseSimToWorker({ type: 'start', backend: 'metal' })).toBeNull();
    expect(parseSimToWorker({ type: 'create', id: 3 })).toBeNull();
    expect(parseSimToWorker('step')).toBeNull();
    expect(parseSimFromWorker({ type: 'frame', id: 1, frame: null, tensors: 4 })).toEqual({ type: 'frame', id: 1, frame: null, tensors: 4 });
    expect(parseSimFromWorker({ type: 'frame', id: 1, tensors: 4 })).toBeNull();
    expect(parseSimFromWorker({ type: 'started', backend: 'wasm', detail: 'x', notes: [1] })).toBeNull();
    expect(parseSimFromWorker({ type: 'disposed', id: 2, tensors: 1.5 })).toBeNull();
    expect(parseSimFromWorker({ type: 'error' })).toBeNull();
  });
});
