import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { blockMacs, blockParams, formMacs, BUDGET, CARDINALITIES, compareForms, createFormsRun, createResnextBlock, equalBudgetWidth, formsSteps, PAPER_RESNEXT50 } from './model';

describe('the template block at equal budget', () => {
  it('counts C·(256·d + 3·3·d·d + d·256) weights: 69,632 for ResNet’s bottleneck C = 1, d = 64', () => {
    expect(BUDGET).toBe(256 * 64 + 9 * 64 * 64 + 64 * 256);
    expect(BUDGET).toBe(69_632);
    expect(blockParams(32, 4)).toBe(32 * (1024 + 144 + 1024));
    expect(blockMacs(1, 64, 56)).toBe(69_632 * 56 * 56);
  });

  it('gives the paper’s widths d = 64, 40, 24, 14, 4 for C = 1, 2, 4, 8, 32, each within 3 % of the budget', () => {
    for (const row of PAPER_RESNEXT50) {
      expect(equalBudgetWidth(row.cardinality)).toBe(row.d);
      expect(Math.abs(blockParams(row.cardinality, row.d) / BUDGET - 1)).toBeLessThan(0.03);
    }
    // the grouped layer widens as C grows: C·d = 64, 80, 96, 112, 128 (Table 2's "width of group conv")
    expect(PAPER_RESNEXT50.map((r) => r.cardinality * r.d)).toEqual([64, 80, 96, 112, 128]);
    expect(CARDINALITIES).toContain(16);
    expect(equalBudgetWidth(16)).toBe(8);
  });

  it('a block-diagonal kernel does C times the 3×3 layer’s work: 9·(C·d)² against 9·C·d² per position', () => {
    const m = formMacs(32, 4, 8);
    expect(m.a).toBe(blockMacs(32, 4, 8));
    expect(m.c - m.a).toBe(64 * 9 * (128 * 128 - 32 * 16));
    expect(formMacs(1, 64, 8).c).toBe(formMacs(1, 64, 8).a);
  });
});

describe('the three forms of the block', () => {
  it('(a) C paths summed, (b) early concatenation and (c) one grouped convolution give the same output with shared weights', async () => {
    const before = tf.memory().numTensors;
    for (const C of [2, 4]) {
      const block = createResnextBlock({ cardinality: C, d: 4, width: 16, side: 5, seed: C });
      const r = await compareForms(block);
      expect(r.maxAbs).toBeGreaterThan(0.1);
      expect(r.maxDiffAB / r.maxAbs).toBeLessThan(1e-5);
      expect(r.maxDiffAC / r.maxAbs).toBeLessThan(1e-5);
      expect(r.maxDiffACSplit / r.maxAbs).toBeLessThan(1e-5);
      block.dispose();
      block.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('differs when a path’s weights are not shared: form (c) of another seed gives another output', async () => {
    const one = createResnextBlock({ cardinality: 4, d: 2, width: 8, side: 3, seed: 1 });
    const two = createResnextBlock({ cardinality: 4, d: 2, width: 8, side: 3, seed: 2 });
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(one.formC(), two.formC()))).dataSync()[0]);
    expect(diff).toBeGreaterThan(0.01);
    one.dispose();
    two.dispose();
  });

  it('the demo’s run compares at step 0, times every form, keeps the tensor count flat and frees all', async () => {
    const before = tf.memory().numTensors;
    const run = createFormsRun({ cardinality: 4, width: 16, side: 4, repeats: 2 });
    const first = await run.step(0);
    expect(first.d).toBe(equalBudgetWidth(4, blockParams(1, 4, 16), 16));
    expect(first.samples).toBe(0);
    expect(Number.isNaN(first.ms.a)).toBe(true);
    await run.step(1);
    const held = tf.memory().numTensors;
    const last = await run.step(formsSteps(2));
    expect(tf.memory().numTensors).toBe(held);
    expect(last.done).toBe(true);
    for (const v of Object.values(last.ms)) expect(v).toBeGreaterThan(0);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
