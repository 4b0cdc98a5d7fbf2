import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { getSurface, SURFACE_NAMES, SURFACES, TensorArith } from './surfaces';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic points spread over a surface's view (no Math.random: failures must reproduce). */
function samplePoints(view: readonly [number, number, number, number], n = 25): [number, number][] {
  const [x0, x1, y0, y1] = view;
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    // Golden-ratio lattice: well spread, never exactly on the symmetric axes.
    const u = (i * 0.6180339887 + 0.137) % 1;
    const v = (i * 0.7548776662 + 0.291) % 1;
    pts.push([x0 + u * (x1 - x0), y0 + v * (y1 - y0)]);
  }
  return pts;
}

describe('surfaces: hand-computed values', () => {
  it('match the formulas at chosen points', () => {
    // Rosenbrock at (-1.5, 2): (2.5)² + 100·(2 − 2.25)² = 6.25 + 6.25
    expect(SURFACES.rosenbrock.f(-1.5, 2)).toBeCloseTo(12.5, 12);
    // ∂x = −2·2.5 − 400·(−1.5)·(−0.25) = −5 − 150, ∂y = 200·(−0.25)
    expect(SURFACES.rosenbrock.grad(-1.5, 2)).toEqual([-155, -50]);
    // Beale at (1, 1.5): residuals 1.5−1+1.5 = 2, 2.25−1+2.25 = 3.5, 2.625−1+3.375 = 5 → 4 + 12.25 + 25
    expect(SURFACES.beale.f(1, 1.5)).toBeCloseTo(41.25, 12);
    // ∂x = 2·2·0.5 + 2·3.5·1.25 + 2·5·2.375 = 2 + 8.75 + 23.75
    // ∂y = 2·2·1 + 4·3.5·1.5 + 6·5·2.25 = 4 + 21 + 67.5
    const gb = SURFACES.beale.grad(1, 1.5);
    expect(gb[0]).toBeCloseTo(34.5, 12);
    expect(gb[1]).toBeCloseTo(92.5, 12);
    expect(SURFACES.saddle.f(2, 3)).toBe(4 - 9);
    expect(SURFACES.saddle.grad(2, 3)).toEqual([4, -6]);
    // ½(1 + 25·0.04) = 1
    expect(SURFACES.ellipse.f(1, 0.2)).toBeCloseTo(1, 12);
    expect(SURFACES.ellipse.grad(1, 0.2)[1]).toBeCloseTo(5, 12);
    // tilted = ½(u² + 25v²) with u=(x+y)/√2, v=(x−y)/√2: at (1, 0) u² = v² = ½ → ½(½ + 12.5) = 6.5
    expect(SURFACES.tilted.f(1, 0)).toBeCloseTo(6.5, 12);
    expect(SURFACES.tilted.grad(1, 0)).toEqual([13, -12]);
    // Himmelblau at (0, 0): 121 + 49; ∂x = 2·(−7), ∂y = 2·(−11)
    expect(SURFACES.himmelblau.f(0, 0)).toBe(170);
    expect(SURFACES.himmelblau.grad(0, 0)).toEqual([-14, -22]);
  });

  it('vanish (value and gradient) at the listed minima', () => {
    for (const name of SURFACE_NAMES) {
      const s = SURFACES[name];
      for (const [x, y] of s.minima) {
        expect(Math.abs(s.f(x, y))).toBeLessThan(1e-9);
        const [gx, gy] = s.grad(x, y);
        // Himmelblau's minima are known to 6 decimals, so its gradient is only ~1e-4 small there.
        expect(Math.hypot(gx, gy)).toBeLessThan(1e-3);
      }
    }
  });
});

describe('surfaces: analytic gradients', () => {
  it('agree with central finite differences of f', () => {
    const h = 1e-5;
    for (const name of SURFACE_NAMES) {
      const s = SURFACES[name];
      for (const [x, y] of samplePoints(s.view)) {
        const fdx = (s.f(x + h, y) - s.f(x - h, y)) / (2 * h);
        const fdy = (s.f(x, y + h) - s.f(x, y - h)) / (2 * h);
        const [gx, gy] = s.grad(x, y);
        const scale = 1 + Math.hypot(gx, gy);
        expect(Math.abs(gx - fdx) / scale, `${name} ∂x at ${x},${y}`).toBeLessThan(1e-5);
        expect(Math.abs(gy - fdy) / scale, `${name} ∂y at ${x},${y}`).toBeLessThan(1e-5);
      }
    }
  });

  it('batched tensor versions equal the scalar ones (to float32 precision) and free their temporaries', () => {
    const before = tf.memory().numTensors;
    const arith = new TensorArith(true);
    for (const name of SURFACE_NAMES) {
      const s = SURFACES[name];
      const pts = samplePoints(s.view, 40);
      const [v, g] = tf.tidy(() => {
        const p = tf.tensor2d(pts);
        return [s.value(p, arith).arraySync(), s.gradient(p, arith).arraySync()] as const;
      });
      const [v2] = tf.tidy(() => [s.value(tf.tensor2d(pts)).arraySync()] as const); // uncached constants
      pts.forEach(([x, y], i) => {
        const f = s.f(x, y);
        const [gx, gy] = s.grad(x, y);
        // float32 carries ~7 digits; 1e-5 of the magnitudes involved leaves room for a few roundings.
        const tol = 1e-5 * (1 + Math.abs(f) + Math.abs(gx) + Math.abs(gy));
        expect(Math.abs(v[i] - f), `${name} f at ${x},${y}`).toBeLessThan(tol);
        expect(v2[i]).toBe(v[i]);
        expect(Math.abs(g[i][0] - gx), `${name} ∂x at ${x},${y}`).toBeLessThan(tol);
        expect(Math.abs(g[i][1] - gy), `${name} ∂y at ${x},${y}`).toBeLessThan(tol);
      });
    }
    arith.dispose();
    arith.dispose(); // idempotent
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('surfaces: metadata', () => {
  it('has a well-formed view containing the start and the minima', () => {
    expect(SURFACE_NAMES).toEqual(['rosenbrock', 'beale', 'saddle', 'ellipse', 'tilted', 'himmelblau']);
    for (const name of SURFACE_NAMES) {
      const s = SURFACES[name];
      const [x0, x1, y0, y1] = s.view;
      expect(x1).toBeGreaterThan(x0);
      expect(y1).toBeGreaterThan(y0);
      for (const [x, y] of [s.start, ...s.minima, ...s.saddles]) {
        expect(x >= x0 && x <= x1 && y >= y0 && y <= y1, `${name}: (${x}, ${y}) in view`).toBe(true);
      }
      expect(s.name.length).toBeGreaterThan(0);
      expect(s.tex).toContain('f(x,y)');
      expect(getSurface(name)).toBe(s);
    }
    expect(SURFACES.saddle.minima).toHaveLength(0);
    expect(SURFACES.himmelblau.minima).toHaveLength(4);
    expect(() => getSurface('nope' as 'beale')).toThrow(/unknown surface/);
  });
});
