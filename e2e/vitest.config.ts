import { defineConfig } from 'vitest/config';

// Browser tests: playwright-core drives Debian's Chromium against the built out/ on 127.0.0.1.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
