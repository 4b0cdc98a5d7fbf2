import { describe, expect, it } from 'vitest';
import { runStatus } from './runStatus';

const o = { measured: (r: { steps: number }) => `loss at step ${r.steps}`, train: 10_000, test: 1000 };

describe('runStatus', () => {
  it('reports the run, "so far" until it has finished', () => {
    const run = { steps: 1200, total: 3000, trainSeconds: 12.345 };
    expect(runStatus(run, { ...o, finished: false, running: true })).toBe('step 1,200 of 3,000 · loss at step 1200 · 12.3 s of training so far');
    expect(runStatus(run, { ...o, finished: true, running: false })).toBe('step 1,200 of 3,000 · loss at step 1200 · 12.3 s of training');
  });

  it('says what it loads while running before the first progress, and nothing when idle', () => {
    expect(runStatus(null, { ...o, finished: false, running: true })).toBe('loading 10,000 training and 1,000 test digits…');
    expect(runStatus(null, { ...o, finished: false, running: false })).toBeUndefined();
  });
});
