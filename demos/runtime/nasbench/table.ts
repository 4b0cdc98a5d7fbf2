/**
 * The benchmark's published results: public/data/nasbench/manifest.json and cells.csv (one line per cell of
 * the space: index, validation and test accuracy, parameters, MACs, training seconds). Parsing checks the
 * manifest, the file's SHA-256 and every line, and throws a {@link BenchFormatError} saying what is wrong.
 * Loaded the same way in the browser and in Node (pass a file-backed fetch there).
 */
import { cellCost, SPACE_SIZE } from './space';
import type { BenchSettings } from './build';

/** The manifest's `format` field. */
export const BENCH_FORMAT = 'adl-nasbench';
/** The results file's header line. */
export const BENCH_HEADER = 'index,val,test,params,macs,train_s';

/** public/data/nasbench/manifest.json. */
export interface BenchManifest {
  format: typeof BENCH_FORMAT;
  version: 1;
  /** The results file, next to the manifest. */
  file: string;
  bytes: number;
  /** Hex SHA-256 of the results file. */
  sha256: string;
  /** Cells in the space (lines of the file). */
  cells: number;
  /** Distinct networks actually trained (skip stages ignore their width: duplicates share results). */
  trained: number;
  seed: number;
  /** ISO date the run finished. */
  date: string;
  settings: BenchSettings;
  /** tfjs backend and where the run happened. */
  backend: string;
  processes: number;
  /** Wall-clock minutes of the whole run and the sum of the cells' training seconds. */
  wallMinutes: number;
  trainSecondsTotal: number;
}

/** The results as arrays indexed by cell. */
export interface BenchTable {
  manifest: BenchManifest;
  val: Float32Array;
  test: Float32Array;
  params: Int32Array;
  macs: Int32Array;
  trainSeconds: Float32Array;
  /** The cell with the best validation accuracy (ties: lowest index), and the best test accuracy of any cell. */
  bestVal: number;
  bestTest: number;
}

/** A malformed or mismatched benchmark file: the message says what and where. */
export class BenchFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchFormatError';
  }
}

/** Hex SHA-256 of `bytes` (Web Crypto: the browser's and Node's). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks a parsed manifest's shape; throws BenchFormatError naming the first bad field. */
export function validateManifest(m: unknown): BenchManifest {
  if (!isObject(m)) throw new BenchFormatError('nasbench manifest: not a JSON object');
  if (m.format !== BENCH_FORMAT) throw new BenchFormatError(`nasbench manifest: format must be "${BENCH_FORMAT}", got ${JSON.stringify(m.format)}`);
  if (m.version !== 1) throw new BenchFormatError(`nasbench manifest: version 1 expected, got ${JSON.stringify(m.version)}`);
  for (const k of ['file', 'sha256', 'date', 'backend'] as const) {
    if (typeof m[k] !== 'string' || m[k] === '') throw new BenchFormatError(`nasbench manifest: "${k}" must be a non-empty string`);
  }
  if (!/^[0-9a-f]{64}$/.test(m.sha256 as string)) throw new BenchFormatError('nasbench manifest: "sha256" must be 64 hex digits');
  for (const k of ['bytes', 'cells', 'trained', 'seed', 'processes', 'wallMinutes', 'trainSecondsTotal'] as const) {
    if (typeof m[k] !== 'number' || !Number.isFinite(m[k]) || (m[k] as number) < 0) throw new BenchFormatError(`nasbench manifest: "${k}" must be a non-negative number`);
  }
  if (m.cells !== SPACE_SIZE) throw new BenchFormatError(`nasbench manifest: ${SPACE_SIZE} cells expected (this site's search space), got ${m.cells}`);
  if (!isObject(m.settings)) throw new BenchFormatError('nasbench manifest: "settings" missing');
  return m as unknown as BenchManifest;
}

/**
 * Parses and checks the results file against its manifest: size, SHA-256, header, one line per cell in
 * order, accuracies in [0, 1], and parameters and MACs equal to the space's formulas (./space.ts).
 */
