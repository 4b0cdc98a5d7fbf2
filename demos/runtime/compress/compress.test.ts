import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { clusterCounts, initialCentroids, kmeans1d } from './kmeans';
import { magnitudeMask, positionsFromGaps, relativeIndices, select } from './sparse';
import { csrMatMul, encodingBytes, toCsr } from './csr';
import { BitReader, BitWriter, huffmanDecode, huffmanEncode } from './huffman';

/** Plain Lloyd's algorithm, O(nk) per iteration, from the same linear start: the reference for kmeans1d. */
function lloyd(values: number[], k: number, iterations: number): number[] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const c = Array.from({ length: k }, (_, j) => (k === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * j) / (k - 1)));
  for (let t = 0; t < iterations; t++) {
    const sum = new Array(k).fill(0);
    const cnt = new Array(k).fill(0);
    for (const v of values) {
      let best = 0;
      for (let j = 1; j < k; j++) if (Math.abs(v - c[j]) < Math.abs(v - c[best])) best = j;
      sum[best] += v;
      cnt[best]++;
    }
    for (let j = 0; j < k; j++) if (cnt[j]) c[j] = sum[j] / cnt[j];
  }
  return c;
}

describe('kmeans1d', () => {
  it('gives the centroids of plain Lloyd iterations from the linear start, and assigns each value to its nearest', () => {
    const rng = mulberry32(2);
    const values = Array.from({ length: 500 }, () => (rng() - 0.5) * (rng() < 0.2 ? 3 : 0.5));
    for (const k of [1, 2, 5, 16]) {
      const km = kmeans1d(values, k, 50);
      const ref = lloyd(values, k, km.iterations);
      km.centroids.forEach((c, j) => expect(c).toBeCloseTo(ref[j], 10));
      values.forEach((v, i) => {
        const d = Math.abs(v - km.centroids[km.assignments[i]]);
        for (const c of km.centroids) expect(d).toBeLessThanOrEqual(Math.abs(v - c) + 1e-12);
      });
      expect(clusterCounts(km.assignments, k).reduce((a, b) => a + b, 0)).toBe(values.length);
    }
  });

  it('starts linear, at the quantiles (density) or at distinct drawn values (random), as asked', () => {
    const sorted = Float64Array.from({ length: 101 }, (_, i) => (i / 100) ** 3); // crowded near 0
    expect(Array.from(initialCentroids(sorted, 3, 'linear'))).toEqual([0, 0.5, 1]);
    expect(Array.from(initialCentroids(sorted, 2, 'density'))).toEqual([sorted[25], sorted[75]]);
    const r = initialCentroids(sorted, 10, 'random', mulberry32(5));
    expect(new Set(r).size).toBe(10);
    for (let j = 1; j < 10; j++) expect(r[j]).toBeGreaterThan(r[j - 1]);
    for (const c of r) expect(Array.from(sorted)).toContain(c);
    // A custom start changes where Lloyd ends up only through its iterations: same start, same result.
    const km = kmeans1d(sorted, 3, 50, initialCentroids(sorted, 3, 'linear'));
    expect(Array.from(km.centroids)).toEqual(Array.from(kmeans1d(sorted, 3, 50).centroids));
    expect(() => kmeans1d(sorted, 3, 10, [0, 1])).toThrow(RangeError);
  });

  it('recovers well-separated clusters exactly and rejects a bad k', () => {
    const values = [-1.01, -1, -0.99, 0.5, 0.5, 2, 2.02];
    const km = kmeans1d(values, 3);
    expect(Array.from(km.centroids).map((c) => +c.toFixed(3))).toEqual([-1, 0.5, 2.01]);
    expect(Array.from(km.assignments)).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(() => kmeans1d(values, 0)).toThrow(RangeError);
  });
});

