import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { mulberry32 } from '../runtime/random';
import { loadDenseWeights, type DenseWeights } from '../runtime/compress/layers';
import { fileFetch } from '../../scripts/mnist-node';
import { magnitudeMask } from '../runtime/compress/sparse';
import { canonicalCodes, createHuffmanBuild, entropyBits, huffmanCodeLengths, huffmanTree, kraftSum, layerStreams, meanLength, streamBits, treeLayout } from './model';

/** The least Σ c·ℓ over every length vector with Kraft sum ≤ 1 (lengths 1 … n−1): an optimal prefix code by brute force. */
function bruteForceBest(counts: number[]): number {
  const used = counts.map((c, i) => [c, i]).filter(([c]) => c > 0);
  const n = used.length;
  if (n <= 1) return used.reduce((s, [c]) => s + c, 0);
  let best = Infinity;
  const lens = new Array<number>(n).fill(1);
  const rec = (i: number, kraft: number) => {
    if (kraft > 1 + 1e-12) return;
    if (i === n) {
      best = Math.min(best, used.reduce((s, [c], j) => s + c * lens[j], 0));
      return;
    }
    for (let l = 1; l < n; l++) {
      lens[i] = l;
      rec(i + 1, kraft + 2 ** -l);
    }
  };
  rec(0, 0);
  return best;
}

const cost = (counts: number[], lengths: number[]) => counts.reduce((s, c, i) => s + c * lengths[i], 0);

describe('huffmanCodeLengths', () => {
  it('matches the brute-force optimum on 300 random small alphabets (with zero counts)', () => {
    const rng = mulberry32(7);
    for (let t = 0; t < 300; t++) {
      const n = 2 + Math.floor(rng() * 5);
      const counts = Array.from({ length: n }, () => (rng() < 0.15 ? 0 : 1 + Math.floor(rng() * (rng() < 0.5 ? 5 : 200))));
      const lengths = huffmanCodeLengths(counts);
      expect(cost(counts, lengths)).toBe(bruteForceBest(counts));
      counts.forEach((c, i) => expect(lengths[i] === 0).toBe(c === 0));
    }
  });

  it('meets Kraft with equality and lands in [H, H + 1) on random alphabets of up to 300 symbols', () => {
    const rng = mulberry32(11);
    for (let t = 0; t < 100; t++) {
      const n = 2 + Math.floor(rng() * 299);
      const counts = Array.from({ length: n }, () => Math.floor(1 + 1000 * rng() ** 4));
      const lengths = huffmanCodeLengths(counts);
      expect(kraftSum(lengths)).toBeCloseTo(1, 12);
      const h = entropyBits(counts);
      const l = meanLength(counts, lengths);
      expect(l).toBeGreaterThanOrEqual(h - 1e-12);
      expect(l).toBeLessThan(h + 1);
    }
  });

  it('reaches the entropy exactly on dyadic probabilities and gives frequent symbols the shorter codes', () => {
    const counts = [8, 4, 2, 1, 1];
    expect(huffmanCodeLengths(counts)).toEqual([1, 2, 3, 4, 4]);
    expect(meanLength(counts, huffmanCodeLengths(counts))).toBe(entropyBits(counts));
    const rng = mulberry32(3);
    const many = Array.from({ length: 40 }, () => Math.floor(1 + 500 * rng() ** 3));
    const l = huffmanCodeLengths(many);
    for (let i = 0; i < many.length; i++) for (let j = 0; j < many.length; j++) if (many[i] > many[j]) expect(l[i]).toBeLessThanOrEqual(l[j]);
  });

  it('gives a lone symbol one bit, unused symbols 0, and an empty or all-zero alphabet no codes', () => {
    expect(huffmanCodeLengths([0, 5, 0])).toEqual([0, 1, 0]);
    expect(huffmanCodeLengths([3, 3])).toEqual([1, 1]);
    expect(huffmanCodeLengths([])).toEqual([]);
    expect(huffmanCodeLengths([0, 0])).toEqual([0, 0]);
    expect(() => huffmanCodeLengths([1, -1])).toThrow(RangeError);
    expect(() => huffmanCodeLengths([1, NaN])).toThrow(RangeError);
  });

  it('of uniform counts over 2^b symbols is the fixed b-bit code', () => {
    for (const b of [1, 3, 6]) expect(huffmanCodeLengths(new Array(2 ** b).fill(17))).toEqual(new Array(2 ** b).fill(b));
  });
});

