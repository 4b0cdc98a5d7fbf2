import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { loadModel, type ModelManifest } from '../runtime/data/models';
import { sliceRange } from '../runtime/models/classify';
import { binaryPredict, cnnWeights, fineTuneBinary, inputScales, type CnnWeights } from '../runtime/models/binary';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { floatConv, packInput, packKernel, popcount32, xnorConv } from './kernel';
import { cnnCost, cnnTotals, xnorConvFloat, createXnorDemo, createXnorTiming, conv2Arrays, demoSteps, filterSlice, paperSpeedup, randomValues, tfSignConv, WARMUPS, type Networks } from './model';

const models: tf.LayersModel[] = [];
let nets: Networks;
const test = sliceRange(loadMnistNode('test'), 0, 100);
const manifest = (name: string) => JSON.parse(fs.readFileSync(path.join('public', 'models', name, 'manifest.json'), 'utf8')) as ModelManifest;

beforeAll(async () => {
  await useNodeBackend('wasm');
  const load = async (name: string) => {
    const { model } = await loadModel(name, { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
    models.push(model);
    return cnnWeights(model);
  };
  nets = { full: await load('cnn'), bwn: await load('cnn-bwn'), xnor: await load('cnn-xnor') };
});
afterAll(() => models.forEach((m) => m.dispose()));

describe('the bit-packed XNOR-popcount convolution', () => {
  it('popcount32 counts the set bits of any 32-bit word', () => {
    for (const [v, n] of [[0, 0], [1, 1], [0xffffffff, 32], [0x80000000, 1], [-1, 32], [0x0f0f0f0f, 16], [0xdeadbeef, 24]]) expect(popcount32(v)).toBe(n);
  });

  // Channel counts below, at and across a word boundary (16, 32, 40, 64), 1×1 to 5×5 kernels.
  it.each([
    { h: 6, w: 7, c: 16, k: 5, f: 3 },
    { h: 5, w: 5, c: 32, k: 3, f: 4 },
    { h: 4, w: 6, c: 40, k: 3, f: 5 },
    { h: 3, w: 3, c: 64, k: 1, f: 2 },
  ])('equals tfjs conv2d of sign(I), sign(W) exactly: %o', async (s) => {
    const input = randomValues(s.h * s.w * s.c, 3);
    input[0] = 0; // sign(0) = +1 on both sides
    const kernel = randomValues(s.k * s.k * s.c * s.f, 4);
    const got = xnorConv(packInput(input, s.h * s.w, s.c), packKernel(kernel, s.k, s.c, s.f), s);
    const want = await tfSignConv(input, kernel, s);
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(Array.from(xnorConvFloat(input, packKernel(kernel, s.k, s.c, s.f), s))).toEqual(Array.from(got));
    // and the float loop agrees with tfjs on the signs (integers: exact in float32)
    const signs = (a: Float32Array) => a.map((v) => (v >= 0 ? 1 : -1));
    expect(Array.from(floatConv(signs(input), signs(kernel), s))).toEqual(Array.from(want));
  });

  it('the timing sweep times tf, the float loop and XNOR for every shape, and leaves no tensor', async () => {
    const before = tf.memory().numTensors;
    const shapes = [{ h: 6, w: 6, c: 32, k: 3, f: 8 }];
    const sim = createXnorTiming(shapes, 1);
    const warmup = WARMUPS.tf + WARMUPS.js + WARMUPS.xnor;
    let f = await sim.step(warmup); // the warm-up, one run of one path per step
    expect(f.done).toBe(false);
    expect(f.samples).toEqual([0]);
    f = await sim.step(3); // the one sample
    expect(f.done).toBe(true);
    for (const p of ['tf', 'js', 'xnor'] as const) expect(f.medians[0][p]).toBeGreaterThan(0);
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the cost of the CNN and the paper’s speed-up', () => {
  it('counts multiply-adds, binary operations and bits; the paper’s S is 62.27× for c = 256, 3×3', () => {
    const rows = cnnCost();
    const params = rows.reduce((n, r) => n + r.weights + r.biases, 0);
    expect(params).toBe(manifest('cnn').params); // 80,202: the layers counted are the shipped network's
    const t = cnnTotals(rows);
    expect(t.macs).toBe(230400 + 819200 + 65536 + 1280);
    expect(t.binaryOps).toBe(819200 + 65536);
    expect(t.binaryOps / t.macs).toBeCloseTo(0.79, 2); // the notes: 79 % of the multiply-adds
    expect((12800 + 65536) / params).toBeCloseTo(0.98, 2); // and 98 % of the weights
    expect(t.binaryLayerBitsFloat / t.binaryLayerBits).toBeCloseTo(28.4, 1); // the notes: conv2 and fc1 about 28× smaller (α, biases stay float)
    expect(t.bitsFloat / t.bitsBinary).toBeCloseTo(17.9, 1); // the whole network about 18×
    expect(paperSpeedup(256, 9)).toBeCloseTo(62.27, 2);
    expect(paperSpeedup(16, 25)).toBeCloseTo(55.17, 2); // the CNN's conv2
    expect(paperSpeedup(64, 9)).toBeCloseTo(57.6, 2); // the notes' timing table
    expect(paperSpeedup(512, 9)).toBeCloseTo(63.12, 2);
  });
});

describe('the binarised networks', () => {
  it('K is the mean |I| over channels, box-filtered over each k×k window', () => {
    const k = tf.tidy(() => inputScales(tf.fill([1, 3, 3, 2], -2) as tf.Tensor4D, 3));
    expect(k.shape).toEqual([1, 1, 1, 1]);
    expect(k.dataSync()[0]).toBeCloseTo(2, 6);
    k.dispose();
  });

  it('the page scores the three shipped networks on real tfjs ops; what it measures agrees with the manifests', async () => {
    const before = tf.memory().numTensors;
    const o = { batch: 100, repeats: 1, shapes: [{ h: 5, w: 5, c: 32, k: 3, f: 4 }] };
    const sim = createXnorDemo(nets, test, o);
    const f0 = await sim.step(0);
    expect(f0.scored).toBe(0);
    const f = await sim.step(demoSteps(test.count, o));
    expect(f.done).toBe(true);
    expect(f.scored).toBe(100);
    expect(tf.memory().numTensors).toBe(before + 2); // the sweep's input and kernel tensors, until dispose
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // On the first 100 test digits no network makes more mistakes than its manifest counts on all 10,000.
    for (const [mode, name] of [['full', 'cnn'], ['bwn', 'cnn-bwn'], ['xnor', 'cnn-xnor']] as const) {
      const m = manifest(name);
      expect(100 - f.scores[mode].correct).toBeLessThanOrEqual(m.test.count - m.test.correct);
    }
    // The manifests' order (script, 10,000 digits): full ≥ BWN ≥ XNOR, as in the paper (BWN within a point).
    const acc = (n: string) => manifest(n).test.accuracy;
    expect(acc('cnn')).toBeGreaterThan(acc('cnn-bwn') - 0.002);
    expect(acc('cnn-bwn')).toBeGreaterThan(acc('cnn-xnor'));
    expect(acc('cnn') - acc('cnn-bwn')).toBeLessThan(0.01);
  });

  it('binarising without fine-tuning loses accuracy that fine-tuning wins back (XNOR, 100 digits)', async () => {
    const right = async (w: CnnWeights) => {
      const p = await binaryPredict(w, 'xnor', test, 0, 100);
      return p.filter((v, i) => v === test.labels[i]).length;
    };
    expect(await right(nets.full)).toBeLessThan(await right(nets.xnor));
  });

  it('shows one filter before and after binarising: α·sign(W), α the mean |W| of the filter', async () => {
    const c = await conv2Arrays(nets.bwn);
    expect(c.alphas).toHaveLength(32);
    let sum = 0;
    for (let i = 3; i < c.kernel.length; i += 32) sum += Math.abs(c.kernel[i]);
    expect(c.alphas[3]).toBeCloseTo(sum / 400, 6);
    const v = filterSlice(c, 3, 2);
    for (let t = 0; t < 25; t++) expect(v.binary[t]).toBe(Math.fround((v.latent[t] >= 0 ? 1 : -1) * v.alpha));
    expect(() => filterSlice(c, 32, 0)).toThrow(/32 filters/);
  });

  it('a fine-tuning step moves the latent weights through the straight-through estimator, and leaks nothing', async () => {
    const model = models[0];
    const copy = model.getWeights().map((t) => tf.variable(t.clone()));
    const w = Object.fromEntries(['conv1', 'conv1Bias', 'conv2', 'conv2Bias', 'fc1', 'fc1Bias', 'output', 'outputBias'].map((k, i) => [k, copy[i]])) as unknown as CnnWeights;
    const conv2 = Array.from(await w.conv2.data());
    const before = tf.memory().numTensors;
    const losses = await fineTuneBinary(w, test, { mode: 'xnor', steps: 1, batchSize: 16, learningRate: 1e-3, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.every(Number.isFinite)).toBe(true);
    const after = Array.from(await w.conv2.data());
    expect(after.filter((x, i) => x !== conv2[i]).length).toBeGreaterThan(conv2.length / 2);
    copy.forEach((t) => t.dispose());
  });
});
