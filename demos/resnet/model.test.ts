import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { sliceDigits, type MnistArrays } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { forwardResidual, residualBlock, residualBranch, residualChain, residualParams, weightGradNorms, type ResidualShape } from '../runtime/models/residual';
import { createSegmentedGrad } from '../runtime/segmented-grad';
import { crossEntropy } from '../runtime/models/stacked-mlp';
import { blockWeights, createResnetRun, probeUnits, runUnits, stepUnits } from './model';

/** Named parameter tensors of S stacked nets (the caller disposes them, or makes them in a tidy). */
const tensors = (shape: ResidualShape, nets: number, seed: number) => {
  const p: Record<string, tf.Tensor> = {};
  for (const q of residualParams(shape, nets, seed)) p[q.name] = tf.tensor(q.values, q.shape);
  return { p, values: residualParams(shape, nets, seed) };
};

/** y = x·W + b in float64 for one net's row-major W [n × m]. */
const dense = (x: number[], w: Float32Array, b: Float32Array, m: number) => Array.from({ length: m }, (_, j) => x.reduce((s, xi, i) => s + xi * w[i * m + j], b[j]));
const relu = (v: number[]) => v.map((a) => Math.max(0, a));

describe('the residual block', () => {
  it('computes relu(F(x) + x) with F(x) = W_b·relu(W_a·x + b_a) + b_b, and relu(F(x)) without the shortcut', async () => {
    const shape: ResidualShape = { inputs: 3, width: 4, blocks: 1, classes: 2, batchNorm: false };
    const x = [[0.5, -1.2, 0.3, 2.0], [-0.7, 0.1, 1.5, -0.4]];
    const [res, plain, branch] = tf.tidy(() => {
      const { p } = tensors(shape, 1, 3);
      const h = tf.tensor3d([x], [1, 2, 4]);
      return [residualBlock(shape, p, 0, h, tf.ones([1, 1, 1])), residualBlock(shape, p, 0, h, tf.zeros([1, 1, 1])), residualBranch(shape, p, 0, h)].map((t) => t.dataSync());
    });
    const { values } = tensors(shape, 1, 3);
    tf.dispose(Object.values(tensors(shape, 1, 3).p)); // (tensors() also made tensors: free them)
    const v = (name: string) => values.find((q) => q.name === name)!.values;
    x.forEach((row, i) => {
      const F = dense(relu(dense(row, v('w1'), v('b1'), 4)), v('w2'), v('b2'), 4);
      for (let j = 0; j < 4; j++) {
        expect(branch[i * 4 + j]).toBeCloseTo(F[j], 5);
        expect(res[i * 4 + j]).toBeCloseTo(Math.max(0, F[j] + row[j]), 5);
        expect(plain[i * 4 + j]).toBeCloseTo(Math.max(0, F[j]), 5);
      }
    });
  });
});

describe('per-layer gradient norms', () => {
  it('equal the norms of central finite differences of the loss, for every weight matrix (batch norm on)', () => {
    const shape: ResidualShape = { inputs: 3, width: 3, blocks: 1, classes: 2, batchNorm: true };
    const xs = [0.2, -0.5, 0.9, 1.1, 0.3, -0.8, -0.4, 0.7, 0.1, 0.6, -0.2, -1.0];
    const labels = [0, 1, 1, 0];
    const before = tf.memory().numTensors;
    const { measured, fd } = tf.tidy(() => {
      const { p } = tensors(shape, 1, 5);
      const x = tf.tensor3d(xs, [1, 4, 3]);
      const y = tf.tensor1d(labels, 'int32');
      const one = tf.ones([1, 1, 1]);
      const loss = (q: Record<string, tf.Tensor>) => crossEntropy(forwardResidual(shape, q, x, one), y);
      const measured = weightGradNorms(shape, p, loss).dataSync();
      const eps = 2e-3;
      const fd = [0, 1, 2, 3].map((l) => {
        const w = p[`w${l}`].dataSync();
        let sq = 0;
        for (let i = 0; i < w.length; i++) {
          const at = (d: number) => {
            const shifted = Float32Array.from(w);
            shifted[i] += d;
            return loss({ ...p, [`w${l}`]: tf.tensor(shifted, p[`w${l}`].shape) }).dataSync()[0];
          };
          sq += ((at(eps) - at(-eps)) / (2 * eps)) ** 2;
        }
        return Math.sqrt(sq);
      });
      return { measured, fd };
    });
    expect(tf.memory().numTensors).toBe(before);
    fd.forEach((g, l) => expect(Math.abs(measured[l] - g) / g, `layer ${l}: ${measured[l]} vs ${g}`).toBeLessThan(2e-3));
  });
});

