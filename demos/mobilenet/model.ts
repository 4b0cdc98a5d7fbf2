/**
 * MobileNet's depthwise separable convolution, counted and timed (Howard et al. 2017, arXiv 1704.04861): the cost
 * formulas of a standard and a separable layer, the whole MobileNet-224 body counted layer by layer for any width
 * multiplier α and input resolution, and a Simulation that times real tfjs kernels (a standard conv2d against a
 * depthwiseConv2d followed by a 1×1 conv2d) one sample per step. Pure: no React, no DOM.
 */
import { tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import { mulberry32 } from '../runtime/random';

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

/** A timed sample repeats its kernel until this many milliseconds have passed, at most MAX_RUNS times. */
const MIN_MS = 1;
const MAX_RUNS = 32;

const median = (xs: readonly number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/**
 * Times a standard D_K×D_K convolution against depthwise + pointwise at one shape per step: the first step of each
 * shape makes its input and weights and runs all three paths once untimed (kernel compilation, uploads), each later
 * step times each path from dispatch to its result read back, repeated until a millisecond has passed. A shape's tensors live until the next shape
 * replaces them, so the tensor count is the same after every step; dispose() frees them.
 */
export function createKernelTimer(o: TimingOptions): Simulation<TimingFrame> {
  checkShape({ k: o.k, m: 1, n: 1, f: o.f });
  if (o.channels.length === 0 || o.channels.some((c) => !(Number.isInteger(c) && c >= 1))) throw new RangeError('channels must be whole numbers ≥ 1');
  const repeats = o.repeats ?? 5;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new RangeError(`repeats must be a whole number ≥ 1, got ${repeats}`);
  const now = o.now ?? (() => performance.now());
  const rand = mulberry32(o.seed ?? 1);
  const samples = o.channels.map(() => ({ standard: [] as number[], separable: [] as number[], depthwise: [] as number[] }));
  let live: { x: tf.Tensor4D; w: tf.Tensor4D; dw: tf.Tensor4D; pw: tf.Tensor4D } | null = null;
  let index = 0;
  let warmed = false;
  let steps = 0;
  let disposed = false;

  const free = () => {
    if (live) tf.dispose([live.x, live.w, live.dw, live.pw]);
    live = null;
  };
  const make = (c: number) => {
    free();
    const seed = () => Math.floor(rand() * 2 ** 31);
    const scale = 1 / Math.sqrt(o.k * o.k * c);
    live = {
      x: tf.randomNormal([1, o.f, o.f, c], 0, 1, 'float32', seed()),
      w: tf.randomNormal([o.k, o.k, c, c], 0, scale, 'float32', seed()),
      dw: tf.randomNormal([o.k, o.k, c, 1], 0, 1 / o.k, 'float32', seed()),
      pw: tf.randomNormal([1, 1, c, c], 0, 1 / Math.sqrt(c), 'float32', seed()),
    };
  };
  // Runs a path until at least MIN_MS have passed (browsers round performance.now to 0.1 ms or coarser), at most
  // MAX_RUNS times, and returns the mean time of one run.
  const time = async (run: () => tf.Tensor): Promise<number> => {
    const t0 = now();
    let runs = 0;
    let elapsed = 0;
    do {
      const y = run();
      try {
        await y.data();
      } finally {
        y.dispose();
      }
      runs++;
      elapsed = now() - t0;
    } while (elapsed < MIN_MS && runs < MAX_RUNS);
    return elapsed / runs;
  };

  async function sampleOnce(): Promise<void> {
    const c = o.channels[index];
    if (!warmed) make(c);
    const t = live!;
    const standard = () => tf.conv2d(t.x, t.w, 1, 'same');
    const depthwise = () => tf.depthwiseConv2d(t.x, t.dw, 1, 'same');
    const separable = () => tf.tidy(() => tf.conv2d(tf.depthwiseConv2d(t.x, t.dw, 1, 'same'), t.pw, 1, 'same'));
    const s = await time(standard);
    const p = await time(separable);
    const d = await time(depthwise);
    if (!warmed) {
      warmed = true;
      return;
    }
    const rec = samples[index];
    rec.standard.push(s);
    rec.separable.push(p);
    rec.depthwise.push(d);
    if (rec.standard.length >= repeats) {
      index++;
      warmed = false; // the next shape's make() frees these tensors, dispose() the last ones
    }
  }

  const frame = (): TimingFrame => ({
    rows: o.channels.map((c, i) => {
      const r = samples[i];
      const standardMs = median(r.standard);
      const separableMs = median(r.separable);
      return {
        channels: c,
        predicted: 1 / predictedRatio(o.k, c),
        standardMs,
        separableMs,
        depthwiseMs: median(r.depthwise),
        measured: standardMs / separableMs,
        samples: r.standard.length,
      };
    }),
    current: index,
    done: index >= o.channels.length,
    steps,
  });

  return {
    async step(k: number) {
      if (disposed) throw new Error('the kernel timer was disposed');
      for (let i = 0; i < k && index < o.channels.length; i++) {
        await sampleOnce();
        steps++;
      }
      return frame();
    },
    dispose() {
      disposed = true;
      free();
    },
  };
}

/** Steps a full sweep takes: one warm-up and `repeats` timed samples per configuration. */
export const sweepSteps = (channels: number, repeats = 5) => channels * (repeats + 1);
