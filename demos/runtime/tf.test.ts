import { describe, expect, it } from 'vitest';
import { tf, initBackend } from './tf';

describe('initBackend', () => {
  it('falls back from an unavailable backend and says which one runs', async () => {
    // In Node there is no WebGL: asking for it must land on another backend with a note.
    const choice = await initBackend('webgl');
    expect(choice.backend).not.toBe('webgl');
    expect(tf.getBackend()).toBe(choice.backend);
    expect(choice.notes.join(' ')).toMatch(/webgl/);
  });
});
