import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { loadModel } from '../runtime/data/models';
import { floatImages } from '../runtime/data/loader';
import { moveDigit, moveImages } from '../runtime/models/transform';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { accuracyUnderMotion, argMax, INVARIANCE_NETS, layerFunction, shiftGap, sweepDigit, SHIFTS } from './model';

const test = loadMnistNode('test');
const nets: tf.LayersModel[] = [];
const [STRIDE, POOL, STRIDE_AUG, POOL_AUG] = [0, 1, 2, 3];

beforeAll(async () => {
  await useNodeBackend('wasm');
  for (const n of INVARIANCE_NETS) nets.push((await loadModel(n.name, { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model);
});
afterAll(() => nets.forEach((m) => m.dispose()));

describe('moving digits', () => {
  it('a whole-pixel shift moves every pixel exactly, a quarter turn maps rows to columns, each image of a batch by its own motion', async () => {
    const x = floatImages(test, 0, 1);
    const v = await moveDigit(x, [
      { dx: 2, dy: -1, degrees: 0 },
      { dx: 0, dy: 0, degrees: 90 },
      { dx: 0, dy: 0, degrees: 0 },
    ]).data();
    let shiftErr = 0;
    let turnErr = 0;
    for (let y = 1; y < 27; y++)
      for (let c = 0; c < 26; c++) shiftErr = Math.max(shiftErr, Math.abs(v[(y - 1) * 28 + c + 2] - x[y * 28 + c]));
    // Counter-clockwise on screen (y down): the pixel at (x, y) goes to (y, 27 − x).
    for (let y = 0; y < 28; y++) for (let c = 0; c < 28; c++) turnErr = Math.max(turnErr, Math.abs(v[784 + (27 - c) * 28 + y] - x[y * 28 + c]));
    expect(shiftErr).toBeLessThan(1e-6);
    expect(turnErr).toBeLessThan(1e-5);
    expect(Array.from(v.subarray(1568))).toEqual(Array.from(x));
    expect(() => moveImages(tf.zeros([2, 28, 28, 1]) as tf.Tensor4D, [])).toThrow(/0 motions for 2 images/);
  });
});

describe('equivariance and local invariance, measured on the shipped networks (the notes quote these)', () => {
  it('convolution moves with the input; stride 2 only with even shifts; pooling makes the maps change less, not nothing', async () => {
    const before = tf.memory().numTensors;
    const x = floatImages(test, 0, 1);
    const at = (k: number, layer: string) => layerFunction(nets[k], layer);
    // Equivariance: conv1 (stride 1) maps shifted back by the same 1 px are the same maps.
    expect(await shiftGap(at(POOL, 'conv1'), x, 1, 1)).toBeLessThan(1e-5);
    // Stride 2: a 2-px shift moves the maps by one position; exact again.
    expect(await shiftGap(at(STRIDE, 'conv1'), x, 2, 1)).toBeLessThan(1e-5);
    // Invariance, maps compared in place: relative change ‖f(Tx) − f(x)‖ / ‖f(x)‖ for a 1-px and a 2-px shift.
    const one = [await shiftGap(at(POOL, 'conv1'), x, 1, 0), await shiftGap(at(POOL, 'pool1'), x, 1, 0), await shiftGap(at(POOL, 'pool2'), x, 1, 0), await shiftGap(at(STRIDE, 'conv2'), x, 1, 0)];
    const two = [await shiftGap(at(POOL, 'pool2'), x, 2, 0), await shiftGap(at(STRIDE, 'conv2'), x, 2, 0)];
    expect(one[0]).toBeCloseTo(0.625, 2); // conv1 alone
    expect(one[1]).toBeCloseTo(0.491, 2); // after one 2×2 max pooling
    expect(one[2]).toBeCloseTo(0.31, 2); // after two
    expect(one[3]).toBeCloseTo(0.495, 2); // the strided network's last maps
    expect(two[0]).toBeCloseTo(0.475, 2);
    expect(two[1]).toBeCloseTo(0.837, 2);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('sweepDigit', () => {
  it('returns P(label) for every shift in one read-back, the same as predicting each moved digit alone, and leaks nothing', async () => {
    const x = floatImages(test, 0, 1);
    const label = test.labels[0];
    const before = tf.memory().numTensors;
    const r = await sweepDigit(nets, x, 'x', { dx: 3, dy: 0, degrees: 0 }, label);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.values).toEqual(SHIFTS);
    expect(r.target).toBe(label);
    // Shift 0 is index 8: every network gets the unmoved digit right.
    for (let k = 0; k < 4; k++) expect(r.predicted[k][8]).toBe(label);
    const alone = tf.tidy(() => nets[POOL].predict(moveDigit(x, [{ dx: 3, dy: 0, degrees: 0 }])) as tf.Tensor);
    const p = await alone.data();
    alone.dispose();
    expect(r.curves[POOL][11]).toBeCloseTo(p[label], 5);
    expect(r.currentProbs[POOL][label]).toBeCloseTo(p[label], 5);
    expect(argMax(r.currentProbs[POOL])).toBe(argMax(p));
    const unlabelled = await sweepDigit(nets, x, 'rotate', { dx: 0, dy: 0, degrees: 0 });
    expect(unlabelled.target).toBe(label);
    await expect(sweepDigit(nets, new Float32Array(3), 'x', { dx: 0, dy: 0, degrees: 0 })).rejects.toThrow(/3 pixels/);
  });
});

describe('accuracy under motion (the reproduce table, on 150 digits)', () => {
  it('augmentation keeps most digits at a 6-px shift, where the plain networks lose most; it helps less with a 30° turn', async () => {
    const n = 150;
    const before = tf.memory().numTensors;
    const images = tf.tensor4d(floatImages(test, 0, n), [n, 28, 28, 1]);
    const motions = [
      { dx: 0, dy: 0, degrees: 0 },
      { dx: 6, dy: 0, degrees: 0 },
      { dx: 0, dy: 0, degrees: 30 },
    ];
    const acc = [];
    for (const m of nets) acc.push(await accuracyUnderMotion(m, images, test.labels.subarray(0, n), motions));
    images.dispose();
    expect(tf.memory().numTensors).toBe(before);
    console.log(acc.map((a) => Array.from(a).map((v) => v.toFixed(3)).join(' ')).join(' | '));
    for (const k of [STRIDE, POOL]) expect(acc[k][0]).toBeGreaterThan(0.95);
    for (const k of [STRIDE_AUG, POOL_AUG]) expect(acc[k][0]).toBeGreaterThan(0.88);
    // A 6-px shift: the plain networks lose most digits, the augmented ones keep most (notes: ~30 % against ~85 %).
    for (const k of [STRIDE, POOL]) expect(acc[k][1]).toBeLessThan(0.45);
    expect(acc[STRIDE_AUG][1]).toBeGreaterThan(acc[STRIDE][1] + 0.4);
    expect(acc[POOL_AUG][1]).toBeGreaterThan(acc[POOL][1] + 0.4);
    // A 30° turn, inside the augmented range: the augmented pooling network does better, the others about the same.
    expect(acc[POOL_AUG][2]).toBeGreaterThan(acc[POOL][2]);
  });
});
