import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import {
  OPTIMIZER_NAMES,
  Race,
  SURFACE_NAMES,
  SURFACES,
  trajectory,
  widenBox,
  type Hyper,
  type OptimizerName,
  type RunSpec,
  type Surface,
} from './model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** |a − e| ≤ tol·(1 + |e|) for every coordinate: float32 keeps ~7 digits of each step. */
function expectPath(actual: number[][], expected: number[][], tol = 2e-6, label = ''): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((p, i) =>
    p.forEach((v, j) => {
      expect(Math.abs(v - expected[i][j]), `${label} step ${i} coord ${j}: ${v} vs ${expected[i][j]}`).toBeLessThanOrEqual(
        tol * (1 + Math.abs(expected[i][j])),
      );
    }),
  );
}

interface HandCase {
  label: string;
  optimizer: OptimizerName;
  hyper: Hyper;
  /** θ1, θ2, θ3 from θ0 = (1, 0.2) on the ellipse f = ½(x² + 25y²), ∇f = (x, 25y). */
  expected: [number, number][];
}

// Worked by hand from torch's documented algorithms (double precision; the race runs float32).
// Throughout: θ0 = (1, 0.2), g0 = ∇f(θ0) = (1, 5).
const HAND: HandCase[] = [
  {
    // θ1 = θ0 − 0.1·(1, 5) = (0.9, −0.3); g1 = (0.9, −7.5) → θ2 = (0.81, 0.45); g2 = (0.81, 11.25)
    // → θ3 = (0.729, −0.675): y grows ×(1 − 0.1·25) = ×(−1.5) per step (lr above 2/25: unstable in y).
    label: 'sgd lr=0.1',
    optimizer: 'sgd',
    hyper: { lr: 0.1 },
    expected: [[0.9, -0.3], [0.81, 0.45], [0.729, -0.675]],
  },
  {
    // b1 = g0 = (1, 5) (torch copies the first gradient) → θ1 = (0.9, −0.3);
    // g1 = (0.9, −7.5), b2 = 0.9·(1, 5) + (0.9, −7.5) = (1.8, −3) → θ2 = (0.9 − 0.18, −0.3 + 0.3) = (0.72, 0);
    // g2 = (0.72, 0), b3 = 0.9·(1.8, −3) + (0.72, 0) = (2.34, −2.7) → θ3 = (0.486, 0.27).
    label: 'momentum lr=0.1',
    optimizer: 'momentum',
    hyper: { lr: 0.1 },
    expected: [[0.9, -0.3], [0.72, 0], [0.486, 0.27]],
  },
  {
    // b1 = (1, 5), d = g0 + 0.9·b1 = (1.9, 9.5) → θ1 = (0.81, −0.75);
    // g1 = (0.81, −18.75), b2 = 0.9·(1, 5) + g1 = (1.71, −14.25), d = g1 + 0.9·b2 = (2.349, −31.575)
    // → θ2 = (0.5751, 2.4075); g2 = (0.5751, 60.1875), b3 = 0.9·b2 + g2 = (2.1141, 47.3625),
    // d = g2 + 0.9·b3 = (2.47779, 102.81375) → θ3 = (0.327321, −7.873875).
    label: 'nesterov lr=0.1',
    optimizer: 'nesterov',
    hyper: { lr: 0.1 },
    expected: [[0.81, -0.75], [0.5751, 2.4075], [0.327321, -7.873875]],
  },
  {
    // g0 + 0.1·θ0 = (1.1, 5.02) = b1 (no dampening on step 1) → θ1 = (0.89, −0.302);
    // g1 = (0.89, −7.55) + 0.1·θ1 = (0.979, −7.5802), b2 = 0.5·b1 + 0.5·g1 = (1.0395, −1.2801)
    // → θ2 = (0.78605, −0.17399); g2 = (0.864655, −4.367149), b3 = 0.5·b2 + 0.5·g2 = (0.9520775, −2.8236245)
    // → θ3 = (0.69084225, 0.10837245).
    label: 'sgd lr=0.1 momentum=0.5 dampening=0.5 weight_decay=0.1',
    optimizer: 'sgd',
    hyper: { lr: 0.1, momentum: 0.5, dampening: 0.5, weight_decay: 0.1 },
    expected: [[0.89, -0.302], [0.78605, -0.17399], [0.69084225, 0.10837245]],
  },
  {
    // Σ1 = (1, 25) → θ1 = θ0 − 0.5·(1/1, 5/5) = (0.5, −0.3); g1 = (0.5, −7.5), Σ2 = (1.25, 81.25)
    // → θ2 = (0.5 − 0.25/1.118034, −0.3 + 3.75/9.013878) = (0.2763932, 0.1160251);
    // g2 = (0.2763932, 2.9006287), Σ3 = (1.3263932, 89.6636) → θ3 = (0.1563987, −0.0371379).
    label: 'adagrad lr=0.5',
    optimizer: 'adagrad',
    hyper: { lr: 0.5 },
    expected: [[0.5, -0.3], [0.276393202, 0.116025147], [0.156398736, -0.0371378802]],
  },
  {
    // Σ starts at 1: Σ1 = (2, 26), clr1 = 0.5 → θ1 = (1 − 0.5/√2, 0.2 − 2.5/√26) = (0.6464466, −0.2902903);
    // clr2 = 0.5/(1 + 0.5) = 1/3, g1 = (0.6464466, −7.2572584), Σ2 = (2.4178932, 78.6677999)
    // → θ2 = (0.6464466 − 0.2154822/1.5549577, −0.2902903 + 2.4190861/8.8694869) = (0.5078691, −0.0175478).
    label: 'adagrad lr=0.5 lr_decay=0.5 initial_accumulator_value=1',
    optimizer: 'adagrad',
    hyper: { lr: 0.5, lr_decay: 0.5, initial_accumulator_value: 1 },
    expected: [[0.646446609, -0.290290338], [0.507869069, -0.0175478285], [0.430250974, -0.00519761935]],
  },
  {
    // v1 = 0.1·g0² = (0.1, 2.5); Δ1 = √(0 + 1e-6)/√(v1 + 1e-6)·g0 = 1e-3·(1/0.3162293, 5/1.5811392)
    // = (0.0031623, 0.0031623) → θ1 = (0.9968377, 0.1968377); u1 = 0.1·Δ1² ≈ 1e-6 per coordinate, so
    // step 2 moves by √(u1 + 1e-6)/√v2·|g1| ≈ 0.0032 again: Adadelta starts slowly and evenly.
    label: 'adadelta (defaults: lr=1, rho=0.9, eps=1e-6)',
    optimizer: 'adadelta',
    hyper: {},
    expected: [[0.996837738, 0.196837723], [0.993598198, 0.193617901], [0.990309083, 0.190376128]],
  },
  {
    // v1 = 0.01·g0² = (0.01, 0.25), √v1 = (0.1, 0.5) → θ1 = θ0 − 0.01·(1/0.1, 5/0.5) = (0.9, 0.1);
    // g1 = (0.9, 2.5), v2 = (0.0099 + 0.0081, 0.2475 + 0.0625) = (0.018, 0.31)
    // → θ2 = (0.9 − 0.009/0.1341641, 0.1 − 0.025/0.5567764) = (0.8329180, 0.0550987).
    label: 'rmsprop (defaults: lr=0.01, alpha=0.99)',
    optimizer: 'rmsprop',
    hyper: {},
    expected: [[0.90000001, 0.100000002], [0.832917975, 0.0550986766], [0.779982282, 0.0309687383]],
  },
  {
    // v1 = (0.01, 0.25), ḡ1 = 0.01·g0 = (0.01, 0.05), a1 = √(v1 − ḡ1²) = (0.0994987, 0.4974937),
    // b1 = g0/a1 = (10.0503782, 10.0503782) → θ1 = θ0 − 0.01·b1 = (0.8994962, 0.0994962).
    label: 'rmsprop centered momentum=0.9',
    optimizer: 'rmsprop',
    hyper: { centered: true, momentum: 0.9 },
    expected: [[0.899496229, 0.0994962205], [0.741305993, -0.0360828707], [0.549650185, -0.141908662]],
  },
  {
    // Step sizes start at 0.3 and the first step has no previous gradient (factor 1):
    // θ1 = θ0 − 0.3·sign(1, 5) = (0.7, −0.1). g1 = (0.7, −2.5): x keeps its sign → s_x = 0.36,
    // y flips → s_y = 0.15 and g_y is zeroed, so y does not move: θ2 = (0.34, −0.1).
    // g2 = (0.34, −2.5): x → s_x = 0.432, y sees prev = 0 → factor 1, moves by 0.15: θ3 = (−0.092, 0.05).
    label: 'rprop lr=0.3',
    optimizer: 'rprop',
    hyper: { lr: 0.3 },
    expected: [[0.7, -0.1], [0.34, -0.1], [-0.092, 0.05]],
  },
  {
    // m1 = 0.1·g0, v1 = 0.001·g0²; m̂ = g0, v̂ = g0² → θ1 = θ0 − 0.1·g0/|g0| = (0.9, 0.1).
    // g1 = (0.9, 2.5): m2 = (0.18, 0.7), v2 = (0.001809, 0.031225), m̂ = m2/0.19 = (0.9473684, 3.6842105),
    // v̂ = v2/0.001999 = (0.9049525, 15.6203102) → θ2 = (0.9 − 0.0995877, 0.1 − 0.0932180) = (0.8004122, 0.0067820).
    label: 'adam lr=0.1',
    optimizer: 'adam',
    hyper: { lr: 0.1 },
    expected: [[0.900000001, 0.1], [0.80041223, 0.00678203653], [0.701586275, -0.0671809251]],
  },
  {
    // m1 = 0.1·g0, u1 = |g0| + ε → θ1 = θ0 − 0.1/0.1·0.1·g0/|g0| = (0.9, 0.1).
    // g1 = (0.9, 2.5): m2 = (0.18, 0.7), u2 = max(0.999·(1, 5), (0.9, 2.5)) = (0.999, 4.995)
    // → θ2 = θ1 − 0.1/0.19·(0.18/0.999, 0.7/4.995) = (0.8051683, 0.0262420).
    label: 'adamax lr=0.1',
    optimizer: 'adamax',
    hyper: { lr: 0.1 },
    expected: [[0.900000001, 0.1], [0.805168328, 0.0262420318], [0.715499475, -0.0251969629]],
  },
  {
    // μ1 = 0.9·(1 − 0.5·0.96^0.004) = 0.4500735, μ2 = 0.9·(1 − 0.5·0.96^0.008) = 0.4501469;
    // m1 = 0.1·g0, v̂1 = g0² → θ1 = θ0 − [0.1·(1−μ1)/(1−μ1) + 0.1·μ2·0.1/(1 − μ1μ2)]·sign(g0)
    // = θ0 − (0.1 + 0.0056452)·(1, 1) = (0.8943548, 0.0943548).
    label: 'nadam lr=0.1',
    optimizer: 'nadam',
    hyper: { lr: 0.1 },
    expected: [[0.894354823, 0.0943548224], [0.819973072, 0.0440462281], [0.752729268, 0.0130709825]],
  },
];

