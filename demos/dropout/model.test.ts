import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import { createStackedMlp, disposeMlp, initLayers, parameterCount, type Layer } from '../runtime/models/stacked-mlp';
import { createPair, DEFAULT_CONFIG, dropout, forward, mcDropout, pairSimulation } from './model';
import { pairData } from './data';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('inverted dropout', () => {
  it('keeps ≈ (1 − p) of the units, scales them by 1/(1 − p), and preserves the expected activation', () => {
    const n = 200_000;
    const p = 0.3;
    const out = tf.tidy(() => dropout(tf.ones([n]), p, mulberry32(1)).dataSync());
    let kept = 0, sum = 0, other = 0;
    for (const v of out) {
      if (v !== 0) kept++;
      if (v !== 0 && Math.abs(v - 1 / (1 - p)) > 1e-5) other++;
      sum += v;
    }
    expect(other).toBe(0); // every output is 0 or 1/(1 − p)
    expect(Math.abs(kept / n - (1 - p))).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    // E[output] = 1; the standard error of the mean of n outputs is √(p/(1 − p)/n).
    expect(Math.abs(sum / n - 1)).toBeLessThan(4 * Math.sqrt(p / (1 - p) / n));
  });

  it('preserves each unit’s mean for arbitrary activations, per column, over many masks', () => {
    const h = [0.5, -2, 3, 0, 1.25];
    const rows = 40_000;
    const p = 0.5;
    const out = tf.tidy(() => dropout(tf.tile(tf.tensor2d([h]), [rows, 1]), p, mulberry32(2)).dataSync());
    h.forEach((v, j) => {
      let s = 0;
      for (let r = 0; r < rows; r++) s += out[r * h.length + j];
      // Each output is v/(1 − p) or 0: its standard deviation is |v|·√(p/(1 − p)).
      expect(Math.abs(s / rows - v)).toBeLessThanOrEqual(4 * Math.abs(v) * Math.sqrt(p / (1 - p) / rows) + 1e-6);
    });
  });

  it('is the identity at rate 0, also as one slice of a per-net rate tensor, and replays from its seed', () => {
    const h = tf.randomNormal([2, 50, 16], 0, 1, 'float32', 3);
    const x = h.dataSync();
    const id = tf.tidy(() => dropout(h, 0, mulberry32(5)).dataSync());
    expect(Array.from(id)).toEqual(Array.from(x));
    const [a, b] = [7, 7].map((s) => tf.tidy(() => dropout(h, tf.tensor3d([0, 0.5], [2, 1, 1]), mulberry32(s)).dataSync()));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a.slice(0, 800))).toEqual(Array.from(x.slice(0, 800))); // net 0: rate 0
    const zeros = Array.from(a.slice(800)).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(300); // net 1: about half of 800 dropped
    expect(zeros).toBeLessThan(500);
    h.dispose();
  });
});

