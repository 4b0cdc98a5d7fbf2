import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/tf-node';
import { tf } from '../runtime/tf';
import { loadMandrillNode } from '../../scripts/images-node';
import { augment, CROP, drawSamples, pcaShift, rgbPca, symmetricEigen3, type AugmentConfig } from './model';

const photo = loadMandrillNode();
const base: AugmentConfig = { scale: [128, 160], randomCrop: true, flip: true, sigma: 0.1, count: 2, seed: 3 };

beforeAll(() => useNodeBackend('wasm'));

describe('symmetricEigen3', () => {
  it('gives orthonormal eigenvectors that rebuild the matrix, values in decreasing order', () => {
    const m = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 1];
    const e = symmetricEigen3(m);
    expect(e.values[0]).toBeGreaterThanOrEqual(e.values[1]);
    expect(e.values[1]).toBeGreaterThanOrEqual(e.values[2]);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const rebuilt = e.values.reduce((s, l, k) => s + l * e.vectors[k][i] * e.vectors[k][j], 0);
        expect(rebuilt).toBeCloseTo(m[3 * i + j], 10);
        const dot = e.vectors[i].reduce((s, x, c) => s + x * e.vectors[j][c], 0);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    expect(e.values.reduce((a, b) => a + b, 0)).toBeCloseTo(8, 10); // the trace
    expect(() => symmetricEigen3([1, 2, 0, 0, 1, 0, 0, 0, 1])).toThrow(/not symmetric/);
  });
});

describe('the Mandrill photo’s RGB principal components (the notes quote these)', () => {
  it('tfjs covariance equals a float64 computation; the first component is a brightness direction holding most variance', async () => {
    const before = tf.memory().numTensors;
    const pca = await rgbPca([photo]);
    expect(tf.memory().numTensors).toBe(before);
    const n = photo.width * photo.height;
    const mean = [0, 0, 0];
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) mean[c] += photo.pixels[3 * i + c] / 255 / n;
    const cov = new Array(9).fill(0);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) cov[3 * a + b] += ((photo.pixels[3 * i + a] / 255 - mean[a]) * (photo.pixels[3 * i + b] / 255 - mean[b])) / n;
    cov.forEach((c, i) => expect(pca.covariance[i]).toBeCloseTo(c, 5));
    const share = pca.values[0] / (pca.values[0] + pca.values[1] + pca.values[2]);
    console.log('λ', pca.values.map((v) => v.toExponential(3)).join(' '), 'p1', pca.vectors[0].map((v) => v.toFixed(3)).join(' '), 'p2', pca.vectors[1].map((v) => v.toFixed(3)).join(' '), 'share', share.toFixed(3));
    expect(pca.vectors[0].every((x) => x > 0)).toBe(true);
    // Quoted in vgg.mdx: λ ≈ 0.0768, 0.0418, 0.0056; p₁ ≈ (0.27, 0.59, 0.76); 62 % of the variance on p₁.
    expect(pca.values[0]).toBeCloseTo(0.0768, 4);
    expect(pca.values[1]).toBeCloseTo(0.0418, 4);
    expect(pca.values[2]).toBeCloseTo(0.0056, 4);
    pca.vectors[0].forEach((x, c) => expect(x).toBeCloseTo([0.27, 0.59, 0.76][c], 2));
    expect(share).toBeCloseTo(0.62, 2);
  });
});

describe('augment', () => {
  it('is reproducible from its seed, and a flip, a crop and a colour shift are exactly what they say', async () => {
    const pca = await rgbPca([photo]);
    const before = tf.memory().numTensors;
    const a = await augment(photo, pca, base);
    const b = await augment(photo, pca, base);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.samples).toHaveLength(2 * CROP * CROP * 3);
    expect(Array.from(a.samples)).toEqual(Array.from(b.samples));
    for (const s of a.info) {
      expect(s.side).toBeGreaterThanOrEqual(128);
      expect(s.side).toBeLessThanOrEqual(160);
      expect(s.x + CROP).toBeLessThanOrEqual(s.side);
    }
    // At S = 128 (no rescaling), σ = 0: the crop is the photo's pixels; find a flipped and an unflipped draw.
    const plain: AugmentConfig = { scale: [128, 128], randomCrop: true, flip: true, sigma: 0, count: 6, seed: 5 };
    const r = await augment(photo, pca, plain);
    const at = (k: number, y: number, x: number, c: number) => r.samples[((k * CROP + y) * CROP + x) * 3 + c];
    const px = (y: number, x: number, c: number) => photo.pixels[(y * 128 + x) * 3 + c] / 255;
    expect(r.info.some((s) => s.flipped) && r.info.some((s) => !s.flipped)).toBe(true);
    let err = 0;
    r.info.forEach((s, k) => {
      for (const [y, x] of [[0, 0], [5, 100], [111, 111], [60, 3]])
        for (let c = 0; c < 3; c++) err = Math.max(err, Math.abs(at(k, y, x, c) - px(s.y + y, s.x + (s.flipped ? CROP - 1 - x : x), c)));
    });
    expect(err).toBeLessThan(1e-6);
    // The colour shift is P·(α∘λ), the same for every pixel (where nothing was clipped).
    const shifted = await augment(photo, pca, { ...plain, sigma: 20 });
    const s0 = shifted.info[0];
    expect(s0.shift).toEqual(pcaShift(pca, s0.alpha));
    const v = shifted.samples[(50 * CROP + 50) * 3 + 1];
    const expected = Math.min(1, Math.max(0, px(s0.y + 50, s0.x + (s0.flipped ? CROP - 1 - 50 : 50), 1) + s0.shift[1]));
    expect(v).toBeCloseTo(expected, 5);
    await expect(augment(photo, pca, { ...base, scale: [100, 120] })).rejects.toThrow(/scale range/);
  });

  it('at AlexNet’s σ = 0.1 the colour shift is small: its typical size, in 8-bit levels (the notes quote it)', async () => {
    const pca = await rgbPca([photo]);
    const info = drawSamples({ ...base, count: 4000, seed: 11 }, pca);
    const rms = Math.sqrt(info.reduce((s, i) => s + i.shift.reduce((a, x) => a + x * x, 0) / 3, 0) / info.length);
    // E‖shift‖² / 3 = σ² Σ λₖ² / 3, the exact value the sample mean estimates.
    const exact = Math.sqrt((0.01 * pca.values.reduce((a, l) => a + l * l, 0)) / 3);
    console.log('rms shift per channel', (255 * rms).toFixed(2), 'levels; exact', (255 * exact).toFixed(2));
    expect(rms).toBeCloseTo(exact, 3);
    expect(255 * exact).toBeCloseTo(1.3, 1); // quoted in vgg.mdx: about 1.3 of 255 levels per channel
  });
});
