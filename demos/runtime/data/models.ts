/**
 * Loads a shipped trained model (public/models/<name>/: manifest.json, model.json, weight shards) the
 * same way in the browser and in Node: only `fetch` differs (a file-backed one in Node scripts/tests).
 * Every file is checked against the manifest's size and CRC-32 before tfjs sees it, so a truncated or
 * corrupt download fails loudly instead of yielding a model with garbage weights.
 */
import { tf } from '../tf';
import { crc32 } from './crc32';
import type { LayerSummary, TrainRecipe } from '../models/zoo';

export { MODELS_BASE_URL } from './base-url';

/** Format tag of a model manifest. */
export const MODEL_MANIFEST_FORMAT = 'adl-model';

/** One file of a model directory, as listed in its manifest. */
export interface ModelFile {
  /** File name relative to the model directory. */
  path: string;
  bytes: number;
  crc32: number;
}

/** manifest.json of a shipped model: what it is, how it was trained, how well it does. */
export interface ModelManifest {
  format: typeof MODEL_MANIFEST_FORMAT;
  version: 1;
  name: string;
  title: string;
  /** Output unit i predicts digit digits[i]. */
  digits: number[];
  inputShape: number[];
  architecture: LayerSummary[];
  /** Total number of weights (trainable and not). */
  params: number;
  training: TrainRecipe & {
    backend: string;
    trainExamples: number;
    validationExamples: number;
    steps: number;
    /** Final accuracy on the held-out validation digits (used for every choice of recipe). */
    validationAccuracy: number;
    /** Wall-clock seconds of the training loop. */
    seconds: number;
    /** Per-epoch training loss and validation accuracy. */
    history: { epoch: number; meanLoss: number; validationAccuracy: number; seconds: number }[];
  };
  test: {
    accuracy: number;
    correct: number;
    count: number;
    /** Which digits: the full MNIST test set or the subset of the model's classes. */
    subset: string;
  };
  /** ISO date of training. */
  date: string;
  /** Bytes of the weight shards (what a reader downloads besides the small JSON files). */
  weightBytes: number;
  /** Every file the model needs besides manifest.json, with sizes and checksums. */
  files: ModelFile[];
}

/** Options of {@link loadModel} and {@link loadModelManifest}. */
export interface LoadModelOptions {
  /** URL of the directory holding the model directories, normally {@link MODELS_BASE_URL}. */
  baseUrl: string;
  /** Defaults to the global fetch. Node's cannot read files: pass `fileFetch(siteRoot)` (scripts/mnist-node.ts). */
  fetch?: typeof fetch;
  /** Fraction of the model's files (by bytes) fetched and verified so far. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** URL of the directory of model `name`, ending in '/'. */
export function modelDirUrl(baseUrl: string, name: string): string {
  return `${baseUrl.endsWith('/') ? baseUrl : baseUrl + '/'}${encodeURIComponent(name)}/`;
}

/** Fetches `url`; a non-2xx answer becomes an Error naming the model and URL. */
async function fetchOk(fetchFn: typeof fetch, url: string, what: string, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetchFn(url, init);
  } catch (e) {
    throw new Error(`${what}: fetching ${url} failed: ${(e as Error).message}`);
  }
  if (!res.ok) throw new Error(`${what}: ${url}: HTTP ${res.status} ${res.statusText}`.trim());
  return res;
}

/** Fetches and sanity-checks models/<name>/manifest.json. */
export async function loadModelManifest(name: string, opts: LoadModelOptions): Promise<ModelManifest> {
  const what = `Model "${name}"`;
  const url = modelDirUrl(opts.baseUrl, name) + 'manifest.json';
  const res = await fetchOk(opts.fetch ?? fetch, url, what, { signal: opts.signal });
  let m: ModelManifest;
  try {
    m = (await res.json()) as ModelManifest;
  } catch (e) {
    throw new Error(`${what}: ${url} is not valid JSON (${(e as Error).message})`);
  }
  if (m?.format !== MODEL_MANIFEST_FORMAT || !Array.isArray(m.files) || m.name !== name) {
    throw new Error(`${what}: ${url} is not the manifest of model "${name}"`);
  }
  return m;
}

/** A loaded model with its manifest. */
export interface LoadedModel {
  model: tf.LayersModel;
  manifest: ModelManifest;
}

/**
 * Loads model `name` from `<baseUrl><name>/` with tf.loadLayersModel. The fetch handed to tfjs verifies
 * each file's size and CRC-32 against the manifest; the loaded model must then match the manifest's
 * parameter count and number of classes. Any mismatch rejects with an Error naming the model and file.
 * The caller owns (and disposes) the model.
 */
