import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { createFlatTrainer, type ParamInit, type UpdateRule } from './train';

// A quadratic bowl, ½|a − A|² + ½|b − B|², whose gradient is p − target: the reference updates below
// are plain JavaScript, written from the papers' formulas, independent of tfjs.
const A0 = [0.5, -1, 2, 0, 3, -2];
const B0 = [1, 1, -1];
const TARGET_A = [1, 0, 0, -1, 2, 2];
const TARGET_B = [0, 2, 1];

function bowl(): ParamInit<'a' | 'b'>[] {
  return [
    { name: 'a', shape: [2, 3], values: Float32Array.from(A0) },
    { name: 'b', shape: [3], values: Float32Array.from(B0) },
  ];
}

function bowlLoss(p: Record<'a' | 'b', tf.Tensor>): tf.Scalar {
  const ta = tf.tensor(TARGET_A, [2, 3]);
  const tb = tf.tensor(TARGET_B, [3]);
  return tf.mul(0.5, tf.add(tf.sum(tf.square(tf.sub(p.a, ta))), tf.sum(tf.square(tf.sub(p.b, tb))))) as tf.Scalar;
}

/** The reference: `steps` updates of `rule` on the bowl, in float64; returns parameters and each step's loss. */
function reference(rule: UpdateRule, steps: number): { p: number[]; losses: number[] } {
  const p = [...A0, ...B0];
  const target = [...TARGET_A, ...TARGET_B];
  const s1 = p.map(() => 0);
  const s2 = p.map(() => 0);
  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    losses.push(0.5 * p.reduce((acc, v, i) => acc + (v - target[i]) ** 2, 0));
    for (let i = 0; i < p.length; i++) {
      const g = p[i] - target[i];
      if (rule.kind === 'sgd') {
        // torch.optim.SGD: buf = μ·buf + g (buf = g at the first step), p −= lr·buf.
        s1[i] = t === 1 ? g : (rule.momentum ?? 0) * s1[i] + g;
        p[i] -= rule.lr * s1[i];
      } else if (rule.kind === 'adadelta') {
        const rho = rule.rho ?? 0.95;
        const eps = rule.eps ?? 1e-6;
        s1[i] = rho * s1[i] + (1 - rho) * g * g;
        const dx = -Math.sqrt((s2[i] + eps) / (s1[i] + eps)) * g;
        s2[i] = rho * s2[i] + (1 - rho) * dx * dx;
        p[i] += (rule.lr ?? 1) * dx;
      } else {
        const [b1, b2, eps] = [rule.beta1 ?? 0.9, rule.beta2 ?? 0.999, rule.eps ?? 1e-8];
        s1[i] = b1 * s1[i] + (1 - b1) * g;
        s2[i] = b2 * s2[i] + (1 - b2) * g * g;
        p[i] -= (rule.lr * (s1[i] / (1 - b1 ** t))) / (Math.sqrt(s2[i] / (1 - b2 ** t)) + eps);
      }
    }
  }
  return { p, losses };
}

function expectNear(actual: ArrayLike<number>, expected: number[], tol: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i]), `index ${i}`).toBeLessThan(tol);
}

const RULES: { label: string; rule: UpdateRule }[] = [
  { label: 'sgd', rule: { kind: 'sgd', lr: 0.1 } },
  { label: 'sgd with momentum', rule: { kind: 'sgd', lr: 0.05, momentum: 0.9 } },
  { label: 'adadelta (Zeiler, as ConvNetJS)', rule: { kind: 'adadelta', rho: 0.95, eps: 1e-6 } },
  { label: 'adadelta with lr 0.5 and a large ε', rule: { kind: 'adadelta', rho: 0.9, eps: 1e-2, lr: 0.5 } },
  { label: 'adam', rule: { kind: 'adam', lr: 0.1 } },
];

