/**
 * A backend whose start never finishes: a real tfjs backend registration (tf.registerBackend) whose
 * factory returns a promise that never settles, under the name 'webgl' (which Node lacks). Its own file:
 * the chooser's memo and the list of given-up backends are per process.
 */
import { describe, expect, it } from 'vitest';
import { initBackend, tf } from './tf';

describe('initBackend with a backend that hangs', () => {
  it('gives up on it after the timeout, runs the next backend, says so, and does not wait on it again', async () => {
    expect(tf.findBackendFactory('webgl')).toBeNull();
    let starts = 0;
    const hang = () => {
      starts++;
      return new Promise<never>(() => {});
    };
    expect(tf.registerBackend('webgl', hang, 3)).toBe(true);

    const first = initBackend('webgl', { timeoutMs: 300 });
    const choice = await first;
    expect(starts).toBe(1);
    expect(choice.backend).toBe('wasm');
    expect(choice.notes).toEqual(['webgl did not start within 0.3 s', 'webgl unavailable, running on wasm']);
    expect(choice.detail).toMatch(/^wasm: single-threaded/);
    expect(choice.threads).toBe(1);
    // tfjs no longer waits on the abandoned start: ready() resolves and kernels run on wasm.
    await tf.ready();
    expect(tf.getBackend()).toBe('wasm');
    const sum = tf.add(tf.scalar(2), tf.scalar(3));
    expect(await sum.data()).toEqual(new Float32Array([5]));
    sum.dispose();
    // The registration is kept as it was (same factory, same priority)…
    expect(tf.findBackendFactory('webgl')).toBe(hang);
    expect(tf.engine().registryFactory.webgl.priority).toBe(3);
    // …but the chooser does not start it again: the same choice for the same preference, and an
    // automatic choice skips it at once with the note.
    expect(initBackend('webgl', { timeoutMs: 300 })).toBe(first);
    const auto = await initBackend(null, { timeoutMs: 300 });
    expect(starts).toBe(1);
    expect(auto.backend).toBe('wasm');
    expect(auto.notes).toEqual(['webgl did not start within 0.3 s', 'webgl unavailable, running on wasm']);
  });
});
