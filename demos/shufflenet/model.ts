/**
 * ShuffleNet (Zhang et al. 2017, arXiv 1707.01083) and ShuffleNet V2's guidelines (Ma et al. 2018, arXiv 1807.11164):
 * the cost of a ShuffleNet unit against ResNet's and ResNeXt's, ShuffleNet 1× counted layer by layer for every group
 * count of the paper's Table 1, V2's memory access cost (MAC) of a 1×1 convolution and its lower bound, and V2's
 * guideline experiments G1 (channel ratio) and G2 (group count) at fixed FLOPs as real tfjs kernels timed on the
 * current backend. Pure: no React, no DOM.
 */
import { tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import { channelShuffle, groupedConv2d } from '../runtime/models/grouped';
import { mulberry32 } from '../runtime/random';
import { createTimingSweep, sweepSteps } from '../runtime/timing';

// ---------------------------------------------------------------------------------------------------------------
// ShuffleNet V1: cost

/**
 * Multiply-adds of one bottleneck unit (stride 1) on an h×w map with c channels and m bottleneck channels, the
 * paper's Section 3.2: ResNet hw(2cm + 9m²), ResNeXt with g groups in its 3×3 hw(2cm + 9m²/g), and ShuffleNet's,
 * whose 1×1 layers are grouped and whose 3×3 is depthwise, hw(2cm/g + 9m).
 */
export function unitCost(c: number, m: number, g: number, h: number, w = h): { resnet: number; resnext: number; shufflenet: number } {
  for (const [name, v] of [['c', c], ['m', m], ['g', g], ['h', h], ['w', w]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${name} must be a whole number ≥ 1, got ${v}`);
  }
  const hw = h * w;
  return { resnet: hw * (2 * c * m + 9 * m * m), resnext: (hw * (2 * c * m * g + 9 * m * m)) / g, shufflenet: (hw * (2 * c * m + 9 * m * g)) / g };
}

/** Output channels of ShuffleNet 1×'s stage 2 for each group count (the paper's Table 1); stages 3 and 4 double them. */
export const STAGE2_CHANNELS: Readonly<Record<number, number>> = { 1: 144, 2: 200, 3: 240, 4: 272, 8: 384 };

/** The paper's Table 1 complexity (MFLOPs, i.e. million multiply-adds) and Table 2 top-1 error of ShuffleNet 1×. */
export const PAPER_SHUFFLENET: readonly { g: number; mflops: number; top1Error: number }[] = [
  { g: 1, mflops: 143, top1Error: 33.6 },
  { g: 2, mflops: 140, top1Error: 32.7 },
  { g: 3, mflops: 137, top1Error: 32.6 },
  { g: 4, mflops: 133, top1Error: 32.8 },
  { g: 8, mflops: 137, top1Error: 32.4 },
];

export interface ShufflenetCost {
  /** Multiply-adds of one 224×224 forward pass. */
  macs: number;
  /** The same without the final classifier: the convolutions' share, which is what the paper's Table 1 reports. */
  convMacs: number;
  /** Weights, biases left out (batch norm too), plus the classifier's biases. */
  params: number;
  /** The same network's multiply-adds with every grouped 1×1 made dense (g = 1 layers, same widths). */
  macsUngrouped: number;
}

/**
 * ShuffleNet 1× (or s×) counted layer by layer at 224×224 (the paper's Table 1): a 3×3 stride-2 convolution to 24
 * channels, 3×3 max pool, stages of 4, 8 and 4 units at 28, 14 and 7, each stage opened by a stride-2 unit whose
 * shortcut is a 3×3 average pool concatenated to the branch, then global pooling and a 1000-way classifier. A unit's
 * bottleneck is a quarter of its output channels; the first 1×1 of stage 2 is not grouped (24 input channels).
 */
export function shufflenetCost(g: number, scale = 1): ShufflenetCost {
  const base = STAGE2_CHANNELS[g];
  if (!base) throw new RangeError(`ShuffleNet's Table 1 has g = 1, 2, 3, 4 or 8, not ${g}`);
  if (!(scale > 0 && scale <= 4)) throw new RangeError(`the scale must be in (0, 4], got ${scale}`);
  let macs = 0;
  let dense = 0;
  let params = 0;
  const conv = (k: number, cin: number, cout: number, groups: number, side: number) => {
    const wts = (k * k * cin * cout) / groups;
    params += wts;
    macs += wts * side * side;
    dense += k * k * cin * cout * side * side;
  };
  // A 3×3 depthwise convolution at stride 1 or 2: one 9-weight filter per channel, at the output's resolution.
  const depthwise = (channels: number, side: number) => {
    params += 9 * channels;
    macs += 9 * channels * side * side;
    dense += 9 * channels * side * side;
  };
  conv(3, 3, 24, 1, 112);
  let cin = 24;
  let side = 56;
  [4, 8, 4].forEach((units, s) => {
    const out = Math.round(base * scale * 2 ** s);
    const m = out / 4;
    for (let u = 0; u < units; u++) {
      const down = u === 0;
      const outSide = down ? side / 2 : side;
      const branchOut = down ? out - cin : out;
      conv(1, cin, m, s === 0 && u === 0 ? 1 : g, side);
      depthwise(m, outSide);
      conv(1, m, branchOut, g, outSide);
      cin = out;
      side = outSide;
    }
  });
  const convMacs = macs;
  params += cin * 1000 + 1000;
  macs += cin * 1000;
  dense += cin * 1000;
  return { macs, convMacs, params, macsUngrouped: dense };
}

// ---------------------------------------------------------------------------------------------------------------
// ShuffleNet V2: memory access cost

/**
 * Memory access cost of a 1×1 convolution from c1 to c2 channels on an h×w map with g groups, in values read and
 * written (V2's Eq. 1 and 2): the input hw·c1, the output hw·c2 and the weights c1·c2/g.
 */
export const mac1x1 = (h: number, w: number, c1: number, c2: number, g = 1) => h * w * (c1 + c2) + (c1 * c2) / g;

/** Its FLOPs B = hw·c1·c2/g. */
export const flops1x1 = (h: number, w: number, c1: number, c2: number, g = 1) => (h * w * c1 * c2) / g;

/** V2's lower bound at fixed B (by c1 + c2 ≥ 2√(c1c2)): MAC ≥ 2√(hwB) + B/hw, reached when c1 = c2. */
export const macLowerBound = (h: number, w: number, b: number) => 2 * Math.sqrt(h * w * b) + b / (h * w);

/** One configuration of a guideline experiment: a pair of 1×1 convolutions c1 → c2 → c1 with g groups each. */
export interface GuidelineCase {
  label: string;
  c1: number;
  c2: number;
  g: number;
  /** The paper's measured speed for this row (GPU batches/s at ×1, ARM images/s at ×1). */
  paperGpu: number;
  paperArm: number;
}

/**
 * V2's Table 1 (G1: c1:c2 at fixed FLOPs) and Table 2 (G2: groups at fixed FLOPs), the configurations for their
 * GPU column ("×1"): the paper measured ten stacked blocks; the speeds are its ×1 columns.
 */
export const G1_CASES: readonly GuidelineCase[] = [
  { label: '1:1', c1: 128, c2: 128, g: 1, paperGpu: 1480, paperArm: 76.2 },
  { label: '1:2', c1: 90, c2: 180, g: 1, paperGpu: 1296, paperArm: 72.9 },
  { label: '1:6', c1: 52, c2: 312, g: 1, paperGpu: 876, paperArm: 65.6 },
  { label: '1:12', c1: 36, c2: 432, g: 1, paperGpu: 748, paperArm: 59.1 },
];
export const G2_CASES: readonly GuidelineCase[] = [
  { label: 'g = 1', c1: 128, c2: 128, g: 1, paperGpu: 2451, paperArm: 40.0 },
  { label: 'g = 2', c1: 180, c2: 180, g: 2, paperGpu: 1725, paperArm: 35.0 },
  { label: 'g = 4', c1: 256, c2: 256, g: 4, paperGpu: 1026, paperArm: 32.9 },
  { label: 'g = 8', c1: 360, c2: 360, g: 8, paperGpu: 634, paperArm: 27.8 },
];

/** The cases of guideline 'g1' or 'g2', their channels scaled by `scale` (the cpu backend times them at ½). */
export function guidelineCases(guideline: 'g1' | 'g2', scale = 1): GuidelineCase[] {
  const cases = guideline === 'g1' ? G1_CASES : G2_CASES;
  const r = (c: number, g: number) => Math.max(g, Math.round((c * scale) / g) * g);
  return cases.map((k) => ({ ...k, c1: r(k.c1, k.g), c2: r(k.c2, k.g) }));
}

export interface GuidelineRow extends GuidelineCase {
  /** FLOPs (multiply-adds) of the pair on the timed map. */
  flops: number;
  /** Memory access cost of the pair, values. */
  mac: number;
  /** Median milliseconds of the pair, from dispatch to read-back (NaN before the first sample). */
  ms: number;
  samples: number;
}

export interface GuidelineFrame {
  guideline: 'g1' | 'g2';
  side: number;
  rows: GuidelineRow[];
  current: number;
  done: boolean;
  steps: number;
}

export interface GuidelineOptions {
  guideline: 'g1' | 'g2';
  /** Side of the square feature map. */
  side?: number;
  /** Channels × scale (keeps the c1:c2 ratios and the FLOPs equal across rows). */
  scale?: number;
  repeats?: number;
  seed?: number;
  now?: () => number;
}

/**
 * Times V2's guideline experiment on the current backend: for each case a pair of real 1×1 convolutions c1 → c2 → c1
 * (grouped ones, as split → conv2d per group → concat, when g > 1), one sample per step after an untimed warm-up.
 * Each case's tensors live until the next case replaces them; dispose() frees the last.
 */
export function createGuidelineTimer(o: GuidelineOptions): Simulation<GuidelineFrame> {
  const side = o.side ?? 28;
  if (!(Number.isInteger(side) && side >= 1 && side <= 112)) throw new RangeError(`the map side must be a whole number in 1…112, got ${side}`);
  const cases = guidelineCases(o.guideline, o.scale ?? 1);
  const rand = mulberry32(o.seed ?? 1);
  const seed = () => Math.floor(rand() * 2 ** 31);
  const sweep = createTimingSweep({
    size: cases.length,
    paths: ['pair'] as const,
    interleave: true,
    repeats: o.repeats,
    now: o.now,
    make(i) {
      const { c1, c2, g } = cases[i];
      const x = tf.randomNormal([1, side, side, c1], 0, 1, 'float32', seed()) as tf.Tensor4D;
      const w1 = tf.randomNormal([1, 1, c1 / g, c2], 0, Math.sqrt(g / c1), 'float32', seed()) as tf.Tensor4D;
      const w2 = tf.randomNormal([1, 1, c2 / g, c1], 0, Math.sqrt(g / c2), 'float32', seed()) as tf.Tensor4D;
      return { tensors: [x, w1, w2], paths: { pair: () => tf.tidy(() => groupedConv2d(groupedConv2d(x, w1, g), w2, g)) } };
    },
  });
  return {
    async step(k: number) {
      const s = await sweep.step(k);
      return {
        guideline: o.guideline,
        side,
        rows: cases.map((c, i) => ({
          ...c,
          flops: flops1x1(side, side, c.c1, c.c2, c.g) + flops1x1(side, side, c.c2, c.c1, c.g),
          mac: mac1x1(side, side, c.c1, c.c2, c.g) + mac1x1(side, side, c.c2, c.c1, c.g),
          ms: s.medians[i].pair,
          samples: s.samples[i],
        })),
        current: s.current,
        done: s.done,
        steps: s.steps,
      };
    },
    dispose: () => sweep.dispose(),
  };
}

/** Steps a full guideline sweep takes: one warm-up and `repeats` samples for each of its four cases. */
export const guidelineSteps = (repeats = 5) => sweepSteps(4, repeats);

/** Map side and channel scale the timing uses on a backend: the plain-JavaScript cpu backend gets a smaller problem. */
export function timingSize(backend: string): { side: number; scale: number } {
  return backend === 'cpu' ? { side: 14, scale: 0.5 } : { side: 28, scale: 1 };
}

/**
 * The channel shuffle run as the real tfjs op on a map whose channel c holds the value c: what it returns is the
 * permutation, read back (a tiny tensor, freed before returning).
 */
export function shuffledChannels(channels: number, groups: number): number[] {
  return tf.tidy(() => Array.from(channelShuffle(tf.range(0, channels).reshape([1, 1, 1, channels]) as tf.Tensor4D, groups).dataSync()));
}
