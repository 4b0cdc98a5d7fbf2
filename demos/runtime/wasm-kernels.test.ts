import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { gaussian, mulberry32 } from './random';
import {
  COMPARISON_KERNELS,
  COMPOSED_MATMUL,
  MISSING_WASM_KERNELS,
  REPLACED_WASM_KERNELS,
  convGradOps,
  isComposedWasmKernel,
  registerWasmGradientKernels,
  type ConvInfo,
  type FilterGradMethod,
} from './wasm-kernels';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
type Strides = number | [number, number];

/** Seeded standard-normal data, identical on every backend. */
function randn(shape: number[], seed: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => gaussian(rng));
}

/** Run `fn` on `backend` in a tidy, read its outputs back, and check it left no tensor behind. */
async function onBackend(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(fn);
  const data = await Promise.all(outs.map(async (o) => Float32Array.from(await o.data())));
  tf.dispose(outs);
  expect(tf.memory().numTensors).toBe(before);
  return data;
}

/** max |a - b| relative to the reference's scale (at least 1), with a readable failure label. */
function expectClose(actual: Float32Array, expected: Float32Array, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  let scale = 1;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
  }
  expect(diff / scale, label).toBeLessThan(1e-4);
}

/** Gradients of ½Σy² (so dy = y, which differs per position) with respect to [x, filter]. */
function gradsOfSquare(f: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor): (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor[] {
  const g = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(f(x as tf.Tensor4D, w as tf.Tensor4D)))));
  return (x, w) => g([x, w]);
}

/** The same gradients on cpu (reference) and wasm (our kernels), compared. */
async function compareGrads(label: string, xShape: Shape4, wShape: Shape4, f: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor) {
  const xd = randn(xShape, 1);
  const wd = randn(wShape, 2);
  const run = () => gradsOfSquare(f)(tf.tensor4d(xd, xShape), tf.tensor4d(wd, wShape));
  const ref = await onBackend('cpu', run);
  const got = await onBackend('wasm', run);
  expectClose(got[0], ref[0], `${label} dx`);
  expectClose(got[1], ref[1], `${label} dw`);
}

const STRIDES: Strides[] = [1, 2, [1, 2]];
const PADS: Pad[] = ['same', 'valid', 1, 3, [[0, 0], [2, 0], [1, 3], [0, 0]]];
// Odd and even sizes, batch > 1, 1..4 channels, square and non-square filters.
const GEOMS: { x: Shape4; f: [number, number]; cin: number; cout: number }[] = [
  { x: [2, 7, 7, 3], f: [3, 3], cin: 3, cout: 2 },
  { x: [3, 8, 6, 1], f: [2, 4], cin: 1, cout: 4 },
  { x: [2, 9, 10, 4], f: [5, 5], cin: 4, cout: 3 },
];

/**
 * tfjs 4.22 sizes the output of a numeric `pad` from the filter height and stride height alone, so with a
 * non-square filter or unequal strides the forward conv is already inconsistent (and wasm writes past its
 * output buffer). Numeric pads are only tested where tfjs itself is sound; explicit pads cover the rest.
 */
function numericPadIsSound(pad: Pad, f: [number, number], s: Strides): boolean {
  return typeof pad !== 'number' || (f[0] === f[1] && typeof s === 'number');
}

describe('wasm gradient kernels: registration', () => {
  it('provides every missing kernel on wasm once, and registering again is a no-op', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    for (const name of [...MISSING_WASM_KERNELS, ...REPLACED_WASM_KERNELS]) {
      expect(isComposedWasmKernel(tf, name), name).toBe(true);
    }
    expect(isComposedWasmKernel(tf, 'Conv2D')).toBe(false);
    expect(registerWasmGradientKernels(tf)).toEqual([]);
  });
});

