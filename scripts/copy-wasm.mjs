// Copy the tfjs WASM binaries from the installed package into public/, so their version always
// matches the JavaScript that loads them; and the threaded Emscripten glue, untouched by the bundler,
// from which the WASM threads' workers start (see workersLoadPristineGlue in demos/runtime/tf.ts).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
const glue = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
const dest = path.join(process.cwd(), 'public', 'tfjs-wasm');
mkdirSync(dest, { recursive: true });
const files = readdirSync(dist).filter((f) => f.endsWith('.wasm'));
for (const f of files) copyFileSync(path.join(dist, f), path.join(dest, f));
copyFileSync(glue, path.join(dest, path.basename(glue)));
console.log(`copied ${files.length} wasm binaries and the threaded glue to public/tfjs-wasm/`);