export async function loadModel(name: string, opts: LoadModelOptions): Promise<LoadedModel> {
  const what = `Model "${name}"`;
  const manifest = await loadModelManifest(name, opts);
  const dir = modelDirUrl(opts.baseUrl, name);
  const fetchFn = opts.fetch ?? fetch;
  const files = new Map(manifest.files.map((f) => [f.path, f]));

  // Progress is counted here rather than by tfjs: its progress monitor leaves a rejected fetch unhandled
  // (an uncaught error in the page on top of the one we report).
  const totalBytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
  let doneBytes = 0;
  const checkedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const file = url.startsWith(dir) ? files.get(decodeURIComponent(url.slice(dir.length))) : undefined;
    if (!file) throw new Error(`${what}: ${url} is not listed in its manifest.json`);
    const res = await fetchOk(fetchFn, url, what, { ...init, signal: opts.signal });
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length !== file.bytes) {
      throw new Error(`${what}: ${url} has ${bytes.length} bytes, manifest says ${file.bytes} (truncated or stale file)`);
    }
    if (crc32(bytes) !== file.crc32) throw new Error(`${what}: ${url}: checksum mismatch, the file is corrupt`);
    doneBytes += bytes.length;
    opts.onProgress?.(totalBytes > 0 ? doneBytes / totalBytes : 1);
    return new Response(bytes, { status: 200 });
  };

  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(dir + 'model.json', { fetchFunc: checkedFetch });
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    throw new Error(msg.startsWith(what) ? msg : `${what}: loading failed: ${msg}`);
  }
  const classes = (model.outputs[0].shape as number[])[1];
  const params = model.countParams();
  if (params !== manifest.params || classes !== manifest.digits.length) {
    model.dispose();
    throw new Error(`${what}: loaded network has ${params} parameters and ${classes} classes, manifest says ${manifest.params} and ${manifest.digits.length}`);
  }
  return { model, manifest };
}

/** Format tag of the manifest of a network shipped as one flat float32 vector. */
export const FLAT_MANIFEST_FORMAT = 'adl-flat';

/**
 * manifest.json of a network shipped as one flat float32 vector (little-endian, `file`), laid out as its demo's
 * model.ts lays out its parameters (runtime/train.ts flatInit): what it is, how it was made, how well it does.
 */
export interface FlatModelManifest {
  format: typeof FLAT_MANIFEST_FORMAT;
  name: string;
  title: string;
  /** Number of float32 values in `file`. */
  params: number;
  file: ModelFile;
  /** The command that wrote the directory. */
  madeBy: string;
  /** The recipe and the run: seed, steps, seconds, backend, … */
  training: Record<string, unknown>;
  /** Scores of the shipped network, as its demo measures them. */
  test: Record<string, unknown>;
  /** ISO date of training. */
  date: string;
}

/**
 * Loads the flat network `name` from `<baseUrl><name>/` (manifest.json, then its weights file checked against the
 * manifest's size and CRC-32). `params` is how many values the caller's architecture expects: a mismatch rejects,
 * naming the model, as does any missing, truncated or corrupt file.
 */
export async function loadFlatModel(name: string, params: number, opts: LoadModelOptions): Promise<{ flat: Float32Array; manifest: FlatModelManifest }> {
  const what = `Model "${name}"`;
  const dir = modelDirUrl(opts.baseUrl, name);
  const fetchFn = opts.fetch ?? fetch;
  const res = await fetchOk(fetchFn, dir + 'manifest.json', what, { signal: opts.signal });
  let m: FlatModelManifest;
  try {
    m = (await res.json()) as FlatModelManifest;
  } catch (e) {
    throw new Error(`${what}: ${dir}manifest.json is not valid JSON (${(e as Error).message})`);
  }
  if (m?.format !== FLAT_MANIFEST_FORMAT || m.name !== name || !m.file) throw new Error(`${what}: ${dir}manifest.json is not the manifest of flat model "${name}"`);
  if (m.params !== params || m.file.bytes !== 4 * params) throw new Error(`${what}: holds ${m.params} parameters, the network here has ${params}`);
  const url = dir + m.file.path;
  const bytes = new Uint8Array(await (await fetchOk(fetchFn, url, what, { signal: opts.signal })).arrayBuffer());
  if (bytes.length !== m.file.bytes) throw new Error(`${what}: ${url} has ${bytes.length} bytes, manifest says ${m.file.bytes} (truncated or stale file)`);
  if (crc32(bytes) !== m.file.crc32) throw new Error(`${what}: ${url}: checksum mismatch, the file is corrupt`);
  opts.onProgress?.(1);
  return { flat: new Float32Array(bytes.buffer, bytes.byteOffset, params), manifest: m };
}
