import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { sliceDigits, type MnistArrays } from '../runtime/data/idx';
import { floatImages } from '../runtime/data/loader';
import { loadModel } from '../runtime/data/models';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createDistillRun, DEFAULT_CONFIG, digitLogits, distillLoss, distillLossTensor, fewPerClass, softGradient, softmaxAt, teacherLogits } from './model';

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));

describe('softmax at a temperature', () => {
  it('is the softmax at T = 1, keeps the ranking, and has log-ratios (z_i − z_j)/T', () => {
    const z = [3.2, -1.0, 0.4, 7.5];
    const p1 = softmaxAt(z, 1);
    const e = z.map(Math.exp);
    p1.forEach((p, i) => expect(p).toBeCloseTo(e[i] / e.reduce((a, b) => a + b), 12));
    for (const T of [0.5, 2, 8, 20]) {
      const p = softmaxAt(z, T);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(Math.log(p[0] / p[2])).toBeCloseTo((z[0] - z[2]) / T, 10);
      expect(p.indexOf(Math.max(...p))).toBe(3);
    }
    // Higher T, softer: the top probability falls and the entropy rises, towards uniform.
    const H = (p: Float64Array) => -p.reduce((s, v) => s + v * Math.log(v), 0);
    expect(softmaxAt(z, 8)[3]).toBeLessThan(softmaxAt(z, 2)[3]);
    expect(H(softmaxAt(z, 8))).toBeGreaterThan(H(softmaxAt(z, 2)));
    softmaxAt(z, 1e6).forEach((p) => expect(p).toBeCloseTo(0.25, 5));
    // Large logits do not overflow.
    expect(Array.from(softmaxAt([1000, 0], 1))).toEqual([1, 0]);
    expect(() => softmaxAt(z, 0)).toThrow(/temperature/);
  });
});

