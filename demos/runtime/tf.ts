/**
 * The one module that imports TensorFlow.js. Demos and models import `tf` from here, never from
 * '@tensorflow/tfjs' directly, so that backend choice and our extra kernels are set up in one place.
 * Only lazily loaded chunks (demo views, models, Node scripts and tests) may import this file.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// The threaded Emscripten glue: the same module instance tfjs-backend-wasm starts its workers from.
import * as threadedGlue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import { registerWasmGradientKernels } from './wasm-kernels';
import { registerReduceGradients } from './reduce-grads';

export { tf };

// wasm lacks the conv filter/depthwise gradient kernels (and has a slow conv input gradient): add them
// once, for the browser and Node alike. See wasm-kernels.ts.
registerWasmGradientKernels(tf);
// Sum's and Mean's gradients without a JavaScript-filled ones array per backward pass (reduce-grads.ts).
registerReduceGradients(tf);

export type BackendName = 'webgl' | 'wasm' | 'cpu';

export const BACKEND_ORDER: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

export interface BackendChoice {
  /** The backend that actually runs. */
  backend: BackendName;
  /** Human-readable notes about what failed and what was done about it. */
  notes: string[];
  /** How it runs, in a few words for the backend badge's title, e.g. "wasm: 4 threads, SIMD". */
  detail: string;
  /** WASM threads computing (1: single-threaded; always 1 on webgl and cpu). */
  threads: number;
}

/**
 * How long one backend may take to start before the chooser gives up on it and tries the next. A start
 * is a .wasm download (the SIMD binary is 425 KB, 137 KB gzipped) plus its compilation, or WebGL's
 * context creation: on a phone on "slow 3G" (~50 KB/s, 400 ms round trips) with a cold cache the
 * download alone takes ~9 s when the host does not compress .wasm. 20 s keeps 2× margin over that,
 * while a start that truly hangs leaves the reader at "Loading…" for 20 s, not forever.
 */
export const BACKEND_START_TIMEOUT_MS = 20_000;

/**
 * Makes sure tfjs has a backend, so that every public function works when imported in Node with
 * nothing set up: if no backend runs or is starting, starts cpu, synchronously (its factory is), so
 * even constructors may use tensors right after the import. A no-op once a backend runs or is
 * starting (a caller's `tf.setBackend`, or {@link initBackend}). Runs when this module loads in Node;
 * browser pages (and workers) choose with {@link initBackend} instead.
 */
export function ensureBackend(): void {
  if (tf.engine().backendName) return;
  void tf.setBackend('cpu');
}
if (tf.env().getBool('IS_NODE')) ensureBackend();

/** Where the browser loads the tfjs WASM files from (scripts/copy-wasm.mjs puts them there). */
const WASM_PREFIX = '/tfjs-wasm/';
/** The threaded Emscripten glue, copied there too (see {@link workersLoadPristineGlue}). */
const THREADED_GLUE = 'tfjs-backend-wasm-threaded-simd.js';
let wasmPrefix: string | null = null;

/** Where the .wasm binaries (and the threaded glue) are served from; default /tfjs-wasm/ in a browser. */
export function configureWasmPaths(prefix: string): void {
  setWasmPaths(prefix);
  wasmPrefix = prefix;
}

/**
 * WASM threads. tfjs starts each worker from the *source text* of the threaded Emscripten glue
 * (`factory.toString()`), but the site's bundler rewrote that function: Next's build (Turbopack)
 * replaces the glue's `process` with a polyfill imported at module scope, which the minifier names
 * `a`, so the text refers to a variable the worker lacks and every worker dies ("a is not defined"),
 * leaving the start hanging. Keeping the glue out of minification would not help (the rewrite is not
 * the minifier's). scripts/copy-wasm.mjs ships the untouched glue next to the .wasm files and the
 * workers load that copy instead; the bundled copy still runs the main thread (the same file of the
 * same installed version). A same-origin script: CSP `script-src 'self'` and COEP allow it.
 */
function workersLoadPristineGlue(): void {
  const factory = (threadedGlue as { default?: unknown }).default ?? threadedGlue;
  const url = new URL(`${wasmPrefix ?? WASM_PREFIX}${THREADED_GLUE}`, location.href).href;
  // The worker evaluates `var WasmBackendModuleThreadedSimd = <this text>`: importScripts defines the
  // global of that name, and the expression then yields it.
  (factory as { toString: () => string }).toString = () => `(importScripts(${JSON.stringify(url)}), WasmBackendModuleThreadedSimd)`;
}

/**
 * Why WASM threads would not help here, or null when they should start: they need a cross-origin-
 * isolated page (SharedArrayBuffer), and tfjs gives them half the logical cores, at most 4, so with
 * fewer than 4 cores there would be one thread and the threaded build would only add idle workers.
 */
