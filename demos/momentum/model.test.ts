import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { createFlatTrainer } from '../runtime/train';
import {
  characteristic,
  createRun,
  criticalMomentum,
  directIteration,
  eigenbasis,
  hessian,
  iterationMatrix,
  nesterovClassic,
  optimum,
  predictedSteps,
  ratePlane,
  regime,
  spectralRadius,
  spectrum,
  spectrumRate,
  stableLimit,
  stepsToReach,
  type LinearMethod,
  type Method,
  type RunFrame,
} from './model';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** The update rules written out as torch.optim states them, one scalar direction, float64. */
function scalarRun(method: LinearMethod, gamma: number, mu: number, lambda: number, steps: number): number[] {
  let b = 0;
  let x = 1;
  const out = [x];
  for (let k = 0; k < steps; k++) {
    const g = lambda * x;
    if (method === 'gd') x -= gamma * g;
    else {
      b = mu * b + g;
      x -= method === 'heavy' ? gamma * b : gamma * (g + mu * b);
    }
    out.push(x);
  }
  return out;
}

/** ‖Rᵏ‖^(1/k) for a large k: Gelfand's formula, the spectral radius without solving for the roots. */
function gelfand(method: LinearMethod, gamma: number, mu: number, lambda: number, k = 4000): number {
  const [a, b, c, d] = iterationMatrix(method, gamma, mu, lambda);
  let m = [1, 0, 0, 1];
  let logScale = 0;
  for (let i = 0; i < k; i++) {
    m = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3]];
    const s = Math.max(...m.map(Math.abs)) || 1;
    m = m.map((v) => v / s);
    logScale += Math.log(s);
  }
  return Math.exp(logScale / k);
}

const LINEAR: LinearMethod[] = ['gd', 'heavy', 'nesterov'];
/** A deterministic spread of (h = γλ, μ) pairs across and beyond the plane. */
const SAMPLES = Array.from({ length: 400 }, (_, i) => ({ h: 0.013 + ((i * 0.37) % 4.6), mu: (i * 0.6180339887) % 0.999 }));

describe('the 2×2 iteration per eigen-direction', () => {
  it('is the update rule: iterating the matrix gives the scalar torch-style run exactly', () => {
    for (const m of LINEAR) for (const [gamma, mu, l] of [[1, 0.9, 0.01], [3.3, 0.67, 1], [1.3, 0.79, 0.2]]) {
      const direct = directIteration(m, gamma, mu, [l], 60);
      const scalar = scalarRun(m, gamma, mu, l, 60);
      scalar.forEach((x, k) => expect(Math.abs(direct[k] - x)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x))));
    }
  });

  it('characteristic polynomials: heavy ball z² − (1 + μ − γλ)z + μ, Nesterov z² − (1 + μ)(1 − γλ)z + μ(1 − γλ)', () => {
    for (const { h, mu } of SAMPLES.slice(0, 50)) {
      const hb = characteristic('heavy', h, mu, 1);
      expect(hb.trace).toBeCloseTo(1 + mu - h, 12);
      expect(hb.det).toBeCloseTo(mu, 12);
      const n = characteristic('nesterov', h, mu, 1);
      expect(n.trace).toBeCloseTo((1 + mu) * (1 - h), 12);
      expect(n.det).toBeCloseTo(mu * (1 - h), 12);
    }
  });

  it('the spectral radius from the roots equals Gelfand\'s ‖Rᵏ‖^(1/k)', () => {
    for (const m of LINEAR) for (const { h, mu } of SAMPLES.slice(0, 60)) {
      const r = spectralRadius(m, h / 2, mu, 2);
      expect(Math.abs(gelfand(m, h / 2, mu, 2) - r)).toBeLessThan(2e-3 * Math.max(1, r));
    }
  });

  it('converges iff 0 < γλ < 2(1 + μ) (heavy ball), 2(1 + μ)/(1 + 2μ) (Nesterov), 2 (GD)', () => {
    for (const m of LINEAR) for (const { h, mu } of SAMPLES) {
      const limit = stableLimit(m, mu);
      if (Math.abs(h - limit) < 1e-6) continue;
      expect(spectralRadius(m, h, mu, 1) < 1).toBe(h < limit);
    }
  });

  it('critical damping: a repeated root on μ = (1 − √γλ)² (heavy ball), (1 − √γλ)/(1 + √γλ) (Nesterov)', () => {
    for (const h of [0.01, 0.1, 0.5, 0.9]) {
      const hb = criticalMomentum('heavy', h, 1);
      expect(regime('heavy', h, hb, 1, 1e-9)).toBe('critical');
      expect(regime('heavy', h, Math.min(0.999, hb + 0.05), 1)).toBe('oscillating');
      if (hb > 0.05) expect(regime('heavy', h, hb - 0.05, 1)).toBe('overdamped');
      const n = criticalMomentum('nesterov', h, 1);
      expect(regime('nesterov', h, n, 1, 1e-9)).toBe('critical');
      expect(regime('nesterov', h, Math.min(0.999, n + 0.05), 1)).toBe('oscillating');
    }
    // Oscillating heavy ball: every root has |z| = √μ, whatever γλ.
    for (const h of [0.2, 0.6, 1.4]) expect(spectralRadius('heavy', h, 0.8, 1)).toBeCloseTo(Math.sqrt(0.8), 12);
  });
});

