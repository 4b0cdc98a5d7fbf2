import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { loadDenseWeights, type DenseWeights } from '../runtime/compress/layers';
import { decodeNetwork, encodeNetwork } from '../runtime/compress/format';
import { decodedAccuracy, denseBytes } from '../runtime/compress/pipeline';
import type { MnistArrays } from '../runtime/data/idx';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createDecodedScore, loadShipped, STAGES, type Shipped } from './model';

/** Bytes and ratio of the shipped shared network with the paper's 5-bit relative indices (the notes quote them). */
const REENCODED_5 = [26_629, 40];
/** fc1 rows (input pixels) with no weight left, those of them blank in every test digit, and all blank pixels. */
const EMPTY_ROWS = [260, 116, 116];
/** Test digits on which the compressed and the dense network answer differently. */
const DISAGREE = 148;

// The shipped result (npm run reproduce -- deep-compression --write), the dense MLP and all 10,000 test digits.
let shipped: Shipped;
let dense: DenseWeights[];
let test: MnistArrays;
beforeAll(async () => {
  await useNodeBackend('wasm');
  const fetch = fileFetch(path.resolve('public/models'));
  shipped = await loadShipped('/', { fetch });
  dense = (await loadDenseWeights('mlp', { baseUrl: '/', fetch })).layers;
  test = loadMnistNode('test');
}, 120_000);

describe('the shipped Deep Compression result', () => {
  it('decodes the Huffman-coded bytes into a network that scores the reported accuracy on all 10,000 test digits', async () => {
    const table = shipped.table.stages;
    for (const s of STAGES) {
      const row = table.find((r) => r.stage === s)!;
      expect(shipped.bytes[s].length).toBe(row.bytes);
      const decoded = decodeNetwork(shipped.bytes[s]);
      expect(decoded.mode).toBe(s);
      expect(await decodedAccuracy(decoded.layers, test)).toBe(row.accuracy);
    }
    expect(table[0].accuracy).toBe(await decodedAccuracy(dense, test));
  }, 120_000);

  it('is 40 times smaller than the dense float32 network, within 0.3 points of its accuracy', () => {
    const [d, , , h] = shipped.table.stages;
    expect(d.bytes).toBe(denseBytes(dense));
    expect(d.bytes).toBe(4 * 266_610);
    const ratio = d.bytes / shipped.bytes.huffman.length;
    expect(ratio).toBeCloseTo(shipped.table.ratio, 10);
    expect(ratio).toBeGreaterThanOrEqual(40);
    expect(h.accuracy).toBeGreaterThanOrEqual(d.accuracy - 0.003);
    // Each stage is smaller than the one before; Huffman coding loses nothing.
    const sizes = shipped.table.stages.map((s) => s.bytes);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThan(sizes[i - 1]);
    expect(h.accuracy).toBe(shipped.table.stages[2].accuracy);
  });
});

/** The shipped shared network re-encoded as Huffman streams with relative indices of `indexBits` bits. */
function reencode(indexBits: number): number {
  const layers = decodeNetwork(shipped.bytes.quantized).layers.map((l) => {
    const book = Array.from(new Set(l.kernel)).filter((v) => v !== 0).sort((a, b) => a - b);
    const index = new Map(book.map((v, i) => [v, i]));
    const mask = Uint8Array.from(l.kernel, (v) => (v !== 0 ? 1 : 0));
    return { ...l, mask, codebook: Float32Array.from(book), assignments: Uint16Array.from(l.kernel, (v) => index.get(v) ?? 0), bits: 4 };
  });
  return encodeNetwork(layers, 'huffman', indexBits).length;
}

describe('the numbers the notes quote', () => {
  it('sizes, ratios, accuracies, the kept share and the empty pixel rows of the shipped result', async () => {
    const rows = shipped.table.stages;
    expect(rows.map((r) => (r.bytes / 1000).toFixed(1))).toEqual(['1066.4', '111.4', '30.7', '25.5']);
    expect(rows.map((r) => (rows[0].bytes / r.bytes).toFixed(1))).toEqual(['1.0', '9.6', '34.7', '41.8']);
    expect(rows.map((r) => (100 * r.accuracy).toFixed(2))).toEqual(['98.19', '98.15', '98.15', '98.15']);
    expect((100 * (1 - rows[3].sparsity)).toFixed(1)).toBe('8.2');
    expect((rows[1].bytes / rows[2].bytes).toFixed(1)).toBe('3.6');
    expect((100 * (1 - rows[3].bytes / rows[2].bytes)).toFixed(0)).toBe('17');
    // fc1's rows are its input pixels: how many lost every weight, and how many of those are blank in every test digit.
    const fc1 = decodeNetwork(shipped.bytes.huffman).layers[0];
    const empty = Array.from({ length: 784 }, (_, p) => fc1.kernel.subarray(p * 300, (p + 1) * 300).every((v) => v === 0));
    const blank = Array.from({ length: 784 }, (_, p) => { for (let i = 0; i < test.count; i++) if (test.images[i * 784 + p]) return false; return true; });
    expect([empty.filter(Boolean).length, empty.filter((e, p) => e && blank[p]).length, blank.filter(Boolean).length]).toEqual(EMPTY_ROWS);
    // The compressed and the dense network err on different digits.
    const sim = createDecodedScore(shipped.bytes.huffman, dense, test, 10_000, 2500);
    const f = await sim.step(4);
    sim.dispose();
    expect([f.scored, f.disagree]).toEqual([10_000, DISAGREE]);
  }, 60_000);
});

describe('index width', () => {
  it('re-encoding the shared network with 6-bit indices gives the shipped bytes; the paper\'s 5 bits cost more fillers', () => {
    expect(reencode(6)).toBe(shipped.bytes.huffman.length);
    expect(REENCODED_5).toEqual([reencode(5), +(4 * 266_610 / reencode(5)).toFixed(1)]);
  });
});

describe('the demo\'s simulation', () => {
  it('scores the decoded and the dense network chunk by chunk, as decodedAccuracy does, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const sim = createDecodedScore(shipped.bytes.huffman, dense, test, 1000, 300);
    const f0 = await sim.step(0);
    expect(f0.scored).toBe(0);
    const during = tf.memory().numTensors;
    let f = await sim.step(2);
    expect(f.scored).toBe(600);
    expect(tf.memory().numTensors).toBe(during);
    f = await sim.step(5);
    expect(f.scored).toBe(1000);
    const first = { ...test, count: 1000, images: test.images.subarray(0, 1000 * 784), labels: test.labels.subarray(0, 1000) };
    expect(f.correct / 1000).toBe(await decodedAccuracy(decodeNetwork(shipped.bytes.huffman).layers, first));
    expect(f.denseCorrect / 1000).toBe(await decodedAccuracy(dense, first));
    expect(f.bytes).toBe(shipped.bytes.huffman.length);
    expect(f.sparsity).toBeCloseTo(shipped.table.stages[3].sparsity, 10);
    sim.dispose();
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => createDecodedScore(Uint8Array.of(0, 1, 2), dense, test, 10)).toThrow(/DCMP/);
  }, 60_000);
});
