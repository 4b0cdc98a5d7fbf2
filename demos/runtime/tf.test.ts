import { describe, expect, it } from 'vitest';
import { tf, ensureBackend, initBackend, lostBackend, markBackendLost, readAndDispose, watchBackend } from './tf';

describe('ensureBackend', () => {
  it('in Node, importing the runtime started cpu; afterwards ensureBackend leaves a chosen backend alone', async () => {
    // Nothing in this file chose a backend before this line: the import did.
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]).toBe(3);
    expect(await tf.setBackend('wasm')).toBe(true);
    ensureBackend();
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('initBackend', () => {
  it('falls back from an unavailable backend and says which one runs', async () => {
    // In Node there is no WebGL: asking for it must land on another backend with a note.
    const choice = await initBackend('webgl');
    expect(choice.backend).not.toBe('webgl');
    expect(tf.getBackend()).toBe(choice.backend);
    expect(choice.notes.join(' ')).toMatch(/webgl/);
  });
});

describe('markBackendLost', () => {
  it('keeps the memoised choice until a backend is marked lost, then chooses the next one with a note', async () => {
    const first = initBackend('wasm');
    expect(initBackend('wasm')).toBe(first); // idempotent per preference
    expect((await first).backend).toBe('wasm');
    expect(lostBackend()).toBeNull(); // wasm cannot lose a context

    markBackendLost('wasm', 'simulated failure');
    const again = initBackend('wasm');
    expect(again).not.toBe(first);
    const choice = await again;
    // webgl does not exist in Node and wasm is marked lost: cpu is all that is left.
    expect(choice.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.notes).toContain('wasm stopped working (simulated failure)');
    expect(choice.notes.join(' ')).toMatch(/wasm unavailable, running on cpu/);
    // Automatic choice skips it too.
    expect((await initBackend(null)).backend).toBe('cpu');
    // Nothing to watch on cpu: the unsubscribe is a harmless no-op.
    let called = false;
    watchBackend(() => (called = true))();
    expect(called).toBe(false);
  });
});

describe('readAndDispose', () => {
  it('returns the values and disposes the tensor, also when the read fails', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const t = tf.tensor1d([1.5, -2, 4]);
    expect(Array.from(await readAndDispose(t))).toEqual([1.5, -2, 4]);
    expect(t.isDisposed).toBe(true);
    // A read that fails (as on a lost WebGL context) still frees the tensor and passes the error on.
    const u = tf.tensor1d([7]);
    u.data = () => Promise.reject(new Error('context lost'));
    await expect(readAndDispose(u)).rejects.toThrow('context lost');
    expect(u.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