describe('MC dropout', () => {
  // A tiny net 2 → 3 → 2 with fixed weights: small enough to enumerate all 2³ dropout masks exactly.
  const layers: Layer[] = initLayers([2, 3, 2], 9);
  layers[0].b.set([0.3, -0.1, 0.2]);
  layers[1].b.set([0.1, -0.2]);
  const points = [0.4, -0.7, -1.2, 0.5, 1.5, 0.9];

  /** Exact mean and std of the class-1 probability over dropout masks on the hidden layer, in float64. */
  function exact(px: number, py: number, p: number): { mean: number; std: number } {
    const [l1, l2] = layers;
    const h = [0, 1, 2].map((j) => Math.max(0, px * l1.w[j] + py * l1.w[3 + j] + l1.b[j]));
    let m = 0, m2 = 0;
    for (let mask = 0; mask < 8; mask++) {
      let prob = 1;
      const hd = h.map((v, j) => {
        const keep = (mask >> j) & 1;
        prob *= keep ? 1 - p : p;
        return keep ? v / (1 - p) : 0;
      });
      const z = [0, 1].map((c) => hd.reduce((s, v, j) => s + v * l2.w[2 * j + c], l2.b[c]));
      const p1 = 1 / (1 + Math.exp(z[0] - z[1]));
      m += prob * p1;
      m2 += prob * p1 * p1;
    }
    return { mean: m, std: Math.sqrt(m2 - m * m) };
  }

  it('matches the exact predictive mean and spread of an enumerable network', () => {
    const mlp = createStackedMlp([layers]);
    const T = 20_000;
    const p = 0.5;
    const [mean, std] = tf.tidy(() => {
      const r = mcDropout(mlp, tf.tensor2d(points, [3, 2]), tf.tensor3d([p], [1, 1, 1]), T, mulberry32(11));
      return [r.mean.dataSync(), r.std.dataSync()];
    });
    for (let i = 0; i < 3; i++) {
      const e = exact(points[2 * i], points[2 * i + 1], p);
      expect(e.std).toBeGreaterThan(0.01); // the enumeration is not degenerate
      expect(Math.abs(mean[i] - e.mean)).toBeLessThan(4.5 * (e.std / Math.sqrt(T)) + 1e-6);
      expect(std[i] / e.std).toBeGreaterThan(0.95);
      expect(std[i] / e.std).toBeLessThan(1.05);
    }
    // At rate 0 every pass is the deterministic network: zero spread, mean = its prediction.
    const [mean0, std0, det] = tf.tidy(() => {
      const x = tf.tensor2d(points, [3, 2]);
      const r = mcDropout(mlp, x, tf.tensor3d([0], [1, 1, 1]), 50, mulberry32(1));
      const d = tf.softmax(forward(mlp, x.reshape([1, 3, 2]) as tf.Tensor3D)).gather([1], 2).reshape([-1]);
      return [r.mean.dataSync(), r.std.dataSync(), d.dataSync()];
    });
    expect(Array.from(std0)).toEqual([0, 0, 0]);
    for (let i = 0; i < 3; i++) {
      expect(mean0[i]).toBeCloseTo(det[i], 6);
      expect(det[i]).toBeCloseTo(exact(points[2 * i], points[2 * i + 1], 0).mean, 5);
    }
    disposeMlp(mlp);
  });
});

