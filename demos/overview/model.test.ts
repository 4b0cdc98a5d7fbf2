import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import {
  costComparison,
  createDescent,
  fullGradient,
  gdPath,
  gdVsNewton,
  leastSquares,
  lossCurvature,
  lossGrid,
  makeDataset,
  minibatchGradients,
  minibatchVariance,
  newtonStep,
  quadratic,
  quadraticGrad,
  quadraticValue,
  type Dataset,
  type Vec2,
} from './model';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

// Independent float64 references, written from the formulas, not from the module.
function lossRef(d: Dataset, w: number, b: number): number {
  let s = 0;
  for (let i = 0; i < d.n; i++) s += (w * d.x[i] + b - d.y[i]) ** 2;
  return s / (2 * d.n);
}
function exampleGrads(d: Dataset, t: Vec2): Vec2[] {
  return Array.from(d.x, (x, i) => {
    const r = t[0] * x + t[1] - d.y[i];
    return [r * x, r] as Vec2;
  });
}
function meanVar(xs: ArrayLike<number>): { mean: number; variance: number; m4: number } {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let v = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    v += (xs[i] - m) ** 2;
    m4 += (xs[i] - m) ** 4;
  }
  return { mean: m, variance: v / n, m4: m4 / n };
}

describe('data set and loss surface', () => {
  const d = makeDataset(7, 512);

  it('is reproducible from its seed and follows the generator', () => {
    const again = makeDataset(7, 512);
    expect(Array.from(again.x)).toEqual(Array.from(d.x));
    expect(Array.from(again.y)).toEqual(Array.from(d.y));
    expect(Array.from(makeDataset(8, 512).x)).not.toEqual(Array.from(d.x));
    // x ~ N(1, 1): the sample mean is within 4 standard errors (1/√512 ≈ 0.044) of 1.
    expect(Math.abs(meanVar(d.x).mean - 1)).toBeLessThan(4 / Math.sqrt(512));
    // The least-squares fit is near the generating (1.5, −0.5): noise 0.5 over 512 points.
    const [w, b] = leastSquares(d);
    expect(Math.abs(w - 1.5)).toBeLessThan(0.1);
    expect(Math.abs(b + 0.5)).toBeLessThan(0.15);
  });

  it('lossGrid equals J computed point by point, with the grid laid out x-fastest', async () => {
    const box = { xMin: -1, xMax: 3, yMin: -2, yMax: 1 };
    const res = 9;
    const grid = await lossGrid(d, box, res);
    expect(grid.length).toBe(res * res);
    for (let j = 0; j < res; j++) {
      for (let i = 0; i < res; i++) {
        const w = -1 + (4 * i) / (res - 1);
        const b = -2 + (3 * j) / (res - 1);
        expect(grid[j * res + i]).toBeCloseTo(lossRef(d, w, b), 3);
      }
    }
  });

  it('fullGradient matches the mean per-example gradient, finite differences, and vanishes at the fit', async () => {
    const t: Vec2 = [0.3, 1.2];
    const fg = await fullGradient(d, t);
    const gs = exampleGrads(d, t);
    const gw = meanVar(gs.map((g) => g[0]));
    const gb = meanVar(gs.map((g) => g[1]));
    expect(fg.loss).toBeCloseTo(lossRef(d, t[0], t[1]), 4);
    expect(fg.grad[0]).toBeCloseTo(gw.mean, 4);
    expect(fg.grad[1]).toBeCloseTo(gb.mean, 4);
    const h = 1e-5;
    expect(fg.grad[0]).toBeCloseTo((lossRef(d, t[0] + h, t[1]) - lossRef(d, t[0] - h, t[1])) / (2 * h), 3);
    expect(fg.grad[1]).toBeCloseTo((lossRef(d, t[0], t[1] + h) - lossRef(d, t[0], t[1] - h)) / (2 * h), 3);
    expect(fg.exampleCov[0] / gw.variance).toBeCloseTo(1, 4);
    expect(fg.exampleCov[2] / gb.variance).toBeCloseTo(1, 4);
    const atFit = await fullGradient(d, leastSquares(d));
    expect(Math.hypot(...atFit.grad)).toBeLessThan(1e-4);
  });
  it('lossCurvature is the Hessian of J (central second differences) with its eigenvalues', () => {
    const { hessian, eigenvalues } = lossCurvature(d);
    const h = 1e-2; // J is quadratic: second differences are exact up to rounding
    const t: Vec2 = [0.7, -0.2];
    const J = (dw: number, db: number) => lossRef(d, t[0] + dw, t[1] + db);
    expect(hessian[0]).toBeCloseTo((J(h, 0) - 2 * J(0, 0) + J(-h, 0)) / h ** 2, 4);
    expect(hessian[2]).toBeCloseTo((J(0, h) - 2 * J(0, 0) + J(0, -h)) / h ** 2, 4);
    expect(hessian[1]).toBeCloseTo((J(h, h) - J(h, -h) - J(-h, h) + J(-h, -h)) / (4 * h * h), 4);
    expect(eigenvalues[0] + eigenvalues[1]).toBeCloseTo(hessian[0] + hessian[2], 10);
    expect(eigenvalues[0] * eigenvalues[1]).toBeCloseTo(hessian[0] * hessian[2] - hessian[1] ** 2, 10);
    // x ~ N(1, 1) makes the Hessian ≈ [[2, 1], [1, 1]], eigenvalues (3 ± √5)/2.
    expect(eigenvalues[0]).toBeCloseTo((3 + Math.sqrt(5)) / 2, 0);
  });
});