describe('canonical codes', () => {
  it('are prefix-free with the given lengths', () => {
    const counts = [40, 1, 7, 7, 3, 0, 12, 2];
    const lengths = huffmanCodeLengths(counts);
    const codes = canonicalCodes(lengths);
    codes.forEach((c, i) => expect(c.length).toBe(lengths[i]));
    const used = codes.filter((c) => c);
    for (const a of used) for (const b of used) if (a !== b) expect(b.startsWith(a)).toBe(false);
  });
});

describe('the tree built merge by merge', () => {
  it('steps one merge at a time to m − 1 merges, its partial mean length rising to the Huffman length', async () => {
    const counts = [5, 9, 12, 13, 16, 45];
    const sim = createHuffmanBuild(counts);
    const f0 = await sim.step(0);
    expect(f0.done).toBe(0);
    expect(f0.partialBits).toBe(0);
    let prev = 0;
    for (let j = 1; j <= 5; j++) {
      const f = await sim.step(1);
      expect(f.done).toBe(j);
      expect(f.partialBits).toBeGreaterThan(prev);
      prev = f.partialBits;
    }
    const end = await sim.step(10);
    expect(end.done).toBe(5);
    expect(end.partialBits).toBeCloseTo(meanLength(counts, huffmanCodeLengths(counts)), 12);
    sim.dispose();
  });

  it('merges in non-decreasing weight and lays out the leaves without crossings (each subtree a run of slots)', () => {
    const rng = mulberry32(5);
    const counts = Array.from({ length: 64 }, () => Math.floor(1 + 300 * rng() ** 3));
    const tree = huffmanTree(counts);
    const m = tree.symbols.length;
    for (let j = 1; j < tree.merges.length; j++) expect(tree.weights[m + j]).toBeGreaterThanOrEqual(tree.weights[m + j - 1]);
    const { x, slots } = treeLayout(tree);
    expect([...slots].sort((a, b) => a - b)).toEqual(slots.map((_, i) => i));
    const span = (v: number): [number, number] => (v < m ? [x[v], x[v]] : tree.merges[v - m].map(span).reduce((a, b) => [Math.min(a[0], b[0]), Math.max(a[1], b[1])]));
    const leavesUnder = (v: number): number => (v < m ? 1 : leavesUnder(tree.merges[v - m][0]) + leavesUnder(tree.merges[v - m][1]));
    for (let v = m; v < tree.weights.length; v++) {
      const [a, b] = span(v);
      expect(b - a + 1).toBe(leavesUnder(v));
    }
  });
});