describe('conv2d gradients on wasm match cpu', () => {
  for (const g of GEOMS) {
    for (const s of STRIDES) {
      for (const pad of PADS) {
        if (!numericPadIsSound(pad, g.f, s)) continue;
        const label = `x${g.x} f${g.f} s${s} pad ${JSON.stringify(pad)}`;
        it(label, async () => {
          await compareGrads(label, g.x, [...g.f, g.cin, g.cout], (x, w) => tf.conv2d(x, w, s, pad));
        });
      }
    }
  }

  it('when the stride skips past the whole input (the window only sees padding)', async () => {
    // 2 rows, 5 rows of top padding, stride 10 rows, 1×1 filter: one output row, reading padded row 0.
    // The forward output is 0 there, so both gradients are exactly 0 (and cpu agrees).
    const pad: Pad = [[0, 0], [5, 0], [1, 1], [0, 0]];
    const run = () => gradsOfSquare((x, w) => tf.add(tf.conv2d(x, w, [10, 1], pad), 1))(
      tf.tensor4d(randn([2, 2, 5, 2], 17), [2, 2, 5, 2]),
      tf.tensor4d(randn([1, 1, 2, 3], 18), [1, 1, 2, 3]),
    );
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expectClose(got[0], ref[0], 'dx');
    expectClose(got[1], ref[1], 'dw');
    expect(Math.max(...got[0].map(Math.abs), ...got[1].map(Math.abs))).toBe(0);
  });

  it('Conv2DBackpropFilter with dimRoundingMode ceil (the forward reads past the padded input)', async () => {
    // Kernel level: tfjs's conv2d gradient does not pass dimRoundingMode on, and wasm's forward conv
    // ignores it, so only the kernel contract can be compared here.
    const xShape: Shape4 = [2, 8, 8, 2];
    const fShape: Shape4 = [3, 3, 2, 2];
    const dyShape: Shape4 = [2, 5, 5, 2]; // ceil((8 + 2 - 3) / 2 + 1) = 5
    const xd = randn(xShape, 13);
    const dyd = randn(dyShape, 14);
    const run = () => {
      const attrs = { strides: 2, pad: 1, dataFormat: 'NHWC', dimRoundingMode: 'ceil', filterShape: fShape };
      const inputs = { x: tf.tensor4d(xd, xShape), dy: tf.tensor4d(dyd, dyShape) };
      return [tf.engine().runKernel('Conv2DBackpropFilter', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor];
    };
    const [ref] = await onBackend('cpu', run);
    const [got] = await onBackend('wasm', run);
    expectClose(got, ref, 'ceil dw');
  });

  it('through a layers Conv2D with bias and relu (the fused conv path)', async () => {
    const xShape: Shape4 = [2, 9, 9, 2];
    const xd = randn(xShape, 3);
    const run = () => {
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: xShape.slice(1), filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu',
            kernelInitializer: tf.initializers.randomNormal({ seed: 5 }), biasInitializer: 'ones',
          }),
        ],
      });
      const x = tf.tensor4d(xd, xShape);
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(model.predict(x) as tf.Tensor)) as tf.Scalar);
      const kept = model.trainableWeights.map((w) => grads[w.name].clone());
      tf.dispose(Object.values(grads));
      model.dispose();
      return kept;
    };
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expectClose(got[0], ref[0], 'kernel');
    expectClose(got[1], ref[1], 'bias');
  });
});

describe('depthwise and separable conv gradients on wasm match cpu', () => {
  for (const mult of [1, 2]) {
    for (const s of STRIDES) {
      for (const pad of PADS) {
        if (!numericPadIsSound(pad, [3, 2], s)) continue;
        const label = `mult ${mult} s${s} pad ${JSON.stringify(pad)}`;
        it(label, async () => {
          await compareGrads(label, [2, 7, 8, 3], [3, 2, 3, mult], (x, w) => tf.depthwiseConv2d(x, w, s, pad));
        });
      }
    }
  }

  it('separableConv2d (depthwise then pointwise)', async () => {
    const xShape: Shape4 = [2, 8, 7, 3];
    const pwShape: Shape4 = [1, 1, 6, 4];
    const xd = randn(xShape, 4);
    const dwd = randn([3, 3, 3, 2], 5);
    const pwd = randn(pwShape, 6);
    const run = () => {
      const g = tf.grads((x: tf.Tensor, dw: tf.Tensor, pw: tf.Tensor) =>
        tf.sum(tf.square(tf.separableConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, 2, 'same'))),
      );
      return g([tf.tensor4d(xd, xShape), tf.tensor4d(dwd, [3, 3, 3, 2]), tf.tensor4d(pwd, pwShape)]);
    };
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    ['x', 'depthwise', 'pointwise'].forEach((name, i) => expectClose(got[i], ref[i], name));
  });
});

