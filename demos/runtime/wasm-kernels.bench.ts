/**
 * Timings for the wasm gradient kernels: `npx vitest bench --run demos/runtime/wasm-kernels.bench.ts`.
 * A training step (batch 64) of a small MNIST CNN on wasm vs cpu, and the kernel variants on its shapes.
 */
import { bench, describe } from 'vitest';
import { tf } from './tf';
import { mulberry32 } from './random';
import { WASM_GRADIENT_KERNELS, convGradOps, registerWasmGradientKernels, type FilterGradMethod } from './wasm-kernels';

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

function useFilterMethod(method: FilterGradMethod): void {
  for (const name of WASM_GRADIENT_KERNELS) tf.unregisterKernel(name, 'wasm');
  registerWasmGradientKernels(tf, { filterGradMethod: method });
}

for (const backend of (process.env.BENCH_CPU === '0' ? ['wasm'] : ['wasm', 'cpu']) as ('wasm' | 'cpu')[]) {
  describe(`MNIST CNN train step, batch ${BATCH}`, async () => {
    await tf.setBackend(backend);
    const variants: (FilterGradMethod | null)[] = backend === 'wasm' ? ['conv', 'im2col'] : [null];
    for (const v of variants) {
      let s: ReturnType<typeof mnistStep> | null = null;
      bench(`${backend}${v ? ` (filter grad: ${v})` : ''}`, () => s!.step(), {
        ...OPTS,
        setup: async () => {
          await tf.setBackend(backend);
          if (v) useFilterMethod(v);
          s = mnistStep();
        },
        teardown: () => s!.dispose(),
      });
    }
  });
}

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
    let x: tf.Tensor4D, dy: tf.Tensor4D, w: tf.Tensor4D;
    const setup = async () => {
      await tf.setBackend('wasm');
      x = tf.tensor4d(uniform(info.inShape.reduce((a, b) => a * b), 3), info.inShape);
      dy = tf.tensor4d(uniform(info.outShape.reduce((a, b) => a * b), 4), info.outShape);
      w = tf.tensor4d(uniform(l.f.reduce((a, b) => a * b, 1), 5), [...l.f]);
    };
    const teardown = () => tf.dispose([x, dy, w]);
    const time = (f: () => tf.Tensor) => () => tf.tidy(f).dataSync();
    for (const m of ['conv', 'im2col'] as const) {
      bench(`${l.name} filter grad: ${m}`, time(() => ops.conv2dFilterGrad(x, dy, info, m)), { ...OPTS, setup, teardown });
    }
    bench(`${l.name} input grad: wasm native`, time(() => tf.conv2dTranspose(dy, w, [...l.x], l.s, l.pad)), { ...OPTS, setup, teardown });
    bench(`${l.name} input grad: composed conv`, time(() => ops.conv2dInputGrad(dy, w, info)), { ...OPTS, setup, teardown });
  }
});
