/**
 * Seeded noisy two-moons data: a small 2-D two-class set that a small MLP can fit or overfit, shared by
 * the demos that train networks on it (dropout, learning-rate schedules). Pure: no tfjs, no DOM.
 */
import { gaussian, mulberry32, type Rng } from '../random';
import type { Box } from '../grid';

/** A labelled set of 2-D points: x interleaved (x₁, x₂) per point, y ∈ {0, 1}. */
export interface Split {
  n: number;
  x: Float32Array;
  y: Int32Array;
}

/** Train and test sets from one distribution, and a box that frames them. */
export interface MoonsData {
  train: Split;
  test: Split;
  box: Box;
}

/** How to draw the two-moons data. */
export interface DataOptions {
  /** Training points: small, so an over-parameterised network can memorise them. */
  nTrain: number;
  /** Test points from the same distribution: large, so the test loss is a good estimate. */
  nTest: number;
  /** Standard deviation of the Gaussian jitter added to every point. */
  noise: number;
  /** Probability that a label is flipped (label noise a network can only memorise, never learn). */
  flip: number;
}

/** Defaults chosen so that, with DEFAULT_CONFIG, the plain network clearly overfits (see the tests). */
export const DATA_DEFAULTS: DataOptions = { nTrain: 80, nTest: 1000, noise: 0.25, flip: 0.1 };

/** The frame of the moons (centred near the origin) with room for the jitter. */
export const MOONS_BOX: Box = { xMin: -2.25, xMax: 2.25, yMin: -1.5, yMax: 1.5 };

/**
 * Two interleaved half circles: class 0 on (cos t, sin t), class 1 on (1 − cos t, ½ − sin t), t ~ U[0, π],
 * shifted by (−½, −¼) to centre them; classes alternate so small sets stay balanced.
 */
function moons(n: number, { noise, flip }: DataOptions, rng: Rng): Split {
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = Math.PI * rng();
    const px = c === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = c === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    x[2 * i] = px - 0.5 + noise * gaussian(rng);
    x[2 * i + 1] = py - 0.25 + noise * gaussian(rng);
    y[i] = rng() < flip ? 1 - c : c;
  }
  return { n, x, y };
}

/**
 * Seeded noisy two-moons data. Train and test come from separate random streams of the same seed, so
 * the test set does not change when the training-set size does.
 */
export function makeData(seed: number, options: Partial<DataOptions> = {}): MoonsData {
  const o = { ...DATA_DEFAULTS, ...options };
  return {
    train: moons(o.nTrain, o, mulberry32(seed)),
    test: moons(o.nTest, o, mulberry32(seed ^ 0x5bd1e995)),
    box: MOONS_BOX,
  };
}
