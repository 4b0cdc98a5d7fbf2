import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const ALL = ['{lib,demos,components,scripts,content}/**/*.test.{ts,tsx}'];
// Files that test a first call with nothing set up (no backend chosen, no flag set): each runs in a fresh
// process. Every other file shares its worker's module cache with the files before it: importing tfjs,
// its backends and the site's modules once per worker instead of once per file took the unit tests from
// 172 s to 63 s on 2 cores. Those files may not rely on a process's first state: each chooses its backend,
// and none may leave work running after its last test (scripts/vitest-quiet.ts checks).
const FRESH = ['demos/standalone.test.ts', 'demos/runtime/tf.test.ts', 'demos/runtime/data/*.test.ts', 'scripts/eval-models.test.ts', 'demos/transfer/model.test.ts'];

// Unit tests: pure modules in Node (tfjs on its CPU or WASM backend). Browser tests live in e2e/.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    environment: 'node',
    testTimeout: 60_000,
    // Hooks build fixtures (MNIST shards, small models): on a busy machine they outlast vitest's default 10 s.
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default in a run is one worker fewer than the cores: one on this 2-core machine, which left a
    // core idle. The files are independent (each test writes only under its own mkdtemp).
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'fresh', include: FRESH, isolate: true } },
      { extends: true, test: { name: 'shared', include: ALL, exclude: FRESH, isolate: false, setupFiles: ['scripts/vitest-quiet.ts'] } },
    ],
  },
});
