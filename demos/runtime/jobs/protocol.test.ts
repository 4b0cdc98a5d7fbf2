import { describe, expect, it } from 'vitest';
import { IDLE, jobReducer, nextChunkSize, parseFromWorker, parseToWorker, workerBackend, type JobEvent, type JobSnapshot } from './protocol';

type S = JobSnapshot<{ n: number }, string>;
const run = (events: JobEvent<{ n: number }, string>[], from: S = IDLE): S => events.reduce(jobReducer, from);
const msg = (message: Parameters<typeof parseFromWorker>[0]) => ({ type: 'message', message }) as JobEvent<{ n: number }, string>;
const req = (action: 'start' | 'pause' | 'resume' | 'cancel') => ({ type: 'request', action }) as const;

describe('message validation', () => {
  it('accepts the page’s messages and refuses anything else', () => {
    expect(parseToWorker({ type: 'start', input: { count: 3 }, backend: 'wasm' })).toEqual({ type: 'start', input: { count: 3 }, backend: 'wasm' });
    expect(parseToWorker({ type: 'start', input: undefined, backend: 'cpu' })).toEqual({ type: 'start', input: undefined, backend: 'cpu' });
    expect(parseToWorker({ type: 'pause', extra: 1 })).toEqual({ type: 'pause' });
    for (const bad of [null, 3, 'pause', {}, { type: 'stop' }, { type: 'start', backend: 'wasm' }, { type: 'start', input: 1, backend: 'gpu' }]) {
      expect(parseToWorker(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('accepts the worker’s messages and refuses malformed ones', () => {
    expect(parseFromWorker({ type: 'started', backend: 'wasm', notes: ['x'] })).toEqual({ type: 'started', backend: 'wasm', notes: ['x'] });
    expect(parseFromWorker({ type: 'progress', fraction: 0.5 })).toEqual({ type: 'progress', fraction: 0.5, partial: null });
    expect(parseFromWorker({ type: 'done', result: 7 })).toEqual({ type: 'done', result: 7 });
    expect(parseFromWorker({ type: 'error', message: 'm', fatal: false })).toEqual({ type: 'error', message: 'm', fatal: false });
    const bad = [
      { type: 'started', backend: 'gpu', notes: [] },
      { type: 'started', backend: 'cpu', notes: [1] },
      { type: 'progress', fraction: 1.5 },
      { type: 'progress', fraction: -0.1 },
      { type: 'progress', fraction: NaN },
      { type: 'progress', fraction: '0.5' },
      { type: 'done' },
      { type: 'error', message: 'm' },
      { type: 'bye' },
      undefined,
    ];
    for (const b of bad) expect(parseFromWorker(b), JSON.stringify(b)).toBeNull();
  });
});

describe('the page’s state machine', () => {
  it('idle → running → paused → running → done, with the worker confirming each change', () => {
    let s = run([req('start')]);
    expect(s.state).toBe('running');
    s = run([msg({ type: 'started', backend: 'wasm', notes: [] }), msg({ type: 'progress', fraction: 0.25, partial: { n: 1 } })], s);
    expect(s).toMatchObject({ state: 'running', backend: 'wasm', progress: 0.25, partial: { n: 1 } });
    s = run([req('pause')], s);
    expect(s).toMatchObject({ state: 'running', pending: 'pause' }); // asked, not yet confirmed
    s = run([msg({ type: 'progress', fraction: 0.3, partial: { n: 2 } }), msg({ type: 'paused' })], s);
    expect(s).toMatchObject({ state: 'paused', pending: null, progress: 0.3, partial: { n: 2 } });
    s = run([req('resume'), msg({ type: 'resumed' }), msg({ type: 'progress', fraction: 0.9 })], s);
    expect(s).toMatchObject({ state: 'running', pending: null, progress: 0.9, partial: { n: 2 } }); // no partial: keep the last
    s = run([msg({ type: 'done', result: 'R' })], s);
    expect(s).toMatchObject({ state: 'done', progress: 1, result: 'R', backend: 'wasm' });
  });

  it('ignores requests that make no sense and messages after the end', () => {
    expect(run([req('pause')])).toBe(IDLE);
    expect(run([req('resume')])).toBe(IDLE);
    expect(run([req('cancel')])).toBe(IDLE);
    const running = run([req('start')]);
    expect(run([req('start')], running)).toBe(running);
    expect(run([req('resume')], running)).toBe(running);
    const pausing = run([req('pause')], running);
    expect(run([req('pause')], pausing)).toBe(pausing);
    const done = run([msg({ type: 'done', result: 'R' })], running);
    expect(run([msg({ type: 'progress', fraction: 0.1 }), msg({ type: 'error', message: 'late', fatal: true }), { type: 'crash', message: 'x' }], done)).toBe(done);
  });

  it('cancel: pending until the worker stops, or until the page kills it', () => {
    const paused = run([req('start'), req('pause'), msg({ type: 'paused' })]);
    const cancelling = run([req('cancel')], paused);
    expect(cancelling).toMatchObject({ state: 'paused', pending: 'cancel' });
    expect(run([req('resume')], cancelling)).toBe(cancelling);
    expect(run([msg({ type: 'cancelled' })], cancelling).state).toBe('cancelled');
    expect(run([{ type: 'killed' }], cancelling)).toMatchObject({ state: 'cancelled', pending: null });
  });

  it('errors: the job’s own (shown in the view) and a crash (fatal); a new start clears them', () => {
    const running = run([req('start'), msg({ type: 'started', backend: 'cpu', notes: ['wasm unavailable'] })]);
    expect(run([msg({ type: 'error', message: 'bad count', fatal: false })], running)).toMatchObject({ state: 'error', error: 'bad count', fatal: false });
    const crashed = run([{ type: 'crash', message: 'script did not load' }], running);
    expect(crashed).toMatchObject({ state: 'error', error: 'script did not load', fatal: true });
    expect(run([req('start')], crashed)).toEqual({ ...IDLE, state: 'running' });
  });
});

describe('workerBackend', () => {
  it('runs a worker on wasm unless the page runs cpu', () => {
    expect(workerBackend('webgl')).toBe('wasm');
    expect(workerBackend('wasm')).toBe('wasm');
    expect(workerBackend('cpu')).toBe('cpu');
  });
});

describe('nextChunkSize', () => {
  it('scales the chunk towards the target time, at most 4× per chunk, within bounds', () => {
    expect(nextChunkSize(100, 50)).toBe(200); // half the target: twice as much
    expect(nextChunkSize(100, 200)).toBe(50);
    expect(nextChunkSize(100, 1)).toBe(400); // capped growth
    expect(nextChunkSize(100, 0)).toBe(400);
    expect(nextChunkSize(100, 10_000)).toBe(25); // capped shrink
    expect(nextChunkSize(100, 10_000, { min: 40 })).toBe(40);
    expect(nextChunkSize(100, 1, { max: 250 })).toBe(250);
    expect(nextChunkSize(3, 300, { targetMs: 100 })).toBe(1);
  });
});
