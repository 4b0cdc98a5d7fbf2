import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { blockDiagonalKernel } from '../runtime/models/grouped';
import { createTowerWalk, depthwiseThenPointwise, digitMaps, heKernel, moduleCost, pointwiseThenDepthwise, towerCounts, towerKernel, towerModule } from './model';

const C = 16;
const maps = () => heKernel([1, 12, 12, C], 7); // any [1, h, w, C] map will do for identities

describe('the module with k towers', () => {
  it('k runs 1, 2, 4, …, C; its weights fall from C² + 9C² to C² + 9C', () => {
    expect(towerCounts(16)).toEqual([1, 2, 4, 8, 16]);
    expect(towerCounts(12)).toEqual([1, 2, 4, 12]);
    expect(moduleCost(16, 1).params).toBe(16 * 16 + 9 * 16 * 16);
    expect(moduleCost(16, 16).params).toBe(16 * 16 + 9 * 16);
    expect(moduleCost(16, 4, 12, 12).macs).toBe((256 + 576) * 144);
    expect(() => moduleCost(16, 3)).toThrow(/divide/);
  });

  it('k = C equals a pointwise 1×1 then a depthwise 3×3 convolution with the same weights (real tfjs ops)', () => {
    const before = tf.memory().numTensors;
    const gap = tf.tidy(() => {
      const x = maps();
      const p = heKernel([1, 1, C, C], 1);
      const spatial = towerKernel(heKernel([3, 3, C, C], 2), C); // [3, 3, 1, C]
      const a = towerModule(x, p, spatial, C);
      const b = pointwiseThenDepthwise(x, p, spatial.reshape([3, 3, C, 1]) as tf.Tensor4D);
      return [tf.max(tf.abs(tf.sub(a, b))).dataSync()[0], tf.max(tf.abs(a)).dataSync()[0]];
    });
    expect(gap[1]).toBeGreaterThan(0.1);
    expect(gap[0]).toBeLessThan(1e-5 * gap[1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('k = 1 is a 1×1 then a regular 3×3 convolution; each k equals the full kernel masked to its block diagonal', () => {
    const [d1, d4] = tf.tidy(() => {
      const x = maps();
      const p = heKernel([1, 1, C, C], 1);
      const full = heKernel([3, 3, C, C], 2);
      const regular = tf.conv2d(tf.conv2d(x, p, 1, 'same'), full, 1, 'same');
      const four = towerKernel(full, 4);
      const dense = tf.conv2d(tf.conv2d(x, p, 1, 'same'), blockDiagonalKernel(four, 4), 1, 'same');
      return [tf.max(tf.abs(tf.sub(towerModule(x, p, towerKernel(full, 1), 1), regular))).dataSync()[0], tf.max(tf.abs(tf.sub(towerModule(x, p, four, 4), dense))).dataSync()[0]];
    });
    expect(d1).toBe(0);
    expect(d4).toBeLessThan(1e-5);
  });

  it('the order matters: depthwise then pointwise is another function', () => {
    const d = tf.tidy(() => {
      const x = maps();
      const p = heKernel([1, 1, C, C], 1);
      const dw = heKernel([3, 3, C, 1], 2);
      return tf.max(tf.abs(tf.sub(pointwiseThenDepthwise(x, p, dw), depthwiseThenPointwise(x, dw, p)))).dataSync()[0];
    });
    expect(d).toBeGreaterThan(0.1);
  });

  it('the walk goes k = 1 … C on a digit’s maps, splitting towers (the output changes), ends on the separable identity, leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const pixels = Float32Array.from({ length: 784 }, (_, i) => ((i % 28) > 8 && (i % 28) < 20 ? 1 : 0));
    const conv1 = heKernel([5, 5, 1, C], 3);
    const bias = tf.zeros([C]) as tf.Tensor1D;
    const m = digitMaps(pixels, conv1, bias);
    expect(m.shape).toEqual([1, 12, 12, C]);
    const walk = createTowerWalk(m, 1);
    const f0 = await walk.step(0);
    expect(f0.rows.map((r) => r.towers)).toEqual([1]);
    expect(f0.separableGap).toBeNull();
    const f = await walk.step(10);
    expect(f.done).toBe(true);
    expect(f.rows.map((r) => r.towers)).toEqual([1, 2, 4, 8, 16]);
    expect(f.rows[4].params).toBe(256 + 144);
    for (const r of f.rows.slice(1)) expect(r.change).toBeGreaterThan(0.01);
    expect(f.separableGap).toBeLessThan(1e-5);
    expect(f.links.reduce((a, b) => a + b, 0)).toBe(C); // one link per channel at k = C
    walk.dispose();
    tf.dispose([m, conv1, bias]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
