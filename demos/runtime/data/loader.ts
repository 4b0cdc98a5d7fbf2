/**
 * Loads MNIST digits from the published ADLM shards (see ./shard.ts and scripts/prepare-data.mjs).
 * One module for the browser and Node: it only needs `fetch` (pass a file-backed one in Node) and
 * `DecompressionStream`. tfjs-free: tensors are made by the consumer from `floatImages`/`oneHot`.
 */
import { crc32 } from './crc32';
import type { MnistArrays } from './idx';
import { decodeShard } from './shard';

/** Which MNIST split: the 60k training set (a published subset) or the 10k test set. */
export type MnistSplit = 'train' | 'test';

/** One shard file as listed in manifest.json. */
export interface ShardEntry {
  /** File name relative to the manifest. */
  file: string;
  split: MnistSplit;
  /** Index of the shard's first digit within its split. */
  start: number;
  count: number;
  /** Exact file size in bytes. */
  bytes: number;
  /** CRC-32 of the whole file. */
  crc32: number;
}

/** manifest.json: what is published, in split order. */
export interface MnistManifest {
  format: 'ADLM';
  version: number;
  rows: number;
  cols: number;
  /** Digits published per split (the training split is a prefix of the 60k set). */
  counts: Record<MnistSplit, number>;
  shards: ShardEntry[];
}

/** Where the site serves the MNIST shards (public/data/mnist/, written by scripts/prepare-data.mjs). */
export const MNIST_BASE_URL = '/data/mnist/';

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  split: MnistSplit;
  /** Number of digits wanted (the first `count` of the split); default: all published. */
  count?: number;
  /** URL of the directory holding manifest.json, usually {@link MNIST_BASE_URL}. */
  baseUrl: string;
  /** Defaults to the global fetch. Node's cannot read files: pass `fileFetch(siteRoot)` (scripts/mnist-node.ts). */
  fetch?: typeof fetch;
  /** Called with bytes received so far and the total bytes of the shards needed. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/** Joins a directory URL and a file name, tolerating a missing trailing slash. */
function join(baseUrl: string, file: string): string {
  return baseUrl.endsWith('/') ? baseUrl + file : `${baseUrl}/${file}`;
}

async function fetchManifest(url: string, fetchFn: typeof fetch, signal?: AbortSignal): Promise<MnistManifest> {
  const res = await fetchFn(url, { signal });
  if (!res.ok) throw new Error(`MNIST manifest ${url}: HTTP ${res.status} ${res.statusText}`.trim());
  const m = (await res.json()) as MnistManifest;
  if (m.format !== 'ADLM' || !Array.isArray(m.shards)) throw new Error(`MNIST manifest ${url}: not an ADLM manifest`);
  return m;
}

/** Manifests being fetched or fetched with the global fetch, by URL: a page's loaders (a demo's training and test
 * digits, its digit input) ask for the same one at the same moment, and one request answers them all. */
const manifests = new Map<string, Promise<MnistManifest>>();

