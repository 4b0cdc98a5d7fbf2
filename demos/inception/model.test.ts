import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { createModule, moduleCost, runModule, stemFilters, INCEPTION_3A, type ModuleSizes } from './model';

/** The same module as tfjs layers (functional API), for its own parameter count. */
function layersModule(s: ModuleSizes, reduced: boolean): tf.LayersModel {
  const x = tf.input({ shape: [s.size, s.size, s.cin] });
  const conv = (filters: number, k: number, inp: tf.SymbolicTensor) => tf.layers.conv2d({ filters, kernelSize: k, padding: 'same', activation: 'relu' }).apply(inp) as tf.SymbolicTensor;
  const pooled = tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  const branches = reduced
    ? [conv(s.n1, 1, x), conv(s.n3, 3, conv(s.r3, 1, x)), conv(s.n5, 5, conv(s.r5, 1, x)), conv(s.pp, 1, pooled)]
    : [conv(s.n1, 1, x), conv(s.n3, 3, x), conv(s.n5, 5, x), pooled];
  const out = tf.layers.concatenate({ axis: 3 }).apply(branches) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: out });
}

describe('module cost', () => {
  it('inception (3a) by hand: 163,328 weights, 128.05 M multiply-adds (Table 1: 128M), 256 channels out', () => {
    const c = moduleCost(INCEPTION_3A);
    // 192·64 + 192·96 + 9·96·128 + 192·16 + 25·16·32 + 192·32
    expect(c.weights).toBe(12288 + 18432 + 110592 + 3072 + 12800 + 6144);
    expect(c.weights).toBe(163328);
    expect(c.biases).toBe(64 + 96 + 128 + 16 + 32 + 32);
    expect(c.macs).toBe(163328 * 28 * 28);
    expect(Math.round(c.macs / 1e6)).toBe(128);
    expect(c.out).toBe(256);
  });

  it('the naive module (no reductions): 387,072 weights, 303.5 M multiply-adds, 416 channels out', () => {
    const c = moduleCost(INCEPTION_3A, false);
    expect(c.weights).toBe(192 * 64 + 9 * 192 * 128 + 25 * 192 * 32);
    expect(c.weights).toBe(387072);
    expect(c.macs / 1e6).toBeCloseTo(303.46, 2);
    expect(c.out).toBe(64 + 128 + 32 + 192);
    // The reductions cut the cost by a factor 2.37 here, and the 5×5 branch alone by 153,600 / 15,872 ≈ 9.7.
    expect(c.macs / moduleCost(INCEPTION_3A).macs).toBeCloseTo(2.37, 2);
    const five = (r: boolean) => moduleCost(INCEPTION_3A, r).branches[2].convs.reduce((a, v) => a + v.weights, 0);
    expect(five(false) / five(true)).toBeCloseTo(9.68, 2);
  });

  it('matches tfjs’s countParams for the same layers (weights + biases), with and without reductions', () => {
    for (const s of [INCEPTION_3A, { size: 7, cin: 5, n1: 3, r3: 2, n3: 4, r5: 1, n5: 6, pp: 2 }]) {
      for (const reduced of [true, false]) {
        const m = layersModule(s, reduced);
        const c = moduleCost(s, reduced);
        expect(m.countParams()).toBe(c.weights + c.biases);
        expect(m.outputs[0].shape).toEqual([null, s.size, s.size, c.out]);
        m.dispose();
      }
    }
  });
});

describe('the live module', () => {
  it('runs real convolutions, pooling and concatenation: channels out = n1 + n3 + n5 + pp, nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const img = new Float32Array(784);
    for (let r = 6; r < 22; r++) img[r * 28 + 14] = 1; // a vertical stroke
    const run = await runModule(img, INCEPTION_3A, 1, 8);
    expect(run.outChannels).toBe(256);
    expect(run.branches.map((b) => [b.channels, b.shown])).toEqual([[64, 8], [128, 8], [32, 8], [32, 8]]);
    for (const b of run.branches) {
      expect(b.tiles.length).toBe(8 * 784);
      expect(Math.max(...b.tiles)).toBeLessThanOrEqual(1);
      expect(Math.min(...b.tiles)).toBeGreaterThanOrEqual(0);
    }
    // The 1×1 branch sees only the stem's edges at each pixel: far from the stroke (a corner) every channel is 0.
    expect(run.branches[0].tiles[0]).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    await expect(runModule(new Float32Array(10), INCEPTION_3A)).rejects.toThrow(/28×28/);
  });

  it('the 5×5 branch reaches further from the stroke than the 1×1 branch', async () => {
    const s = { ...INCEPTION_3A, n1: 16, n5: 16 };
    const img = new Float32Array(784);
    for (let r = 6; r < 22; r++) img[r * 28 + 14] = 1;
    const run = await runModule(img, s, 1, 16);
    // Columns with any non-zero response, over all shown channels of a branch.
    const cols = (t: Float32Array, k: number) => {
      const hit = new Set<number>();
      for (let c = 0; c < k; c++) for (let i = 0; i < 784; i++) if (t[c * 784 + i] > 0) hit.add(i % 28);
      return Math.max(...hit) - Math.min(...hit) + 1;
    };
    // Stem (3×3) then 1×1: columns 12–16 at most; stem, 1×1, then 5×5: two more on each side.
    expect(cols(run.branches[0].tiles, 16)).toBeLessThanOrEqual(5);
    expect(cols(run.branches[2].tiles, 16)).toBeGreaterThan(5);
  });

  it('the stem is eight signed edge filters that sum to zero', () => {
    const w = stemFilters();
    for (let o = 0; o < 8; o++) {
      let s = 0;
      for (let i = 0; i < 9; i++) s += w[i * 8 + o];
      expect(s).toBeCloseTo(0, 6);
    }
  });

  it('createModule refuses sizes that are not whole positive numbers', () => {
    expect(() => createModule({ ...INCEPTION_3A, r3: 0 })).toThrow(/r3/);
  });
});