/** A filter with dilation-1 zeros inserted between taps: conv with it equals conv with `dilation`. */
function dilateFilter(w: tf.Tensor4D, d: number): tf.Tensor4D {
  const [fh, fw, c, k] = w.shape;
  const spread = tf.pad(tf.reshape(w, [fh, 1, fw, 1, c, k]), [[0, 0], [0, d - 1], [0, 0], [0, d - 1], [0, 0], [0, 0]]);
  const full = tf.reshape(spread, [fh * d, fw * d, c, k]);
  return tf.slice(full, 0, [(fh - 1) * d + 1, (fw - 1) * d + 1, c, k]) as tf.Tensor4D;
}

describe('dilations (tfjs refuses dilated conv gradients, but the kernels support them)', () => {
  // Reference: the gradient of the conv with the equivalent zero-inserted filter (dilation 1) on cpu;
  // the dilated filter's gradient is that gradient sampled at the real taps.
  const xShape: Shape4 = [2, 9, 8, 2];
  const fShape: Shape4 = [3, 2, 2, 2];
  const d = 2;
  for (const pad of ['same', 'valid', [[0, 0], [1, 2], [2, 0], [0, 0]]] as Pad[]) {
    it(`conv2d and depthwise, dilation ${d}, pad ${JSON.stringify(pad)}`, async () => {
      const xd = randn(xShape, 7);
      const wd = randn(fShape, 8);
      const sample = (g: tf.Tensor) => tf.stridedSlice(g, [0, 0, 0, 0], g.shape, [d, d, 1, 1]);
      const ref = await onBackend('cpu', () => {
        const x = tf.tensor4d(xd, xShape);
        const wd1 = dilateFilter(tf.tensor4d(wd, fShape), d);
        const [cx, cw] = gradsOfSquare((a, b) => tf.conv2d(a, b, 1, pad))(x, wd1);
        const [dx, dw] = gradsOfSquare((a, b) => tf.depthwiseConv2d(a, b, 1, pad))(x, wd1);
        return [cx, sample(cw), dx, sample(dw)];
      });
      const got = await onBackend('wasm', () => {
        const x = tf.tensor4d(xd, xShape);
        const w = tf.tensor4d(wd, fShape);
        const ops = convGradOps(tf);
        const info = (depthwise: boolean) => tf.backend_util.computeConv2DInfo(xShape, fShape, 1, d, pad, undefined, depthwise);
        const cy = tf.conv2d(x, w, 1, pad, 'NHWC', d);
        const dy = tf.depthwiseConv2d(x, w, 1, pad, 'NHWC', d);
        const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) =>
          tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
        const dwAttrs = { strides: 1, dilations: d, pad };
        return [
          ops.conv2dInputGrad(cy, w, info(false)),
          ops.conv2dFilterGrad(x, cy, info(false)),
          run('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...dwAttrs, inputShape: xShape }),
          run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...dwAttrs, filterShape: fShape }),
        ];
      });
      ['conv dx', 'conv dw', 'depthwise dx', 'depthwise dw'].forEach((name, i) => expectClose(got[i], ref[i], name));
    });
  }
});

