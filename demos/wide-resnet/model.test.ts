import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { residualParams } from '../runtime/models/residual';
import { blocksPerGroup, buildWrn, countLayers, createWideRun, matchWidth, PAPER_WRN, shapesOf, stackParams, wrnCount } from './model';

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

  it('trains both on a handful of digits, times them, and leaves no tensors behind', async () => {
    const count = 12;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 37 + (i >> 5)) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
    const before = tf.memory().numTensors;
    const run = createWideRun(digits, { thinWidth: 4, thinBlocks: 3, wideBlocks: 1, batchSize: 4, probe: 4, total: 5 });
    const first = await run.step(0);
    expect(first.trainLoss).toBeNull();
    expect(Number.isNaN(first.msPerStep[0])).toBe(true);
    const during = tf.memory().numTensors;
    await run.step(2);
    const f = await run.step(9);
    expect(f.steps).toBe(5);
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
});
