/**
 * Timings for the wasm gradient kernels: `npx vitest bench --run demos/runtime/wasm-kernels.bench.ts`.
 * A training step (batch 64) of a small MNIST CNN on wasm vs cpu, and the kernel variants on its shapes.
 */
import { bench, describe } from 'vitest';
import { tf } from './tf';
import { mulberry32 } from './random';
import { convGradOps, registerWasmGradientKernels, unregisterComposedWasmKernels, type WasmKernelOptions } from './wasm-kernels';

const BATCH = 64;
const OPTS = { time: 4000, iterations: 5, warmupIterations: 2 };

function uniform(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => r());
}

/** conv 5×5×8 → pool → conv 5×5×16 → pool → dense 10 on 28×28×1, one SGD step per call. */
function mnistStep(): { step: () => void; dispose: () => void } {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
  const x = tf.tensor4d(uniform(BATCH * 784, 1), [BATCH, 28, 28, 1]);
  const labels = Int32Array.from(uniform(BATCH, 2), (v) => Math.floor(v * 10));
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const opt = tf.train.sgd(0.01);
  return {
    step: () => {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor) as tf.Scalar, true)!;
      loss.dataSync(); // wait for the step to finish
      loss.dispose();
    },
    dispose: () => {
      model.dispose();
      opt.dispose();
      tf.dispose([x, y]);
    },
  };
}

function useKernels(options: WasmKernelOptions): void {
  unregisterComposedWasmKernels(tf);
  registerWasmGradientKernels(tf, options);
}

const STEP_VARIANTS: { label: string; backend: 'wasm' | 'cpu'; options?: WasmKernelOptions }[] = [
  { label: 'wasm, defaults (conv filter grad, composed input grad)', backend: 'wasm', options: {} },
  { label: 'wasm, native Conv2DBackpropInput', backend: 'wasm', options: { inputGrad: 'native' } },
  { label: 'wasm, im2col filter grad', backend: 'wasm', options: { filterGradMethod: 'im2col' } },
  ...(process.env.BENCH_CPU === '0' ? [] : [{ label: 'cpu', backend: 'cpu' as const }]),
];

describe(`MNIST CNN train step, batch ${BATCH}`, () => {
  for (const v of STEP_VARIANTS) {
    let s: ReturnType<typeof mnistStep> | null = null;
    bench(v.label, () => s!.step(), {
      ...OPTS,
      setup: async () => {
        await tf.setBackend(v.backend);
        if (v.options) useKernels(v.options);
        s = mnistStep();
      },
      teardown: () => {
        s!.dispose();
        useKernels({});
      },
    });
  }
});

describe('wasm kernel variants on the MNIST CNN shapes', async () => {
  await tf.setBackend('wasm');
  const layers = [
    { name: 'conv1', x: [BATCH, 28, 28, 1], f: [5, 5, 1, 8], s: 1, pad: 'valid' },
    { name: 'conv2', x: [BATCH, 12, 12, 8], f: [5, 5, 8, 16], s: 1, pad: 'valid' },
    { name: 'stride-2 3×3 same', x: [BATCH, 14, 14, 16], f: [3, 3, 16, 32], s: 2, pad: 'same' },
  ] as const;
  for (const l of layers) {
    const info = tf.backend_util.computeConv2DInfo([...l.x], [...l.f], l.s, 1, l.pad);
    const ops = convGradOps(tf);
    const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
    let x: tf.Tensor4D, dy: tf.Tensor4D, w: tf.Tensor4D;
    const setup = (kernels: WasmKernelOptions) => async () => {
      await tf.setBackend('wasm');
      useKernels(kernels);
      x = tf.tensor4d(uniform(size(info.inShape), 3), info.inShape);
      dy = tf.tensor4d(uniform(size(info.outShape), 4), info.outShape);
      w = tf.tensor4d(uniform(size(l.f), 5), info.filterShape);
    };
    const teardown = () => {
      tf.dispose([x, dy, w]);
      useKernels({});
    };
    const time = (f: () => tf.Tensor) => () => {
      const out = tf.tidy(f);
      out.dataSync();
      out.dispose();
    };
    const opts = (kernels: WasmKernelOptions) => ({ ...OPTS, setup: setup(kernels), teardown });
    for (const m of ['conv', 'im2col'] as const) {
      bench(`${l.name} filter grad: ${m}`, time(() => ops.conv2dFilterGrad(x, dy, info, m)), opts({}));
    }
    // conv2dTranspose runs whichever Conv2DBackpropInput kernel is registered.
    const transpose = () => tf.conv2dTranspose(dy, w, info.inShape, l.s, l.pad);
    bench(`${l.name} input grad: wasm native`, time(transpose), opts({ inputGrad: 'native' }));
    bench(`${l.name} input grad: composed conv`, time(transpose), opts({}));
  }
});
