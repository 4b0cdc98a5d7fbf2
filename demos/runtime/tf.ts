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
let currentPref: string | null = null;

/**
 * Initialise the preferred backend, falling back along webgl → wasm → cpu. Idempotent per preference:
 * all demos on a page share one backend.
 */
export function initBackend(preferred: BackendName | null = null): Promise<BackendChoice> {
  const key = preferred ?? 'auto';
  if (current && currentPref === key) return current;
  currentPref = key;
  current = (async () => {
    const notes: string[] = [];
    const order = preferred
      ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)]
      : [...BACKEND_ORDER];
    for (const name of order) {
      if (name === 'wasm' && !wasmPathSet && typeof window !== 'undefined') {
        configureWasmPaths('/tfjs-wasm/');
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