describe('mini-batch gradient noise', () => {
  it('minibatchVariance equals the exact variance over all subsets of a small population', () => {
    // Population of N = 6 numbers; enumerate every subset of size B and take the variance of their means.
    const pop = [0.3, -1.2, 2.5, 0.9, -0.4, 1.7];
    const N = pop.length;
    const sigma2 = meanVar(pop).variance;
    for (let B = 1; B <= N; B++) {
      const means: number[] = [];
      for (let mask = 0; mask < 1 << N; mask++) {
        let c = 0, s = 0;
        for (let i = 0; i < N; i++) if (mask & (1 << i)) { c++; s += pop[i]; }
        if (c === B) means.push(s / B);
      }
      expect(minibatchVariance(sigma2, N, B)).toBeCloseTo(meanVar(means).variance, 12);
    }
    expect(minibatchVariance(sigma2, N, 1)).toBeCloseTo(sigma2, 12);
    expect(minibatchVariance(sigma2, N, N)).toBe(0);
  });

  it('the empirical spread of sampled mini-batch gradients matches (σ²/B)(N−B)/(N−1)', async () => {
    const d = makeDataset(3, 512);
    const theta: Vec2 = [0, 0];
    const count = 3000;
    for (const B of [1, 8, 64, 256]) {
      const mb = await minibatchGradients(d, theta, B, count, 100 + B);
      for (const c of [0, 1] as const) {
        const xs = Array.from({ length: count }, (_, k) => mb.grads[2 * k + c]);
        const { mean, variance, m4 } = meanVar(xs);
        const theory = mb.theoryVar[c];
        // Standard error of a sample variance: √((m₄ − σ⁴)/K), from the sample's own fourth moment.
        const se = Math.sqrt((m4 - variance ** 2) / count);
        expect(Math.abs(variance - theory)).toBeLessThan(4.5 * se);
        expect(mb.cov[c === 0 ? 0 : 2] / variance).toBeCloseTo(count / (count - 1), 2);
        // Unbiased: the batch means average to the full gradient within 4.5 standard errors.
        expect(Math.abs(mean - mb.full[c])).toBeLessThan(4.5 * Math.sqrt(theory / count));
        if (B === 256) {
          // Here the finite-population factor (N − B)/(N − 1) ≈ 0.5 is plainly visible: σ²/B alone is wrong.
          expect(variance / (mb.exampleCov[c === 0 ? 0 : 2] / B)).toBeLessThan(0.7);
        }
      }
    }
  });

  it('shrinks as the batch grows and is exactly zero at B = N', async () => {
    const d = makeDataset(3, 512);
    const spreads: number[] = [];
    for (const B of [1, 8, 64]) spreads.push((await minibatchGradients(d, [0, 0], B, 500, B)).cov[0]);
    expect(spreads[0]).toBeGreaterThan(spreads[1]);
    expect(spreads[1]).toBeGreaterThan(spreads[2]);
    const full = await minibatchGradients(d, [0, 0], d.n, 20, 5);
    for (let k = 1; k < 20; k++) {
      expect(full.grads[2 * k]).toBe(full.grads[0]);
      expect(full.grads[2 * k + 1]).toBe(full.grads[1]);
    }
    expect(full.theoryVar).toEqual([0, 0]);
    expect(Math.abs(full.grads[0] - full.full[0])).toBeLessThan(1e-5);
    expect(full.cov).toEqual([0, 0, 0]);
  });
});