describe('both filter-gradient methods and the composed input gradient agree with cpu', () => {
  const cases: { x: Shape4; f: Shape4; s: Strides; pad: Pad }[] = [
    { x: [3, 11, 10, 2], f: [5, 5, 2, 4], s: 2, pad: 'valid' },
    { x: [2, 8, 8, 3], f: [3, 3, 3, 2], s: [1, 2], pad: 'same' },
    { x: [2, 6, 7, 2], f: [2, 3, 2, 3], s: 1, pad: [[0, 0], [3, 1], [0, 2], [0, 0]] },
  ];
  for (const c of cases) {
    it(`x${c.x} f${c.f} s${c.s} pad ${JSON.stringify(c.pad)}`, async () => {
      const xd = randn(c.x, 9);
      const wd = randn(c.f, 10);
      const forward = () => {
        const x = tf.tensor4d(xd, c.x);
        const w = tf.tensor4d(wd, c.f);
        return { x, w, y: tf.conv2d(x, w, c.s, c.pad) };
      };
      const dwShape: Shape4 = [c.f[0], c.f[1], c.f[2], 1];
      const ref = await onBackend('cpu', () => {
        const { x, w } = forward();
        const [dx, dw] = gradsOfSquare((a, b) => tf.conv2d(a, b, c.s, c.pad))(x, w);
        const [, ddw] = gradsOfSquare((a, b) => tf.depthwiseConv2d(a, b, c.s, c.pad))(x, tf.slice(w, 0, dwShape));
        return [dx, dw, ddw];
      });
      const got = await onBackend('wasm', () => {
        const { x, w, y } = forward();
        const ops = convGradOps(tf);
        const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad);
        const dInfo = tf.backend_util.computeConv2DInfo(c.x, dwShape, c.s, 1, c.pad, undefined, true);
        const dy = tf.depthwiseConv2d(x, tf.slice(w, 0, dwShape), c.s, c.pad);
        const methods: FilterGradMethod[] = ['conv', 'im2col'];
        return [
          ops.conv2dInputGrad(y, w, info),
          ...methods.map((m) => ops.conv2dFilterGrad(x, y, info, m)),
          ...methods.map((m) => ops.depthwiseFilterGrad(x, dy, dInfo, m)),
        ];
      });
      expectClose(got[0], ref[0], 'composed dx');
      expectClose(got[1], ref[1], 'conv dw');
      expectClose(got[2], ref[1], 'im2col dw');
      expectClose(got[3], ref[2], 'depthwise conv dw');
      expectClose(got[4], ref[2], 'depthwise im2col dw');
    });
  }

  it('NCHW Conv2DBackpropFilter (called as a kernel) equals the NHWC result', async () => {
    const xShape: Shape4 = [2, 7, 6, 3];
    const fShape: Shape4 = [3, 3, 3, 2];
    const xd = randn(xShape, 11);
    const dyd = randn([2, 4, 3, 2], 12);
    const [nhwc, nchw] = await onBackend('wasm', () => {
      const x = tf.tensor4d(xd, xShape);
      const dy = tf.tensor4d(dyd, [2, 4, 3, 2]);
      const attrs = (dataFormat: string) => ({ strides: 2, pad: 'same', dataFormat, filterShape: fShape }) as unknown as tf.NamedAttrMap;
      const toNCHW = (t: tf.Tensor) => tf.transpose(t, [0, 3, 1, 2]);
      return [
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs('NHWC')) as tf.Tensor,
        tf.engine().runKernel('Conv2DBackpropFilter', { x: toNCHW(x), dy: toNCHW(dy) }, attrs('NCHW')) as tf.Tensor,
      ];
    });
    expectClose(nchw, nhwc, 'NCHW vs NHWC');
    expect(Math.max(...nhwc.map(Math.abs))).toBeGreaterThan(0.1);
  });
});