describe('the plain / dropout pair', () => {
  it('stacks identical initial weights and packs parameters as documented', async () => {
    const pair = createPair({ hidden: [8, 4] });
    const w = await pair.parameters();
    expect(w.plain.length).toBe(parameterCount([2, 8, 4, 2]));
    expect(w.plain.length).toBe(3 * 8 + 9 * 4 + 5 * 2);
    expect(Array.from(w.dropout)).toEqual(Array.from(w.plain));
    const f = await pair.step(0);
    expect(f.dropout).toEqual(f.plain); // same weights, no dropout at evaluation: same numbers
    expect(f.steps).toBe(0);
    pair.dispose();
  });

  it('first Adam step moves every parameter with a non-zero gradient by ≈ lr (m̂/√v̂ = ±1)', async () => {
    const lr = 0.01;
    const pair = createPair({ hidden: [16, 16], lr, rate: 0.4 });
    const before = await pair.parameters();
    await pair.step(1);
    const after = await pair.parameters();
    for (const net of ['plain', 'dropout'] as const) {
      const d = after[net].map((v, i) => Math.abs(v - before[net][i]));
      const moved = Array.from(d).filter((v) => v > 0);
      expect(moved.length).toBeGreaterThan(d.length / 3);
      for (const v of moved) expect(v).toBeLessThanOrEqual(lr * (1 + 1e-3));
      const median = moved.sort((a, b) => a - b)[moved.length >> 1];
      expect(median).toBeCloseTo(lr, 4);
    }
    // With dropout on, the two nets saw different masks: their parameters differ after one step.
    expect(Array.from(after.dropout)).not.toEqual(Array.from(after.plain));
    pair.dispose();
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`at rate 0 both nets stay bit-identical step for step (${backend}, full and mini-batch)`, async () => {
      await tf.setBackend(backend);
      for (const batchSize of [null, 16]) {
        const pair = createPair({ rate: 0, hidden: [16, 16], batchSize, seed: 3 });
        for (let i = 0; i < 4; i++) {
          const f = await pair.step(5);
          expect(f.dropout).toEqual(f.plain);
        }
        const w = await pair.parameters();
        expect(Array.from(w.dropout)).toEqual(Array.from(w.plain));
        const b = await pair.boundary(12);
        expect(Array.from(b.dropout)).toEqual(Array.from(b.plain));
        pair.dispose();
      }
      await tf.setBackend('cpu');
    });
  }

  it('reports as objective the mean over the call\'s steps of the loss each step minimised', async () => {
    // Full batch: the plain net's objective at a step is its training loss before that step. Stepping
    // one at a time in a twin pair (same seed) gives those losses; NaN when the call ran no step.
    const [a, b] = [createPair({ hidden: [16, 16], seed: 6 }), createPair({ hidden: [16, 16], seed: 6 })];
    const losses: number[] = [];
    let f = await b.step(0);
    expect(Number.isNaN(f.plain.objective) && Number.isNaN(f.dropout.objective)).toBe(true);
    for (let i = 0; i < 3; i++) {
      losses.push(f.plain.trainLoss);
      f = await b.step(1);
      expect(f.plain.objective).toBeCloseTo(losses[i], 6);
    }
    const g = await a.step(3);
    expect(g.plain.objective).toBeCloseTo((losses[0] + losses[1] + losses[2]) / 3, 6);
    expect(g.plain.trainLoss).toBe(f.plain.trainLoss); // the same training, called differently
    expect(g.dropout.objective).toBeGreaterThan(0);
    expect(Number.isNaN((await a.step(0)).plain.objective)).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('train(k) then step(0) is step(k): the same parameters and numbers, the objective over the steps since the last evaluation', async () => {
    const [a, b] = [createPair({ hidden: [16, 16], seed: 4, batchSize: 16 }), createPair({ hidden: [16, 16], seed: 4, batchSize: 16 })];
    await Promise.all([a.step(0), b.step(0)]);
    const before = tf.memory().numTensors;
    const one = await a.step(3);
    b.train(3);
    expect(tf.memory().numTensors).toBe(before);
    const apart = await b.step(0);
    expect(apart).toEqual(one);
    expect(Array.from((await b.parameters()).dropout)).toEqual(Array.from((await a.parameters()).dropout));
    expect(Number.isNaN((await b.step(0)).plain.objective)).toBe(true);
    a.dispose();
    b.dispose();
    expect(() => b.train(1)).toThrow(/dispose/);
  });

  it('evaluates deterministically at test time while training is stochastic', async () => {
    const pair = createPair({ hidden: [16, 16], rate: 0.5 });
    await pair.step(10);
    const [b1, b2] = [await pair.boundary(10), await pair.boundary(10)];
    expect(Array.from(b1.dropout)).toEqual(Array.from(b2.dropout));
    expect(b1.plain.length).toBe(100);
    const [e1, e2] = [await pair.step(0), await pair.step(0)];
    expect(e1).toEqual(e2);
    // MC passes at the same points do vary for the dropout net, never for the plain one.
    const mc = await pair.mcPredict(new Float32Array([0, 0, 1, -0.5, -1, 0.5]), 64, 3);
    expect(Array.from(mc.std.plain)).toEqual([0, 0, 0]);
    expect(Math.max(...mc.std.dropout)).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect(mc.mean.plain[i]).toBeGreaterThanOrEqual(0);
    pair.dispose();
  });

  it('frees everything it made: numTensors unchanged across steps and after dispose', async () => {
    const before = tf.memory().numTensors;
    const pair = createPair(); // the demo's defaults, also timed here
    const created = tf.memory().numTensors;
    await pair.step(1);
    const t0 = performance.now();
    await pair.step(20);
    const ms = (performance.now() - t0) / 20;
    await pair.boundary(8);
    await pair.mcPredict(new Float32Array([0, 0]), 8);
    await pair.parameters();
    pair.setRate(0.2);
    await pair.step(2);
    expect(tf.memory().numTensors).toBe(created);
    pair.dispose();
    pair.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(pair.step(1)).rejects.toThrow(/dispose/);
    expect(() => pair.setRate(1)).toThrow(/rate/);
    console.info(`dropout: one training step of both 2→64→64→2 nets on CPU ≈ ${ms.toFixed(1)} ms`);
  });
});

describe('pairSimulation: the pair as the demo\'s loop (in its worker) drives it', () => {
  it('step(k) trains k steps and evaluates with the decision regions, as the pair does; frames survive postMessage; frees its tensors', async () => {
    const cfg = { seed: 4, hidden: [16, 16], nTrain: 40 };
    const before = tf.memory().numTensors;
    const sim = pairSimulation(cfg, 12);
    const f0 = await sim.step(0);
    expect(f0.steps).toBe(0);
    expect(f0.boundary.resolution).toBe(12);
    expect(f0.boundary.plain.length).toBe(144);
    // Until the first frame comes, the page draws the points from pairData: the very points the pair trains on.
    expect(pairData(cfg.seed, cfg)).toEqual(f0.data);
    // The worker posts frames: plain numbers and typed arrays, nothing that structured cloning loses or refuses.
    expect(structuredClone(f0)).toEqual(f0);
    const held = tf.memory().numTensors;
    const f5 = await sim.step(5);
    const ref = createPair(cfg);
    const r5 = await ref.step(5);
    const regions = await ref.boundary(12);
    ref.dispose();
    expect(f5.steps).toBe(5);
    expect(f5.plain).toEqual(r5.plain);
    expect(f5.dropout).toEqual(r5.dropout);
    expect(Array.from(f5.boundary.dropout)).toEqual(Array.from(regions.dropout));
    expect(tf.memory().numTensors).toBe(held);
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

// One seed checks the mechanism; `npm run reproduce -- dropout` (scripts/reproduce-results.ts) runs seeds 1–5.
describe('dropout narrows the overfitting gap (defaults, seed 1)', () => {
  // Same defaults as the demo; WASM only to keep the suite fast (the CPU kernels give the same story).
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const seed of [1]) {
    it(`seed ${seed}: after ${300} steps the plain net has lower train loss but higher test loss`, async () => {
      const pair = createPair({ seed });
      expect(pair.config.rate).toBe(DEFAULT_CONFIG.rate);
      const t0 = performance.now();
      const f = await pair.step(300);
      const ms = (performance.now() - t0) / 300;
      pair.dispose();
      console.info(
        `dropout seed ${seed}: train ${f.plain.trainLoss.toFixed(3)} vs ${f.dropout.trainLoss.toFixed(3)}, ` +
          `test ${f.plain.testLoss.toFixed(3)} vs ${f.dropout.testLoss.toFixed(3)}, ` +
          `test acc ${f.plain.testAcc.toFixed(3)} vs ${f.dropout.testAcc.toFixed(3)} (${ms.toFixed(1)} ms/step ${tf.getBackend()})`,
      );
      expect(f.steps).toBe(300);
      expect(f.plain.trainLoss).toBeLessThan(f.dropout.trainLoss);
      expect(f.plain.testLoss).toBeGreaterThan(f.dropout.testLoss);
      // The plain net fits beyond the ≈ 1 − flip = 0.9 a noise-free boundary could reach: it memorises noise.
      expect(f.plain.trainAcc).toBeGreaterThan(0.9);
    });
  }
});
