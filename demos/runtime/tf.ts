/**
 * The one module that imports TensorFlow.js. Demos and models import `tf` from here, never from
 * '@tensorflow/tfjs' directly, so that backend choice and our extra kernels are set up in one place.
 * Only lazily loaded chunks (demo views, models, Node scripts and tests) may import this file.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from './wasm-kernels';

export { tf };

// wasm lacks the conv filter/depthwise gradient kernels (and has a slow conv input gradient): add them
// once, for the browser and Node alike. See wasm-kernels.ts.
registerWasmGradientKernels(tf);

export type BackendName = 'webgl' | 'wasm' | 'cpu';

export const BACKEND_ORDER: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

export interface BackendChoice {
  /** The backend that actually runs. */
  backend: BackendName;
  /** Human-readable notes about what failed and what was done about it. */
  notes: string[];
}

let wasmPathSet = false;

/** Where the .wasm binaries are served from in the browser (copied into public/ at build time). */
export function configureWasmPaths(prefix: string): void {
  setWasmPaths(prefix);
  wasmPathSet = true;
}

let current: Promise<BackendChoice> | null = null;
let currentKey: string | null = null;

/** Backends that stopped working after they started (a lost WebGL context), with why: not chosen again. */
const lost = new Map<BackendName, string>();

/**
 * Initialise the preferred backend, falling back along webgl → wasm → cpu and skipping any backend
 * marked lost. Idempotent per preference and set of lost backends: all demos on a page share one
 * backend, and after {@link markBackendLost} the next call chooses again.
 */
export function initBackend(preferred: BackendName | null = null): Promise<BackendChoice> {
  const key = `${preferred ?? 'auto'}|${[...lost.keys()].join(',')}`;
  if (current && currentKey === key) return current;
  currentKey = key;
  current = (async () => {
    const notes: string[] = [];
    const order = preferred
      ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)]
      : [...BACKEND_ORDER];
    for (const name of order) {
      const why = lost.get(name);
      if (why !== undefined) {
        notes.push(`${name} stopped working (${why})`);
        continue;
      }
      if (name === 'wasm' && typeof window !== 'undefined') {
        if (!wasmPathSet) configureWasmPaths('/tfjs-wasm/');
        // On a cross-origin-isolated page (COOP/COEP headers) tfjs would start WASM threads from its
        // factory's source text, which the minifier has broken: the workers die ("a is not defined") and
        // the backend never finishes starting. Single-threaded SIMD works everywhere.
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      }
      let ok = false;
      try {
        ok = await tf.setBackend(name);
        if (ok) await tf.ready();
      } catch (e) {
        ok = false;
        notes.push(`${name} failed: ${(e as Error).message}`);
      }
      if (ok && tf.getBackend() === name) {
        if (name === 'webgl') failReadsOnContextLoss();
        if (notes.length > 0 || (preferred && preferred !== name)) {
          notes.push(`${order[0]} unavailable, running on ${name}`);
        }
        return { backend: name, notes };
      }
      if (!notes.some((n) => n.startsWith(name))) notes.push(`${name} unavailable`);
    }
    throw new Error(`No TensorFlow.js backend could start: ${notes.join('; ')}`);
  })();
  return current;
}

/**
 * Marks a backend as broken for the rest of the page's life (say why, for the notes): the next
 * {@link initBackend} skips it. Tensors still on it are left to their owners to dispose.
 */
export function markBackendLost(name: BackendName, reason: string): void {
  if (!lost.has(name)) lost.set(name, reason);
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