describe('first steps of every optimizer match hand-derived torch arithmetic', () => {
  it('covers every optimizer', () => {
    expect(new Set(HAND.map((c) => c.optimizer))).toEqual(new Set(OPTIMIZER_NAMES));
  });

  for (const c of HAND) {
    it(c.label, async () => {
      const pts = await trajectory(c.optimizer, 'ellipse', [1, 0.2], 3, c.hyper);
      expect(pts[0]).toEqual([1, Math.fround(0.2)]);
      expectPath(pts.slice(1), c.expected, 2e-6, c.label);
    });
  }

  it('gives bit-identical numbers when all the cases run batched in one race', async () => {
    const solo = await Promise.all(HAND.map((c) => trajectory(c.optimizer, 'ellipse', [1, 0.2], 3, c.hyper)));
    const race = new Race('ellipse', HAND.map((c) => ({ optimizer: c.optimizer, hyper: c.hyper, start: [1, 0.2] })));
    const frame = await race.step(3);
    race.dispose();
    const n = HAND.length;
    HAND.forEach((c, r) => {
      for (let i = 0; i < 3; i++) {
        expect([frame.positions[(i * n + r) * 2], frame.positions[(i * n + r) * 2 + 1]], c.label).toEqual(solo[r][i + 1]);
      }
    });
  });
});