/** Resolves as `p` does, or rejects with an AbortError as soon as `signal` aborts (leaving `p` to others). */
function unlessAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    signal.addEventListener('abort', abort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * Fetches and sanity-checks manifest.json under `baseUrl`. With the global fetch, one request per URL serves every
 * caller (a failed one is forgotten, so the next call tries again); a caller's `signal` stops its own wait only.
 */
export function loadManifest(baseUrl: string, fetchFn: typeof fetch = fetch, signal?: AbortSignal): Promise<MnistManifest> {
  const url = join(baseUrl, 'manifest.json');
  if (fetchFn !== fetch) return fetchManifest(url, fetchFn, signal);
  let shared = manifests.get(url);
  if (!shared) {
    shared = fetchManifest(url, fetchFn);
    manifests.set(url, shared);
    shared.catch(() => manifests.delete(url));
  }
  return unlessAborted(shared, signal);
}

/** The shards covering the first `count` digits of `split`, in order; throws if not enough are published. */
export function shardsFor(manifest: MnistManifest, split: MnistSplit, count: number): ShardEntry[] {
  const all = manifest.shards.filter((s) => s.split === split).sort((a, b) => a.start - b.start);
  const available = all.reduce((n, s) => n + s.count, 0);
  if (!Number.isInteger(count) || count < 0 || count > available) {
    throw new Error(`MNIST ${split}: asked for ${count} digits, ${available} are published`);
  }
  const out: ShardEntry[] = [];
  for (let covered = 0; covered < count; covered += out[out.length - 1].count) {
    const next = all[out.length];
    if (next.start !== covered) throw new Error(`MNIST manifest: ${split} shard ${next.file} starts at ${next.start}, expected ${covered}`);
    out.push(next);
  }
  return out;
}

/** Reads a response body chunk by chunk (for progress) into one buffer; trusts no length header. */
async function readBody(res: Response, onChunk: (n: number) => void): Promise<Uint8Array> {
  if (!res.body) {
    const b = new Uint8Array(await res.arrayBuffer());
    onChunk(b.length);
    return b;
  }
  const chunks: Uint8Array[] = [];
  let n = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    n += value.length;
    onChunk(value.length);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Downloads one shard, checks size and CRC against the manifest, and decodes it. */
async function fetchShard(
  entry: ShardEntry,
  baseUrl: string,
  fetchFn: typeof fetch,
  signal: AbortSignal,
  onChunk: (n: number) => void,
): Promise<MnistArrays> {
  const url = join(baseUrl, entry.file);
  const name = `${entry.file} (${url})`;
  const res = await fetchFn(url, { signal });
  if (!res.ok) throw new Error(`MNIST shard ${name}: HTTP ${res.status} ${res.statusText}`.trim());
  const bytes = await readBody(res, onChunk);
  if (bytes.length !== entry.bytes) {
    throw new Error(`MNIST shard ${name}: got ${bytes.length} bytes, manifest says ${entry.bytes} (truncated or stale download)`);
  }
  if (crc32(bytes) !== entry.crc32) throw new Error(`MNIST shard ${name}: checksum mismatch, the file is corrupt`);
  const data = await decodeShard(bytes, entry.file);
  if (data.count !== entry.count) throw new Error(`MNIST shard ${name}: holds ${data.count} digits, manifest says ${entry.count}`);
  return data;
}

/**
 * Loads the first `count` digits of a split, fetching only the shards needed (in parallel), with
 * byte progress. Every shard is validated; a missing or corrupt one rejects with an Error naming it.
 */
export async function loadMnist(opts: LoadMnistOptions): Promise<MnistArrays> {
  const fetchFn = opts.fetch ?? fetch;
  const manifest = await loadManifest(opts.baseUrl, fetchFn, opts.signal);
  const count = opts.count ?? manifest.counts[opts.split];
  const entries = shardsFor(manifest, opts.split, count);
  const total = entries.reduce((n, s) => n + s.bytes, 0);
  let loaded = 0;
  opts.onProgress?.(0, total);

  // One failing shard cancels the others; the caller's signal cancels all.
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort);
  let parts: MnistArrays[];
  try {
    parts = await Promise.all(
      entries.map((e) =>
        fetchShard(e, opts.baseUrl, fetchFn, ctl.signal, (n) => {
          loaded += n;
          opts.onProgress?.(loaded, total);
        }).catch((err: unknown) => {
          ctl.abort(err);
          throw err;
        }),
      ),
    );
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }

  const { rows, cols } = manifest;
  const size = rows * cols;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const p of parts) {
    if (p.rows !== rows || p.cols !== cols) throw new Error(`MNIST ${opts.split}: shard of ${p.rows}×${p.cols} digits, manifest says ${rows}×${cols}`);
    const take = Math.min(p.count, count - at);
    images.set(p.images.subarray(0, take * size), at * size);
    labels.set(p.labels.subarray(0, take), at);
    at += take;
  }
  return { count, rows, cols, images, labels };
}

/** Pixels of digits [start, end) as floats in [0, 1] (value / 255), row-major, ready for a tensor. */
export function floatImages(data: MnistArrays, start = 0, end = data.count): Float32Array {
  const size = data.rows * data.cols;
  const src = data.images.subarray(start * size, end * size);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] / 255;
  return out;
}

/** Labels of digits [start, end) one-hot encoded, (end − start) × `classes`, row-major. */
export function oneHot(data: MnistArrays, start = 0, end = data.count, classes = 10): Float32Array {
  const out = new Float32Array((end - start) * classes);
  for (let i = start; i < end; i++) out[(i - start) * classes + data.labels[i]] = 1;
  return out;
}

/**
 * A loader of the first `trainCount` training digits and the first `testCount` test digits, fetched together,
 * for useResource: progress is the mean of the two downloads' fractions.
 */
export function trainTestLoader(trainCount: number, testCount: number, baseUrl = MNIST_BASE_URL) {
  return async (signal: AbortSignal, onProgress: (f: number) => void): Promise<{ train: MnistArrays; test: MnistArrays }> => {
    let [a, b] = [0, 0];
    const [train, test] = await Promise.all([
      loadMnist({ split: 'train', count: trainCount, baseUrl, signal, onProgress: (l, t) => onProgress((a = l / t) / 2 + b / 2) }),
      loadMnist({ split: 'test', count: testCount, baseUrl, signal, onProgress: (l, t) => onProgress(a / 2 + (b = l / t) / 2) }),
    ]);
    return { train, test };
  };
}

/** A loader of the first `count` digits of one split, for useResource, with the download's progress as a fraction. */
export function digitsLoader(split: MnistSplit, count: number, baseUrl = MNIST_BASE_URL) {
  return (signal: AbortSignal, onProgress: (f: number) => void): Promise<MnistArrays> => loadMnist({ split, count, baseUrl, signal, onProgress: (l, t) => onProgress(l / t) });
}
