import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { affineGrid, bilinearSample, IDENTITY_THETA, spatialTransform, targetGrid, thetaFromParts } from './sampler';

/** A smooth random-ish 2-image, 9×11, 2-channel input (no flat regions, so gradients are informative). */
function input(): tf.Tensor4D {
  const n = 2, H = 9, W = 11, C = 2;
  const v = new Float32Array(n * H * W * C);
  for (let i = 0; i < v.length; i++) v[i] = Math.sin(0.7 * i) + 0.3 * Math.cos(1.3 * i * i);
  return tf.tensor4d(v, [n, H, W, C]);
}

describe('the spatial transformer sampler', () => {
  it('θ = identity on a grid of the input size returns the input exactly; leaves no tensor', async () => {
    const u = input();
    const before = tf.memory().numTensors;
    const theta = tf.tensor2d([...IDENTITY_THETA, ...IDENTITY_THETA], [2, 6]);
    const v = spatialTransform(u, theta, 9, 11);
    const [a, b] = [await v.data(), await u.data()];
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    tf.dispose([v, theta]);
    expect(tf.memory().numTensors).toBe(before);
    u.dispose();
  });

  it('samples at the paper’s points: a pure shift by one pixel moves the image, outside is zero, a half pixel averages', async () => {
    const u = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    // tx = 1 normalised unit = one pixel on a 3-pixel axis ((W − 1)/2 = 1): V(x) = U(x + 1).
    const shifted = await spatialTransform(u, tf.tensor2d([[1, 0, 1, 0, 1, 0]]), 3, 3).data();
    expect(Array.from(shifted)).toEqual([2, 3, 0, 5, 6, 0, 8, 9, 0]);
    const half = await spatialTransform(u, tf.tensor2d([[1, 0, 0.5, 0, 1, 0]]), 3, 3).data();
    expect(half[0]).toBeCloseTo(1.5, 6);
    expect(half[2]).toBeCloseTo(1.5, 6); // half of 3, half of the zero outside
    const g = await affineGrid(tf.tensor2d([[2, 0, 0, 0, 1, 0]]), 2, 2).data();
    expect(Array.from(g)).toEqual([-2, -1, 2, -1, -2, 1, 2, 1]);
    expect(() => targetGrid(1, 3)).toThrow(/≥ 2/);
  });

  it('its gradient with respect to θ matches central finite differences of the same sampler in float64', async () => {
    const u = input();
    const uv = Float64Array.from(await u.data());
    const [n, H, W, C] = u.shape;
    const h = 7;
    const w = 8;
    const wv = Float32Array.from({ length: n * h * w * C }, (_, i) => Math.cos(0.37 * i));
    const theta0 = [0.8, -0.25, 0.07, 0.3, 0.9, -0.11, 1.1, 0.15, -0.13, -0.2, 0.7, 0.09];
    const weights = tf.tensor4d(wv, [n, h, w, C]);
    const loss = (th: tf.Tensor) => tf.sum(tf.mul(spatialTransform(u, th.reshape([n, 6]) as tf.Tensor2D, h, w), weights)) as tf.Scalar;
    const before = tf.memory().numTensors;
    const grad = tf.tidy(() => tf.grad(loss)(tf.tensor1d(theta0)));
    const g = await grad.data();
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // The paper's sampler, V_i = Σ U_nm max(0, 1 − |x_i − m|) max(0, 1 − |y_i − n|), written out in float64.
    const at = (b: number, yy: number, xx: number, c: number) => (yy >= 0 && yy < H && xx >= 0 && xx < W ? uv[((b * H + yy) * W + xx) * C + c] : 0);
    const f = (th: number[]) => {
      let sum = 0;
      for (let b = 0; b < n; b++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++) {
            const xt = -1 + (2 * j) / (w - 1);
            const yt = -1 + (2 * i) / (h - 1);
            const t = th.slice(6 * b, 6 * b + 6);
            const x = ((t[0] * xt + t[1] * yt + t[2] + 1) * (W - 1)) / 2;
            const y = ((t[3] * xt + t[4] * yt + t[5] + 1) * (H - 1)) / 2;
            const x0 = Math.floor(x);
            const y0 = Math.floor(y);
            for (let c = 0; c < C; c++) {
              let v = 0;
              for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) v += at(b, y0 + dy, x0 + dx, c) * Math.max(0, 1 - Math.abs(x - x0 - dx)) * Math.max(0, 1 - Math.abs(y - y0 - dy));
              sum += v * wv[((b * h + i) * w + j) * C + c];
            }
          }
      return sum;
    };
    const eps = 1e-6;
    for (let k = 0; k < 12; k++) {
      const p = theta0.slice();
      const m = theta0.slice();
      p[k] += eps;
      m[k] -= eps;
      const fd = (f(p) - f(m)) / (2 * eps);
      expect(Math.abs(fd - g[k])).toBeLessThan(1e-3 * Math.max(1, Math.abs(fd)));
    }
    // The gradient with respect to U also flows (through the gather): ∂ΣV/∂U = the sum of U's sampling weights.
    const gu = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(spatialTransform(x as tf.Tensor4D, tf.tensor2d([[1, 0, 0, 0, 1, 0]]), 3, 3)))(tf.ones([1, 3, 3, 1])));
    expect(Array.from(await gu.data())).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    tf.dispose([gu, u, weights]);
  });

  it('θ from rotation, scale, shear and shift: identity, and a quarter turn maps rows to columns', async () => {
    expect(thetaFromParts({ degrees: 0, scale: 1, shear: 0, tx: 0, ty: 0 }).map((v) => v + 0)).toEqual([1, 0, 0, 0, 1, 0]);
    const th = thetaFromParts({ degrees: 90, scale: 1, shear: 0, tx: 0, ty: 0 });
    const u = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const v = Array.from(await spatialTransform(u, tf.tensor2d([th]), 3, 3).data()).map((x) => Math.round(x * 1e4) / 1e4);
    // Turned counter-clockwise on screen: the top row 1 2 3 becomes the left column, read bottom-up.
    expect(v).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    expect(thetaFromParts({ degrees: 0, scale: 2, shear: 0, tx: 0.1, ty: -0.2 })).toEqual([0.5, 0, 0.1, 0, 0.5, -0.2]);
  });
});