describe('properties', () => {
  it('sgd on a quadratic follows the closed form θ_t = (1 − lr·a)^t θ_0', async () => {
    const lr = 0.01;
    const pts = await trajectory('sgd', 'ellipse', [-2.5, 1], 200, { lr });
    for (const t of [1, 10, 50, 200]) {
      // a = 1 along x, 25 along y.
      expect(pts[t][0]).toBeCloseTo(-2.5 * (1 - lr) ** t, 5);
      expect(pts[t][1]).toBeCloseTo(1 * (1 - lr * 25) ** t, 5);
    }
  });

  it('weight_decay adds weight_decay·θ to the gradient (sgd: closed form with a + wd)', async () => {
    const lr = 0.01;
    const wd = 0.5;
    const pts = await trajectory('sgd', 'ellipse', [-2.5, 1], 100, { lr, weight_decay: wd });
    for (const t of [1, 20, 100]) {
      expect(pts[t][0]).toBeCloseTo(-2.5 * (1 - lr * (1 + wd)) ** t, 5);
      expect(pts[t][1]).toBeCloseTo((1 - lr * (25 + wd)) ** t, 5);
    }
  });

  it('weight_decay in adaptive optimizers equals optimizing f + wd/2·|θ|²', async () => {
    const wd = 0.3;
    // Not the axis-aligned ellipse: there L2 only rescales each coordinate's gradient, which Adam-like
    // methods ignore (the observation behind AdamW). The tilted bowl couples x and y.
    const base = SURFACES.tilted;
    const penalised: Surface = {
      ...base,
      f: (x, y) => base.f(x, y) + (wd / 2) * (x * x + y * y),
      grad: (x, y) => [base.grad(x, y)[0] + wd * x, base.grad(x, y)[1] + wd * y],
      value: (p) => tf.add(base.value(p), tf.mul(wd / 2, tf.sum(tf.square(p), 1))) as tf.Tensor1D,
      gradient: (p) => tf.add(base.gradient(p), tf.mul(wd, p)) as tf.Tensor2D,
    };
    for (const optimizer of ['adam', 'adagrad', 'rmsprop', 'adadelta', 'adamax', 'nadam', 'momentum'] as const) {
      const hyper = { lr: optimizer === 'adadelta' ? 10 : optimizer === 'momentum' ? 0.01 : 0.05 };
      const a = await trajectory(optimizer, 'tilted', [-2.5, -1], 50, { ...hyper, weight_decay: wd });
      const b = await trajectory(optimizer, penalised, [-2.5, -1], 50, hyper);
      expectPath(a, b, 1e-5, optimizer);
      // …and it does change the path.
      const c = await trajectory(optimizer, 'tilted', [-2.5, -1], 50, hyper);
      const gap = Math.max(...a.map((p, i) => Math.abs(p[0] - c[i][0]) + Math.abs(p[1] - c[i][1])));
      expect(gap, optimizer).toBeGreaterThan(1e-3);
    }
  });

  it('adam moves each coordinate by ≈ lr on its first step, whatever the gradient scale', async () => {
    for (const name of SURFACE_NAMES) {
      const s = SURFACES[name];
      const [gx, gy] = s.grad(...s.start);
      const pts = await trajectory('adam', name, s.start, 1, { lr: 0.01 });
      const [x0, y0] = pts[0];
      const [x1, y1] = pts[1];
      // θ1 − θ0 = −lr·g/(|g| + ε): exactly −lr·sign(g) up to ε/|g| and float32 rounding.
      if (Math.abs(gx) > 1e-3) expect(x1 - x0).toBeCloseTo(-0.01 * Math.sign(gx), 6);
      if (Math.abs(gy) > 1e-3) expect(y1 - y0).toBeCloseTo(-0.01 * Math.sign(gy), 6);
    }
  });

  it('rprop keeps every step size within step_sizes and moves each coordinate by exactly its step size or 0', async () => {
    const [lo, hi] = [2e-3, 0.05];
    const pts = await trajectory('rprop', 'rosenbrock', [-1.5, 2], 300, { lr: 0.01, step_sizes: [lo, hi] });
    let zeros = 0;
    let atMax = 0;
    for (let t = 1; t < pts.length; t++) {
      for (const j of [0, 1]) {
        const step = Math.abs(pts[t][j] - pts[t - 1][j]);
        if (step === 0) zeros++;
        else {
          // float32 subtraction of nearby positions: allow a few ulps of |θ|.
          expect(step).toBeGreaterThanOrEqual(lo - 1e-6);
          expect(step).toBeLessThanOrEqual(hi + 1e-6);
          if (Math.abs(step - hi) < 1e-6) atMax++;
        }
      }
    }
    // The sign-change rule fired (zero moves) and the clamp was reached.
    expect(zeros).toBeGreaterThan(0);
    expect(atMax).toBeGreaterThan(0);
  });

  it('nesterov differs from momentum: its first step is (1 + μ) times longer', async () => {
    const m = await trajectory('momentum', 'rosenbrock', [-1.5, 2], 20, { lr: 1e-3 });
    const n = await trajectory('nesterov', 'rosenbrock', [-1.5, 2], 20, { lr: 1e-3 });
    for (const j of [0, 1]) expect(n[1][j] - n[0][j]).toBeCloseTo(1.9 * (m[1][j] - m[0][j]), 5);
    expect(Math.abs(n[20][0] - m[20][0])).toBeGreaterThan(1e-3);
  });

  it('amsgrad equals adam until the second moment first shrinks, then differs', async () => {
    // On Beale the path leaves steep ground for a flat valley, where v shrinks and max(v̂, v) ≠ v.
    const a = await trajectory('adam', 'beale', [1, 1.5], 300, { lr: 0.05 });
    const b = await trajectory('adam', 'beale', [1, 1.5], 300, { lr: 0.05, amsgrad: true });
    expect(a[1]).toEqual(b[1]); // identical until the running max differs from v
    expect(Math.abs(a[300][0] - b[300][0]) + Math.abs(a[300][1] - b[300][1])).toBeGreaterThan(1e-4);
  });

  it('all optimizers reduce the Rosenbrock loss from (−1.5, 2) within 500 steps (tuned lr)', async () => {
    // The surface's suggested lr per optimizer (torch's defaults suit deep nets, not this valley).
    const lr = SURFACES.rosenbrock.suggestedLr;
    const race = new Race('rosenbrock', OPTIMIZER_NAMES.map((o) => ({ optimizer: o, hyper: { lr: lr[o] } })));
    const frame = await race.step(500);
    race.dispose();
    const f0 = SURFACES.rosenbrock.f(-1.5, 2); // 12.5
    OPTIMIZER_NAMES.forEach((o, r) => {
      expect(frame.diverged[r], o).toBe(false);
      expect(frame.losses[499 * 10 + r], o).toBeLessThan(f0 / 4);
    });
    // And the frame's losses are f at its positions.
    const [x, y] = [frame.positions[(499 * 10 + 7) * 2], frame.positions[(499 * 10 + 7) * 2 + 1]];
    expect(frame.losses[499 * 10 + 7]).toBeCloseTo(SURFACES.rosenbrock.f(x, y), 4);
  });

  it("suggested learning rates beat torch's defaults without diverging (saddle: escape, but stay in view)", async () => {
    for (const name of SURFACE_NAMES) {
      const s = SURFACES[name];
      const steps = name === 'saddle' ? 50 : 500;
      const runs = OPTIMIZER_NAMES.flatMap((o) => [{ optimizer: o, hyper: { lr: s.suggestedLr[o] } }, { optimizer: o }]);
      const race = new Race(name, runs);
      const frame = await race.step(steps);
      race.dispose();
      const f0 = s.f(...s.start);
      OPTIMIZER_NAMES.forEach((o, i) => {
        const [tuned, byDefault] = [2 * i, 2 * i + 1].map((r) => frame.losses[(steps - 1) * runs.length + r]);
        expect(frame.diverged[2 * i], `${name}/${o}`).toBe(false);
        expect(tuned, `${name}/${o}`).toBeLessThan(f0);
        // On the saddle a larger lr just leaves sooner; there the preset is chosen to stay watchable.
        if (name !== 'saddle') expect(tuned, `${name}/${o}`).toBeLessThanOrEqual(byDefault + 1e-6);
      });
    }
  });
});