describe('kernel plumbing', () => {
  it('NCHW Conv2DBackpropInput (called as a kernel) equals the NHWC result', async () => {
    const xShape: Shape4 = [2, 7, 6, 3];
    const fShape: Shape4 = [3, 3, 3, 2];
    const dyShape: Shape4 = [2, 4, 3, 2];
    const fd = randn(fShape, 15);
    const dyd = randn(dyShape, 16);
    const [nhwc, nchw] = await onBackend('wasm', () => {
      const filter = tf.tensor4d(fd, fShape);
      const dy = tf.tensor4d(dyd, dyShape);
      const attrs = (dataFormat: string, inputShape: number[]) =>
        ({ strides: 2, pad: 'same', dataFormat, inputShape }) as unknown as tf.NamedAttrMap;
      const nchwDx = tf.engine().runKernel(
        'Conv2DBackpropInput',
        { dy: tf.transpose(dy, [0, 3, 1, 2]), filter },
        attrs('NCHW', [2, 3, 7, 6]),
      ) as tf.Tensor;
      return [
        tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs('NHWC', xShape)) as tf.Tensor,
        tf.transpose(nchwDx, [0, 2, 3, 1]),
      ];
    });
    expectClose(nchw, nhwc, 'NCHW vs NHWC');
    expect(Math.max(...nhwc.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it("can put wasm's own Conv2DBackpropInput back, and both give cpu's gradients", async () => {
    const geometry = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.conv2d(x, w, 2, 'same');
    // Transposed conv of a 2×2 block of ones with a 2×2 filter of ones: each output counts the windows
    // covering it, 1 2 1 / 2 4 2 / 1 2 1.
    const overlapCounts = () =>
      tf.tidy(() => tf.conv2dTranspose(tf.ones([1, 2, 2, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, [1, 3, 3, 1], 1, 'valid').dataSync());
    await tf.setBackend('wasm');
    try {
      registerWasmGradientKernels(tf, { inputGrad: 'native' });
      expect(isComposedWasmKernel(tf, 'Conv2DBackpropInput')).toBe(false);
      // Right away, without a setBackend in between (which would rerun kernel setup anyway).
      expect(Array.from(overlapCounts())).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
      await compareGrads('native dx', [2, 9, 8, 3], [3, 3, 3, 4], geometry);
    } finally {
      registerWasmGradientKernels(tf);
    }
    expect(isComposedWasmKernel(tf, 'Conv2DBackpropInput')).toBe(true);
    expect(Array.from(overlapCounts())).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
    await compareGrads('composed dx', [2, 9, 8, 3], [3, 3, 3, 4], geometry);
  });

  it('accepts plain TensorInfo inputs (not Tensors) and returns one tracked tensor', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const ids = tf.tensor1d([1, 1, 0], 'int32');
    const before = tf.memory().numTensors;
    const kernel = tf.getKernel('UnsortedSegmentSum', 'wasm');
    const info = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    const out = kernel.kernelFunc({
      inputs: { x: info(x), segmentIds: info(ids) },
      attrs: { numSegments: 2 },
      backend: tf.backend(),
    }) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 1);
    // segment 0 ← row 2; segment 1 ← rows 0 + 1.
    expect(Array.from(await out.data())).toEqual([5, 6, 4, 6]);
    expect(Array.from(await x.data())).toEqual([1, 2, 3, 4, 5, 6]); // the caller's data survived
    tf.dispose([out, x, ids]);
    expect(tf.memory().numTensors).toBe(before - 2);
  });
});

describe('BatchMatMul on wasm: few large products through XNNPACK, the rest on wasm\'s loop', () => {
  // [a shape, b shape]; transposes are applied to these stored shapes. The first three are composed
  // (batch 2–4, m·k·n ≥ COMPOSED_MATMUL.minWork), the last one when transposed (a dense layer's gradients); the
  // rest take wasm's own kernel.
  const CASES: [number[], number[]][] = [
    [[2, 64, 48], [2, 48, 40]],
    [[3, 50, 70], [3, 70, 30]],
    [[4, 40, 45], [4, 45, 50]],
    [[2, 8, 4], [2, 4, 3]], // small
    [[5, 40, 45], [5, 45, 50]], // many batches
    [[1, 64, 48], [3, 48, 40]], // batch broadcast
    [[2, 2, 30, 40], [2, 2, 40, 60]], // rank 4
    [[1, 64, 60], [1, 60, 50]], // one batch
    [[64, 60], [60, 50]], // 2-D, as tf.matMul hands a dense layer's product over
  ];
  it('the cases cover both paths', () => {
    const work = ([a, b]: [number[], number[]]) => a[a.length - 2] * a[a.length - 1] * b[b.length - 1];
    expect(CASES.slice(0, 3).every((c) => work(c) >= COMPOSED_MATMUL.minWork && c[0][0] <= COMPOSED_MATMUL.maxBatch)).toBe(true);
    expect(work(CASES[3])).toBeLessThan(COMPOSED_MATMUL.minWork);
    expect(CASES[4][0][0]).toBeGreaterThan(COMPOSED_MATMUL.maxBatch);
  });
  for (const [aShape, bShape] of CASES) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      it(`${aShape} × ${bShape}, transposeA ${ta}, transposeB ${tb}: product and gradients match cpu`, async () => {
        const swap = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
        const as = swap(aShape, ta);
        const bs = swap(bShape, tb);
        const ad = randn(as, 3);
        const bd = randn(bs, 4);
        // ½Σ(a·b)² so the upstream gradient differs per entry; its gradients are products again.
        // tfjs has no gradient for a broadcast batch (on any backend): the product alone there.
        const broadcast = as.length > 2 && as[0] !== bs[0];
        const run = () => {
          const [a, b] = [tf.tensor(ad, as), tf.tensor(bd, bs)];
          const f = (x: tf.Tensor, y: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(tf.matMul(x, y, ta, tb))));
          return [tf.matMul(a, b, ta, tb), ...(broadcast ? [] : tf.grads(f)([a, b]))];
        };
        const ref = await onBackend('cpu', run);
        const got = await onBackend('wasm', run);
        expect(got.length).toBe(broadcast ? 1 : 3);
        got.forEach((g, i) => expectClose(g, ref[i], ['product', 'da', 'db'][i]));
      });
    }
  }

  it("is composed by default, and the native option puts wasm's own back", async () => {
    await tf.setBackend('wasm');
    expect(isComposedWasmKernel(tf, 'BatchMatMul')).toBe(true);
    // By hand: [[1, 2]]·[[3], [4]] = 11 and [[1, 0]]·[[5], [6]] = 5 (too small to be composed: a passthrough).
    const byHand = () => tf.tidy(() => Array.from(tf.matMul(tf.tensor3d([1, 2, 1, 0], [2, 1, 2]), tf.tensor3d([3, 4, 5, 6], [2, 2, 1])).dataSync()));
    expect(byHand()).toEqual([11, 5]);
    try {
      registerWasmGradientKernels(tf, { batchMatMul: 'native' });
      expect(isComposedWasmKernel(tf, 'BatchMatMul')).toBe(false);
      expect(byHand()).toEqual([11, 5]);
    } finally {
      registerWasmGradientKernels(tf);
    }
    expect(isComposedWasmKernel(tf, 'BatchMatMul')).toBe(true);
  });
});

