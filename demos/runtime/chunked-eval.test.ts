import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { chunkedSum } from './chunked-eval';

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
