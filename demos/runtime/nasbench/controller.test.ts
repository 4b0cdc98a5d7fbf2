import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/tf-node';
import { tf } from '../tf';
import { ControllerBatch } from './controller';
import { runSeed } from './search';
import { DECISIONS } from './space';
import { additiveTable } from './test-table';

// The batched controllers' matrix products on wasm, as the page runs them (tfjs's cpu backend is several times slower).
beforeAll(() => useNodeBackend('wasm'));

describe("Zoph & Le's LSTM controller, batched over seeds", () => {
  const table = additiveTable();
  const config = { learningRate: 0.05, baselineDecay: 0.9 };
  const seeds = [runSeed(7, 0), runSeed(7, 1), runSeed(7, 2)];

  it('gives a distribution per decision that sums to 1, conditional on the decisions before it', async () => {
    const batch = new ControllerBatch(table, seeds, config);
    for (let t = 0; t < 2; t++) batch.step();
    for (const v of await batch.mostLikely()) {
      expect(v.probabilities.map((p) => p.length)).toEqual(DECISIONS.map((d) => d.options));
      for (const p of v.probabilities) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      v.decisions.forEach((k, t) => expect(v.probabilities[t][k]).toBe(Math.max(...v.probabilities[t])));
    }
    batch.dispose();
  });

  it('a seeded run is reproducible, and the batch equals the same seeds run one at a time', async () => {
    const run = async (s: readonly number[]) => {
      const b = new ControllerBatch(table, s, config);
      b.step();
      for (let t = 0; t < 2; t++) await b.advance(); // the page's path: the same trials
      const out = { trials: b.runs.map((r) => r.pending.slice()), view: await b.mostLikely() };
      b.dispose();
      return out;
    };
    const two = [seeds[0], seeds[2]];
    const all = await run(two);
    expect((await run(two)).trials).toEqual(all.trials);
    for (const [i, s] of two.entries()) {
      const alone = await run([s]);
      expect(alone.trials[0]).toEqual(all.trials[i]);
      expect(alone.view[0].decisions).toEqual(all.view[i].decisions);
      alone.view[0].probabilities.forEach((p, t) => p.forEach((q, k) => expect(q).toBeCloseTo(all.view[i].probabilities[t][k], 6)));
    }
    // Different seeds: different controllers.
    expect(all.trials[0]).not.toEqual(all.trials[1]);
  });

  it('an update with a positive advantage raises the log-probability of the architecture, a negative one lowers it; the first trial moves nothing', async () => {
    const one = { ...config, children: 1 };
    const batch = new ControllerBatch(table, seeds.slice(0, 2), one);
    const d = batch.sample();
    const before = batch.logProb(d);
    batch.update(d, [1, -1]);
    const after = batch.logProb(d);
    expect(after[0]).toBeGreaterThan(before[0]);
    expect(after[1]).toBeLessThan(before[1]);
    // The first trial's advantage is R − b = 0 (b starts at the first reward): Adam then takes no step.
    const fresh = new ControllerBatch(table, seeds.slice(0, 2), one);
    const start = await fresh.mostLikely();
    const cells = fresh.step();
    expect(cells).toEqual(fresh.runs.map((r) => r.pending[0]));
    cells.forEach((c, s) => expect(fresh.baseline[s]).toBeCloseTo(table.val[c], 12));
    expect(await fresh.mostLikely()).toEqual(start);
    batch.dispose();
    fresh.dispose();
  });

  it('leaves no tensor behind: the count holds across steps and returns to where it was after dispose', async () => {
    const before = tf.memory().numTensors;
    const batch = new ControllerBatch(table, seeds, config);
    batch.step();
    const during = tf.memory().numTensors;
    for (let t = 0; t < 2; t++) batch.step();
    await batch.advance();
    await batch.mostLikely();
    batch.logProb(batch.sample());
    expect(tf.memory().numTensors).toBe(during);
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => batch.step()).toThrow(/after dispose/);
  });
});
