import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { floatImages } from '../runtime/data/loader';
import { loadModel } from '../runtime/data/models';
import type { MnistArrays } from '../runtime/data/idx';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { camToPixels, checkTarget, createExplainer, explainChecked, MAPS, relu, rankCorrelation, type Explainer } from './model';

describe('the three ReLU rules', () => {
  it('pass the signal back as the gradient, as the deconvnet (ReLU of the signal) and as guided backprop (both)', () => {
    const x = tf.tensor1d([-1, 2, 3, -4, 5]);
    const dy = tf.tensor1d([1, -1, 2, 3, -2]);
    const back = (rule: 'gradient' | 'deconvnet' | 'guided') => tf.tidy(() => Array.from(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(relu(v, rule), dy)))(x).dataSync()));
    expect(back('gradient')).toEqual([0, -1, 2, 0, -2]); // the forward mask x > 0
    expect(back('deconvnet')).toEqual([1, 0, 2, 3, 0]); // the signal's own sign
    expect(back('guided')).toEqual([0, 0, 2, 0, 0]); // both
    expect(Array.from(tf.tidy(() => relu(x, 'guided').dataSync()))).toEqual([0, 2, 3, 0, 5]); // the forward pass is ReLU for all three
    tf.dispose([x, dy]);
  });
});

