/**
 * MobileNet's depthwise separable convolution with real tfjs kernels (Howard et al. 2017, arXiv 1704.04861): a
 * separable block as tfjs layers, and a Simulation that times a standard conv2d against a depthwiseConv2d followed by
 * a 1×1 conv2d, one path per step. The counting is in ./cost.ts, re-exported here. Pure: no React, no DOM.
 */
import { tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import { mulberry32 } from '../runtime/random';
import { createTimingSweep, type SweepFrame } from '../runtime/timing';
import { checkShape, PATHS, predictedRatio, type LayerShape, type TimingFrame } from './cost';

export * from './cost';

/**
 * A separable block as real tfjs layers (depthwise D_K×D_K, then 1×1 to N, no biases), for checking that the
 * weights it holds equal {@link separableParams}. The caller disposes the model.
 */
export function separableBlockModel({ k, m, n }: Pick<LayerShape, 'k' | 'm' | 'n'>, side = 8): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.depthwiseConv2d({ inputShape: [side, side, m], kernelSize: k, padding: 'same', useBias: false }));
  model.add(tf.layers.conv2d({ filters: n, kernelSize: 1, useBias: false }));
  return model;
}

// ---------------------------------------------------------------------------------------------------------------
// Timing real kernels

/** What the page sends the worker: plain data. */
export interface TimingParams {
  k: number;
  f: number;
  channels: readonly number[];
  /** Timed samples per configuration, after one untimed warm-up run. */
  repeats?: number;
  seed?: number;
}

export interface TimingOptions extends TimingParams {
  /** The clock; performance.now by default. */
  now?: () => number;
}

/**
 * Times a standard D_K×D_K convolution against depthwise + pointwise at one shape after the other, one path per step
 * (the split sweep of runtime/timing.ts: a step costs one kernel run, never all three): the first three steps of each
 * shape make its input and weights and run each path once untimed (kernel compilation, uploads), each later step
 * times one path from dispatch to its result read back, repeated until a millisecond has passed. A shape's tensors live until the next shape replaces them, so the tensor count is
 * the same after every step; dispose() frees them.
 */
export function createKernelTimer(o: TimingOptions): Simulation<TimingFrame> {
  checkShape({ k: o.k, m: 1, n: 1, f: o.f });
  if (o.channels.length === 0 || o.channels.some((c) => !(Number.isInteger(c) && c >= 1))) throw new RangeError('channels must be whole numbers ≥ 1');
  const rand = mulberry32(o.seed ?? 1);
  const seed = () => Math.floor(rand() * 2 ** 31);
  const sweep = createTimingSweep({
    size: o.channels.length,
    paths: PATHS,
    split: true,
    repeats: o.repeats,
    now: o.now,
    make(i) {
      const c = o.channels[i];
      const x = tf.randomNormal([1, o.f, o.f, c], 0, 1, 'float32', seed()) as tf.Tensor4D;
      const w = tf.randomNormal([o.k, o.k, c, c], 0, 1 / Math.sqrt(o.k * o.k * c), 'float32', seed()) as tf.Tensor4D;
      const dw = tf.randomNormal([o.k, o.k, c, 1], 0, 1 / o.k, 'float32', seed()) as tf.Tensor4D;
      const pw = tf.randomNormal([1, 1, c, c], 0, 1 / Math.sqrt(c), 'float32', seed()) as tf.Tensor4D;
      return {
        tensors: [x, w, dw, pw],
        paths: {
          standard: () => tf.conv2d(x, w, 1, 'same'),
          separable: () => tf.tidy(() => tf.conv2d(tf.depthwiseConv2d(x, dw, 1, 'same'), pw, 1, 'same')),
          depthwise: () => tf.depthwiseConv2d(x, dw, 1, 'same'),
        },
      };
    },
  });
  const frame = (s: SweepFrame<'standard' | 'separable' | 'depthwise'>): TimingFrame => ({
    rows: o.channels.map((c, i) => {
      const m = s.medians[i];
      return {
        channels: c,
        predicted: 1 / predictedRatio(o.k, c),
        standardMs: m.standard,
        separableMs: m.separable,
        depthwiseMs: m.depthwise,
        measured: m.standard / m.separable,
        samples: s.samples[i],
      };
    }),
    current: s.current,
    done: s.done,
    steps: s.steps,
  });
  return {
    step: async (k: number) => frame(await sweep.step(k)),
    dispose: () => sweep.dispose(),
  };
}

