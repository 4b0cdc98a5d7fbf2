/**
 * The Deep Compression page's live part: the bytes the reproduce script wrote for each stage
 * (runtime/compress/pipeline.ts, `npm run reproduce -- deep-compression --write`) are fetched, decoded with
 * runtime/compress/format.ts and scored on test digits chunk by chunk, next to the shipped dense network,
 * digit for digit.
 */
import { tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages } from '../runtime/data/loader';
import { decodeNetwork, type CompressionMode } from '../runtime/compress/format';
import { layerTensors, mlpLogits, type LayerArrays } from '../runtime/compress/mlp';
import type { DeepCompressionConfig, StageResult } from '../runtime/compress/pipeline';

/** Directory (under the models URL) of the shipped result. */
export const SHIPPED_NAME = 'mlp-deep-compression';
export const STAGES: CompressionMode[] = ['pruned', 'quantized', 'huffman'];

/** What result.json holds: the table the reproduce script measured, and its settings. */
export interface ShippedTable {
  config: DeepCompressionConfig;
  stages: StageResult[];
  ratio: number;
  testDigits: number;
}

/** The shipped result: the table and the bytes of each stage. */
export interface Shipped {
  table: ShippedTable;
  bytes: Record<CompressionMode, Uint8Array>;
}

/**
 * Fetches result.json and the three encoded networks from `<baseUrl>/mlp-deep-compression/`. In Node pass
 * `fetch: fileFetch(dir)` (scripts/mnist-node.ts).
 */
export async function loadShipped(baseUrl: string, opts: { fetch?: typeof fetch; signal?: AbortSignal } = {}): Promise<Shipped> {
  const f = opts.fetch ?? fetch;
  const dir = `${baseUrl.endsWith('/') ? baseUrl : baseUrl + '/'}${SHIPPED_NAME}/`;
  const get = async (file: string) => {
    const res = await f(dir + file, { signal: opts.signal });
    if (!res.ok) throw new Error(`Deep Compression result: ${dir + file}: HTTP ${res.status}`);
    return res;
  };
  const [table, ...bufs] = await Promise.all([get('result.json').then((r) => r.json() as Promise<ShippedTable>), ...STAGES.map((s) => get(`${s}.dcmp`).then((r) => r.arrayBuffer()))]);
  return { table, bytes: Object.fromEntries(STAGES.map((s, i) => [s, new Uint8Array(bufs[i])])) as Record<CompressionMode, Uint8Array> };
}

/** What the view draws after some chunks. */
export interface ScoreFrame {
  /** Test digits scored so far, of `total`. */
  scored: number;
  total: number;
  /** Correct answers of the decoded network and of the dense one, and digits where they disagree. */
  correct: number;
  denseCorrect: number;
  disagree: number;
  /** Bytes decoded, and milliseconds the decoding took. */
  bytes: number;
  decodeMs: number;
  /** Share of the decoded network's weights that are zero. */
  sparsity: number;
}

/**
 * Decodes `bytes` (a stage written by encodeNetwork) and scores it against the dense `dense` layers on the
 * first `count` digits of `test`, `chunk` digits a step. dispose() frees the weight tensors.
 */
export function createDecodedScore(bytes: Uint8Array, dense: readonly LayerArrays[], test: MnistArrays, count: number, chunk = 250): Simulation<ScoreFrame> {
  const total = Math.min(count, test.count);
  const t0 = performance.now();
  const decoded = decodeNetwork(bytes).layers;
  const decodeMs = performance.now() - t0;
  let zeros = 0;
  let weights = 0;
  for (const l of decoded) for (const v of l.kernel) (weights++, v === 0 && zeros++);
  const wd = layerTensors(decoded);
  const wo = layerTensors(dense);
  let scored = 0;
  let correct = 0;
  let denseCorrect = 0;
  let disagree = 0;
  let live = true;
  return {
    async step(k: number) {
      if (!live) throw new Error('deep-compression: stepped after dispose');
      for (let i = 0; i < k && scored < total; i++) {
        const end = Math.min(total, scored + chunk);
        const counts = tf.tidy(() => {
          const x = tf.tensor2d(floatImages(test, scored, end), [end - scored, dense[0].inputs]);
          const y = tf.tensor1d(Int32Array.from(test.labels.subarray(scored, end)), 'int32');
          const a = tf.argMax(mlpLogits(x, wd), 1);
          const b = tf.argMax(mlpLogits(x, wo), 1);
          const sum = (t: tf.Tensor) => tf.sum(tf.cast(t, 'int32'));
          return tf.stack([sum(tf.equal(a, y)), sum(tf.equal(b, y)), sum(tf.notEqual(a, b))]);
        });
        const [c, d, n] = await counts.data();
        counts.dispose();
        correct += c;
        denseCorrect += d;
        disagree += n;
        scored = end;
      }
      return { scored, total, correct, denseCorrect, disagree, bytes: bytes.length, decodeMs, sparsity: zeros / weights };
    },
    dispose() {
      if (!live) return;
      live = false;
      tf.dispose([...wd, ...wo]);
    },
  };
}
