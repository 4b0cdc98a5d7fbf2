import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Unit tests: pure modules in Node (tfjs on its CPU or WASM backend). Browser tests live in e2e/.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['{lib,demos,components,scripts,content}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
    // Hooks build fixtures (MNIST shards, small models): on a busy machine they outlast vitest's default 10 s.
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default in a run is one worker fewer than the cores: one on this 2-core machine, which left a
    // core idle. The files are independent (each test writes only under its own mkdtemp).
    maxWorkers: 2,
  },
});