describe('the probe measurement spread over calls', () => {
  it('equals the one-shot pass: the same losses and gradient norms, batch norm over the whole probe, plain and residual', () => {
    const shape: ResidualShape = { inputs: 6, width: 5, blocks: 2, classes: 3, batchNorm: true };
    const before = tf.memory().numTensors;
    const { p } = tensors(shape, 2, 9);
    const x = tf.tensor3d(Float32Array.from({ length: 2 * 12 * 6 }, (_, i) => Math.sin(1.7 * i)), [2, 12, 6]);
    const y = tf.tensor1d(Int32Array.from({ length: 12 }, (_, i) => (i * 7) % 3), 'int32');
    const shortcut = tf.tensor3d([0, 1], [2, 1, 1]);
    const oneShot = tf.tidy(() => {
      const logits: tf.Tensor3D[] = [];
      const norms = weightGradNorms(shape, p, (q) => {
        logits.push(tf.keep(forwardResidual(shape, q, x, shortcut)));
        return crossEntropy(logits[0], y);
      });
      const ce = crossEntropy(logits[0], y);
      tf.dispose(logits);
      return { ce: Array.from(ce.dataSync()), norms: Array.from(norms.dataSync()) };
    });
    const sg = createSegmentedGrad();
    sg.start(x, residualChain(shape, p, shortcut, (z) => crossEntropy(z, y), (z) => crossEntropy(z, y)), { inputGrad: false });
    let r = null;
    for (let calls = 0; !r; calls++) {
      expect(calls).toBeLessThan(2 * (shape.blocks + 3));
      r = sg.advance(1);
    }
    const ce = Array.from(r.forward[shape.blocks + 1]!.dataSync());
    const norms = r.backward.flatMap((b) => (b ? Array.from(b.dataSync()) : []));
    ce.forEach((v, i) => expect(v).toBeCloseTo(oneShot.ce[i], 5));
    expect(norms.length).toBe(oneShot.norms.length);
    norms.forEach((v, i) => expect(Math.abs(v - oneShot.norms[i]) / oneShot.norms[i], `norm ${i}`).toBeLessThan(1e-5));
    sg.dispose();
    tf.dispose([...Object.values(p), x, y, shortcut]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the ResNet demo on MNIST', () => {
  let train: MnistArrays;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    train = sliceDigits(loadMnistNode('train'), 0, 1000);
  });
  afterAll(() => tf.setBackend('cpu'));

  it('at 20 hidden layers the residual net trains faster than the plain one with the same weights; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const run = createResnetRun(train, { depth: 20, width: 16, batchSize: 32, total: 30, probe: 64 });
    const start = await run.step(0);
    let f = await run.step(1); // the first step runs its pass at once, allocating the pass's storage
    const counted = tf.memory().numTensors;
    let calls = 0;
    while (f.steps < 30 || f.measuring) {
      f = await run.step(calls % 2 ? 15 : 2); // whole steps at once, and parts of a step's pass
      calls++;
      expect(tf.memory().numTensors).toBe(counted);
    }
    expect(f.measuredAt).toBe(30);
    expect(calls).toBeGreaterThan(2); // the measurements at steps 10 (inside the first call's 15) and 30 took calls of their own
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Same weights and batches; the residual net even starts higher (its activations grow block by block).
    expect(start.probeLoss[1]).toBeGreaterThan(start.probeLoss[0]);
    expect(f.steps).toBe(30);
    const [plain, residual] = f.probeLoss;
    expect(residual).toBeLessThan(plain - 0.2);
    expect(residual).toBeLessThan(start.probeLoss[1] - 0.5);
  });
});

describe('the ResNet demo, a unit of work at a time', () => {
  let train: MnistArrays;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    train = sliceDigits(loadMnistNode('train'), 0, 500);
  });
  afterAll(() => tf.setBackend('cpu'));

  it('a step spread over stepUnits calls and a measurement over probeUnits give the numbers of whole steps, runUnits calls in all', async () => {
    const cfg = { depth: 6, width: 16, batchSize: 16, total: 12, probe: 32 };
    const [whole, apart] = [createResnetRun(train, cfg), createResnetRun(train, cfg)];
    const [w0, a0] = [await whole.step(0), await apart.step(0)];
    expect(a0).toEqual(w0);
    let w = await whole.step(100); // room for every step at once; the measurements of steps 10 and 12 in between
    while (w.measuring || w.steps < 12) w = await whole.step(100);
    let a = a0;
    let calls = 0;
    const losses: number[] = [];
    while (a.measuring || a.steps < 12) {
      const was = a.steps;
      a = await apart.step(1);
      calls++;
      if (a.trainLoss) {
        expect(a.steps).toBe(was + 1);
        losses.push(a.trainLoss[1]);
      }
    }
    expect(losses.length).toBe(12);
    // The first step runs at once; then a step takes stepUnits calls, a measurement probeUnits.
    expect(calls).toBe(1 + 11 * stepUnits(3) + 2 * probeUnits(3));
    expect(calls).toBeLessThanOrEqual(runUnits(cfg));
    expect(stepUnits(10)).toBe(3); // the demo's 22 layers: three calls a step
    expect(a.measuredAt).toBe(12);
    expect(w.measuredAt).toBe(12);
    // The segmented pass is the one-shot gradient up to rounding.
    const close = (x: Float32Array, y: Float32Array) => Array.from(x).forEach((v, i) => expect(Math.abs(v - y[i]) / Math.max(1e-6, Math.abs(y[i]))).toBeLessThan(1e-3));
    close(a.probeLoss, w.probeLoss);
    a.gradNorms.forEach((row, l) => close(row, w.gradNorms[l]));
    whole.dispose();
    apart.dispose();
  }, 120_000);
});

describe('the bottleneck block', () => {
  it('at 256 channels costs about what a basic block costs at 64, and far less than a basic block at 256', () => {
    const bottleneck = blockWeights('bottleneck', 256);
    expect(bottleneck).toBe(256 * 64 + 9 * 64 * 64 + 64 * 256);
    expect(bottleneck / blockWeights('basic', 64)).toBeGreaterThan(0.9);
    expect(bottleneck / blockWeights('basic', 64)).toBeLessThan(1);
    expect(blockWeights('basic', 256) / bottleneck).toBeGreaterThan(16);
  });
});
