import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { tf } from '../tf';
import { magnitudeMask } from './sparse';
import { kmeans1d } from './kmeans';
import { decodeNetwork, encodeNetwork, type SparseLayer } from './format';
import { tiedGradient, tiedKernel, trainTied, type TiedLayer } from './tied';
import type { MnistArrays } from '../data/idx';

const rng = mulberry32(21);
function layer(inputs: number, units: number, keep: number, bits: number): SparseLayer {
  const kernel = Float32Array.from({ length: inputs * units }, () => (rng() - 0.5) * (rng() < 0.1 ? 4 : 1));
  const mask = magnitudeMask(kernel, keep);
  kernel.forEach((_, i) => !mask[i] && (kernel[i] = 0));
  const kept = kernel.filter((_, i) => mask[i]);
  const km = kmeans1d(kept, 2 ** bits - 1);
  const assignments = new Uint16Array(kernel.length);
  let e = 0;
  mask.forEach((m, i) => m && (assignments[i] = km.assignments[e++]));
  return { inputs, units, kernel, mask, bias: Float32Array.from({ length: units }, () => rng()), codebook: Float32Array.from(km.centroids), assignments, bits };
}

describe('the compressed network format', () => {
  const layers = [layer(200, 30, 0.08, 6), layer(30, 10, 0.3, 4), layer(10, 3, 1, 2)];

  it('pruned: decodes to the exact kept float32 weights, zeros elsewhere, biases exact', () => {
    const d = decodeNetwork(encodeNetwork(layers, 'pruned', 3));
    expect(d.mode).toBe('pruned');
    d.layers.forEach((l, i) => {
      expect(Array.from(l.kernel)).toEqual(Array.from(layers[i].kernel));
      expect(Array.from(l.bias)).toEqual(Array.from(layers[i].bias));
    });
  });

  it('quantized and Huffman: decode to each kept weight\'s shared value, and Huffman is the smaller', () => {
    const q = encodeNetwork(layers, 'quantized', 3);
    const h = encodeNetwork(layers, 'huffman', 3);
    for (const bytes of [q, h]) {
      decodeNetwork(bytes).layers.forEach((l, i) => {
        const s = layers[i];
        for (let j = 0; j < l.kernel.length; j++) expect(l.kernel[j]).toBe(s.mask[j] ? s.codebook![s.assignments![j]] : 0);
      });
    }
    expect(h.length).toBeLessThan(q.length);
    expect(q.length).toBeLessThan(encodeNetwork(layers, 'pruned', 3).length);
  });

  it('counts every byte: the pruned stream is the header, biases and (index + 32) bits per stored entry', () => {
    const one = [layer(64, 8, 0.25, 3)];
    const bytes = encodeNetwork(one, 'pruned', 8); // 8-bit gaps: no fillers in 512 weights… unless a gap passes 256
    const entries = 128; // 25 % of 512, gaps ≤ 256 here since the kept weights are spread
    expect(bytes.length).toBe(8 + 13 + 4 * 8 + 4 + Math.ceil((entries * (8 + 32)) / 8));
  });

  it('rejects a damaged or foreign stream with a clear error', () => {
    const bytes = encodeNetwork(layers, 'huffman', 3);
    expect(() => decodeNetwork(bytes.subarray(0, bytes.length - 3))).toThrow(RangeError);
    expect(() => decodeNetwork(Uint8Array.of(1, 2, 3, 4, 5))).toThrow(/not a DCMP/);
    expect(() => encodeNetwork([{ ...layers[0], bits: 2 }], 'quantized', 3)).toThrow(RangeError);
  });
});

describe('tied training', () => {
  it('sums each parameter\'s weights\' gradients, as autodiff through a gather does', () => {
    const tie = Int32Array.from([0, 1, -1, 0, 2, 1]);
    const g = [0.5, -1, 7, 0.25, 2, 3];
    expect(Array.from(tiedGradient(tie, g, 3))).toEqual([0.75, 2, 2]);
    // The same through tfjs: W = gather([c, 0], tie) and L = Σ g·W, so ∂L/∂c = the sums.
    const c = tf.tensor1d([0.1, 0.2, 0.3]);
    const auto = tf.tidy(() => tf.grad((cv: tf.Tensor) => tf.sum(tf.mul(tf.gather(tf.concat([cv, tf.zeros([1])]), Int32Array.from(tie, (t) => (t < 0 ? 3 : t))), g)))(c).arraySync());
    c.dispose();
    (auto as number[]).forEach((v, i) => expect(v).toBeCloseTo([0.75, 2, 2][i], 6));
  });

  it('keeps the weights tied to nothing at zero and the shared values shared, lowers the loss, frees its tensors', () => {
    const r = mulberry32(5);
    const n = 256;
    const images = Uint8Array.from({ length: n * 784 }, () => (r() < 0.2 ? 255 : 0));
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    for (let i = 0; i < n; i++) for (let p = 0; p < 20; p++) images[i * 784 + labels[i] * 20 + p] = 255; // a learnable mark
    const data: MnistArrays = { count: n, rows: 28, cols: 28, images, labels };
    const mk = (inputs: number, units: number, k: number): TiedLayer => ({
      inputs,
      units,
      tie: Int32Array.from({ length: inputs * units }, () => (r() < 0.5 ? -1 : Math.floor(r() * k))),
      values: Float32Array.from({ length: k }, (_, j) => (j - k / 2) / k / 4),
      bias: new Float32Array(units),
    });
    const layers = [mk(784, 16, 15), mk(16, 10, 7)];
    const before = tf.memory().numTensors;
    const first = trainTied(layers, data, { steps: 1, batchSize: 32, lr: 1e-2, seed: 1 });
    const later = trainTied(layers, data, { steps: 150, batchSize: 32, lr: 1e-2, seed: 2 });
    expect(later).toBeLessThan(first);
    expect(tf.memory().numTensors).toBe(before);
    for (const l of layers) {
      const k = tiedKernel(l);
      l.tie.forEach((t, i) => expect(k[i]).toBe(t < 0 ? 0 : l.values[t]));
      expect(new Set(k).size).toBeLessThanOrEqual(l.values.length + 1);
    }
  }, 60_000);
});