export async function parseBenchTable(manifestJson: unknown, bytes: Uint8Array): Promise<BenchTable> {
  const manifest = validateManifest(manifestJson);
  if (bytes.length !== manifest.bytes) throw new BenchFormatError(`nasbench: ${manifest.file} has ${bytes.length} bytes, the manifest says ${manifest.bytes}`);
  const sha = await sha256Hex(bytes);
  if (sha !== manifest.sha256) throw new BenchFormatError(`nasbench: ${manifest.file}'s SHA-256 ${sha.slice(0, 12)}… differs from the manifest's ${manifest.sha256.slice(0, 12)}…`);
  const lines = new TextDecoder().decode(bytes).trimEnd().split('\n');
  if (lines[0] !== BENCH_HEADER) throw new BenchFormatError(`nasbench: header "${BENCH_HEADER}" expected, got "${lines[0]}"`);
  if (lines.length - 1 !== SPACE_SIZE) throw new BenchFormatError(`nasbench: ${SPACE_SIZE} cells expected, got ${lines.length - 1}`);
  const n = SPACE_SIZE;
  const t: Omit<BenchTable, 'bestVal' | 'bestTest'> = {
    manifest,
    val: new Float32Array(n),
    test: new Float32Array(n),
    params: new Int32Array(n),
    macs: new Int32Array(n),
    trainSeconds: new Float32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',');
    const where = `nasbench: line ${i + 2}`;
    if (f.length !== 6) throw new BenchFormatError(`${where}: 6 fields expected, got ${f.length}`);
    const [index, val, test, params, macs, secs] = f.map(Number);
    if (index !== i) throw new BenchFormatError(`${where}: cell ${i} expected, got ${f[0]}`);
    if (!(val >= 0 && val <= 1) || !(test >= 0 && test <= 1)) throw new BenchFormatError(`${where}: accuracies must lie in [0, 1]`);
    const cost = cellCost(i);
    if (params !== cost.params || macs !== cost.macs) throw new BenchFormatError(`${where}: params/MACs ${params}/${macs} differ from the space's ${cost.params}/${cost.macs}`);
    if (!(secs >= 0)) throw new BenchFormatError(`${where}: training seconds must be a non-negative number`);
    t.val[i] = val;
    t.test[i] = test;
    t.params[i] = params;
    t.macs[i] = macs;
    t.trainSeconds[i] = secs;
  }
  let bestVal = 0;
  let bestTest = 0;
  for (let i = 0; i < n; i++) {
    if (t.val[i] > t.val[bestVal]) bestVal = i;
    if (t.test[i] > bestTest) bestTest = t.test[i];
  }
  return { ...t, bestVal, bestTest };
}

/** Formats one results line (the script writes them; tests build small files with it). */
export function formatBenchLine(index: number, r: { val: number; test: number; seconds: number }): string {
  const { params, macs } = cellCost(index);
  return `${index},${r.val.toFixed(4)},${r.test.toFixed(4)},${params},${macs},${r.seconds.toFixed(2)}`;
}

/** Default URL of the benchmark's directory on the site. */
export const BENCH_BASE = '/data/nasbench/';

/**
 * Fetches and checks the benchmark. `fetchFn` is the browser's fetch, or in Node a file-backed one
 * (scripts/mnist-node.ts fileFetch) over public/; `base` is the directory URL ending in '/'.
 */
export async function loadBenchTable(fetchFn: typeof fetch, base: string = BENCH_BASE, signal?: AbortSignal): Promise<BenchTable> {
  const get = async (name: string) => {
    const res = await fetchFn(base + name, { signal });
    if (!res.ok) throw new BenchFormatError(`nasbench: ${base + name} could not be loaded (HTTP ${res.status})`);
    return res;
  };
  let manifest: unknown;
  try {
    manifest = await (await get('manifest.json')).json();
  } catch (e) {
    if (e instanceof BenchFormatError || (e as Error).name === 'AbortError') throw e;
    throw new BenchFormatError(`nasbench: manifest.json is not valid JSON (${(e as Error).message})`);
  }
  const m = validateManifest(manifest);
  const bytes = new Uint8Array(await (await get(m.file)).arrayBuffer());
  return parseBenchTable(m, bytes);
}
