/**
 * MobileNet's depthwise separable convolution counted (Howard et al. 2017, arXiv 1704.04861): the cost formulas of a
 * standard and a separable layer, the whole MobileNet-224 body layer by layer for any width multiplier α and input
 * resolution, and the shape of the kernel timing that ./model.ts runs. Plain arithmetic, no tfjs: the page imports
 * this, while the kernels are timed in the demo's worker.
 */
import { sweepSteps as sweepStepsOf } from '../runtime/sweep-steps';

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

/** Throws a RangeError naming the first side or channel count that is not a whole number ≥ 1. */
export function checkShape({ k, m, n, f }: LayerShape): void {
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
// The kernel timing's shape (./model.ts times it)

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

/** The three ways a layer is timed, one per step. */
export const PATHS = ['standard', 'separable', 'depthwise'] as const;

/** Steps a full sweep takes: one warm-up and `repeats` timed samples per configuration, one path of three per step. */
export const sweepSteps = (configurations: number, repeats = 5) => sweepStepsOf(configurations, repeats, PATHS.length);