describe('gradient descent against SGD on J', () => {
  it('full-batch GD reaches the least-squares fit; SGD with B = N walks the identical path', async () => {
    const d = makeDataset(11, 256);
    const run = createDescent(d, { start: [-1, 2], lr: 0.3, batchSize: d.n, seed: 1 });
    const f = await run.step(300);
    const fit = leastSquares(d);
    const last = f.path.length - 4;
    expect(f.path[last]).toBeCloseTo(fit[0], 3);
    expect(f.path[last + 1]).toBeCloseTo(fit[1], 3);
    for (let s = 0; s < 300; s++) {
      expect(f.path[4 * s + 2]).toBe(f.path[4 * s]);
      expect(f.path[4 * s + 3]).toBe(f.path[4 * s + 1]);
    }
    expect(f.loss[0]).toBeCloseTo(lossRef(d, fit[0], fit[1]), 4);
    expect(f.steps).toBe(300);
    run.dispose();
  });

  it('SGD with small batches wanders around the minimum, replays from its seed, and leaks nothing', async () => {
    const d = makeDataset(11, 256);
    const before = tf.memory().numTensors;
    const cfg = { start: [-1, 2] as Vec2, lr: 0.1, batchSize: 4, seed: 9 };
    const a = createDescent(d, cfg);
    const b = createDescent(d, cfg);
    const fa = await a.step(200);
    const fb = await b.step(200);
    expect(Array.from(fa.path)).toEqual(Array.from(fb.path));
    const mid = tf.memory().numTensors;
    const t0 = performance.now();
    const fa2 = await a.step(50);
    const ms = (performance.now() - t0) / 50;
    expect(tf.memory().numTensors).toBe(mid);
    // SGD ends near but not at the fit (noise), while GD has settled; its loss is above the minimum.
    const jmin = lossRef(d, ...leastSquares(d));
    expect(fa2.loss[1]).toBeGreaterThan(fa2.loss[0]);
    expect(fa2.loss[1]).toBeLessThan(jmin * 1.5);
    a.reset();
    expect((await a.step(1)).steps).toBe(1);
    a.dispose();
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
    console.info(`overview: one GD+SGD step on CPU ≈ ${ms.toFixed(3)} ms`);
  });

  it('lossGrid, fullGradient and minibatchGradients leave no tensors behind', async () => {
    const d = makeDataset(1, 128);
    const before = tf.memory().numTensors;
    await lossGrid(d, undefined, 16);
    await fullGradient(d, [1, 1]);
    const t0 = performance.now();
    await minibatchGradients(d, [1, 1], 16, 64, 2);
    const ms = performance.now() - t0;
    expect(tf.memory().numTensors).toBe(before);
    console.info(`overview: 64 mini-batch gradients (B = 16) on CPU ≈ ${ms.toFixed(2)} ms`);
  });
});