describe('comparisons on wasm: broadcast through XNNPACK, then compared by wasm', () => {
  // Values that stress exactness: ties, ±0, ±∞, NaN, neighbours one float apart.
  const A = [0, -0, 1, 1 + 2 ** -23, -1, Infinity, -Infinity, NaN, 3.5, 1e-40, -1e-40, 2];
  const OPS = {
    Equal: tf.equal,
    NotEqual: tf.notEqual,
    Greater: tf.greater,
    GreaterEqual: tf.greaterEqual,
    Less: tf.less,
    LessEqual: tf.lessEqual,
  } as const;
  const SHAPES: { a: number[]; b: number[]; bValues: number[] }[] = [
    { a: [2, 3, 2], b: [2, 1, 1], bValues: [1, -0] }, // per-row threshold, as the dropout mask does
    { a: [2, 3, 2], b: [], bValues: [1] }, // a scalar
    { a: [3, 1, 2], b: [1, 4, 1], bValues: [Infinity, 0, NaN, 1 + 2 ** -23] }, // both sides broadcast
    { a: [12], b: [12], bValues: [...A].reverse() }, // same shape: wasm's own kernel, untouched
  ];
  for (const name of COMPARISON_KERNELS) {
    it(`${name} matches cpu on ties, ±0, ±∞, NaN and broadcasting shapes`, async () => {
      for (const c of SHAPES) {
        const size = c.a.reduce((x, y) => x * y, 1);
        const run = () => [tf.cast(OPS[name](tf.tensor(A.slice(0, size), c.a), tf.tensor(c.bValues, c.b)), 'float32')];
        const [ref] = await onBackend('cpu', run);
        const [got] = await onBackend('wasm', run);
        expect(Array.from(got), `${name} ${c.a} vs ${c.b}`).toEqual(Array.from(ref));
      }
    });
  }

  it('is composed on wasm by default, and the native option puts wasm\'s own kernels back', async () => {
    await tf.setBackend('wasm');
    for (const name of COMPARISON_KERNELS) expect(isComposedWasmKernel(tf, name), name).toBe(true);
    // By hand: row [1, 2, 3] ≥ 2 → [0, 1, 1]; row [4, 5, 6] ≥ 5 → [0, 1, 1].
    const byHand = () =>
      tf.tidy(() => Array.from(tf.cast(tf.greaterEqual(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor2d([2, 5], [2, 1])), 'int32').dataSync()));
    expect(byHand()).toEqual([0, 1, 1, 0, 1, 1]);
    try {
      registerWasmGradientKernels(tf, { comparisons: 'native' });
      for (const name of COMPARISON_KERNELS) expect(isComposedWasmKernel(tf, name), name).toBe(false);
      expect(isComposedWasmKernel(tf, 'Conv2DBackpropInput')).toBe(true); // the other option is untouched
      expect(byHand()).toEqual([0, 1, 1, 0, 1, 1]);
    } finally {
      registerWasmGradientKernels(tf);
    }
    expect(isComposedWasmKernel(tf, 'GreaterEqual')).toBe(true);
    expect(byHand()).toEqual([0, 1, 1, 0, 1, 1]);
  });
});

