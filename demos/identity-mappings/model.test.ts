import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { residualUnit } from '../runtime/models/residual';
import { callsPerVariant, createPropagationRun, DEFAULT_CONFIG, measurePropagation, normals, propagationDraws, shortcutProduct, UNIT_VARIANTS, type UnitVariant } from './model';

/** Float64 reference of one unit for a batch of rows x [M][n] and weights [n][n] row-major. */
function referenceUnit(variant: UnitVariant, x: number[][], w1: Float32Array, w2: Float32Array, lambda: number): number[][] {
  const n = x[0].length;
  const mm = (a: number[][], w: Float32Array) => a.map((r) => Array.from({ length: n }, (_, j) => r.reduce((s, v, i) => s + v * w[i * n + j], 0)));
  const relu = (a: number[][]) => a.map((r) => r.map((v) => Math.max(0, v)));
  const add = (a: number[][], b: number[][]) => a.map((r, i) => r.map((v, j) => lambda * v + b[i][j]));
  const bn = (a: number[][]) => {
    const M = a.length;
    const mean = Array.from({ length: n }, (_, j) => a.reduce((s, r) => s + r[j], 0) / M);
    const v = Array.from({ length: n }, (_, j) => a.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / M);
    return a.map((r) => r.map((u, j) => (u - mean[j]) / Math.sqrt(v[j] + 1e-5)));
  };
  switch (variant) {
    case 'original':
      return relu(add(x, bn(mm(relu(bn(mm(x, w1))), w2))));
    case 'bn-after-add':
      return relu(bn(add(x, mm(relu(bn(mm(x, w1))), w2))));
    case 'relu-before-add':
      return add(x, relu(bn(mm(relu(bn(mm(x, w1))), w2))));
    case 'relu-preact':
      return add(x, bn(mm(relu(bn(mm(relu(x), w1))), w2)));
    case 'full-preact':
      return add(x, mm(relu(bn(mm(relu(bn(x)), w1))), w2));
  }
}

describe('the residual unit variants (He et al. 2016b, Fig. 4)', () => {
  it('each computes its formula, checked against a float64 reference', () => {
    const x = [[0.4, -1.3, 0.8], [1.7, 0.2, -0.6], [-0.9, 0.5, 1.1], [0.3, -0.2, -1.4]];
    const w1 = Float32Array.from([0.5, -0.8, 0.3, 1.1, 0.2, -0.4, -0.7, 0.9, 0.6]);
    const w2 = Float32Array.from([-0.3, 0.7, 1.2, 0.4, -1.0, 0.1, 0.8, 0.5, -0.6]);
    for (const variant of UNIT_VARIANTS) {
      for (const lambda of [1, 0.7]) {
        const got = tf.tidy(() => residualUnit(variant, tf.tensor3d([x]), tf.tensor3d(w1, [1, 3, 3]), tf.tensor3d(w2, [1, 3, 3]), lambda).dataSync());
        referenceUnit(variant, x, w1, w2, lambda)
          .flat()
          .forEach((v, i) => expect(got[i], `${variant} λ=${lambda} at ${i}`).toBeCloseTo(v, 4));
      }
    }
  });
});