describe('on the shipped LeNet-300-100', () => {
  let layers: DenseWeights[];
  const load = async () => (layers ??= (await loadDenseWeights('mlp', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).layers);

  it('codes fc1 pruned to 8 % with 6-bit clusters and 5-bit gaps in fewer bits than fixed, never below the entropy', async () => {
    const [fc1] = await load();
    expect([fc1.inputs, fc1.units]).toEqual([784, 300]);
    const s = layerStreams(fc1, { keep: 0.08, bits: 6, indexBits: 5 });
    expect(s.kept).toBe(Math.round(0.08 * 784 * 300));
    expect(s.weightCounts.reduce((a, b) => a + b, 0)).toBe(s.kept);
    expect(s.gapCounts.reduce((a, b) => a + b, 0)).toBe(s.kept + s.fillers);
    for (const [counts, bits] of [[s.weightCounts, 6], [s.gapCounts, 5]] as const) {
      const b = streamBits(counts, bits);
      expect(b.huffman).toBeLessThan(b.fixed);
      expect(b.huffman).toBeGreaterThanOrEqual(b.entropy);
      expect(b.huffman).toBeLessThan(b.entropy + 1);
    }
  }, 60_000);
});

describe('the numbers content/small-networks/huffman.mdx quotes', () => {
  let layers: DenseWeights[];
  const load = async () => (layers ??= (await loadDenseWeights('mlp', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).layers);
  /** Bits per kept weight of both streams, fixed and Huffman. */
  const perWeight = (s: ReturnType<typeof layerStreams>, bits: number, indexBits: number) => {
    const w = streamBits(s.weightCounts, bits);
    const g = streamBits(s.gapCounts, indexBits);
    const entries = s.kept + s.fillers;
    return { w, g, fixed: (bits * s.kept + indexBits * entries) / s.kept, huffman: (w.huffman * s.kept + g.huffman * entries) / s.kept };
  };

  it('fc1 at 8 % kept, 6-bit clusters, 5-bit gaps: the table and the paragraph after it', async () => {
    const [fc1] = await load();
    const s = layerStreams(fc1, { keep: 0.08, bits: 6, indexBits: 5 });
    const r = perWeight(s, 6, 5);
    expect(r.w.huffman.toFixed(2)).toBe('4.17');
    expect(r.w.entropy.toFixed(2)).toBe('4.14');
    expect(r.g.huffman.toFixed(2)).toBe('4.50');
    expect(r.g.entropy.toFixed(2)).toBe('4.47');
    expect(r.fixed.toFixed(2)).toBe('11.55');
    expect(r.huffman.toFixed(2)).toBe('9.16');
    expect(Math.round(100 * (1 - r.huffman / r.fixed))).toBe(21);
    expect(s.weightCounts.filter((c) => c === 0).length).toBe(24);
    // The longest run of unused shared values: the band between −threshold and +threshold.
    let run = 0;
    let longest = 0;
    for (const c of s.weightCounts) longest = Math.max(longest, (run = c === 0 ? run + 1 : 0));
    expect(longest).toBe(18);
    expect(s.gapCounts[0]).toBe(2151);
    expect(s.gapCounts[30]).toBe(94);
    expect(s.fillers).toBe(2078);
    expect(Math.round((100 * s.fillers) / s.kept)).toBe(11);
    expect(Math.max(...huffmanCodeLengths(s.weightCounts))).toBe(14);
    // "Frequent symbols get 3 or 4 bits, the rare ones at the bottom 11 to 14": counts ≥ 1000 and < 10.
    const len = huffmanCodeLengths(s.weightCounts);
    const frequent = len.filter((_, i) => s.weightCounts[i] >= 1000);
    const rare = len.filter((_, i) => s.weightCounts[i] > 0 && s.weightCounts[i] < 10);
    expect([Math.min(...frequent), Math.max(...frequent)]).toEqual([3, 4]);
    expect([Math.min(...rare), Math.max(...rare)]).toEqual([11, 14]);
    for (const b of [r.w, r.g]) expect(b.huffman - b.entropy).toBeLessThan(0.1);
  }, 60_000);

  it('the shipped mlp scores the 98.19 % its manifest records', async () => {
    const { manifest } = await loadDenseWeights('mlp', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
    expect((100 * manifest.test.accuracy).toFixed(2)).toBe('98.19');
    expect(manifest.test.count).toBe(10000);
  });

  it('the three layers at the paper\'s kept shares save 21 %, 21 % and 32 %', async () => {
    const saved = (await load()).map((l, i) => {
      const r = perWeight(layerStreams(l, { keep: [0.08, 0.09, 0.26][i], bits: 6, indexBits: 5 }), 6, 5);
      return Math.round(100 * (1 - r.huffman / r.fixed));
    });
    expect(saved).toEqual([21, 21, 32]);
  }, 60_000);

  it('the asides: 3-bit gaps, everything kept, and 1-bit clusters', async () => {
    const [fc1] = await load();
    const g3 = layerStreams(fc1, { keep: 0.08, bits: 6, indexBits: 3 });
    expect(g3.fillers).toBe(20071);
    expect(g3.fillers).toBeGreaterThan(g3.kept);
    expect(huffmanCodeLengths(g3.gapCounts)[7]).toBe(1); // symbol 7 = gap 8, the fillers' symbol
    const all = layerStreams(fc1, { keep: 1, bits: 6, indexBits: 5 });
    const g = streamBits(all.gapCounts, 5);
    expect([g.entropy, g.huffman]).toEqual([0, 1]);
    const one = layerStreams(fc1, { keep: 0.08, bits: 1, indexBits: 5 });
    expect(streamBits(one.weightCounts, 1).huffman).toBe(1);
  }, 60_000);

  it('the outer four-pixel frame of fc1 keeps 6.8 % of its weights, the inner pixels 9.1 %', async () => {
    const [fc1] = await load();
    const mask = magnitudeMask(fc1.kernel, 0.08);
    const kept = [0, 0];
    const pixels = [0, 0];
    for (let p = 0; p < 784; p++) {
      const r = Math.floor(p / 28);
      const c = p % 28;
      const outer = r < 4 || r >= 24 || c < 4 || c >= 24 ? 0 : 1;
      pixels[outer]++;
      for (let u = 0; u < fc1.units; u++) kept[outer] += mask[p * fc1.units + u];
    }
    expect(pixels[0]).toBe(384);
    expect(((100 * kept[0]) / (pixels[0] * fc1.units)).toFixed(1)).toBe('6.8');
    expect(((100 * kept[1]) / (pixels[1] * fc1.units)).toFixed(1)).toBe('9.1');
  }, 60_000);
});
