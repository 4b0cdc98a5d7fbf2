import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { chunkedSum, trainOrMeasure } from './chunked-eval';

describe('chunkedSum', () => {
  it('sums a snapshot over all rows in chunks, exactly as in one go, and frees what it took over', () => {
    const x = tf.tensor2d(Array.from({ length: 10 * 3 }, (_, i) => (i * 7) % 5), [10, 3]);
    const before = tf.memory().numTensors;
    const sum = (s: readonly tf.Tensor[], from: number, size: number) => tf.sum(tf.matMul(x.slice([from, 0], [size, 3]), s[0]), 0);
    const ev = chunkedSum<tf.Tensor[]>(10, 4, sum);
    const w = tf.tidy(() => tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2])));
    const oneGo = tf.tidy(() => tf.sum(tf.matMul(x, w), 0).arraySync());
    expect(ev.at).toBeNull();
    expect(ev.advance()).toBeNull();
    tf.tidy(() => ev.start(7, [tf.clone(w)])); // inside a tidy, as a demo's step would
    const other = tf.clone(w);
    expect(() => ev.start(8, [other])).toThrow(/step 7/);
    other.dispose();
    tf.tidy(() => w.assign(tf.zerosLike(w))); // training goes on; the snapshot is step 7's
    tf.tidy(() => {
      expect(ev.advance()).toBeNull();
    });
    expect([ev.at, ev.done]).toEqual([7, 4]);
    expect(ev.advance()).toBeNull();
    const total = ev.advance()!; // rows 8 and 9: the last, short chunk
    expect(ev.at).toBeNull();
    expect(total.arraySync()).toEqual(oneGo);
    total.dispose();
    // finish() runs what remains at once; dispose() drops a pending measurement.
    ev.start(9, [tf.clone(w)]);
    ev.advance();
    const rest = ev.finish()!;
    expect(rest.arraySync()).toEqual([0, 0]);
    rest.dispose();
    ev.start(10, [tf.clone(w)]);
    ev.advance();
    ev.dispose();
    ev.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => chunkedSum(0, 1, sum)).toThrow(/rows/);
    expect(() => chunkedSum(5, 0.5, sum)).toThrow(/chunk/);
    x.dispose();
  });
});

describe('trainOrMeasure', () => {
  it('tells a training unit the units left in the call, and counts the units it says it took', () => {
    const ev = chunkedSum<tf.Tensor[]>(1, 1, (s) => tf.clone(s[0]));
    const lefts: number[] = [];
    const r = trainOrMeasure(ev, 7, (left) => (lefts.push(left), left >= 3 ? 3 : true)); // 3 units, 3 more, then one
    expect(lefts).toEqual([7, 4, 1]);
    expect(r.trained).toBe(3);
    ev.dispose();
  });

  it('runs a pending measurement chunk by chunk before any training step, and stops when training is over', () => {
    const before = tf.memory().numTensors;
    const ev = chunkedSum<tf.Tensor[]>(3, 1, (s, from) => tf.mul(s[0], from + 1)); // 1·w + 2·w + 3·w
    let steps = 0;
    const log: string[] = [];
    const train = () => {
      if (steps === 5) return false;
      steps++;
      log.push(`train ${steps}`);
      if (steps % 2 === 0) ev.start(steps, [tf.scalar(steps)]); // a measurement falls due every 2nd step
      return true;
    };
    const a = trainOrMeasure(ev, 3, train); // two steps, then the first chunk of step 2's measurement
    expect([a.trained, a.measured.length, ev.at, ev.done]).toEqual([2, 0, 2, 1]);
    const b = trainOrMeasure(ev, 4, train); // the last two chunks, then two steps; step 4's measurement starts
    expect(b.trained).toBe(2);
    expect(b.measured.map((m) => [m.at, m.total.arraySync()])).toEqual([[2, 12]]);
    expect(log).toEqual(['train 1', 'train 2', 'train 3', 'train 4']);
    const c = trainOrMeasure(ev, 10, train); // step 4's three chunks, step 5, then training is over
    expect(c.trained).toBe(1);
    expect(c.measured.map((m) => [m.at, m.total.arraySync()])).toEqual([[4, 24]]);
    expect(ev.at).toBeNull();
    ev.start(5, [tf.scalar(1)]);
    const d = trainOrMeasure(ev, 0, train); // k = 0: the pending measurement at once, no training
    expect(d.measured.map((m) => [m.at, m.total.arraySync()])).toEqual([[5, 6]]);
    expect(trainOrMeasure(ev, 0, train)).toEqual({ trained: 0, measured: [] });
    tf.dispose([...b.measured, ...c.measured, ...d.measured].map((m) => m.total));
    expect(tf.memory().numTensors).toBe(before);
  });
});