function threadsUnavailable(): string | null {
  if (typeof window === 'undefined') return 'not in a browser page';
  if (globalThis.crossOriginIsolated !== true) return 'threads need a cross-origin-isolated page';
  const cores = navigator.hardwareConcurrency ?? 1;
  return cores < 4 ? `${cores} logical cores: threads would not help` : null;
}

/** Why the running wasm backend has no threads, when it has none (for the badge's title). */
let noThreadsBecause: string | null = null;

/** How the running backend computes: a line for the badge's title, and the WASM thread count. */
async function howItRuns(name: BackendName): Promise<Pick<BackendChoice, 'detail' | 'threads'>> {
  if (name !== 'wasm') return { detail: name === 'cpu' ? 'cpu: plain JavaScript' : 'webgl: GPU shaders', threads: 1 };
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
  const threads = getThreadsCount();
  const why = noThreadsBecause ? ` (${noThreadsBecause})` : '';
  return { detail: threads > 1 ? `wasm: ${threads} threads, ${simd}` : `wasm: single-threaded, ${simd}${why}`, threads };
}

let current: Promise<BackendChoice> | null = null;
let currentKey: string | null = null;

/** Backends not to choose again, with the note that says why: lost after they started, or hung. */
const lost = new Map<BackendName, string>();

const keyOf = (preferred: BackendName | null, timeoutMs: number) => `${preferred ?? 'auto'}|${timeoutMs}|${[...lost.keys()].join(',')}`;

/**
 * Starts `name` as tfjs's backend within `ms`. Resolves 'ok', 'failed' (tfjs said no), or 'timeout':
 * then the start is abandoned, so tfjs no longer waits on it (`tf.ready()` would hang otherwise) and
 * the next backend can run; its factory stays registered. Throws what the backend's start throws.
 */
async function startWithin(name: BackendName, ms: number): Promise<'ok' | 'failed' | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const start = (async () => ((await tf.setBackend(name)) ? (await tf.ready(), 'ok' as const) : ('failed' as const)))();
  try {
    const result = await Promise.race([start, late]);
    if (result === 'timeout') {
      start.catch(() => {}); // a start that fails after we gave up on it is no one's error
      // removeBackend is tfjs's one public way to drop a pending start; register the factory again.
      const factory = tf.findBackendFactory(name);
      const priority = tf.engine().registryFactory[name]?.priority;
      tf.removeBackend(name);
      tf.registerBackend(name, factory, priority);
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Initialise the preferred backend, falling back along webgl → wasm → cpu, skipping any backend
 * marked lost, and giving up on one whose start takes longer than `timeoutMs` (then it is not tried
 * again). On a cross-origin-isolated page wasm runs with threads, else single-threaded SIMD; the
 * choice's `detail` says which. Idempotent per preference and set of lost backends: all demos on a
 * page share one backend, and after {@link markBackendLost} the next call chooses again.
 */
export function initBackend(
  preferred: BackendName | null = null,
  { timeoutMs = BACKEND_START_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<BackendChoice> {
  const key = keyOf(preferred, timeoutMs);
  if (current && currentKey === key) return current;
  currentKey = key;
  const choice = choose(preferred, timeoutMs);
  current = choice;
  // A backend that hung joined `lost` meanwhile: later calls with this preference still reuse this choice.
  choice.then(() => current === choice && (currentKey = keyOf(preferred, timeoutMs)), () => {});
  return choice;
}

/** One try of {@link startWithin}; a start that throws is noted and counts as failed. */
async function attempt(name: BackendName, ms: number, notes: string[]): Promise<'ok' | 'failed' | 'timeout'> {
  try {
    return await startWithin(name, ms);
  } catch (e) {
    notes.push(`${name} failed: ${(e as Error).message}`);
    return 'failed';
  }
}

async function choose(preferred: BackendName | null, timeoutMs: number): Promise<BackendChoice> {
  const notes: string[] = [];
  const order = preferred ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)] : [...BACKEND_ORDER];
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  for (const name of order) {
    const why = lost.get(name);
    if (why !== undefined) {
      notes.push(why);
      continue;
    }
    let threads = false;
    if (name === 'wasm' && typeof window !== 'undefined') {
      if (wasmPrefix === null) configureWasmPaths(WASM_PREFIX);
      noThreadsBecause = threadsUnavailable();
      threads = noThreadsBecause === null;
      if (threads) workersLoadPristineGlue();
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads);
    }
    // Shapes as uniforms, not constants in the shader source: one compiled program then serves an op at
    // every shape. tfjs compiles a WebGL program synchronously on an op's first use; this cut the programs
    // a demo compiles by a quarter to a half (init 213 → 160, squeezenet 90 → 41) and its start with them.
    if (name === 'webgl') tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
    let result = await attempt(name, timeoutMs, notes);
    if (threads && result !== 'ok') {
      // Threads are an extra: when they do not start, single-threaded SIMD still may.
      noThreadsBecause = `threads did not start${result === 'timeout' ? ` within ${seconds}` : ''}`;
      notes.push(`wasm ${noThreadsBecause}: trying wasm single-threaded`);
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      result = await attempt(name, timeoutMs, notes);
    }
    if (result === 'timeout') {
      const note = `${name} did not start within ${seconds}`;
      lost.set(name, note);
      notes.push(note);
    }
    if (result === 'ok' && tf.getBackend() === name) {
      if (name === 'webgl') failReadsOnContextLoss();
      if (name !== order[0]) notes.push(`${order[0]} unavailable, running on ${name}`);
      return { backend: name, notes, ...(await howItRuns(name)) };
    }
    if (!notes.some((n) => n.startsWith(name))) notes.push(`${name} unavailable`);
  }
  throw new Error(`No TensorFlow.js backend could start: ${notes.join('; ')}`);
}

/**
 * Marks a backend as broken for the rest of the page's life (say why, for the notes): the next
 * {@link initBackend} skips it. Tensors still on it are left to their owners to dispose.
 */
export function markBackendLost(name: BackendName, reason: string): void {
  if (!lost.has(name)) lost.set(name, `${name} stopped working (${reason})`);
}

/** Why the WebGL backend is unusable, for a note. */
export const WEBGL_LOST = 'the WebGL context was lost';

/** The parts of tfjs's webgl backend this module touches. */
interface WebGLBackendLike {
  gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext };
  read?: (dataId: object) => Promise<unknown>;
}