describe('Slice on wasm: read through a view of the heap, only the part copied', () => {
  // Contiguous and strided parts, ranks 1–5, begins and sizes of -1, and an empty part.
  const CASES: { shape: number[]; begin: number[]; size: number[] }[] = [
    { shape: [10], begin: [3], size: [4] },
    { shape: [2, 5, 3], begin: [1, 0, 0], size: [1, 5, 3] },
    { shape: [2, 5, 3], begin: [0, 1, 1], size: [2, 3, -1] },
    { shape: [4, 6], begin: [1, 2], size: [2, 3] },
    { shape: [3, 4, 5, 2], begin: [1, 1, 0, 1], size: [2, 2, 5, 1] },
    { shape: [2, 3, 2, 3, 2], begin: [0, 1, 0, 1, 0], size: [-1, 2, 2, 2, 2] },
    { shape: [3, 4], begin: [1, 0], size: [0, 4] },
  ];
  for (const { shape, begin, size } of CASES) {
    it(`${JSON.stringify(shape)} from ${begin} size ${size}: values, int32 and bool, and the gradient match cpu`, async () => {
      const run = () => {
        const x = tf.tensor(randn(shape, 7), shape);
        const part = tf.slice(x, begin, size);
        const ints = tf.slice(tf.cast(tf.mul(x, 10), 'int32'), begin, size);
        const bools = tf.slice(tf.greater(x, 0), begin, size);
        const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.slice(t, begin, size))))(x);
        return [part, tf.cast(ints, 'float32'), tf.cast(bools, 'float32'), grad];
      };
      const expected = await onBackend('cpu', run);
      await tf.setBackend('wasm');
      expect(isComposedWasmKernel(tf, 'Slice')).toBe(true);
      const actual = await onBackend('wasm', run);
      actual.forEach((a, i) => expect(Array.from(a), `output ${i}`).toEqual(Array.from(expected[i])));
    });
  }

  it('split (SplitV) into sizes or equal parts, along any axis, with its gradient, matches cpu', async () => {
    const run = () => {
      const x = tf.tensor(randn([4, 6, 3], 11), [4, 6, 3]);
      const bySizes = tf.split(x, [1, 3, -1], 1);
      const equal = tf.split(x, 2, 0);
      const last = tf.split(tf.cast(tf.mul(x, 10), 'int32'), [2, 1], -1).map((t) => tf.cast(t, 'float32'));
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.split(t, [2, 4], 1)[1], 3)))(x);
      return [...bySizes, ...equal, ...last, grad];
    };
    const expected = await onBackend('cpu', run);
    await tf.setBackend('wasm');
    expect(isComposedWasmKernel(tf, 'SplitV')).toBe(true);
    const actual = await onBackend('wasm', run);
    expect(actual.length).toBe(expected.length);
    actual.forEach((a, i) => expect(Array.from(a), `output ${i}`).toEqual(Array.from(expected[i])));
  });

  it('stays correct when its output makes the heap grow (views taken after the allocation)', async () => {
    await tf.setBackend('wasm');
    const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    const before = heap();
    const n = before / 4 / 2 + 1024; // x and its slice together need more than the heap has
    const values = tf.tidy(() => {
      // int32: a heap that earlier files grew (a shared worker) makes n pass 2^24, past float32's exact integers.
      const x = tf.range(0, n, 1, 'int32');
      return Array.from(tf.slice(x, [n - 3], [3]).dataSync()).concat(Array.from(tf.slice(x, [1], [n - 1]).slice([n - 4], [3]).dataSync()));
    });
    expect(heap()).toBeGreaterThan(before);
    expect(values).toEqual([n - 3, n - 2, n - 1, n - 3, n - 2, n - 1]);
  });

  it("is composed by default, and the native option puts wasm's own back", async () => {
    await tf.setBackend('wasm');
    const byHand = () => tf.tidy(() => Array.from(tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), [0, 1], [2, 2]).dataSync()));
    expect(byHand()).toEqual([2, 3, 5, 6]);
    try {
      registerWasmGradientKernels(tf, { slice: 'native' });
      expect(isComposedWasmKernel(tf, 'Slice')).toBe(false);
      expect(byHand()).toEqual([2, 3, 5, 6]);
    } finally {
      registerWasmGradientKernels(tf);
    }
    expect(isComposedWasmKernel(tf, 'Slice')).toBe(true);
  });
});