describe('the best settings on a spectrum', () => {
  const L = [0.01, 1];

  it('no point of a fine (γ, μ) grid beats the closed-form optimum, and the optimum achieves its rate', () => {
    for (const m of LINEAR) {
      const o = optimum(m, 0.01, 1);
      expect(spectrumRate(m, o.gamma, o.mu, L)).toBeCloseTo(o.rate, 9);
      let best = Infinity;
      const mus = m === 'gd' ? [0] : Array.from({ length: 400 }, (_, j) => j / 400);
      for (const mu of mus) for (let i = 1; i <= 800; i++) best = Math.min(best, spectrumRate(m, (i / 800) * 4.2, mu, L));
      expect(best).toBeGreaterThan(o.rate - 1e-9);
      expect(best).toBeLessThan(o.rate + 0.01); // the grid gets close: the optimum is a real minimum
    }
  });

  it('the optimizers page\'s settings: heavy ball γ = 4/(√λ_max + √λ_min)², μ = ((√κ−1)/(√κ+1))²; Nesterov γ = 1/λ_max', () => {
    const o = optimum('heavy', 0.01, 1);
    expect(o.gamma).toBeCloseTo(4 / 1.1 ** 2, 12);
    expect(o.mu).toBeCloseTo((9 / 11) ** 2, 12);
    expect(o.rate).toBeCloseTo(9 / 11, 12);
    const c = nesterovClassic(0.01, 1);
    expect(c.rate).toBeCloseTo(1 - 1 / 10, 9); // 1 − 1/√κ
    expect(regime('nesterov', c.gamma, c.mu, 0.01, 1e-9)).toBe('critical'); // λ_min on the critical curve
  });

  it('κ = 100: the numbers in the notes (predicted ⌈ln 10⁻⁶ / ln ρ⌉ and counted steps to 10⁻⁶)', () => {
    const gd = optimum('gd', 0.01, 1);
    const hb = optimum('heavy', 0.01, 1);
    const ne = optimum('nesterov', 0.01, 1);
    expect(gd.rate.toFixed(3)).toBe('0.980');
    expect([predictedSteps(gd.rate), stepsToReach('gd', gd.gamma, 0, L)]).toEqual([691, 691]);
    expect([hb.gamma.toFixed(3), hb.mu.toFixed(3), hb.rate.toFixed(3)]).toEqual(['3.306', '0.669', '0.818']);
    expect([predictedSteps(hb.rate), stepsToReach('heavy', hb.gamma, hb.mu, L)]).toEqual([69, 93]);
    expect([ne.gamma.toFixed(3), ne.mu.toFixed(3), ne.rate.toFixed(3)]).toEqual(['1.329', '0.793', '0.885']);
    expect([predictedSteps(ne.rate), stepsToReach('nesterov', ne.gamma, ne.mu, L)]).toEqual([113, 132]);
    const c = nesterovClassic(0.01, 1);
    expect([c.mu.toFixed(3), predictedSteps(c.rate), stepsToReach('nesterov', c.gamma, c.mu, L)]).toEqual(['0.818', 132, 154]);
    // The deep-learning default μ = 0.9 at γ = 1.
    const common = spectrumRate('heavy', 1, 0.9, L);
    expect([common.toFixed(3), predictedSteps(common), stepsToReach('heavy', 1, 0.9, L)]).toEqual(['0.949', 263, 258]);
    // λ_min is critically damped at all three momentum settings, λ_max too at Polyak's; counted/predicted 1.17–1.35.
    for (const [m, o] of [['heavy', hb], ['nesterov', ne], ['nesterov', c]] as const) expect(regime(m, o.gamma, o.mu, 0.01, 1e-9)).toBe('critical');
    expect(regime('heavy', hb.gamma, hb.mu, 1, 1e-9)).toBe('critical');
    const extra = ([m, o]: readonly [LinearMethod, { gamma: number; mu: number; rate: number }]) => Math.round((stepsToReach(m, o.gamma, o.mu, L) / predictedSteps(o.rate) - 1) * 100);
    expect([extra(['nesterov', ne]), extra(['nesterov', c]), extra(['heavy', hb])]).toEqual([17, 17, 35]);
  });

  it('the plane image: rate < 1 exactly inside the heavy ball\'s region, capped at 1 outside', () => {
    const lambdas = spectrum(0.01, 1, 3);
    const nx = 43;
    const ny = 21;
    const img = ratePlane('heavy', lambdas, nx, ny);
    for (let j = 0; j < ny; j++) for (let i = 1; i < nx; i++) {
      const gamma = (i / (nx - 1)) * 4.2;
      const mu = Math.min(j / (ny - 1), 0.9999);
      const inside = gamma * 1 < stableLimit('heavy', mu);
      if (Math.abs(gamma - stableLimit('heavy', mu)) > 1e-6) expect(img[j * nx + i] < 1).toBe(inside);
    }
  });
});

