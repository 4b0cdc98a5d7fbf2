import { afterAll, expect } from 'vitest';

/**
 * Setup for the unit-test files that share a worker process (vitest.config.ts): after a file's last test,
 * nothing of it may still be making tensors. A job, timer or loop that outlives its file would change the
 * tensor counts that the next file in the same worker asserts, and fail that file instead, in an order that
 * depends on timing. Reads tfjs's engine from its global only if the file loaded tfjs.
 */
afterAll(async () => {
  const engine = (globalThis as { _tfengine?: { state: { numTensors: number } } })._tfengine;
  if (!engine) return;
  const at = engine.state.numTensors;
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
  expect(engine.state.numTensors, 'tensors made after the file’s last test: something it started is still running').toBe(at);
});