describe('rank correlation', () => {
  it('is 1 for the same order, −1 for the reverse, and handles ties', () => {
    expect(rankCorrelation([1, -2, 3, 4], [10, -20, 30, 40])).toBeCloseTo(1, 12);
    expect(rankCorrelation([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(rankCorrelation([0, 0, 1, 2], [0, 0, 2, 1])).toBeCloseTo(7 / 9, 12); // ranks 1.5 1.5 3 4 against 1.5 1.5 4 3
    expect(rankCorrelation([1, 1, 1], [1, 2, 3])).toBe(0);
    expect(() => rankCorrelation([1], [1])).toThrow(/rank correlation/);
  });
});

describe('camToPixels', () => {
  it('puts conv2 unit w on pixel 2w + 6.5, interpolates between units and holds the edges', () => {
    const grid = new Float32Array(64);
    grid[3 * 8 + 5] = 1; // unit (3, 5): centred on pixel (12.5, 16.5)
    const px = camToPixels(grid);
    expect(px[12 * 28 + 16]).toBeCloseTo(0.75 * 0.75, 6);
    expect(px[13 * 28 + 17]).toBeCloseTo(0.75 * 0.75, 6);
    expect(px[12 * 28 + 18]).toBeCloseTo(0.75 * 0.25, 6);
    expect(Math.max(...px)).toBeCloseTo(0.5625, 6);
    const ramp = camToPixels(Float32Array.from({ length: 64 }, (_, i) => i % 8));
    expect(ramp[0]).toBe(0); // left of the first centre: held
    expect(ramp[27]).toBe(7); // right of the last centre (20.5): held
    expect(ramp[10]).toBeCloseTo((10 - 6.5) / 2, 6); // linear in between
    expect(() => camToPixels([1, 2])).toThrow(/64/);
  });
});

describe('checkTarget', () => {
  it('accepts digits and existing channels, and says what exists otherwise', () => {
    expect(() => checkTarget({ kind: 'class', cls: 9 })).not.toThrow();
    expect(() => checkTarget({ kind: 'class', cls: 10 })).toThrow(/0–9/);
    expect(() => checkTarget({ kind: 'unit', layer: 'conv2', channel: 31 })).not.toThrow();
    expect(() => checkTarget({ kind: 'unit', layer: 'conv1', channel: 16 })).toThrow(/conv1 has channels 0–15/);
  });
});

describe('the shipped CNN explained, on wasm', () => {
  let model: tf.LayersModel;
  let explainer: Explainer;
  let test: MnistArrays;
  const digit = (i: number) => floatImages(test, i, i + 1);
  beforeAll(async () => {
    await useNodeBackend('wasm');
    model = (await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
    explainer = createExplainer(model);
    test = loadMnistNode('test');
  });
  afterAll(async () => {
    explainer?.dispose();
    model?.dispose();
    await tf.setBackend('cpu');
  });

  it('runs the shipped network itself: its probabilities are the model’s own, and the predicted class is the target', async () => {
    const before = tf.memory().numTensors;
    for (const i of [0, 1, 2]) {
      const e = await explainer.explain(digit(i), { target: { kind: 'class', cls: 'top' }, igSteps: 4 });
      const p = tf.tidy(() => (model.predict(tf.tensor4d(digit(i), [1, 28, 28, 1])) as tf.Tensor).dataSync());
      e.probs.forEach((v, k) => expect(v).toBeCloseTo(p[k], 5));
      expect(e.target).toEqual({ kind: 'class', cls: test.labels[i] }); // the network gets these right
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('saliency is the magnitude of the class score’s derivative (central differences on the strongest pixels)', async () => {
    const x = digit(1);
    const cls = test.labels[1];
    const e = await explainer.explain(x, { target: { kind: 'class', cls }, igSteps: 1 });
    // The logit through the Keras model's own layers: everything up to fc1 (dropout is the identity at inference),
    // then the output layer's kernel and bias without its softmax.
    const body = tf.model({ inputs: model.inputs, outputs: model.getLayer('dropout').output as tf.SymbolicTensor });
    const [kernel, bias] = model.getLayer('output').getWeights();
    const logit = (v: Float32Array) => tf.tidy(() => tf.add(tf.matMul(body.predict(tf.tensor4d(v, [1, 28, 28, 1])) as tf.Tensor2D, kernel), bias).dataSync()[cls]);
    // Central differences on the five pixels with the largest saliency, where the quotient is far above float32 noise.
    const order = Array.from(e.maps.saliency!.keys()).sort((a, b) => e.maps.saliency![b] - e.maps.saliency![a]).slice(0, 5);
    for (const i of order) {
      const h = 1e-2;
      const up = x.slice();
      const down = x.slice();
      up[i] += h;
      down[i] -= h;
      const fd = Math.abs((logit(up) - logit(down)) / (2 * h));
      expect(Math.abs(fd - e.maps.saliency![i])).toBeLessThan(0.05 * e.maps.saliency![i] + 0.02);
    }
  });

  it('integrated gradients are complete (they add up to the score’s rise from black), and more so with more steps', async () => {
    const gaps: number[] = [];
    for (const steps of [2, 64]) {
      const e = await explainer.explain(digit(2), { target: { kind: 'class', cls: 'top' }, igSteps: steps });
      gaps.push(Math.abs(e.igSum - e.igDelta) / Math.abs(e.igDelta));
      // Zero where the digit is black: attributions are gradient × (x − baseline).
      const x = digit(2);
      x.forEach((v, i) => v === 0 && expect(Math.abs(e.maps.ig![i])).toBe(0));
    }
    expect(gaps[1]).toBeLessThan(0.01);
    expect(gaps[1]).toBeLessThan(gaps[0]);
  });

  it('Grad-CAM and integrated gradients change with the class asked about; guided backprop hardly does (Selvaraju et al.)', async () => {
    const sim = { saliency: 0, guided: 0, gradcam: 0, ig: 0 };
    const digits = [0, 1, 2, 3, 4, 5];
    for (const i of digits) {
      const e = await explainer.explain(digit(i), { target: { kind: 'class', cls: 'top' }, igSteps: 16 });
      e.camGrid!.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
      const other = await explainer.explain(digit(i), { target: { kind: 'class', cls: (test.labels[i] + 3) % 10 }, igSteps: 16 });
      for (const m of ['saliency', 'guided', 'gradcam', 'ig'] as const) sim[m] += rankCorrelation(e.maps[m]!, other.maps[m]!) / digits.length;
    }
    expect(sim.guided).toBeGreaterThan(0.7);
    expect(sim.gradcam).toBeLessThan(0.3);
    expect(sim.ig).toBeLessThan(0.3);
    expect(sim.saliency).toBeLessThan(sim.guided);
  });

  it('a unit has no Grad-CAM, its score is its map’s peak, and its saliency stays inside its receptive field', async () => {
    // A conv2 unit sees a 14×14 window (5 + 1 + 4·2), a conv1 unit 5×5: no pixel outside moves its score.
    for (const [layer, field] of [['conv2', 14], ['conv1', 5]] as const) {
      const e = await explainer.explain(digit(0), { target: { kind: 'unit', layer, channel: 3 }, igSteps: 1 });
      expect(e.maps.gradcam).toBeNull();
      const maps = e[layer];
      const { side, channels } = MAPS[layer];
      let peak = -Infinity;
      for (let k = 0; k < side * side; k++) peak = Math.max(peak, maps[k * channels + 3]);
      expect(e.score).toBeCloseTo(peak, 5);
      const on = Array.from(e.maps.saliency!.keys()).filter((k) => e.maps.saliency![k] > 0);
      expect(on.length).toBeGreaterThan(0);
      const rows = on.map((k) => Math.floor(k / 28));
      const cols = on.map((k) => k % 28);
      expect(Math.max(...rows) - Math.min(...rows)).toBeLessThan(field);
      expect(Math.max(...cols) - Math.min(...cols)).toBeLessThan(field);
    }
  });

  it('the sanity check: re-drawing the output layer changes saliency far more than guided backprop (Adebayo et al.)', async () => {
    const before = tf.memory().numTensors;
    const sim = { saliency: 0, guided: 0, gradcam: 0 };
    for (const i of [0, 1, 2, 3, 4]) {
      const r = await explainChecked(explainer, digit(i), { target: { kind: 'class', cls: 'top' }, igSteps: 1, randomize: 'output', seed: 1 });
      expect(r.randomized!.target).toEqual(r.trained.target);
      for (const m of ['saliency', 'guided', 'gradcam'] as const) sim[m] += r.similarity[m]! / 5;
    }
    expect(sim.guided).toBeGreaterThan(0.8);
    expect(sim.saliency).toBeLessThan(sim.guided - 0.15);
    expect(sim.gradcam).toBeLessThan(sim.saliency);
    expect(tf.memory().numTensors).toBe(before);
  });
});