describe('magnitude pruning and relative indices', () => {
  it('select finds the k-th smallest value as a sort does, with many ties too', () => {
    const rng = mulberry32(4);
    for (const n of [1, 2, 7, 100, 1001]) {
      for (const ties of [false, true]) {
        const a = Float64Array.from({ length: n }, () => (ties ? Math.floor(rng() * 5) : rng()));
        const sorted = a.slice().sort();
        for (const k of [0, n >> 1, n - 1]) expect(select(a.slice(), k)).toBe(sorted[k]);
      }
    }
  });

  it('keeps exactly round(keep·n) of the largest magnitudes, ties by position', () => {
    const w = [0.1, -0.5, 0.2, 0.5, -0.05, 0.3];
    expect(Array.from(magnitudeMask(w, 0.5))).toEqual([0, 1, 0, 1, 0, 1]);
    expect(Array.from(magnitudeMask(w, 1 / 6))).toEqual([0, 1, 0, 0, 0, 0]);
    expect(Array.from(magnitudeMask(w, 0))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => magnitudeMask(w, 1.5)).toThrow(RangeError);
  });

  it('writes gaps with fillers beyond 2^bits, and the decoder gets every kept position back', () => {
    // Kept positions 1, 3, 12 with 2-bit gaps (at most 4): 1 → gap 2; 3 → gap 2; 12 → gap 9 = 4 + 4 + 1.
    const mask = new Uint8Array(13);
    [1, 3, 12].forEach((p) => (mask[p] = 1));
    const g = relativeIndices(mask, 2);
    expect(Array.from(g.symbols)).toEqual([1, 1, 3, 3, 0]);
    expect(Array.from(g.filler)).toEqual([0, 0, 1, 1, 0]);
    expect(Array.from(positionsFromGaps(g.symbols))).toEqual(Array.from(g.positions));
    const rng = mulberry32(9);
    const big = Uint8Array.from({ length: 5000 }, () => (rng() < 0.05 ? 1 : 0));
    for (const bits of [1, 3, 5, 8]) {
      const s = relativeIndices(big, bits);
      const kept = Array.from(positionsFromGaps(s.symbols)).filter((_, i) => !s.filler[i]);
      expect(kept).toEqual(Array.from(big.keys()).filter((i) => big[i]));
      for (const v of s.symbols) expect(v).toBeLessThan(2 ** bits);
    }
  });
});

describe('CSR', () => {
  it('stores the kept entries and multiplies as the dense masked matrix does', () => {
    const rng = mulberry32(8);
    const rows = 13;
    const cols = 7;
    const w = Float32Array.from({ length: rows * cols }, () => rng() - 0.5);
    const mask = magnitudeMask(w, 0.3);
    const csr = toCsr(w, rows, cols, mask);
    expect(csr.values.length).toBe(Math.round(0.3 * rows * cols));
    const batch = 3;
    const x = Float32Array.from({ length: batch * rows }, () => (rng() < 0.3 ? 0 : rng()));
    const y = csrMatMul(x, batch, csr);
    for (let s = 0; s < batch; s++) {
      for (let c = 0; c < cols; c++) {
        let ref = 0;
        for (let r = 0; r < rows; r++) ref += x[s * rows + r] * (mask[r * cols + c] ? w[r * cols + c] : 0);
        expect(y[s * cols + c]).toBeCloseTo(ref, 5);
      }
    }
    expect(() => toCsr(w, rows, cols + 1, mask)).toThrow(RangeError);
  });

  it('counts bytes: CSR with 32-bit indices is larger than dense beyond half the weights kept', () => {
    const b = encodingBytes(784, 300, 18816, 20894, 5);
    expect(b.dense).toBe(940800);
    expect(b.csr32).toBe(8 * 18816 + 4 * 785);
    expect(b.csr16).toBe(6 * 18816 + 4 * 785);
    expect(b.relative).toBe(Math.ceil((20894 * 37) / 8));
    const half = encodingBytes(784, 300, 784 * 150, 784 * 150, 5);
    expect(half.csr32).toBeGreaterThan(half.dense);
  });
});

describe('Huffman bit streams', () => {
  it('decode(encode(s)) = s, in exactly Σ c·ℓ bits, on skewed random streams and a one-symbol stream', () => {
    const rng = mulberry32(12);
    for (const alphabet of [1, 2, 7, 64]) {
      const symbols = Uint16Array.from({ length: 3000 }, () => Math.min(alphabet - 1, Math.floor(alphabet * rng() ** 3)));
      const enc = huffmanEncode(symbols, alphabet);
      const counts = new Array(alphabet).fill(0);
      for (const s of symbols) counts[s]++;
      expect(enc.bitLength).toBe(counts.reduce((t, c, i) => t + c * enc.lengths[i], 0));
      expect(enc.bits.length).toBe(Math.ceil(enc.bitLength / 8));
      expect(Array.from(huffmanDecode(enc.bits, enc.lengths, symbols.length))).toEqual(Array.from(symbols));
    }
    expect(() => huffmanEncode([0, 3], 3)).toThrow(RangeError);
    expect(() => huffmanDecode(new Uint8Array(0), [1, 1], 1)).toThrow(RangeError);
  });

  it('BitWriter and BitReader agree on values of mixed widths', () => {
    const w = new BitWriter();
    const items: [number, number][] = [[5, 3], [0, 1], [1023, 10], [1, 1], [0xdeadbeef >>> 0, 32]];
    for (const [v, n] of items) w.write(v, n);
    expect(w.length).toBe(47);
    const r = new BitReader(w.bytes());
    for (const [v, n] of items) expect(r.read(n)).toBe(v);
  });
});
