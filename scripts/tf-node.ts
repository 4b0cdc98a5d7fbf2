/**
 * Starting a tfjs backend in a Node script or test. The browser finds the .wasm binaries under
 * /tfjs-wasm/; in Node we point tfjs at the installed package's dist/ directory, which also works when
 * the code runs bundled from a data: URL (scripts/run-ts.mjs), where tfjs cannot find them itself.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { configureWasmPaths, tf } from '../demos/runtime/tf';

/** Backends a Node script can run on. */
export type NodeBackend = 'wasm' | 'cpu';

/** Directory of the tfjs WASM binaries in node_modules (resolved from the cwd). */
export function wasmDistDir(): string {
  const req = createRequire(path.join(process.cwd(), 'package.json'));
  return path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
}

/** Makes `name` the active backend; throws instead of silently falling back to another one. */
export async function useNodeBackend(name: NodeBackend): Promise<void> {
  if (name === 'wasm') configureWasmPaths(wasmDistDir() + path.sep);
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} could not start`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`tfjs backend ${name} unavailable, got ${tf.getBackend()}`);
}
