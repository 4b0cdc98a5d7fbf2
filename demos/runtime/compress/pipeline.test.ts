import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../tf';
import { loadDenseWeights } from './layers';
import { decodeNetwork } from './format';
import { DEEP_COMPRESSION_CONFIG, deepCompression, stageLine } from './pipeline';
import { sliceRange } from '../models/classify';
import { fileFetch, loadMnistNode } from '../../../scripts/mnist-node';
import { useNodeBackend } from '../../../scripts/tf-node';

describe('deepCompression', () => {
  it('runs the three stages, each encoded, decoded and scored; sizes fall, Huffman loses nothing, no tensor leaks', async () => {
    await useNodeBackend('wasm');
    const { layers } = await loadDenseWeights('mlp', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
    const train = sliceRange(loadMnistNode('train'), 0, 2000);
    const test = sliceRange(loadMnistNode('test'), 0, 500);
    const before = tf.memory().numTensors;
    const cfg = { ...DEEP_COMPRESSION_CONFIG, pruneRounds: 2, retrainSteps: [3, 3], fineTuneSteps: 3, batchSize: 32 };
    const lines: string[] = [];
    const r = await deepCompression(layers, train, test, cfg, (l) => lines.push(l));
    expect(tf.memory().numTensors).toBe(before);
    expect(r.stages.map((s) => s.stage)).toEqual(['dense', 'pruned', 'quantized', 'huffman']);
    expect(lines.length).toBe(3);
    const [d, p, q, h] = r.stages;
    // 8 / 9 / 26 % of 235,200 / 30,000 / 1,000 weights kept.
    const kept = Math.round(0.08 * 235200) + Math.round(0.09 * 30000) + Math.round(0.26 * 1000);
    expect(p.sparsity).toBeCloseTo(1 - kept / 266200, 3);
    expect(d.bytes).toBeGreaterThan(p.bytes);
    expect(p.bytes).toBeGreaterThan(q.bytes);
    expect(q.bytes).toBeGreaterThan(h.bytes);
    expect(h.accuracy).toBe(q.accuracy);
    expect(r.ratio).toBeCloseTo(d.bytes / r.encoded.huffman.length, 12);
    expect(r.encoded.pruned.length).toBe(p.bytes);
    // At most 2^4 − 1 distinct nonzero weights per layer after sharing, and the zero.
    for (const l of decodeNetwork(r.encoded.quantized).layers) expect(new Set(l.kernel).size).toBeLessThanOrEqual(16);
    expect(stageLine(h)).toMatch(/^stage: huffman sparsity: [\d.]+% bits: 4\/4\/4 size_kb: [\d.]+ accuracy: 0\.\d{4}$/);
    await expect(deepCompression(layers, train, test, { ...cfg, keep: [0.1] })).rejects.toThrow(RangeError);
  }, 120_000);
});