describe('Newton against gradient descent on a quadratic', () => {
  const dist = (a: Vec2, b: Vec2) => Math.hypot(a[0] - b[0], a[1] - b[1]);

  it('builds A with eigenvalues 1 and 1/κ along the rotated axes, and b = Aθ*', () => {
    const q = quadratic(20, 30);
    const [a, c, d] = q.A;
    expect(a + d).toBeCloseTo(1 + 1 / 20, 12); // trace = sum of eigenvalues
    expect(a * d - c * c).toBeCloseTo(1 / 20, 12); // det = product
    const v: Vec2 = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    expect(a * v[0] + c * v[1]).toBeCloseTo(v[0], 12); // A v = 1·v
    expect(c * v[0] + d * v[1]).toBeCloseTo(v[1], 12);
    const g = quadraticGrad(q, q.minimiser);
    expect(Math.hypot(...g)).toBeLessThan(1e-14);
    // f(θ* + δ) − f(θ*) = ½ δᵀAδ: along the flat axis, ½·(1/κ)·|δ|².
    const flat: Vec2 = [-v[1], v[0]];
    const step: Vec2 = [q.minimiser[0] + 2 * flat[0], q.minimiser[1] + 2 * flat[1]];
    expect(quadraticValue(q, step) - quadraticValue(q, q.minimiser)).toBeCloseTo(0.5 * (1 / 20) * 4, 12);
  });

  it('one Newton step lands on the minimiser A⁻¹b from anywhere, at any conditioning', () => {
    for (const kappa of [1, 10, 100, 1000]) {
      for (const angle of [0, 30, 77]) {
        const q = quadratic(kappa, angle, [1, -2]);
        for (const start of [[0, 0], [5, 3], [-4, 10]] as Vec2[]) {
          const t = newtonStep(q, start);
          expect(dist(t, [1, -2])).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('GD with η = 1/L converges; with η > 2/L it diverges; the error follows (1 − ηλ)ᵗ per eigenvector', () => {
    const q = quadratic(10, 40);
    const L = q.eigenvalues[0];
    const start: Vec2 = [4, -3];
    const good = gdPath(q, start, 1 / L, 400);
    expect(good.length).toBe(401);
    expect(dist(good[400], q.minimiser)).toBeLessThan(1e-8);
    const bad = gdPath(q, start, 2.1 / L, 200);
    expect(dist(bad[200], q.minimiser)).toBeGreaterThan(1e3 * dist(start, q.minimiser));
    // Independent prediction: project the start's error on the eigenvectors, scale each by (1 − ηλ)^t.
    const u = q.axis;
    const v: Vec2 = [-u[1], u[0]];
    const e0: Vec2 = [start[0] - q.minimiser[0], start[1] - q.minimiser[1]];
    const eta = 1.5 / L;
    const t = 7;
    const cu = (e0[0] * u[0] + e0[1] * u[1]) * (1 - eta * 1) ** t;
    const cv = (e0[0] * v[0] + e0[1] * v[1]) * (1 - eta * 0.1) ** t;
    const p = gdPath(q, start, eta, t)[t];
    expect(p[0]).toBeCloseTo(q.minimiser[0] + cu * u[0] + cv * v[0], 10);
    expect(p[1]).toBeCloseTo(q.minimiser[1] + cu * u[1] + cv * v[1], 10);
  });

  it('gdVsNewton: Newton lands on θ*, GD is as far as its last point, and diverges from γ = 2/λₘₐₓ on', () => {
    const q = quadratic(10, 30);
    const start: Vec2 = [-1.5, 2.5];
    const r = gdVsNewton(q, start, 0.5, 30);
    expect(r.gd).toEqual(gdPath(q, start, 0.5, 30));
    expect(dist(r.newton, q.minimiser)).toBeLessThan(1e-12);
    expect(r.gdError).toBeCloseTo(dist(r.gd[30], q.minimiser), 12);
    expect(r.gdError).toBeGreaterThan(0.01); // κ = 10: 30 steps of γ = 0.5 leave (1 − 0.05)³⁰ ≈ 0.21 of the flat axis's error
    expect(gdVsNewton(q, start, 1.99, 30).diverges).toBe(false);
    expect(gdVsNewton(q, start, 2, 30).diverges).toBe(true);
    expect(gdVsNewton(q, start, 2.1, 30).gdError).toBeGreaterThan(dist(start, q.minimiser));
  });

  it('costComparison counts match hand counts and an instrumented Cholesky solve', () => {
    expect(costComparison(1)).toMatchObject({ gradient: 3, formHessian: 6, solve: 0 });
    // n = 3: Cholesky Σⱼ j(n − j) = 0 + 2 + 2 = 4 multiply-adds, substitutions 3 + 3.
    expect(costComparison(3)).toMatchObject({ gradient: 9, formHessian: 54, solve: 10, gradientBytes: 12, hessianBytes: 24 });
    for (let n = 1; n <= 8; n++) {
      // A random SPD matrix M = RᵀR + nI and a right-hand side; solve and count multiply-adds.
      let seed = n;
      const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
      const R = Array.from({ length: n }, () => Array.from({ length: n }, rnd));
      const M = R.map((_, i) => R.map((__, j) => R.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? n : 0)));
      const g = Array.from({ length: n }, rnd);
      let macs = 0;
      const Lf = M.map(() => new Array<number>(n).fill(0));
      for (let j = 0; j < n; j++) {
        let s = M[j][j];
        for (let k = 0; k < j; k++) { s -= Lf[j][k] * Lf[j][k]; macs++; }
        Lf[j][j] = Math.sqrt(s);
        for (let i = j + 1; i < n; i++) {
          let t = M[i][j];
          for (let k = 0; k < j; k++) { t -= Lf[i][k] * Lf[j][k]; macs++; }
          Lf[i][j] = t / Lf[j][j];
        }
      }
      const z = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) {
        let s = g[i];
        for (let k = 0; k < i; k++) { s -= Lf[i][k] * z[k]; macs++; }
        z[i] = s / Lf[i][i];
      }
      const x = new Array<number>(n).fill(0);
      for (let i = n - 1; i >= 0; i--) {
        let s = z[i];
        for (let k = i + 1; k < n; k++) { s -= Lf[k][i] * x[k]; macs++; }
        x[i] = s / Lf[i][i];
      }
      for (let i = 0; i < n; i++) expect(M[i].reduce((s, m, k) => s + m * x[k], 0)).toBeCloseTo(g[i], 10);
      expect(costComparison(n).solve).toBe(macs);
    }
    // At ResNet-50's ≈ 2.5·10⁷ parameters the Hessian alone would need > 10¹⁵ bytes.
    expect(costComparison(2.5e7).hessianBytes).toBeGreaterThan(1e15);
    expect(costComparison(1000).ratio).toBeGreaterThan(1000);
  });
});
