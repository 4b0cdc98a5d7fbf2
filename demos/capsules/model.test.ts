import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import {
  CAPSNET_PARAMS,
  HOUSE_PARTS,
  PRIMARY_COUNT,
  capsAccuracy,
  capsNetLoss,
  couplingMap,
  dynamicRouting,
  initCapsNet,
  loadCapsNet,
  marginLoss,
  predictWhole,
  routeParts,
  squash,
  squashLength,
  traceDigit,
  type Pose,
} from './model';

// The CapsNet's convolutions are 9×9: wasm runs them several times faster than the cpu backend.
beforeAll(() => useNodeBackend('wasm'));

const moved = (dx: number, dy: number, turn: number): Pose[] => [HOUSE_PARTS[0], { x: HOUSE_PARTS[1].x + dx, y: HOUSE_PARTS[1].y + dy, deg: turn }];

describe('squash', () => {
  it('keeps the direction, maps the length to ‖s‖²/(1+‖s‖²) < 1, increasing in ‖s‖, and 0 to 0', async () => {
    const norms = [0, 0.1, 0.5, 1, 2, 5, 20];
    const s = tf.tensor2d(norms.flatMap((n) => [0.6 * n, -0.8 * n]), [norms.length, 2]);
    const v = await squash(s).data();
    s.dispose();
    let prev = -1;
    norms.forEach((n, k) => {
      const len = Math.hypot(v[2 * k], v[2 * k + 1]);
      expect(len).toBeCloseTo(squashLength(n), 6);
      expect(len).toBeLessThan(1);
      expect(len).toBeGreaterThan(prev);
      prev = len;
      if (n > 0) expect(v[2 * k] / len).toBeCloseTo(0.6, 5);
    });
    expect(squashLength(1)).toBe(0.5);
    expect(squashLength(0.1)).toBeCloseTo(0.0099, 4);
    expect(v[0]).toBe(0);
  });
});

describe('routing by agreement', () => {
  // Children 0–3 predict the same vector for parent 0 and scattered vectors for parents 1 and 2.
  const I = 4;
  const J = 3;
  const uHat = () => {
    const d = new Float32Array(I * J * 2);
    for (let i = 0; i < I; i++) {
      d.set([0.5, 0.3], (i * J + 0) * 2);
      d.set([Math.cos(1.7 * i) * 0.5, Math.sin(1.7 * i) * 0.5], (i * J + 1) * 2);
      d.set([Math.cos(2.9 * i + 1) * 0.5, Math.sin(2.9 * i + 1) * 0.5], (i * J + 2) * 2);
    }
    return tf.tensor4d(d, [1, I, J, 2]);
  };

  it('c sums to 1 over the parents j (not over the children i); one iteration is uniform; agreement raises c of the agreeing parent', async () => {
    const u = uHat();
    const before = tf.memory().numTensors;
    const r = dynamicRouting(u, 5, true);
    const c = await r.cTrace!.data();
    const len = await r.lengthTrace!.data();
    [r.v, r.c, r.cTrace!, r.lengthTrace!].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    u.dispose();
    for (let it = 0; it < 5; it++)
      for (let i = 0; i < I; i++) {
        const row = Array.from(c.subarray((it * I + i) * J, (it * I + i + 1) * J));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        if (it === 0) row.forEach((x) => expect(x).toBeCloseTo(1 / J, 6));
      }
    // Over the children, the couplings to parent 0 do not sum to 1.
    const colSum = [0, 1, 2, 3].reduce((a, i) => a + c[(4 * I + i) * J], 0);
    expect(Math.abs(colSum - 1)).toBeGreaterThan(0.5);
    for (let i = 0; i < I; i++) {
      const c0 = [0, 1, 2, 3, 4].map((it) => c[(it * I + i) * J]);
      for (let it = 1; it < 5; it++) expect(c0[it]).toBeGreaterThan(c0[it - 1]);
      expect(c0[4]).toBeGreaterThan(0.6);
    }
    // The agreeing parent is the longest, and grows with the iterations.
    expect(len[4 * J]).toBeGreaterThan(len[0]);
    expect(len[4 * J]).toBeGreaterThan(Math.max(len[4 * J + 1], len[4 * J + 2]));
    expect(() => dynamicRouting(u, 0)).toThrow(/iterations/);
  });

  it('the margin loss: present class below m⁺ and absent classes above m⁻ cost, λ = 0.5', async () => {
    const lengths = tf.tensor2d([[0.8, 0.3, 0.05]]);
    const targets = tf.tensor2d([[1, 0, 0]]);
    const loss = marginLoss(lengths, targets);
    // (0.9 − 0.8)² + 0.5 · (0.3 − 0.1)² + 0 = 0.01 + 0.02
    expect((await loss.data())[0]).toBeCloseTo(0.03, 6);
    [lengths, targets, loss].forEach((t) => t.dispose());
  });
});

