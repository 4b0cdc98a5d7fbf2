import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { forwardResidual, residualParams } from '../runtime/models/residual';
import { crossEntropy } from '../runtime/models/stacked-mlp';
import { createFlatTrainer } from '../runtime/train';
import { sampleBatches } from '../runtime/sampling';
import { floatImages } from '../runtime/data/loader';
import { blocksPerGroup, buildWrn, countLayers, createWideRun, DEFAULT_CONFIG, matchWidth, PAPER_WRN, runSeeds, shapesOf, stackParams, wrnCount } from './model';

describe('WRN-n-k counts', () => {
  it('WRN-10-1 by hand: stem, one block per group, projections only where the width changes, head', () => {
    // Stem 3×3×3×16. Group 1 (16→16, identity shortcut): BN 2·16 twice, two 3×3 16→16.
    const g1 = 2 * 16 + 9 * 16 * 16 + 2 * 16 + 9 * 16 * 16;
    // Group 2 (16→32, 1×1 projection): BN 2·16, 3×3 16→32, BN 2·32, 3×3 32→32, 1×1 16→32.
    const g2 = 2 * 16 + 9 * 16 * 32 + 2 * 32 + 9 * 32 * 32 + 16 * 32;
    const g3 = 2 * 32 + 9 * 32 * 64 + 2 * 64 + 9 * 64 * 64 + 32 * 64;
    const head = 2 * 64 + 64 * 10 + 10;
    const c = wrnCount(10, 1);
    expect(c.parts).toEqual({ stem: 432, groups: [g1, g2, g3], head });
    expect(c.params).toBe(432 + g1 + g2 + g3 + head);
    // Multiply-adds: weights × output positions (32², 16², 8²), the classifier once.
    const macs = 432 * 1024 + 18 * 256 * 1024 + (9 * 16 * 32 + 9 * 32 * 32 + 16 * 32) * 256 + (9 * 32 * 64 + 9 * 64 * 64 + 32 * 64) * 64 + 640;
    expect(c.macs).toBe(macs);
  });

  it('match a real tf.LayersModel of the same architecture, trainable weights and per-layer multiply-adds', () => {
    const before = tf.memory().numTensors;
    for (const [n, k] of [[10, 2], [16, 1]]) {
      const model = buildWrn(n, k, 10, 16);
      const counted = countLayers(model);
      model.dispose();
      const formula = wrnCount(n, k, 10, 16);
      expect(counted.params).toBe(formula.params);
      expect(counted.macs).toBe(formula.macs);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("give the paper's parameter counts (Table 5) to its one decimal, and grow like k² and about linearly in depth", () => {
    for (const p of PAPER_WRN) expect((wrnCount(p.n, p.k).params / 1e6).toFixed(1)).toBe(p.paramsM.toFixed(1));
    expect(wrnCount(28, 10).params).toBe(36_479_194);
    // k² in the convolutions: doubling k multiplies the count by nearly 4.
    const r = wrnCount(28, 8).params / wrnCount(28, 4).params;
    expect(r).toBeGreaterThan(3.9);
    expect(r).toBeLessThan(4);
    // Depth: every 6 more layers add the same number of parameters.
    const d = [16, 22, 28].map((n) => wrnCount(n, 4).params);
    expect(d[2] - d[1]).toBe(d[1] - d[0]);
    expect(() => blocksPerGroup(27)).toThrow(/6N \+ 4/);
    expect(() => wrnCount(28, 0)).toThrow(/widening/);
  });
});

const count = 12;
const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 37 + (i >> 5)) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
const small = { thinWidth: 4, thinBlocks: 3, wideBlocks: 1, batchSize: 4, probe: 4, total: 5 };

describe('deep-thin against shallow-wide', () => {
  it('the wide width matches the thin parameter count, and stackParams counts what residualParams allocates', () => {
    const [thin, wide] = shapesOf({ thinWidth: 32, thinBlocks: 12, wideBlocks: 2 });
    const allocated = residualParams(thin, 1, 1).reduce((s, q) => s + q.values.length, 0);
    expect(stackParams(thin)).toBe(allocated);
    expect(Math.abs(stackParams(wide) / stackParams(thin) - 1)).toBeLessThan(0.02);
    expect(wide.width).toBeGreaterThan(thin.width);
    // The neighbours of the chosen width are no closer.
    const target = stackParams(thin);
    const gap = (w: number) => Math.abs(stackParams({ ...wide, width: w }) - target);
    expect(gap(wide.width)).toBeLessThanOrEqual(gap(wide.width - 1));
    expect(gap(wide.width)).toBeLessThanOrEqual(gap(wide.width + 1));
    expect(matchWidth(stackParams(thin), 12)).toBe(32);
  });

  it('trains both on a handful of digits, one net per call, times them, and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const run = createWideRun(digits, small);
    const first = await run.step(3);
    expect(first.trainLoss).toBeNull(); // the first result: both nets measured at their initial weights
    expect(first.steps).toBe(0);
    expect(first.measuredAt).toBe(0);
    expect(Number.isNaN(first.msPerStep[0])).toBe(true);
    const during = tf.memory().numTensors;
    const half = await run.step(2); // the deep-thin net's two steps
    expect([half.steps, half.halfway, half.trainLoss]).toEqual([0, true, null]);
    const f2 = await run.step(1); // the shallow-wide net's same two steps, whatever k
    expect([f2.steps, f2.halfway]).toEqual([2, false]);
    await run.step(9);
    const f = await run.step(9);
    expect(f.steps).toBe(5);
    expect(await run.step(9)).toMatchObject({ steps: 5, trainLoss: null }); // done: nothing more
    expect(tf.memory().numTensors).toBe(during);
    expect(f.trainLoss!.every(Number.isFinite)).toBe(true);
    expect(f.msPerStep.every((m) => m >= 0)).toBe(true);
    expect(f.measuredAt).toBe(5);
    f.probeError.forEach((e) => expect(e >= 0 && e <= 1).toBe(true));
    run.dispose();
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(run.step(1)).rejects.toThrow(/dispose/);
    expect(() => createWideRun(digits, { thinBlocks: 2, wideBlocks: 3 })).toThrow(/no deeper/);
  });

  it('each net takes the same steps on the same seeded batches as a trainer of its own would', async () => {
    const run = createWideRun(digits, small);
    await run.step(0);
    const losses: Float32Array[] = [];
    for (const k of [2, 5, 1, 7]) {
      const f = await run.step(k);
      if (f.trainLoss) losses.push(f.trainLoss);
    }
    run.dispose();
    // By hand: the seeds, the batches both nets share (drawn for steps 1–2, then 3–3), one trainer per net.
    const cfg = { ...DEFAULT_CONFIG, ...small };
    const seeds = runSeeds(cfg.seed);
    const trainCount = digits.count - cfg.probe;
    const groups = [2, 1].map((n) => Array.from({ length: n }, () => sampleBatches(trainCount, cfg.batchSize, 1, seeds.batches)));
    const expected = shapesOf(cfg).map((shape, i) =>
      tf.tidy(() => {
        const x = tf.tensor3d(floatImages(digits), [1, digits.count, 784]);
        const y = tf.tensor1d(Int32Array.from(digits.labels), 'int32');
        const one = tf.ones([1, 1, 1]);
        const tr = createFlatTrainer(residualParams(shape, 1, seeds.weights[i]), (p, a, b) => crossEntropy(forwardResidual(shape, p, a as tf.Tensor3D, one), b as tf.Tensor1D), { kind: 'sgd', lr: cfg.lr, momentum: 0.9 });
        const out = groups.map((rows) => {
          for (const r of rows) {
            const idx = tf.tensor1d(r, 'int32');
            tr.step(tf.gather(x, idx, 1), tf.gather(y, idx));
          }
          return tr.meanLossTensor().dataSync()[0];
        });
        tr.dispose();
        return out;
      }),
    );
    expect(losses.length).toBe(2);
    losses.forEach((l, g) => [0, 1].forEach((i) => expect(l[i]).toBeCloseTo(expected[i][g], 5)));
  });
});
