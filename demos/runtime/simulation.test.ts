import { describe, expect, it } from 'vitest';
import { History, Series, StepPacer } from './simulation';

describe('Series', () => {
  it('grows past its first buffer, keeps every value in order, and views are fresh objects', () => {
    const s = new Series();
    for (let i = 0; i < 1000; i++) s.push(i, -i);
    expect(s.length).toBe(2000);
    const v = s.values();
    expect(v[0]).toBe(0);
    expect(v[1999]).toBe(-999);
    expect(v[1998]).toBe(999);
    expect(s.values()).not.toBe(v); // a new view each call: a prop change React can see
    expect(s.last()).toBe(-999);
    expect(s.last(1)).toBe(999);
    expect(s.last(2000)).toBeNaN();
  });

  it('holds a million values (no spread into Math.min/max anywhere) and clears to empty', () => {
    const s = new Series();
    for (let i = 0; i < 1_000_000; i++) s.push(i);
    expect(s.values().length).toBe(1_000_000);
    expect(s.values()[999_999]).toBe(999_999);
    s.clear();
    expect(s.length).toBe(0);
    expect(s.last()).toBeNaN();
  });
});

describe('History', () => {
  it('makes series on first use and clears all of them', () => {
    const h = new History();
    h.push('a', 1, 2);
    h.push('b', 3);
    expect(Array.from(h.values('a'))).toEqual([1, 2]);
    expect(Array.from(h.values('b'))).toEqual([3]);
    expect(h.values('never').length).toBe(0);
    h.clear();
    expect(h.values('a').length).toBe(0);
    expect(h.values('b').length).toBe(0);
  });
});

