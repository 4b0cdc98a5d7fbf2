/**
 * ResNeXt's aggregated transformations (Xie et al. 2017, arXiv 1611.05431): the bottleneck template's cost for a
 * cardinality C and path width d, the width that keeps the cost of C = 1, d = 64 (the paper's Table 2), and the
 * block's three equivalent forms run as real tfjs ops on one feature map with shared weights: (a) C paths summed,
 * (b) C paths concatenated before one 1×1 convolution, (c) one grouped 3×3 convolution. Pure: no React, no DOM.
 */
import { tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import { blockDiagonalKernel, groupedConv2d } from '../runtime/models/grouped';
import { createTimingSweep, sweepSteps } from '../runtime/timing';

/** Channels in and out of the template block of conv2 (the paper's 256-d in, 256-d out). */
export const TEMPLATE_WIDTH = 256;

/**
 * Weights of one ResNeXt bottleneck block of C paths of width d between `width`-channel maps, biases and batch norm
 * left out: each path is a 1×1 width→d, a 3×3 d→d and a 1×1 d→width, so C·(width·d + 3·3·d·d + d·width).
 */
export function blockParams(cardinality: number, d: number, width = TEMPLATE_WIDTH): number {
  for (const [name, v] of [['cardinality C', cardinality], ['path width d', d], ['block width', width]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${name} must be a whole number ≥ 1, got ${v}`);
  }
  return cardinality * (width * d + 9 * d * d + d * width);
}

/** Multiply-adds of the block on an h×w map (stride 1): every weight is used once per output position. */
export const blockMacs = (cardinality: number, d: number, side: number, width = TEMPLATE_WIDTH) => blockParams(cardinality, d, width) * side * side;

/**
 * Multiply-adds each form really performs on a side×side map: (a), (b) and the split form of (c) do the block's
 * count; (c) with one block-diagonal kernel multiplies the zeros outside the groups too, so its 3×3 layer costs
 * 9·(C·d)² per position instead of 9·C·d².
 */
export function formMacs(cardinality: number, d: number, side: number, width = TEMPLATE_WIDTH): { a: number; b: number; c: number; cSplit: number } {
  const exact = blockMacs(cardinality, d, side, width);
  const n = cardinality * d;
  return { a: exact, b: exact, cSplit: exact, c: side * side * (2 * width * n + 9 * n * n) };
}

/** The budget the paper holds fixed: ResNet's bottleneck, C = 1 and d = 64, 69,632 weights. */
export const BUDGET = blockParams(1, 64);

/** The path width d whose block's weights come nearest to `budget` at cardinality C. */
export function equalBudgetWidth(cardinality: number, budget = BUDGET, width = TEMPLATE_WIDTH): number {
  // C·(9d² + 2·width·d) = budget, solved for d, then the nearer of the two whole widths around the root.
  const root = (-2 * width + Math.sqrt(4 * width * width + (36 * budget) / cardinality)) / 18;
  const lo = Math.max(1, Math.floor(root));
  return [lo, lo + 1].reduce((best, d) => (Math.abs(blockParams(cardinality, d, width) - budget) < Math.abs(blockParams(cardinality, best, width) - budget) ? d : best));
}

/** Cardinalities the demo offers. */
export const CARDINALITIES = [1, 2, 4, 8, 16, 32] as const;

/**
 * The paper's Table 2 (conv2's template at ~70k weights: C and d) and its Table 3 (ImageNet-1K top-1 error of
 * ResNet-50-sized networks built from such blocks, 224×224 single crop, ~4.1 billion FLOPs each). C = 16 is not in
 * the paper.
 */
export const PAPER_RESNEXT50: readonly { cardinality: number; d: number; top1Error: number }[] = [
  { cardinality: 1, d: 64, top1Error: 23.9 },
  { cardinality: 2, d: 40, top1Error: 23.0 },
  { cardinality: 4, d: 24, top1Error: 22.6 },
  { cardinality: 8, d: 14, top1Error: 22.3 },
  { cardinality: 32, d: 4, top1Error: 22.2 },
];

// ---------------------------------------------------------------------------------------------------------------
// The three forms on a real feature map

export interface BlockConfig {
  cardinality: number;
  /** Path width d; equalBudgetWidth(C) at the block width by default. */
  d?: number;
  /** Channels in and out (256 in the paper). */
  width?: number;
  /** Side of the square feature map. */
  side?: number;
  seed?: number;
}

/** A ResNeXt block's weights, held once and read by all three forms. */
export interface ResnextBlock {
  readonly cardinality: number;
  readonly d: number;
  readonly width: number;
  /** The input feature map [1, side, side, width]. */
  readonly x: tf.Tensor4D;
  /** Form (a): C separate paths, their outputs summed, then x added and a ReLU. */
  formA(): tf.Tensor4D;
  /** Form (b): the paths' 3×3 outputs concatenated (C·d channels), one 1×1 convolution C·d → width. */
  formB(): tf.Tensor4D;
  /** Form (c): 1×1 width → C·d, one grouped 3×3 convolution with C groups (one conv2d, block-diagonal kernel), 1×1 back. */
  formC(): tf.Tensor4D;
  /** Form (c) with the grouped convolution as split → C conv2d → concat instead of one block-diagonal kernel. */
  formCSplit(): tf.Tensor4D;
  /** Every tensor the block holds. */
  readonly tensors: tf.Tensor[];
  dispose(): void;
}

/**
 * Makes a block's weights (He-normal, seeded) and an input map, with the three forms over them. Path i's weights are
 * W1[i] (1×1, width→d), W2[i] (3×3, d→d), W3[i] (1×1, d→width); form (c)'s concatenated kernels are the same numbers
 * laid side by side. The caller disposes the block.
 */
export function createResnextBlock(cfg: BlockConfig): ResnextBlock {
  const width = cfg.width ?? TEMPLATE_WIDTH;
  const C = cfg.cardinality;
  const d = cfg.d ?? equalBudgetWidth(C, blockParams(1, Math.round(width / 4), width), width);
  blockParams(C, d, width); // validates
  const side = cfg.side ?? 8;
  if (!(Number.isInteger(side) && side >= 1 && side <= 64)) throw new RangeError(`the feature map side must be a whole number in 1…64, got ${side}`);
  let s = (cfg.seed ?? 1) * 7919;
  const seed = () => (s = (s * 48271) % 2147483647);
  const he = (shape: [number, number, number, number], fanIn: number) => tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed()) as tf.Tensor4D;
  const x = tf.randomNormal([1, side, side, width], 0, 1, 'float32', seed()) as tf.Tensor4D;
  const w1 = Array.from({ length: C }, () => he([1, 1, width, d], width));
  const w2 = Array.from({ length: C }, () => he([3, 3, d, d], 9 * d));
  const w3 = Array.from({ length: C }, () => he([1, 1, d, width], C * d));
  const w1cat = tf.concat(w1, 3) as tf.Tensor4D; // [1, 1, width, C·d]
  const w2cat = tf.concat(w2, 3) as tf.Tensor4D; // [3, 3, d, C·d]: group i's output channels i·d … (i+1)·d − 1
  const w2dense = blockDiagonalKernel(w2cat, C); // [3, 3, C·d, C·d]
  const w3cat = tf.concat(w3, 2) as tf.Tensor4D; // [1, 1, C·d, width]
  const tensors: tf.Tensor[] = [x, ...w1, ...w2, ...w3, w1cat, w2cat, w2dense, w3cat];
  const pathHidden = (i: number) => tf.relu(tf.conv2d(tf.relu(tf.conv2d(x, w1[i], 1, 'same')), w2[i], 1, 'same')) as tf.Tensor4D;
  const out = (t: tf.Tensor4D) => tf.relu(tf.add(x, t)) as tf.Tensor4D;
  let disposed = false;
  return {
    cardinality: C,
    d,
    width,
    x,
    tensors,
    formA: () => tf.tidy(() => out(tf.addN(w3.map((w, i) => tf.conv2d(pathHidden(i), w, 1, 'same'))) as tf.Tensor4D)),
    formB: () => tf.tidy(() => out(tf.conv2d(tf.concat(w1.map((_, i) => pathHidden(i)), 3) as tf.Tensor4D, w3cat, 1, 'same'))),
    formC: () => tf.tidy(() => out(tf.conv2d(tf.relu(tf.conv2d(tf.relu(tf.conv2d(x, w1cat, 1, 'same')) as tf.Tensor4D, w2dense, 1, 'same')) as tf.Tensor4D, w3cat, 1, 'same'))),
    formCSplit: () => tf.tidy(() => out(tf.conv2d(tf.relu(groupedConv2d(tf.relu(tf.conv2d(x, w1cat, 1, 'same')) as tf.Tensor4D, w2cat, C)) as tf.Tensor4D, w3cat, 1, 'same'))),
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(tensors);
    },
  };
}

export interface FormsResult {
  /** Largest |a − b| and |a − c| over the output map, and the largest |a| for scale. */
  maxDiffAB: number;
  maxDiffAC: number;
  maxDiffACSplit: number;
  maxAbs: number;
  /** The first few outputs of each form (channel 0 … at position 0, 0), for the reader to compare. */
  sampleA: number[];
  sampleB: number[];
  sampleC: number[];
}

/** Runs the three forms once and compares their outputs, in one read-back. Frees what it makes. */
export async function compareForms(block: ResnextBlock, samples = 4): Promise<FormsResult> {
  const packed = tf.tidy(() => {
    const a = block.formA();
    const b = block.formB();
    const c = block.formC();
    const cs = block.formCSplit();
    const maxDiff = (u: tf.Tensor) => tf.max(tf.abs(tf.sub(a, u)));
    const first = (t: tf.Tensor4D) => t.reshape([-1]).slice(0, samples);
    return tf.concat([tf.stack([maxDiff(b), maxDiff(c), maxDiff(cs), tf.max(tf.abs(a))]), first(a), first(b), first(c)]);
  });
  const v = Array.from(await packed.data());
  packed.dispose();
  const at = (k: number) => v.slice(4 + k * samples, 4 + (k + 1) * samples);
  return { maxDiffAB: v[0], maxDiffAC: v[1], maxDiffACSplit: v[2], maxAbs: v[3], sampleA: at(0), sampleB: at(1), sampleC: at(2) };
}

export interface FormsFrame {
  cardinality: number;
  d: number;
  forms: FormsResult;
  /** Median milliseconds of each form on this backend (NaN before the first timed sample). */
  ms: { a: number; b: number; c: number; cSplit: number };
  samples: number;
  done: boolean;
  steps: number;
}

/** The timed forms, one configuration each, so one step runs one form (a frame's work stays small). */
const FORMS = ['a', 'b', 'c', 'cSplit'] as const;

/**
 * The demo's run: makes a block, compares its three forms at once (step(0), the first result), then times the forms
 * on the current backend one after the other, one sample per step, each after an untimed warm-up. dispose() frees
 * the block.
 */
export function createFormsRun(cfg: BlockConfig & { repeats?: number; now?: () => number }): Simulation<FormsFrame> {
  const block = createResnextBlock(cfg);
  const runs = { a: block.formA, b: block.formB, c: block.formC, cSplit: block.formCSplit };
  let forms: FormsResult | null = null;
  const sweep = createTimingSweep({
    size: FORMS.length,
    paths: ['run'] as const,
    interleave: true,
    repeats: cfg.repeats,
    now: cfg.now,
    make: (i) => ({ tensors: [], paths: { run: runs[FORMS[i]] } }),
  });
  return {
    async step(k: number) {
      forms ??= await compareForms(block);
      const t = await sweep.step(k);
      const ms = Object.fromEntries(FORMS.map((f, i) => [f, t.medians[i].run])) as FormsFrame['ms'];
      return { cardinality: block.cardinality, d: block.d, forms, ms, samples: Math.min(...t.samples), done: t.done, steps: t.steps };
    },
    dispose() {
      sweep.dispose();
      block.dispose();
    },
  };
}

/** Steps a full timing takes (one warm-up and `repeats` samples per form). */
export const formsSteps = (repeats = 5) => sweepSteps(FORMS.length, repeats);