describe('createFlatTrainer', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const { label, rule } of RULES) {
      it(`${label} on ${backend}: parameters and mean loss follow the formula for 6 steps`, async () => {
        await tf.setBackend(backend);
        const tr = createFlatTrainer(bowl(), bowlLoss, rule);
        for (let i = 0; i < 3; i++) tr.step();
        const first = await tr.meanLoss();
        for (let i = 0; i < 3; i++) tr.step();
        const second = await tr.meanLoss();
        const ref = reference(rule, 6);
        expectNear(await tr.read(), ref.p, 1e-4);
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        expect(first).toBeCloseTo(mean(ref.losses.slice(0, 3)), 4);
        expect(second).toBeCloseTo(mean(ref.losses.slice(3)), 4);
        expect(second).toBeLessThan(first);
        expect(tr.steps).toBe(6);
        tr.dispose();
      });
    }
  }

  it('applyGradient: a gradient computed elsewhere steps as step does (momentum, decay, mean loss); a wrong size is refused', async () => {
    await tf.setBackend('cpu');
    const init = () => bowl().map((p) => ({ ...p, l2: p.name === 'a' ? 0.1 : 0 }));
    const rule: UpdateRule = { kind: 'sgd', lr: 0.05, momentum: 0.9 };
    const [own, given] = [createFlatTrainer(init(), bowlLoss, rule), createFlatTrainer(init(), bowlLoss, rule)];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      own.step();
      tf.tidy(() => {
        const p = given.current();
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => bowlLoss({ a, b }))([p.a, p.b]);
        given.applyGradient(tf.concat(grads.map((g) => g.reshape([-1]))), value);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(given.steps).toBe(4);
    expectNear(await given.read(), Array.from(await own.read()), 1e-6);
    expect(await given.meanLoss()).toBeCloseTo(await own.meanLoss(), 6);
    const [wrong, zero] = [tf.zeros([8]), tf.scalar(0)];
    expect(() => given.applyGradient(wrong, zero)).toThrow(/8 values for 9 parameters/);
    expect(given.steps).toBe(4);
    tf.dispose([wrong, zero]);
    own.dispose();
    given.dispose();
  });

  it('adds l2·θ to the gradient of the tensors that ask for it, and only those', async () => {
    await tf.setBackend('cpu');
    const init: ParamInit<'w' | 'b'>[] = [
      { name: 'w', shape: [2], values: Float32Array.from([2, -4]), l2: 0.5 },
      { name: 'b', shape: [1], values: Float32Array.from([3]) },
    ];
    // Zero loss gradient: the step is the decay alone, θ ← θ − lr·l2·θ for w.
    const tr = createFlatTrainer(init, (p) => tf.mul(0, tf.add(tf.sum(p.w), tf.sum(p.b))) as tf.Scalar, { kind: 'sgd', lr: 0.1 });
    tr.step();
    expectNear(await tr.read(), [2 * 0.95, -4 * 0.95, 3], 1e-6);
    tr.dispose();
  });

  it('passes inputs through, splits parameters by name and shape, and reads back only when asked', async () => {
    await tf.setBackend('cpu');
    // Least squares y = x·w + b on two points; one sgd step from w = 0, b = 0 by hand:
    // residuals r = −y = [−1, −3]; dL/dw = mean(r·x) = (−1·1 − 3·2)/2 = −3.5; dL/db = mean(r) = −2.
    const init: ParamInit<'w' | 'b'>[] = [
      { name: 'w', shape: [1, 1], values: new Float32Array(1) },
      { name: 'b', shape: [1], values: new Float32Array(1) },
    ];
    const loss = (p: Record<'w' | 'b', tf.Tensor>, x: tf.Tensor, y: tf.Tensor) =>
      tf.mul(0.5, tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x as tf.Tensor2D, p.w as tf.Tensor2D), p.b), y)))) as tf.Scalar;
    const tr = createFlatTrainer(init, loss, { kind: 'sgd', lr: 1 });
    const x = tf.tensor2d([1, 2], [2, 1]);
    const y = tf.tensor2d([1, 3], [2, 1]);
    tr.step(x, y);
    const named = tr.params();
    expect(named.w.shape).toEqual([1, 1]);
    expect(named.b.shape).toEqual([1]);
    expectNear(await named.w.data(), [3.5], 1e-6);
    expectNear(await named.b.data(), [2], 1e-6);
    tf.dispose(Object.values(named));
    expect(await tr.meanLoss()).toBeCloseTo(0.5 * ((1 + 9) / 2), 6); // loss before the step
    expect(Number.isNaN(await tr.meanLoss())).toBe(true); // nothing since
    tr.dispose();
    tf.dispose([x, y]);
  });

  it('leaves the tensor count unchanged across steps and read-backs, and frees everything on dispose', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      const start = tf.memory().numTensors;
      const tr = createFlatTrainer(bowl(), bowlLoss, { kind: 'adam', lr: 0.01 });
      const held = tf.memory().numTensors;
      expect(held).toBeGreaterThan(start);
      for (let i = 0; i < 5; i++) tr.step();
      await tr.meanLoss();
      tr.step();
      expect(tf.memory().numTensors).toBe(held);
      tr.dispose();
      tr.dispose(); // idempotent
      expect(tf.memory().numTensors).toBe(start);
      expect(() => tr.step()).toThrow(/dispose/);
    }
  });

  it('minimises the sum of a vector loss and reports each component\'s running mean', async () => {
    // Two "stacked networks": row s of a [2, 3] is net s, with its own objective ½|a_s − A_s|². The sum's
    // gradient is the bowl's, so the parameters follow the reference exactly; each component's mean is
    // the mean of the reference's per-row losses.
    await tf.setBackend('cpu');
    const rule: UpdateRule = { kind: 'adam', lr: 0.1 };
    const init: ParamInit<'a'>[] = [{ name: 'a', shape: [2, 3], values: Float32Array.from(A0) }];
    const perRow = (p: Record<'a', tf.Tensor>) => tf.mul(0.5, tf.sum(tf.square(tf.sub(p.a, tf.tensor(TARGET_A, [2, 3]))), 1)) as tf.Tensor1D;
    const tr = createFlatTrainer(init, perRow, rule);
    const nan = tr.meanLossTensor();
    expect(nan.shape).toEqual([]); // no step yet: the loss's shape is not known
    expect(Number.isNaN((await nan.data())[0])).toBe(true);
    nan.dispose();
    for (let i = 0; i < 4; i++) tr.step();
    const means = tr.meanLossTensor();
    expect(means.shape).toEqual([2]);
    const got = await means.data();
    means.dispose();
    // The reference, per row: Adam on the a-block alone (the rows never interact).
    const rows: number[][] = [[], []];
    const p = [...A0];
    const s1 = p.map(() => 0);
    const s2 = p.map(() => 0);
    for (let t = 1; t <= 6; t++) {
      for (const r of [0, 1]) rows[r].push(0.5 * [0, 1, 2].reduce((acc, j) => acc + (p[3 * r + j] - TARGET_A[3 * r + j]) ** 2, 0));
      for (let i = 0; i < 6; i++) {
        const g = p[i] - TARGET_A[i];
        s1[i] = 0.9 * s1[i] + 0.1 * g;
        s2[i] = 0.999 * s2[i] + 0.001 * g * g;
        p[i] -= (0.1 * (s1[i] / (1 - 0.9 ** t))) / (Math.sqrt(s2[i] / (1 - 0.999 ** t)) + 1e-8);
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expectNear(got, [mean(rows[0].slice(0, 4)), mean(rows[1].slice(0, 4))], 1e-4);
    tr.step();
    tr.step();
    expectNear(await tr.read(), p, 1e-4);
    // meanLoss is the mean of the sum (the objective minimised) over steps 5 and 6; then both are drained.
    expect(await tr.meanLoss()).toBeCloseTo(mean([4, 5].map((i) => rows[0][i] + rows[1][i])), 4);
    const empty = tr.meanLossTensor();
    expect(empty.shape).toEqual([2]);
    expect(Array.from(await empty.data()).every(Number.isNaN)).toBe(true);
    empty.dispose();
    tr.dispose();
  });

  it('current(): the trainer\'s own parameter tensors, equal to read(), no copy, replaced by each step', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      const tr = createFlatTrainer(bowl(), bowlLoss, { kind: 'sgd', lr: 0.1 });
      const count = tf.memory().numTensors;
      const before = tr.current();
      expect(tr.current()).toBe(before); // the same tensors until the next step
      expect(tf.memory().numTensors).toBe(count);
      expect(before.a.shape).toEqual([2, 3]);
      expect(Array.from(await before.a.data())).toEqual(A0);
      expect(Array.from(await before.b.data())).toEqual(B0);
      tr.step();
      const after = tr.current();
      expect(before.a.isDisposed).toBe(true);
      const flat = await tr.read();
      expect(Array.from(await after.a.data())).toEqual(Array.from(flat.slice(0, 6)));
      expect(Array.from(await after.b.data())).toEqual(Array.from(flat.slice(6)));
      expectNear(flat, reference({ kind: 'sgd', lr: 0.1 }, 1).p, 1e-6);
      expect(tf.memory().numTensors).toBe(count);
      tr.dispose();
    }
  });

  it('may step inside a caller\'s tf.tidy: its parameters, slots and loss sum survive the tidy', async () => {
    await tf.setBackend('cpu');
    const rule: UpdateRule = { kind: 'sgd', lr: 0.05, momentum: 0.9 };
    const tr = createFlatTrainer(bowl(), bowlLoss, rule);
    const count = tf.memory().numTensors;
    const evaluated = tf.tidy(() => {
      for (let i = 0; i < 3; i++) tr.step(tf.scalar(1)); // an input made (and freed) by the caller's tidy
      return tf.sum(tr.current().a);
    });
    tf.tidy(() => tr.step());
    expect(tf.memory().numTensors).toBe(count + 1); // the evaluation the tidy returned
    evaluated.dispose();
    const ref = reference(rule, 4);
    expect(await tr.meanLoss()).toBeCloseTo(ref.losses.reduce((a, b) => a + b, 0) / 4, 4);
    expectNear(await tr.read(), ref.p, 1e-4);
    tr.dispose();
  });

  it('rejects a loss that is neither a scalar nor a vector, and leaves the step count unchanged', () => {
    const tr = createFlatTrainer(bowl(), (p) => tf.square(p.a) as unknown as tf.Scalar, { kind: 'sgd', lr: 1 });
    expect(() => tr.step()).toThrow(/scalar or a vector, got shape \[2,3\]/);
    expect(tr.steps).toBe(0);
    tr.dispose();
  });

  it('setLearningRate(number) replaces the rule\'s rate for the following steps, as the reference with that rate', async () => {
    for (const rule of [{ kind: 'sgd', lr: 5, momentum: 0.9 }, { kind: 'adam', lr: 5 }, { kind: 'adadelta', lr: 5 }] as UpdateRule[]) {
      const tr = createFlatTrainer(bowl(), bowlLoss, rule);
      tr.setLearningRate(0.05);
      for (let i = 0; i < 4; i++) tr.step();
      const ref = reference({ ...rule, lr: 0.05 } as UpdateRule, 4);
      Array.from(await tr.read()).forEach((v, i) => expect(v).toBeCloseTo(ref.p[i], 5));
      tr.dispose();
    }
  });

  it('per-net rates: each stacked net steps as if trained alone at its own rate, a rate of 0 freezes it', async () => {
    // Two nets stacked on the leading axis of a [2, 3] and b [2, 2]; net s minimises ½|θₛ − Tₛ|².
    const target = { a: [1, 0, -1, 2, 2, 0], b: [0.5, -1, 1, 3] };
    const init = (values: { a: number[]; b: number[] }, S: number): ParamInit<'a' | 'b'>[] => [
      { name: 'a', shape: [S, 3], values: Float32Array.from(values.a) },
      { name: 'b', shape: [S, 2], values: Float32Array.from(values.b) },
    ];
    const loss = (t: { a: number[]; b: number[] }, S: number) => (p: Record<'a' | 'b', tf.Tensor>) =>
      tf.mul(0.5, tf.add(tf.sum(tf.square(tf.sub(p.a, tf.tensor(t.a, [S, 3]))), 1), tf.sum(tf.square(tf.sub(p.b, tf.tensor(t.b, [S, 2]))), 1))) as tf.Tensor1D;
    const start = { a: [0.5, -1, 2, 0, 3, -2], b: [1, 1, -1, 0] };
    const net = (v: { a: number[]; b: number[] }, s: number) => ({ a: v.a.slice(3 * s, 3 * s + 3), b: v.b.slice(2 * s, 2 * s + 2) });
    const rule: UpdateRule = { kind: 'adam', lr: 1 };
    const both = createFlatTrainer(init(start, 2), loss(target, 2), rule);
    const alone = [0, 1].map((s) => createFlatTrainer(init(net(start, s), 1), loss(net(target, s), 1), rule));
    both.setLearningRate(Float32Array.from([1, 1])); // makes the kept index of each parameter's net once
    const before = tf.memory().numTensors;
    for (let t = 1; t <= 5; t++) {
      const rates = [0.1 * t, 0.3 / t];
      both.setLearningRate(Float32Array.from(rates));
      both.step();
      alone.forEach((tr, s) => {
        tr.setLearningRate(rates[s]);
        tr.step();
      });
    }
    both.meanLossTensor().dispose();
    alone.forEach((tr) => tr.meanLossTensor().dispose());
    expect(tf.memory().numTensors).toBe(before);
    // Flat layout: a of net 0, a of net 1, b of net 0, b of net 1.
    const flat = Array.from(await both.read());
    const [p0, p1] = await Promise.all(alone.map((tr) => tr.read()));
    const expected = [...p0.slice(0, 3), ...p1.slice(0, 3), ...p0.slice(3), ...p1.slice(3)];
    flat.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    expect(flat).not.toEqual([...start.a, ...start.b]);

    both.setLearningRate(Float32Array.from([0, 0.1]));
    const frozen = Array.from(await both.read());
    both.step();
    const after = Array.from(await both.read());
    [0, 1, 2, 6, 7].forEach((i) => expect(after[i]).toBe(frozen[i])); // net 0's entries
    [3, 4, 5, 8, 9].forEach((i) => expect(after[i]).not.toBe(frozen[i]));
    [both, ...alone].forEach((tr) => tr.dispose());
  });

  it('rejects per-net rates when a parameter tensor\'s leading axis is not the nets', () => {
    const tr = createFlatTrainer(bowl(), bowlLoss, { kind: 'sgd', lr: 1 });
    expect(() => tr.setLearningRate(Float32Array.from([0.1, 0.2]))).toThrow(/parameter b has shape \[3\]/);
    tr.dispose();
  });

  it('rejects values that do not fit their shape, and an empty parameter list', () => {
    const bad: ParamInit[] = [{ name: 'w', shape: [2, 2], values: new Float32Array(3) }];
    expect(() => createFlatTrainer(bad, (p) => tf.sum(p.w) as tf.Scalar, { kind: 'sgd', lr: 1 })).toThrow(/3 values for shape \[2,2\]/);
    expect(() => createFlatTrainer([], () => tf.scalar(0), { kind: 'sgd', lr: 1 })).toThrow(RangeError);
  });
});
