import { defineConfig } from 'vitest/config';

// Browser tests: playwright-core drives Debian's Chromium against the built out/ on 127.0.0.1. One
// Chromium and one static server for the whole run (global-setup.ts); two files at a time (2 cores: a
// test mostly waits on one browser process, so two overlap well). The per-demo work is split by backend
// into three files (demos-<backend>.e2e.ts) so that it spreads over both workers. The timing reporter
// prints each file's and each demo's time, the five slowest demos, the projection to the planned number
// of demos, and the slowest test against its timeout.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    reporters: ['default', './e2e/timing-reporter.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
  },
});