describe('Race mechanics', () => {
  it('keeps run order in its frames even though rows are grouped by algorithm', async () => {
    const runs: RunSpec[] = [
      { optimizer: 'adam', hyper: { lr: 0.05 } },
      { optimizer: 'sgd', hyper: { lr: 1e-3 } },
      { optimizer: 'adam', hyper: { lr: 0.01 }, start: [0.5, 0.5] },
      { optimizer: 'nesterov' },
    ];
    const race = new Race('rosenbrock', runs);
    const f1 = await race.step(4);
    const f2 = await race.step(3);
    race.dispose();
    expect(f1.t).toBe(4);
    expect(f2.t).toBe(7);
    expect(f1.positions.length).toBe(4 * 4 * 2);
    expect(f1.losses.length).toBe(4 * 4);
    for (const [r, run] of runs.entries()) {
      const solo = await trajectory(run.optimizer, 'rosenbrock', run.start ?? [-1.5, 2], 7, run.hyper);
      for (let i = 0; i < 7; i++) {
        const [f, k] = i < 4 ? [f1, i] : [f2, i - 4];
        expect([f.positions[(k * 4 + r) * 2], f.positions[(k * 4 + r) * 2 + 1]]).toEqual(solo[i + 1]);
      }
    }
  });

  it('freezes and flags a diverging run without disturbing the others', async () => {
    const race = new Race('rosenbrock', [
      { optimizer: 'sgd', hyper: { lr: 0.1 } }, // far above 2/λ_max: blows up within a few steps
      { optimizer: 'adam', hyper: { lr: 0.05 } },
    ]);
    const frame = await race.step(50);
    expect(frame.diverged).toEqual([true, false]);
    const at = frame.divergedAt[0] as number;
    expect(at).toBeGreaterThanOrEqual(1);
    expect(at).toBeLessThanOrEqual(50);
    expect(frame.divergedAt[1]).toBeNull();
    // No NaN or ∞ anywhere; the frozen run stays at its last accepted point, inside the bounds.
    expect(frame.positions.every(Number.isFinite)).toBe(true);
    expect(frame.losses.every(Number.isFinite)).toBe(true);
    expect(race.bounds).toEqual(widenBox(SURFACES.rosenbrock.view)); // a Race's default: the demo's box
    const [x0, x1, y0, y1] = race.bounds!;
    const last = [frame.positions[49 * 4], frame.positions[49 * 4 + 1]];
    expect(last[0] >= x0 && last[0] <= x1 && last[1] >= y0 && last[1] <= y1).toBe(true);
    for (let i = at - 1; i < 50; i++) {
      expect([frame.positions[i * 4], frame.positions[i * 4 + 1]]).toEqual(last);
    }
    // The healthy run is exactly its solo trajectory.
    const solo = await trajectory('adam', 'rosenbrock', [-1.5, 2], 50, { lr: 0.05 });
    expect([frame.positions[49 * 4 + 2], frame.positions[49 * 4 + 3]]).toEqual(solo[50]);
    // The flag persists in later frames and in the snapshot.
    const next = await race.step(5);
    expect(next.diverged[0]).toBe(true);
    expect(next.divergedAt[0]).toBe(at);
    expect(race.snapshot.diverged).toEqual([true, false]);
    race.dispose();
    expect(widenBox([-2, 2, -1, 3])).toEqual([-20, 20, -19, 21]);
  });

  it('flags a run that leaves custom bounds, and one that becomes NaN', async () => {
    const race = new Race('saddle', [{ optimizer: 'adam', hyper: { lr: 0.1 } }], { bounds: [-2, 2, -1, 1] });
    const frame = await race.step(40);
    race.dispose();
    // |y| grows by ≈ 0.1 per step from 1e-3, so it crosses 1 near step 10.
    expect(frame.diverged[0]).toBe(true);
    expect(frame.divergedAt[0]).toBeGreaterThan(5);
    expect(frame.divergedAt[0]).toBeLessThan(15);
    const nanSurface: Surface = {
      ...SURFACES.ellipse,
      gradient: (p) => tf.div(SURFACES.ellipse.gradient(p), tf.scalar(0)) as tf.Tensor2D, // ±∞ / NaN
    };
    // Asked for bounds, trajectory freezes the run at its last finite point…
    const pts = await trajectory('sgd', nanSurface, [1, 1], 3, { lr: 0.1 }, { bounds: [-5, 5, -5, 5] });
    expect(pts).toEqual([[1, 1], [1, 1], [1, 1], [1, 1]]);
    // …and without, it returns what the update rule gives, as torch would: not a finite number.
    const raw = await trajectory('sgd', nanSurface, [1, 1], 3, { lr: 0.1 });
    expect(raw[0]).toEqual([1, 1]);
    expect(raw.slice(1).flat().some(Number.isFinite)).toBe(false);
  });

  it('reset() replays the same trajectory; step after dispose rejects; bad input throws', async () => {
    const race = new Race('beale', OPTIMIZER_NAMES.map((o) => ({ optimizer: o })));
    const a = await race.step(5);
    race.reset();
    expect(race.t).toBe(0);
    expect(race.snapshot.positions).toEqual(Float32Array.from(OPTIMIZER_NAMES.flatMap(() => [1, 1.5])));
    const b = await race.step(5);
    expect(b.positions).toEqual(a.positions);
    expect(b.losses).toEqual(a.losses);
    race.dispose();
    race.dispose();
    expect(race.isDisposed).toBe(true);
    await expect(race.step(1)).rejects.toThrow(/disposed/);
    expect(() => new Race('beale', [])).toThrow(/at least one run/);
    expect(() => new Race('beale', [{ optimizer: 'adam', hyper: { betas: [0.9, 1] } }])).toThrow(/beta/);
    await expect(trajectory('adam', 'beale', [0, 0], -1)).rejects.toThrow(/steps/);
    expect(await trajectory('adam', 'beale', [0.5, 0.25], 0)).toEqual([[0.5, 0.25]]);
  });

  it('marks a frame stale when reset() runs during its read-back', async () => {
    const race = new Race('ellipse', [{ optimizer: 'sgd' }]);
    const pending = race.step(10);
    race.reset();
    const frame = await pending;
    expect(frame.current).toBe(false);
    expect(race.snapshot.t).toBe(0); // the stale frame did not overwrite the reset snapshot
    race.dispose();
  });
});