describe('UnsortedSegmentSum (the gradient of gather) on wasm', () => {
  it('sums the rows that gather picked, by hand', async () => {
    // gather rows [2, 0, 2] of a 3×2 table; loss weights rows of the result by 1, 10, 100.
    // d/dtable: row 0 ← 10, row 1 ← 0, row 2 ← 1 + 100 = 101 (both columns).
    const [g] = await onBackend('wasm', () => {
      const table = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
      const weights = tf.tensor2d([1, 1, 10, 10, 100, 100], [3, 2]);
      return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, [2, 0, 2]), weights)))(table)];
    });
    expect(Array.from(g)).toEqual([10, 10, 0, 0, 101, 101]);
  });

  it('drops ids outside [0, numSegments) like TensorFlow', async () => {
    const [s] = await onBackend('wasm', () => [
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 4, 8, 16]), tf.tensor1d([0, -1, 2, 0, 3], 'int32'), 3),
    ]);
    expect(Array.from(s)).toEqual([9, 0, 4]);
  });
});

/** 20 SGD steps of conv-relu-maxpool-conv-relu-dense on a learnable synthetic task, on `backend`. */
async function trainTinyCnn(backend: 'cpu' | 'wasm') {
  await tf.setBackend(backend);
  // 10×10 images with a horizontal (class 0) or vertical (class 1) bar at a random place, plus noise.
  const n = 32;
  const rng = mulberry32(21);
  const xs = new Float32Array(n * 100);
  const ys = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const at = 1 + Math.floor(rng() * 8);
    for (let k = 0; k < 100; k++) xs[i * 100 + k] = 0.2 * gaussian(rng);
    for (let t = 0; t < 10; t++) xs[i * 100 + (cls === 0 ? at * 10 + t : t * 10 + at)] += 1;
    ys[i * 2 + cls] = 1;
  }
  const before = tf.memory().numTensors;
  const x = tf.tensor4d(xs, [n, 10, 10, 1]);
  const y = tf.tensor2d(ys, [n, 2]);
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [10, 10, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      // A second conv, so Conv2DBackpropInput runs too (the first conv's input needs no gradient).
      tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, kernelInitializer: init(3) }),
    ],
  });
  const kernel0 = await model.layers[0].getWeights()[0].data();
  const optimizer = tf.train.sgd(0.5);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let step = 0; step < 20; step++) {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor) as tf.Scalar, true)!;
    losses.push((await loss.data())[0]);
    loss.dispose();
    counts.push(tf.memory().numTensors);
  }
  const kernel1 = await model.layers[0].getWeights()[0].data();
  const moved = Math.max(...kernel1.map((v, i) => Math.abs(v - kernel0[i])));
  model.dispose();
  optimizer.dispose();
  tf.dispose([x, y]);
  return { losses, counts, moved, leaked: tf.memory().numTensors - before };
}

describe('training a tiny CNN on wasm', () => {
  it('lowers the loss over 20 steps without leaking tensors, like cpu does', async () => {
    const wasm = await trainTinyCnn('wasm');
    expect(wasm.losses.every(Number.isFinite)).toBe(true);
    expect(wasm.losses[19]).toBeLessThan(0.5 * wasm.losses[0]);
    // The first conv's kernel moved, so its gradient (Conv2DBackpropFilter) flowed.
    expect(wasm.moved).toBeGreaterThan(1e-3);
    expect(new Set(wasm.counts).size).toBe(1);
    expect(wasm.leaked).toBe(0);
    const cpu = await trainTinyCnn('cpu');
    expectClose(Float32Array.from(wasm.losses), Float32Array.from(cpu.losses), 'loss curve');
  });
});
