import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { mulberry32, gaussian } from './random';
import { createSegmentedGrad, type ChainSegment } from './segmented-grad';

const normals = (n: number, seed: number) => {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => gaussian(r));
};

/** Batch-normalised tanh layers (statistics over the whole batch), then a scalar objective against fixed targets. */
function chain(ws: tf.Tensor2D[], target: tf.Tensor2D): ChainSegment[] {
  const layer = (h: tf.Tensor, w: tf.Tensor) => {
    const z = tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D);
    const { mean, variance } = tf.moments(z, 0, true);
    return tf.tanh(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, 1e-5))));
  };
  const rms = (t: tf.Tensor) => tf.sqrt(tf.mean(tf.square(t))).reshape([1]);
  return [
    ...ws.map((w) => ({
      params: [w],
      apply: (h: tf.Tensor, [p]: tf.Tensor[]) => layer(h, p),
      forward: rms,
      backward: (dIn: tf.Tensor, [dw]: tf.Tensor[]) => tf.concat([rms(dIn), tf.norm(dw).reshape([1])]),
    })),
    { params: [], apply: (h: tf.Tensor) => tf.sum(tf.mul(h, target)), backward: (dIn: tf.Tensor) => rms(dIn) },
  ];
}

describe('a segmented forward/backward pass', () => {
  it('gives the one-shot gradients (batch statistics included), whether run a unit at a time or at once, at a constant tensor count', async () => {
    const before = tf.memory().numTensors;
    const ws = [0, 1, 2].map((l) => tf.tensor2d(normals(25, 10 + l), [5, 5]));
    const x = tf.tensor2d(normals(40, 1), [8, 5]);
    const target = tf.tensor2d(normals(40, 2), [8, 5]);
    const segs = chain(ws, target);
    // One shot: every weight and every boundary's gradient, through zeros added at each boundary.
    const oneShot = tf.tidy(() => {
      const zs = ws.map(() => tf.zerosLike(x));
      const g = tf.grads((...a: tf.Tensor[]) => {
        let h: tf.Tensor = x;
        ws.forEach((_, l) => (h = segs[l].apply(tf.add(h, a[3 + l]), [a[l]])));
        return segs[3].apply(h, []);
      })([...ws, ...zs]);
      const rms = (t: tf.Tensor) => Math.sqrt(tf.mean(tf.square(t)).dataSync()[0]);
      return { dw: g.slice(0, 3).map((d) => tf.norm(d).dataSync()[0]), dh: g.slice(3).map(rms) };
    });
    const sg = createSegmentedGrad();
    const read = (r: ReturnType<typeof sg.finish>) => ({
      backward: r!.backward.map((t) => Array.from(t!.dataSync())),
      forward: r!.forward.map((t) => (t ? t.dataSync()[0] : null)),
    });
    sg.start(x, segs);
    const all = read(sg.finish());
    const held = tf.memory().numTensors;
    sg.start(x, segs);
    let r = null;
    let calls = 0;
    while (!r) {
      r = sg.advance(1);
      calls++;
      expect(tf.memory().numTensors).toBe(held);
    }
    expect(calls).toBe(7); // 3 layers and the objective, forward (the objective's skipped: nothing to keep) and backward
    const split = read(r);
    expect(split).toEqual(all);
    for (let l = 0; l < 3; l++) {
      expect(all.backward[l][1]).toBeCloseTo(oneShot.dw[l], 5);
      expect(all.backward[l][0]).toBeCloseTo(oneShot.dh[l], 5);
    }
    expect(all.forward[3]).toBeNull();
    expect(all.forward[2]).toBeGreaterThan(0);
    expect(sg.pending).toBe(false);
    expect(() => {
      sg.start(x, segs);
      sg.start(x, segs);
    }).toThrow(/pending/);
    sg.dispose();
    sg.dispose();
    tf.dispose([...ws, x, target]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
