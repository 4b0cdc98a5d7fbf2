/**
 * MobileNet's depthwise separable convolution, counted and timed (Howard et al. 2017, arXiv 1704.04861): the cost
 * formulas of a standard and a separable layer, the whole MobileNet-224 body counted layer by layer for any width
 * multiplier α and input resolution, and a Simulation that times real tfjs kernels (a standard conv2d against a
 * depthwiseConv2d followed by a 1×1 conv2d) one path per step. Pure: no React, no DOM.
 */
import { tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import { mulberry32 } from '../runtime/random';
import { createTimingSweep, sweepSteps as sweepStepsOf, type SweepFrame } from '../runtime/timing';

/** One convolution layer's shape: a D_K×D_K kernel over a D_F×D_F output map, M channels in and N out. */
export interface LayerShape {
  /** Kernel side D_K. */
  k: number;
  /** Input channels M. */
  m: number;
  /** Output channels N. */
  n: number;
  /** Side D_F of the output feature map. */
  f: number;
}

export interface LayerCost {
  /** Mult-adds of a standard convolution: D_K²·M·N·D_F². */
  standard: number;
  /** Mult-adds of the depthwise step, one D_K×D_K filter per input channel: D_K²·M·D_F². */
  depthwise: number;
  /** Mult-adds of the pointwise 1×1 step, M → N: M·N·D_F². */
  pointwise: number;
  /** depthwise + pointwise. */
  separable: number;
  /** separable / standard, which equals 1/N + 1/D_K². */
  ratio: number;
}

function checkShape({ k, m, n, f }: LayerShape): void {
  for (const [name, v] of [['D_K', k], ['M', m], ['N', n], ['D_F', f]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${name} must be a whole number ≥ 1, got ${v}`);
  }
}

/** The mult-adds of one layer computed both ways (stride 1, 'same' padding, biases left out as the paper does). */
export function layerCost(s: LayerShape): LayerCost {
  checkShape(s);
  const { k, m, n, f } = s;
  const standard = k * k * m * n * f * f;
  const depthwise = k * k * m * f * f;
  const pointwise = m * n * f * f;
  const separable = depthwise + pointwise;
  return { standard, depthwise, pointwise, separable, ratio: separable / standard };
}

/** The paper's closed form of the ratio: 1/N + 1/D_K². */
export const predictedRatio = (k: number, n: number) => 1 / n + 1 / (k * k);

/** Weights of one separable block without biases: D_K²·M (depthwise) + M·N (pointwise). */
export const separableParams = ({ k, m, n }: Pick<LayerShape, 'k' | 'm' | 'n'>) => k * k * m + m * n;
/** Weights of one standard convolution without biases: D_K²·M·N. */
export const standardParams = ({ k, m, n }: Pick<LayerShape, 'k' | 'm' | 'n'>) => k * k * m * n;

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

/** The body of MobileNet (the paper's Table 1): after a 3×3 stride-2 convolution to 32 channels, 13 separable blocks. */
const BLOCKS: readonly { stride: 1 | 2; out: number }[] = [
  { stride: 1, out: 64 },
  { stride: 2, out: 128 },
  { stride: 1, out: 128 },
  { stride: 2, out: 256 },
  { stride: 1, out: 256 },
  { stride: 2, out: 512 },
  ...Array.from({ length: 5 }, () => ({ stride: 1 as const, out: 512 })),
  { stride: 2, out: 1024 },
  { stride: 1, out: 1024 },
];

export interface NetworkCost {
  /** Mult-adds of one 224-style forward pass. */
  macs: number;
  /** Weights and the classifier's biases (batch-norm parameters left out). */
  params: number;
  /** Mult-adds and parameters by kind of layer, as in the paper's Table 2. */
  byKind: Record<'conv' | 'depthwise' | 'pointwise' | 'fc', { macs: number; params: number }>;
}

/**
 * MobileNet counted layer by layer for a width multiplier α (every layer's channels × α, rounded) and an input side
 * (224 · ρ in the paper): the first 3×3 convolution at stride 2, 13 separable blocks, global average pooling and a
 * 1000-way fully connected layer. Stride-2 layers cost at their output's resolution, 'same' padding.
 */
export function mobilenetCost(alpha = 1, input = 224, classes = 1000): NetworkCost {
  if (!(alpha > 0 && alpha <= 4)) throw new RangeError(`the width multiplier must be in (0, 4], got ${alpha}`);
  if (!(Number.isInteger(input) && input >= 32)) throw new RangeError(`the input side must be a whole number ≥ 32, got ${input}`);
  const ch = (c: number) => Math.max(1, Math.round(alpha * c));
  const byKind: NetworkCost['byKind'] = { conv: { macs: 0, params: 0 }, depthwise: { macs: 0, params: 0 }, pointwise: { macs: 0, params: 0 }, fc: { macs: 0, params: 0 } };
  let f = Math.ceil(input / 2);
  let c = ch(32);
  byKind.conv.params = 3 * 3 * 3 * c;
  byKind.conv.macs = byKind.conv.params * f * f;
  for (const b of BLOCKS) {
    f = Math.ceil(f / b.stride);
    const out = ch(b.out);
    byKind.depthwise.params += 3 * 3 * c;
    byKind.depthwise.macs += 3 * 3 * c * f * f;
    byKind.pointwise.params += c * out;
    byKind.pointwise.macs += c * out * f * f;
    c = out;
  }
  byKind.fc.macs = c * classes;
  byKind.fc.params = c * classes + classes;
  const kinds = Object.values(byKind);
  return { macs: kinds.reduce((s, x) => s + x.macs, 0), params: kinds.reduce((s, x) => s + x.params, 0), byKind };
}

/** The paper's Tables 6 and 7: ImageNet top-1, million mult-adds and million parameters of each MobileNet. */
export const PAPER_MOBILENETS: readonly { alpha: number; input: number; top1: number; macsM: number; paramsM: number }[] = [
  { alpha: 1, input: 224, top1: 70.6, macsM: 569, paramsM: 4.2 },
  { alpha: 0.75, input: 224, top1: 68.4, macsM: 325, paramsM: 2.6 },
  { alpha: 0.5, input: 224, top1: 63.7, macsM: 149, paramsM: 1.3 },
  { alpha: 0.25, input: 224, top1: 50.6, macsM: 41, paramsM: 0.5 },
  { alpha: 1, input: 192, top1: 69.1, macsM: 418, paramsM: 4.2 },
  { alpha: 1, input: 160, top1: 67.2, macsM: 290, paramsM: 4.2 },
  { alpha: 1, input: 128, top1: 64.4, macsM: 186, paramsM: 4.2 },
];

// ---------------------------------------------------------------------------------------------------------------
// Timing real kernels

/** Channel counts C = M = N the timing sweeps through; the cpu backend (plain JavaScript) stops at 64. */
export function sweepChannels(backend: string): number[] {
  return backend === 'cpu' ? [8, 16, 32, 64] : [8, 16, 32, 64, 128, 256];
}

export interface TimingRow {
  channels: number;
  /** Predicted speed-up: standard / separable mult-adds = 1 / (1/N + 1/D_K²). */
  predicted: number;
  /** Median wall-clock milliseconds over the samples so far (NaN before the first). */
  standardMs: number;
  separableMs: number;
  depthwiseMs: number;
  /** standardMs / separableMs. */
  measured: number;
  samples: number;
}

export interface TimingFrame {
  rows: TimingRow[];
  /** Index of the configuration being timed, rows.length when all are done. */
  current: number;
  done: boolean;
  steps: number;
}

export interface TimingOptions {
  k: number;
  f: number;
  channels: readonly number[];
  /** Timed samples per configuration, after one untimed warm-up run. */
  repeats?: number;
  seed?: number;
  /** The clock; performance.now by default. */
  now?: () => number;
}

/** The three ways a layer is timed, one per step. */
const PATHS = ['standard', 'separable', 'depthwise'] as const;

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

/** Steps a full sweep takes: one warm-up and `repeats` timed samples per configuration, one path of three per step. */
export const sweepSteps = (configurations: number, repeats = 5) => sweepStepsOf(configurations, repeats, PATHS.length);
