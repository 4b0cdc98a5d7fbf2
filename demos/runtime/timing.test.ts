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
});
