import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { createTimingSweep, median, sweepSteps } from './timing';

/** A clock where each timed run of configuration i takes `cost[i]` ms, and a log of which configuration ran. */
function fakeSweep(interleave: boolean, cost: number[], repeats = 2) {
  let t = 0;
  let current = 0;
  const order: number[] = [];
  const x = tf.scalar(1);
  const sweep = createTimingSweep({
    size: cost.length,
    paths: ['run'] as const,
    repeats,
    interleave,
    now: () => t,
    make: (i) => ({ tensors: [tf.scalar(i)], paths: { run: () => ((current = i), order.push(i), (t += cost[current]), tf.add(x, 1)) } }),
  });
  return { sweep, order, dispose: () => (sweep.dispose(), x.dispose()) };
}

describe('the timing sweep', () => {
  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('in order: one configuration after the other; interleaved: warm-ups first, then round-robin; same medians', async () => {
    const before = tf.memory().numTensors;
    for (const interleave of [false, true]) {
      const s = fakeSweep(interleave, [2, 5, 3]);
      const f = await s.sweep.step(sweepSteps(3, 2));
      expect(s.order).toEqual(interleave ? [0, 1, 2, 0, 1, 2, 0, 1, 2] : [0, 0, 0, 1, 1, 1, 2, 2, 2]);
      expect(f.medians.map((m) => m.run)).toEqual([2, 5, 3]);
      expect(f.done).toBe(true);
      s.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('interleaved, makes every configuration at creation, so the tensor count is flat across steps', async () => {
    const before = tf.memory().numTensors;
    const s = fakeSweep(true, [1, 1]);
    const made = tf.memory().numTensors;
    expect(made - before).toBe(3); // x and one tensor per configuration
    await s.sweep.step(1);
    expect(tf.memory().numTensors).toBe(made);
    await s.sweep.step(3);
    expect(tf.memory().numTensors).toBe(made);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('unsplit: the warm-up step runs each path as many times as asked, untimed; then one sample per step', async () => {
    let t = 0;
    const ran: string[] = [];
    const x = tf.scalar(1);
    const run = (name: string) => () => (ran.push(name), (t += 2), tf.add(x, 1)); // 2 ms: one run per timing
    const sweep = createTimingSweep({ size: 1, paths: ['a', 'b'] as const, repeats: 1, warmups: { b: 3 }, now: () => t, make: () => ({ tensors: [], paths: { a: run('a'), b: run('b') } }) });
    let f = await sweep.step(1);
    expect(ran).toEqual(['a', 'b', 'b', 'b']);
    expect([f.samples, f.done]).toEqual([[0], false]);
    f = await sweep.step(1);
    expect(ran).toEqual(['a', 'b', 'b', 'b', 'a', 'b']);
    expect([f.samples, f.done, f.steps, f.medians]).toEqual([[1], true, sweepSteps(1, 1), [{ a: 2, b: 2 }]]);
    sweep.dispose();
    x.dispose();
  });

  it('split: one path per step, the same order and medians, warm-up runs as many as asked, one per step', async () => {
    let t = 0;
    const ran: string[] = [];
    const x = tf.scalar(1);
    const before = tf.memory().numTensors;
    const run = (name: string, ms: number) => () => (ran.push(name), (t += ms), tf.add(x, 1));
    const sweep = createTimingSweep({
      size: 2,
      paths: ['a', 'b'] as const,
      repeats: 2,
      split: true,
      now: () => t,
      warmups: { b: 3 },
      make: (i) => ({ tensors: [tf.scalar(i)], paths: { a: run(`a${i}`, 2 + i), b: run(`b${i}`, 10) } }),
    });
    let f = await sweep.step(1); // configuration 0's warm-up of a alone
    expect(ran).toEqual(['a0']);
    for (let r = 1; r <= 3; r++) {
      f = await sweep.step(1); // then b's three untimed runs, one per step
      expect(ran).toEqual(['a0', ...Array(r).fill('b0')]);
      expect(f.samples).toEqual([0, 0]);
    }
    f = await sweep.step(1); // the first sample's a: not a complete sample yet
    expect(f.samples).toEqual([0, 0]);
    f = await sweep.step(sweepSteps(2, 2, 2, 4) - 5);
    expect(f.done).toBe(true);
    expect(f.samples).toEqual([2, 2]);
    expect(f.medians).toEqual([{ a: 2, b: 10 }, { a: 3, b: 10 }]);
    expect(ran.filter((r) => r === 'a1')).toHaveLength(3);
    expect(tf.memory().numTensors).toBe(before + 1); // the last configuration's tensor, until dispose
    sweep.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