describe('memory', () => {
  it('numTensors is unchanged by steps and back to the start after dispose', async () => {
    const before = tf.memory().numTensors;
    const runs: RunSpec[] = OPTIMIZER_NAMES.flatMap((o) => [{ optimizer: o }, { optimizer: o, hyper: { lr: 0.05 } }]);
    runs.push({ optimizer: 'rmsprop', hyper: { centered: true, momentum: 0.5 } }, { optimizer: 'adam', hyper: { amsgrad: true } });
    runs.push({ optimizer: 'sgd', hyper: { lr: 1 } }); // diverges: exercises the freeze path
    const race = new Race('rosenbrock', runs);
    await race.step(3); // first steps create the cached constants
    const during = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await race.step(20);
    race.reset();
    await race.step(7);
    expect(tf.memory().numTensors).toBe(during);
    race.dispose();
    expect(tf.memory().numTensors).toBe(before);
    race.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await trajectory('nadam', 'himmelblau', [0, 0], 50);
    expect(tf.memory().numTensors).toBe(before);
    // Without bounds (nothing is frozen, so no status tensors change hands) the count holds too.
    const free = new Race('rosenbrock', runs, { bounds: null });
    await free.step(3);
    const freeDuring = tf.memory().numTensors;
    await free.step(20);
    free.reset();
    await free.step(7);
    expect(tf.memory().numTensors).toBe(freeDuring);
    free.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('backends', () => {
  it('the wasm backend reproduces the cpu trajectories bit for bit (both are plain IEEE float32)', async () => {
    const runs: RunSpec[] = OPTIMIZER_NAMES.map((o) => ({ optimizer: o, hyper: { lr: SURFACES.beale.suggestedLr[o] } }));
    runs.push({ optimizer: 'rmsprop', hyper: { centered: true, momentum: 0.5 } }, { optimizer: 'sgd', hyper: { lr: 1 } });
    const positions: Float32Array[] = [];
    try {
      for (const backend of ['cpu', 'wasm']) {
        expect(await tf.setBackend(backend)).toBe(true);
        const race = new Race('beale', runs);
        positions.push((await race.step(200)).positions);
        race.dispose();
      }
    } finally {
      await tf.setBackend('cpu');
    }
    expect(positions[1]).toEqual(positions[0]);
  });
});

describe('speed (reported, not asserted)', () => {
  it('10 runs × 1000 steps on the CPU backend', async () => {
    const race = new Race('rosenbrock', OPTIMIZER_NAMES.map((o) => ({ optimizer: o })));
    await race.step(10); // warm-up
    const t0 = performance.now();
    const frame = await race.step(1000);
    const ms = performance.now() - t0;
    race.dispose();
    console.log(
      `optimizer race, cpu backend: ${((10 * 1000) / (ms / 1000)).toFixed(0)} optimizer-steps/s ` +
        `(${(ms / 1000).toFixed(3)} ms per race step of 10 runs)`,
    );
    expect(frame.positions.length).toBe(1000 * 10 * 2);
    expect(frame.positions.every(Number.isFinite)).toBe(true);
  });
});