describe('the distillation loss', () => {
  it('matches hand-computed values', () => {
    // s = (log 3, 0): softmax (3/4, 1/4). z = (0, 0): soft target (1/2, 1/2). Label 0.
    // hard = −log 3/4 = log 4/3; soft = −½ log 3/4 − ½ log 1/4 = ½ log 16/3.
    const a = distillLoss([Math.log(3), 0], [0, 0], 0, 1, 0.5);
    expect(a.hard).toBeCloseTo(Math.log(4 / 3), 12);
    expect(a.soft).toBeCloseTo(0.5 * Math.log(16 / 3), 12);
    expect(a.total).toBeCloseTo(0.5 * Math.log(4 / 3) + 0.5 * 0.5 * Math.log(16 / 3), 12);
    // T = 2 with s = (2 log 3, 0): s/T is the same, so the soft term is the same, scaled by T² = 4 in the total;
    // the hard term sees softmax(s) = (9/10, 1/10) at T = 1.
    const b = distillLoss([2 * Math.log(3), 0], [0, 0], 0, 2, 0.5);
    expect(b.hard).toBeCloseTo(Math.log(10 / 9), 12);
    expect(b.soft).toBeCloseTo(0.5 * Math.log(16 / 3), 12);
    expect(b.total).toBeCloseTo(0.5 * Math.log(10 / 9) + 0.5 * 4 * 0.5 * Math.log(16 / 3), 12);
    // α = 0 is ordinary training; α = 1 ignores the labels.
    expect(distillLoss([1, 2, 3], [3, 1, 0], 1, 4, 0).total).toBeCloseTo(distillLoss([1, 2, 3], [0, 0, 0], 1, 1, 0).hard, 12);
    expect(distillLoss([1, 2, 3], [3, 1, 0], 1, 4, 1).total).toBeCloseTo(distillLoss([1, 2, 3], [3, 1, 0], 2, 4, 1).total, 12);
    expect(() => distillLoss([0], [0, 1], 0, 1, 0.5)).toThrow(/logits/);
  });

  it('has the gradient (q − p)/T in the student logits (finite differences)', () => {
    const s = [0.3, -1.2, 2.0, 0.5, -0.1];
    const z = [1.0, 0.2, 3.5, -2.0, 0.0];
    for (const T of [1, 3, 10]) {
      const g = softGradient(s, z, T);
      const h = 1e-5;
      g.forEach((gi, i) => {
        const up = [...s];
        const down = [...s];
        up[i] += h;
        down[i] -= h;
        const fd = (distillLoss(up, z, 0, T, 1).soft - distillLoss(down, z, 0, T, 1).soft) / (2 * h);
        expect(gi).toBeCloseTo(fd, 7);
      });
      expect(g.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12); // softmaxes both sum to 1
    }
  });

  it('has soft gradients that shrink as 1/T², so T²·soft keeps its gradient’s size as T grows', () => {
    const s = [0.3, -1.2, 2.0, 0.5, -0.1];
    const z = [1.0, 0.2, 3.5, -2.0, 0.0];
    const K = s.length;
    const sizes = [5, 10, 20, 40, 80].map((T) => ({ T, g: norm(softGradient(s, z, T)) }));
    // Each doubling of T divides the gradient by nearly 4 (exactly 4 in the limit).
    for (let i = 1; i < sizes.length; i++) {
      const ratio = sizes[i - 1].g / sizes[i].g;
      expect(ratio).toBeGreaterThan(3.6);
      expect(ratio).toBeLessThan(4.2);
    }
    // T²·gradient tends to (s − z − mean(s − z))/K: matching logits, Hinton et al.'s high-temperature limit.
    const d = s.map((v, i) => v - z[i]);
    const mean = d.reduce((a, b) => a + b, 0) / K;
    const limit = d.map((v) => (v - mean) / K);
    const at = softGradient(s, z, 1000).map((v) => v * 1000 * 1000);
    at.forEach((v, i) => expect(v).toBeCloseTo(limit[i], 3));
    const scaled = sizes.map(({ T, g }) => T * T * g);
    expect(Math.abs(scaled[scaled.length - 1] / norm(limit) - 1)).toBeLessThan(0.01);
  });

  it('is what the trainer minimises: the tensor loss and its gradient match the array versions', () => {
    const S = [[0.3, -1.2, 2.0], [1.5, 0.1, -0.4]];
    const Z = [[1.0, 0.2, 3.5], [-2.0, 0.0, 0.7]];
    const labels = [2, 0];
    const T = 4;
    const alpha = 0.7;
    const before = tf.memory().numTensors;
    const [hardW, softW] = [tf.tensor2d([1, 1 - alpha], [2, 1]), tf.tensor2d([0, alpha * T * T], [2, 1])];
    const teacher = tf.tensor2d(Z);
    const y = tf.tensor1d(labels, 'int32');
    const student = tf.tensor3d([S, S]); // the same logits for both nets: [hard-only, distilled]
    const loss = tf.tidy(() => distillLossTensor(student, teacher, y, T, hardW, softW).arraySync());
    const mean = (f: (i: number) => number) => (f(0) + f(1)) / 2;
    expect(loss[0]).toBeCloseTo(mean((i) => distillLoss(S[i], Z[i], labels[i], T, alpha).hard), 5);
    expect(loss[1]).toBeCloseTo(mean((i) => distillLoss(S[i], Z[i], labels[i], T, alpha).total), 5);
    // d loss[1] / d s: (1 − α)(softmax(s) − onehot)/M + α T² (q − p)/(T M).
    const grad = tf.tidy(() => tf.grad((s: tf.Tensor) => distillLossTensor(s as tf.Tensor3D, teacher, y, T, hardW, softW).slice([1], [1]).sum())(student).arraySync() as number[][][]);
    S.forEach((s, i) => {
      const q1 = softmaxAt(s, 1);
      const soft = softGradient(s, Z[i], T);
      s.forEach((_, k) => expect(grad[1][i][k]).toBeCloseTo(((1 - alpha) * (q1[k] - (k === labels[i] ? 1 : 0)) + alpha * T * T * soft[k]) / 2, 5));
    });
    tf.dispose([hardW, softW, teacher, y, student]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('few digits per class', () => {
  it('draws perClass distinct digits of each class, in class order, the same for the same seed', () => {
    const labels = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) % 10);
    const data: MnistArrays = { count: 200, rows: 1, cols: 1, images: new Uint8Array(200), labels };
    const a = fewPerClass(data, 5, 3);
    expect(a).toHaveLength(50);
    expect(new Set(a).size).toBe(50);
    a.forEach((i, j) => expect(labels[i]).toBe(Math.floor(j / 5)));
    expect(Array.from(fewPerClass(data, 5, 3))).toEqual(Array.from(a));
    expect(Array.from(fewPerClass(data, 5, 4))).not.toEqual(Array.from(a));
    expect(() => fewPerClass(data, 21, 1)).toThrow(/class/);
  });
});

describe('the shipped teacher and two students on wasm', () => {
  let teacher: tf.LayersModel;
  let train: MnistArrays;
  let test: MnistArrays;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    teacher = (await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
    train = sliceDigits(loadMnistNode('train'), 0, 5000);
    test = sliceDigits(loadMnistNode('test'), 0, 1000);
  });
  afterAll(async () => {
    teacher?.dispose();
    await tf.setBackend('cpu');
  });

  it('gives real logits: their softmax is the model’s own output, and at T = 1 the small probabilities are tiny', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(floatImages(test, 0, 20), [20, 28, 28, 1]);
    const z = teacherLogits(teacher, x);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.softmax(z), teacher.predict(x) as tf.Tensor))).dataSync()[0]);
    tf.dispose([x, z]);
    expect(diff).toBeLessThan(1e-5);
    // Test digit 4, a 4 (the demo's first digit): sure of itself at T = 1, and at T = 8 it says "a bit like a 9".
    expect(test.labels[4]).toBe(4);
    const z4 = await digitLogits(teacher, floatImages(test, 4, 5));
    expect(tf.memory().numTensors).toBe(before);
    const p1 = softmaxAt(z4, 1);
    const p8 = softmaxAt(z4, DEFAULT_CONFIG.T);
    const runnerUp = (p: Float64Array) => p.reduce((best, v, k) => (k !== 4 && v > p[best] ? k : best), 0);
    expect(p1.indexOf(Math.max(...p1))).toBe(4);
    expect(1 - p1[4]).toBeLessThan(1e-3); // at T = 1 the nine wrong classes share less than 0.1 %
    expect(runnerUp(p1)).toBe(9);
    expect(runnerUp(p8)).toBe(9);
    expect(p8[9]).toBeGreaterThan(0.1); // at T = 8 the 9 gets more than a tenth
    expect(p8[4]).toBeLessThan(0.5);
    // The notes' other examples: the 5 at index 8 leans towards 6, the 7 at index 36 and the 4 at index 33 towards 2.
    for (const [i, label, near] of [[8, 5, 6], [36, 7, 2], [33, 4, 2]]) {
      expect(test.labels[i]).toBe(label);
      const p = softmaxAt(await digitLogits(teacher, floatImages(test, i, i + 1)), DEFAULT_CONFIG.T);
      expect(p.reduce((best, v, k) => (k !== label && v > p[best] ? k : best), label === 0 ? 1 : 0)).toBe(near);
    }
  });

  it('trains both students from the same start, without leaking tensors (the full comparison: npm run reproduce -- distillation)', async () => {
    const before = tf.memory().numTensors;
    const run = createDistillRun({ seed: 1 }, { train, test, teacher });
    const start = await run.step(0);
    const counted = tf.memory().numTensors;
    const f = await run.step(20);
    expect(tf.memory().numTensors).toBe(counted);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Same weights at the start: the same predictions; the teacher gets (nearly) all its training digits right.
    expect(start.accuracy[0]).toBe(start.accuracy[1]);
    expect(f.measuredAt).toBe(20);
    expect(f.teacherTrainAccuracy).toBeGreaterThan(0.98);
    // Twenty full-batch steps already lift both far above chance and above where they started.
    for (const a of f.accuracy) expect(a).toBeGreaterThan(Math.max(0.5, start.accuracy[0] + 0.2));
  });

  it('npm run reproduce -- distillation prints one line per seed and the mean gain, from the page’s runs', async () => {
    const { reproduceDistillation } = await import('../../scripts/reproduce-results');
    const lines: string[] = [];
    const rows = await reproduceDistillation({ seeds: [2], config: { total: 10 }, log: (l) => lines.push(l) });
    expect(rows).toHaveLength(1);
    const [hard, distilled] = rows[0].accuracy;
    expect(lines[0]).toBe(`seed: 2 steps: 10 hard: ${hard.toFixed(4)} distilled: ${distilled.toFixed(4)} gain: ${(distilled - hard).toFixed(4)}`);
    expect(lines[1]).toBe(`mean gain: ${(distilled - hard).toFixed(4)} over 1 seeds`);
    expect(hard).toBeGreaterThan(0.3);
  });
});
