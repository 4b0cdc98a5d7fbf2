/**
 * Seeded pseudo-random numbers, so a demo state in a URL (with its seed) replays identically.
 * mulberry32: tiny, fast, good enough for sampling data and mini-batches (not for cryptography).
 */
export type Rng = () => number;

/** A generator of uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller), drawing two uniforms from `rng`. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: keeps log finite
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Fisher–Yates shuffle of `xs` in place; returns `xs`. */
export function shuffleInPlace<T>(xs: T[] | Int32Array | Uint32Array, rng: Rng): typeof xs {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
  }
  return xs;
}