/** The WebGL context of tfjs's webgl backend, if that backend has been created. */
function webglContext(): WebGLRenderingContext | WebGL2RenderingContext | null {
  return (tf.findBackend('webgl') as unknown as WebGLBackendLike | null)?.gpgpu?.gl ?? null;
}

const guarded = new WeakSet<object>();

/**
 * tfjs polls a GPU fence for every async read-back, and a lost context never signals it: the read
 * would wait forever (and its tensor never be disposed). Make every read of the webgl backend reject
 * once its context is lost, so callers' `finally` blocks run and their loops end.
 */
function failReadsOnContextLoss(): void {
  const b = tf.findBackend('webgl') as unknown as WebGLBackendLike | null;
  const gl = b?.gpgpu?.gl;
  if (!b?.read || !gl || guarded.has(b)) return;
  guarded.add(b);
  let fail: (e: Error) => void = () => {};
  const dead = new Promise<never>((_, reject) => (fail = reject));
  dead.catch(() => {}); // only ever observed through the races below: never an unhandled rejection
  (gl.canvas as EventTarget).addEventListener('webglcontextlost', () => fail(new Error(`Read-back failed: ${WEBGL_LOST}`)));
  const read = b.read.bind(b);
  b.read = (dataId) => Promise.race([read(dataId), dead]);
}

/**
 * The running backend and why, if it has died under its users (today only WebGL, by context loss),
 * else null. Errors thrown while this is non-null are symptoms of the loss, not bugs of the caller.
 */
export function lostBackend(): { name: BackendName; reason: string } | null {
  if (typeof window === 'undefined' || tf.getBackend() !== 'webgl') return null;
  return webglContext()?.isContextLost() ? { name: 'webgl', reason: WEBGL_LOST } : null;
}

/**
 * Calls `onLost(name, reason)` if the running backend dies (the GPU was reset or the browser reclaimed
 * the WebGL context); returns the unsubscribe. A no-op on backends that cannot be lost (wasm, cpu).
 */
export function watchBackend(onLost: (name: BackendName, reason: string) => void): () => void {
  if (typeof window === 'undefined' || tf.getBackend() !== 'webgl') return () => {};
  const gl = webglContext();
  if (!gl) return () => {};
  if (gl.isContextLost()) {
    queueMicrotask(() => onLost('webgl', WEBGL_LOST));
    return () => {};
  }
  const target = gl.canvas as EventTarget;
  const handler = () => onLost('webgl', WEBGL_LOST);
  target.addEventListener('webglcontextlost', handler);
  return () => target.removeEventListener('webglcontextlost', handler);
}

/**
 * Reads a tensor back as floats and disposes it, also when the read fails (say, its WebGL context was
 * lost mid-read): the one read-back of a frame never leaks its tensor.
 */
export async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