describe('propagation along the identity path', () => {
  it('with full pre-activation and λ = 1 the gradient never falls below the output’s (Eq. 5: 1 + …); BN after the addition inflates it more than tenfold beyond that', async () => {
    const [bnAfter, full] = await measurePropagation({ variants: ['bn-after-add', 'full-preact'], units: 30, rounds: 1 });
    for (const g of full.backward) expect(g).toBeGreaterThan(0.9);
    // The signal grows only additively: Var x_L ≈ Var x_0 + Σ Var F, not by a product.
    expect(full.forward[30]).toBeLessThan(Math.sqrt(1 + 30) * 2);
    expect(full.forward[30]).toBeGreaterThan(1);
    expect(bnAfter.backward[0]).toBeGreaterThan(10 * full.backward[0]);
  });

  it('a shortcut scale λ = 2 multiplies signal and gradient by about λ^L, the direct term of Eq. 8', async () => {
    const [full] = await measurePropagation({ variants: ['full-preact'], units: 20, lambda: 2, rounds: 1 });
    const direct = shortcutProduct(2, 20)[0];
    expect(direct).toBe(2 ** 20);
    for (const r of [full.forward[20] / direct, full.backward[0] / direct]) {
      expect(r).toBeGreaterThan(0.5);
      expect(r).toBeLessThan(2);
    }
  });

  it('measures one variant per step, round after round, averaging each variant geometrically; tensors unchanged by steps and freed by dispose', async () => {
    const before = tf.memory().numTensors;
    const run = createPropagationRun({ variants: ['original', 'full-preact'], units: 3, rounds: 2 });
    const f0 = await run.step(0);
    const counted = tf.memory().numTensors;
    expect(f0.measured.map((m) => m.variant)).toEqual(['original']);
    const f1 = await run.step(5);
    const f2 = await run.step(1);
    const f3 = await run.step(1);
    const f4 = await run.step(1);
    expect(tf.memory().numTensors).toBe(counted);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect([f1.done, f2.done, f3.done, f4.done]).toEqual([false, false, true, true]);
    expect(f2.measured.map((m) => m.rounds)).toEqual([2, 1]);
    expect(f3.measured[1].forward[0]).toBeCloseTo(1, 6);
    expect(f3.measured[1].backward[3]).toBeCloseTo(1, 6);
    // The second round's draw for 'original' moved its curve: the mean is of two different measurements.
    expect(f2.measured[0].forward[3]).not.toBe(f1.measured[0].forward[3]);
    // Geometric mean: (round 1 · round 2)^½, so round 2 alone = mean² / round 1.
    const r2 = f2.measured[0].forward[3] ** 2 / f1.measured[0].forward[3];
    expect(r2).toBeGreaterThan(0);
    expect(Number.isFinite(r2)).toBe(true);
    expect(() => createPropagationRun({ variants: [] })).toThrow(/at least one/);
  });

  it('a variant spread over several calls gives the one-shot pass’s curves (gradients through zeros added at every unit)', async () => {
    const cfg = { ...DEFAULT_CONFIG, variants: ['original', 'bn-after-add'] as UnitVariant[], units: 25, width: 8, batch: 16, rounds: 1 };
    const run = createPropagationRun(cfg);
    await run.step(0); // 'original' at once: the first result
    let f = await run.step(1);
    let calls = 1;
    for (; !f.done; calls++) f = await run.step(1);
    run.dispose();
    expect(calls).toBe(callsPerVariant(25));
    expect(calls).toBeGreaterThan(1);
    const d = propagationDraws(cfg);
    const n = cfg.width;
    const M = cfg.batch;
    const xv = normals(d.probes, M * n);
    const gv = normals(d.probes, M * n);
    for (const m of f.measured) {
      const { forward, backward } = tf.tidy(() => {
        const x = tf.tensor3d(xv, [1, M, n]);
        const g = tf.tensor3d(gv, [1, M, n]);
        const w = d.w.map((pair) => pair.map((v) => tf.tensor3d(v, [1, n, n])));
        const rms = (a: tf.Tensor) => tf.sqrt(tf.mean(tf.square(a))).dataSync()[0];
        const fw: number[] = [];
        const zeros = w.map(() => tf.zerosLike(x));
        const grads = tf.grads((...zs: tf.Tensor[]) => {
          let h = x;
          w.forEach(([w1, w2], l) => {
            h = tf.add(h, zs[l]) as tf.Tensor3D;
            fw.push(rms(h));
            h = residualUnit(m.variant, h, w1, w2, cfg.lambda);
          });
          fw.push(rms(h));
          return tf.div(tf.sum(tf.mul(h, g)), M) as tf.Scalar;
        })(zeros);
        const top = rms(tf.div(g, M));
        return { forward: fw.map((v) => v / fw[0]), backward: [...grads.map(rms), top].map((v) => v / top) };
      });
      forward.forEach((v, l) => expect(Math.abs(m.forward[l] - v) / v, `${m.variant} forward ${l}`).toBeLessThan(1e-4));
      backward.forEach((v, l) => expect(Math.abs(m.backward[l] - v) / v, `${m.variant} backward ${l}`).toBeLessThan(1e-4));
    }
  });
});