describe('parts and wholes', () => {
  it('a house of a rectangle and a roof: both parts predict the same house and route to it; moving the roof breaks the agreement', async () => {
    const [rect, tri] = HOUSE_PARTS;
    const h0 = predictWhole(rect, 0, 0);
    const h1 = predictWhole(tri, 1, 0);
    expect(Math.hypot(h0.x - h1.x, h0.y - h1.y)).toBeLessThan(1e-9);
    const before = tf.memory().numTensors;
    const still = await routeParts(HOUSE_PARTS, 3);
    const shifted = await routeParts(moved(0.6, 0, 0), 3);
    const turned = await routeParts(moved(0, 0, 90), 3);
    const sail = await routeParts(moved(-0.1, 0.45, -90), 3);
    expect(tf.memory().numTensors).toBe(before);
    // c at iteration r (0-based): [(r · 2 + i) · 2 + j]; ‖v‖: [r · 2 + j]
    const c = (r: typeof still, it: number, i: number, j: number) => r.c[(it * 2 + i) * 2 + j];
    const len = (r: typeof still, it: number, j: number) => r.lengths[it * 2 + j];
    // Iteration 1 (c = ½): two agreeing predictions of length 2 give ‖s‖ = 2, ‖v‖ = 4/5; two nearly orthogonal ones ‖s‖ ≈ √2, ‖v‖ ≈ 2/3.
    expect(len(still, 0, 0)).toBeCloseTo(4 / 5, 3);
    expect(len(still, 0, 1)).toBeCloseTo(2 / 3, 2);
    // The page's numbers after 3 iterations.
    expect(c(still, 2, 1, 0)).toBeCloseTo(0.85, 2);
    expect(len(still, 2, 0)).toBeCloseTo(0.92, 2);
    expect(len(still, 2, 1)).toBeCloseTo(0.16, 2);
    expect(c(shifted, 2, 1, 0)).toBeCloseTo(0.55, 2);
    expect(len(shifted, 2, 0)).toBeCloseTo(0.73, 2);
    expect(c(turned, 2, 1, 0)).toBeCloseTo(0.5, 2);
    expect(len(turned, 2, 0)).toBeCloseTo(0.67, 2);
    // Turned a quarter right and lifted to where a sail goes, the same triangle makes a boat instead.
    expect(c(sail, 2, 1, 1)).toBeCloseTo(0.85, 2);
    expect(len(sail, 2, 1)).toBeCloseTo(0.92, 2);
    expect(len(sail, 2, 0)).toBeLessThan(0.17);
  });
});

describe('the CapsNet', () => {
  it('margin-loss gradients reach every weight; a trace frees its tensors and its c rows sum to 1', async () => {
    const net = initCapsNet(1);
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = tf.tidy(() => tf.oneHot([3], 10).toFloat()) as tf.Tensor2D;
    const { grads, value } = tf.variableGrads(() => capsNetLoss(net, x, y, 2), net.weights);
    const normT = tf.tidy(() => tf.stack(net.weights.map((w) => tf.norm(grads[w.name]))));
    const norms = await normT.data();
    normT.dispose();
    expect(norms.length).toBe(5);
    norms.forEach((n) => expect(n).toBeGreaterThan(0));
    expect(Number.isFinite((await value.data())[0])).toBe(true);
    tf.dispose([x, y, value, ...Object.values(grads)]);
    const t = await traceDigit(net, new Float32Array(784).fill(0.3), 2);
    expect(t.c.length).toBe(2 * PRIMARY_COUNT * 10);
    for (let i = 0; i < PRIMARY_COUNT; i += 37) expect(t.c.subarray((PRIMARY_COUNT + i) * 10, (PRIMARY_COUNT + i + 1) * 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(couplingMap(t, 0, 0).every((v) => Math.abs(v - 0.1) < 1e-5)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
    net.dispose();
  });

  const shipped = path.resolve('public/models/capsnet/manifest.json');
  it('the shipped CapsNet loads with nothing set up, classifies the first test digits, and its trace ends on the label’s capsule', async () => {
    expect(fs.existsSync(shipped)).toBe(true);
    const { net, manifest } = await loadCapsNet({ baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
    expect(manifest.params).toBe(CAPSNET_PARAMS);
    // The page quotes these (npm run reproduce -- capsules measures them again on the 10,000 test digits).
    expect([manifest.test.count, manifest.test.accuracy1, manifest.test.accuracy3]).toEqual([10000, 0.9812, 0.9815]);
    const test = loadMnistNode('test');
    const n = 40;
    const x = Float32Array.from(test.images.subarray(0, n * 784), (v) => v / 255);
    const a3 = await capsAccuracy(net, x, test.labels.subarray(0, n), 3);
    expect(a3).toBeGreaterThan(0.95);
    const t = await traceDigit(net, x.subarray(0, 784), 3);
    const last = t.lengths.subarray(20, 30);
    expect(Array.from(last).indexOf(Math.max(...last))).toBe(test.labels[0]);
    net.dispose();
  });
});