/** Eigen-coordinate i of row r after step index j of a frame. */
const coord = (f: RunFrame, R: number, n: number, j: number, r: number, i: number) => f.coords[(j * R + r) * n + i];

describe('the tfjs run on the rotated quadratic', () => {
  it('Q is orthogonal and A = QΛQᵀ has the eigenvalues Λ', () => {
    const n = 5;
    const q = eigenbasis(n, 0.6);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[k * n + a] * q[k * n + b];
      expect(s).toBeCloseTo(a === b ? 1 : 0, 12);
    }
    const lambdas = spectrum(0.01, 1, n);
    const A = hessian(lambdas, 0.6);
    // A q_i = λ_i q_i for each column.
    for (let i = 0; i < n; i++) for (let r = 0; r < n; r++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A[r * n + k] * q[k * n + i];
      expect(s).toBeCloseTo(lambdas[i] * q[r * n + i], 12);
    }
  });

  it('each eigen-direction of each row follows its 2×2 iteration, and its measured rate is the spectral radius', async () => {
    const lambdas = spectrum(0.01, 1, 4);
    const methods: Method[] = ['gd', 'heavy', 'nesterov'];
    const gamma = 1.5; // inside both regions: γλ_max < 2(1 + μ)/(1 + 2μ) = 1.625 for Nesterov
    const mu = 0.3;
    const run = createRun({ lambdas, angle: Math.PI / 6, methods, gamma, mu });
    const f = await run.step(300);
    run.dispose();
    const R = methods.length;
    const n = lambdas.length;
    let measuredCount = 0;
    methods.forEach((m, r) => {
      const g = m === 'gd' ? run.gdGamma : gamma;
      const direct = directIteration(m as LinearMethod, g, mu, lambdas, 300);
      for (let j = 0; j <= 300; j++) for (let i = 0; i < n; i++) expect(Math.abs(coord(f, R, n, j, r, i) - direct[j * n + i])).toBeLessThan(1e-4); // float32 over 300 steps
      // Measured rate along each direction: the envelope max |c_i| over 10 steps, from step 10 to the step
      // where the direction falls below 10⁻⁴ (past that, float32 rounding of the other directions shows).
      for (let i = 0; i < n; i++) {
        const env = (k: number) => Math.max(...Array.from({ length: 10 }, (_, d) => Math.abs(coord(f, R, n, k - d, r, i))));
        let k2 = 11;
        while (k2 < 300 && env(k2 + 1) > 1e-4) k2++;
        if (k2 - 10 < 15) continue; // too fast to measure over a window
        measuredCount++;
        const measured = (env(k2) / env(10)) ** (1 / (k2 - 10));
        expect(Math.abs(measured - spectralRadius(m as LinearMethod, g, mu, lambdas[i]))).toBeLessThan(0.01);
      }
    });
    expect(measuredCount).toBeGreaterThanOrEqual(6);
  });

  it('heavy ball and Adam rows equal the runtime trainer\'s SGD-momentum and Adam on the same quadratic', async () => {
    const lambdas = spectrum(0.02, 1, 3);
    const angle = 0.4;
    const A = hessian(lambdas, angle);
    const q = eigenbasis(3, angle);
    const x0 = Float32Array.from([0, 1, 2], (i) => q[i * 3] + q[i * 3 + 1] + q[i * 3 + 2]);
    const before = tf.memory().numTensors;
    const run = createRun({ lambdas, angle, methods: ['heavy', 'adam'], gamma: 1.5, mu: 0.8, adamLr: 0.03 });
    const f = await run.step(80);
    run.dispose();
    const At = tf.tensor2d(Float32Array.from(A), [3, 3]);
    for (const [r, rule] of [[0, { kind: 'sgd' as const, lr: 1.5, momentum: 0.8 }], [1, { kind: 'adam' as const, lr: 0.03 }]] as const) {
      const trainer = createFlatTrainer([{ name: 'x', shape: [3], values: x0 }], (p) => tf.mul(0.5, tf.sum(tf.mul(tf.matMul(p.x.reshape([1, 3]), At).reshape([3]), p.x))) as tf.Scalar, rule);
      for (let k = 0; k < 80; k++) trainer.step();
      const x = await trainer.read();
      trainer.dispose();
      // Its eigen-coordinates Qᵀx against the run's row after 80 steps.
      for (let i = 0; i < 3; i++) {
        const c = x[0] * q[i] + x[1] * q[3 + i] + x[2] * q[6 + i];
        expect(Math.abs(coord(f, 2, 3, 80, r, i) - c)).toBeLessThan(1e-4);
      }
    }
    At.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('momentum does not see the rotation; Adam does: slower by orders of magnitude at 45°', async () => {
    const loss = async (angle: number) => {
      const run = createRun({ angle, methods: ['heavy', 'adam'] });
      const f = await run.step(100);
      run.dispose();
      return [f.loss[100 * 2], f.loss[100 * 2 + 1]];
    };
    const [hb0, adam0] = await loss(0);
    const [hb45, adam45] = await loss(Math.PI / 4);
    expect(Math.abs(hb45 - hb0) / hb0).toBeLessThan(1e-3);
    expect(adam45 / adam0).toBeGreaterThan(100);
  });

  it('frees what it makes: the tensor count is unchanged after steps and back after dispose', async () => {
    const before = tf.memory().numTensors;
    const run = createRun();
    const first = await run.step(0);
    expect(first.at).toEqual([0]);
    const after0 = tf.memory().numTensors;
    const f = await run.step(5);
    expect(f.at).toEqual([1, 2, 3, 4, 5]);
    await run.step(0);
    expect(tf.memory().numTensors).toBe(after0);
    run.dispose();
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bad settings are refused with a message; a diverging setting returns what the rule gives', async () => {
    expect(() => createRun({ mu: 1 })).toThrow(/momentum/);
    expect(() => createRun({ gamma: 0 })).toThrow(/learning rate/);
    expect(() => createRun({ methods: [] })).toThrow(/at least one/);
    const run = createRun({ methods: ['heavy'], gamma: 4.1, mu: 0.5 }); // γλ_max = 4.1 > 2(1 + μ) = 3
    const f = await run.step(200);
    run.dispose();
    expect(Number.isFinite(f.loss[f.loss.length - 1]) ? f.loss[f.loss.length - 1] > 1e6 : true).toBe(true);
  });
});