describe('StepPacer', () => {
  it('sizes frames to the time target from the measured cost per step', () => {
    const p = new StepPacer({ targetMs: 8, initial: 1 });
    expect(p.next()).toBe(1);
    // 0.5 ms per step: 16 would fit, but growth is at most ×2 per frame.
    p.record(1, 0.5);
    expect(p.next()).toBe(2);
    p.record(2, 1);
    expect(p.next()).toBe(4);
    for (let i = 0; i < 10; i++) p.record(p.next(), 0.5 * p.next());
    expect(p.next()).toBe(16);
  });

  it('shrinks at once after a slow frame, and never below min or above max', () => {
    const p = new StepPacer({ targetMs: 8, initial: 64, max: 100 });
    p.record(64, 64); // 1 ms per step: 8 fit
    expect(p.next()).toBe(8);
    p.record(8, 400); // a 400 ms frame: 50 ms per step, less than one fits
    expect(p.next()).toBe(1);
    const q = new StepPacer({ targetMs: 8, initial: 5, max: 10 });
    for (let i = 0; i < 20; i++) q.record(q.next(), 0.01);
    expect(q.next()).toBe(10);
  });

  it('starts again from min steps on resume, and grows back to the measured pace', () => {
    const p = new StepPacer({ targetMs: 8, initial: 2, max: 1000 });
    for (let i = 0; i < 12; i++) p.record(p.next(), 0.1 * p.next()); // 0.1 ms per step: 80 fit in 8 ms
    expect(p.next()).toBe(80);
    p.resume();
    expect(p.next()).toBe(1);
    p.record(1, 2); // a cold first frame after the pause: 2 ms per step
    expect(p.next()).toBe(2);
    for (let i = 0; i < 30; i++) p.record(p.next(), 0.1 * p.next()); // the moving average forgets the cold frame
    expect(p.next()).toBeGreaterThanOrEqual(75);
    expect(p.next()).toBeLessThanOrEqual(80);
    const fixed = new StepPacer({ initial: 7, max: 7 }); // a speed control: min … its steps per frame
    fixed.resume();
    expect(fixed.next()).toBe(1);
    for (let i = 0; i < 4; i++) fixed.record(fixed.next(), 0.1);
    expect(fixed.next()).toBe(7);
  });

  it('shrinks its budget when a display frame misses a vsync, and wins it back fast, then slowly near the last miss', () => {
    const p = new StepPacer({ targetMs: 8, initial: 1, max: 1000 });
    for (let i = 0; i < 12; i++) p.record(p.next(), 0.1 * p.next()); // 0.1 ms per step: 80 fit in 8 ms
    expect(p.next()).toBe(80);
    p.frame(16.7);
    expect(p.budget()).toBe(8); // smooth, already at the target
    p.frame(33.4); // missed a vsync
    expect(p.budget()).toBeCloseTo(5.6, 10);
    expect(p.next()).toBe(56); // cut at once, before the next record
    p.frame(50);
    expect(p.budget()).toBeCloseTo(3.92, 10);
    p.record(p.next(), 0.1 * p.next());
    expect(p.next()).toBe(39);
    for (let i = 0; i < 10; i++) p.frame(16.7);
    expect(p.budget()).toBeCloseTo(3.92 + 10 * 0.16, 10); // 1/50 of the target per smooth frame, far below the burst's 8 ms
    for (let i = 0; i < 1000; i++) p.frame(16.7);
    expect(p.budget()).toBe(8);
    // A lone miss at the target, after many smooth frames: 10 fast frames back to 0.9 × 8 ms, then 1/500 a frame.
    p.frame(33.4);
    expect(p.budget()).toBeCloseTo(5.6, 10);
    for (let i = 0; i < 10; i++) p.frame(16.7);
    expect(p.budget()).toBeCloseTo(7.2, 10);
    for (let i = 0; i < 25; i++) p.frame(16.7);
    expect(p.budget()).toBeCloseTo(7.6, 10);
  });

  it('keeps misses rare on a device whose frames miss whenever the work is over 6 ms', () => {
    const p = new StepPacer({ targetMs: 8 });
    let misses = 0;
    let work = 0;
    const n = 6000;
    for (let i = 0; i < n; i++) {
      const miss = p.budget() > 6;
      misses += miss ? 1 : 0;
      work += p.budget();
      p.frame(miss ? 33.4 : 16.7);
    }
    expect(misses / n).toBeLessThan(0.025); // p95 of frame times stays one vsync
    expect(work / n).toBeGreaterThan(5); // while most of the 6 ms is used
    expect(p.stride()).toBe(1); // stepping, not drawing, was too much: every frame is still drawn
  });

  it('takes the display’s interval from the shortest frame seen (a 120 Hz screen halves it)', () => {
    const p = new StepPacer({ targetMs: 8 });
    p.frame(16.7);
    expect(p.budget()).toBe(8);
    p.frame(8.3);
    p.frame(16.7); // two 120 Hz vsyncs: a missed one
    expect(p.budget()).toBeCloseTo(5.6, 10);
    p.frame(0);
    p.frame(NaN);
    expect(p.budget()).toBeCloseTo(5.6, 10);
  });

  it('draws every frame until frames still miss with the work at half its target or less; then every 2nd, 3rd, 4th; and back', () => {
    const p = new StepPacer({ targetMs: 8 });
    const drawn = (n: number) => Array.from({ length: n }, () => p.draw()).filter(Boolean).length;
    expect(drawn(12)).toBe(12);
    for (let i = 0; i < 4; i++) p.frame(33.4); // 8 → 5.6 → 3.92 → 2.74 → 2 (the floor, a quarter of the target)
    expect(p.budget()).toBe(2);
    expect(p.stride()).toBe(1);
    for (let i = 0; i < 26; i++) p.frame(16.7);
    for (let i = 0; i < 4; i++) p.frame(33.4); // 6.16 → 4.31 → 3.02: a miss at ≤ 4 ms, 33 frames since the start: stride 2
    expect(p.stride()).toBe(2);
    p.frame(33.4); // at most one raise per 30 frames
    expect(p.stride()).toBe(2);
    drawn(1); // realign on an even frame count (13 asked so far)
    expect(drawn(12)).toBe(6);
    for (let i = 0; i < 299; i++) p.frame(16.7);
    expect(p.stride()).toBe(2);
    p.frame(16.7); // 300 smooth frames: one step back
    expect(p.stride()).toBe(1);
    for (let k = 0; k < 10; k++) for (let i = 0; i < 40; i++) p.frame(33.4);
    expect(p.stride()).toBe(4); // capped
  });

  it('ignores empty frames and rejects a bad range', () => {
    const p = new StepPacer({ initial: 3 });
    p.record(0, 5);
    p.record(3, NaN);
    expect(p.next()).toBe(3);
    expect(() => new StepPacer({ min: 5, max: 2 })).toThrow(RangeError);
  });
});
