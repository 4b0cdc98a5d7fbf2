import { it, expect } from 'vitest';
import { tf } from '../tf';
function gradsOn(backend: string, xs: number[][], shapes: number[][][], f: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor) {
  return null;
}
it('probe', async () => {
  await tf.setBackend('cpu');
  const x0 = tf.randomNormal([2, 9, 8, 3], 0, 1, 'float32', 1).arraySync();
  const w0 = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2).arraySync();
  const run = async (b: string, stride: number, pad: any) => {
    await tf.setBackend(b);
    const x = tf.tensor(x0 as any) as tf.Tensor4D;
    const w = tf.tensor(w0 as any) as tf.Tensor4D;
    const g = tf.grads((a: tf.Tensor, b2: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b2 as tf.Tensor4D, stride, pad))));
    const [gx, gw] = g([x, w]);
    return [await gx.data(), await gw.data()];
  };
  for (const stride of [1, 2]) for (const pad of ['same', 'valid', 1]) {
    const c = await run('cpu', stride, pad);
    const before = tf.memory().numTensors;
    const w = await run('wasm', stride, pad);
    let m = 0;
    for (let k = 0; k < 2; k++) for (let i = 0; i < c[k].length; i++) m = Math.max(m, Math.abs(c[k][i] - w[k][i]));
    console.log(stride, pad, m);
  }
  expect(1).toBe(1);
});
