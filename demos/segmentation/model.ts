/**
 * Semantic segmentation, in two parts.
 *
 * 1. Which input pixels feed an output pixel of a dilated convolution and of a transposed convolution, found by
 *    running the real tfjs ops (tf.conv2d with `dilations`, tf.conv2dTranspose) with an all-ones kernel on
 *    indicator images, one image per input pixel: output pixel o of image i is non-zero exactly when input pixel i
 *    reaches o. The same op on an all-ones image counts, for every output pixel, how many input pixels land on it:
 *    for a transposed convolution whose kernel k is not a multiple of its stride s that count varies from pixel to
 *    pixel in a fixed pattern, the checkerboard of Odena et al. (2016).
 * 2. A tiny U-Net (Ronneberger et al. 2015): two 2×2 max-poolings down, two 2×2 stride-2 transposed convolutions
 *    up, the encoder's feature maps concatenated into the decoder (the skips; without them the same network gets
 *    zeros there), a 1×1 head with one logit per class and pixel, trained on pixel-wise softmax cross-entropy on
 *    scenes of MNIST digits (../runtime/data/scenes.ts) whose masks label each pixel background or the digit's
 *    class. Scored as FCN and PASCAL VOC do: per-class intersection over union from the confusion matrix summed
 *    over all held-out pixels, and its mean over the classes.
 *
 * Pure: no React, no DOM; runs in Node, the page and the worker (./train.ts) alike.
 */
import { tf } from '../runtime/tf';
import { gaussian, mulberry32, type Rng } from '../runtime/random';
import { rowSampler } from '../runtime/sampling';
import { cosineRate, createFlatTrainer, flatInit, paramsFromFlat, type FlatTrainer, type ParamInit } from '../runtime/train';
import { composeScenes, stackImages, type Scene, type SceneOptions } from '../runtime/data/scenes';
import type { MnistArrays } from '../runtime/data/idx';
import { FLAT_MODELS } from '../runtime/models/zoo';

// ───────────────────────────── 1. which inputs feed which outputs ─────────────────────────────

export type ConvKind = 'dilated' | 'transposed';

export interface ConvGeometry {
  kind: ConvKind;
  /** Side of the square input. */
  inSize: number;
  kernel: number;
  stride: number;
  dilation: number;
  /** Zero padding on each side (dilated convolution); for a transposed convolution, rows and columns cropped
   *  from each side of its full output, as PyTorch's `padding` of ConvTranspose2d does. */
  padding: number;
}

/** Input sides the page's visualiser uses: small enough to read every pixel, large enough for the pattern. */
export const VIS_IN: Record<ConvKind, number> = { transposed: 5, dilated: 15 };

/** Span of a dilated kernel: d(k − 1) + 1. */
export function effectiveKernel(kernel: number, dilation: number): number {
  return dilation * (kernel - 1) + 1;
}

/**
 * Side of the output. Convolution: ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1. Transposed convolution (PyTorch's
 * ConvTranspose2d with output_padding 0): (n − 1)s − 2p + d(k − 1) + 1.
 */
export function outputSize(g: ConvGeometry): number {
  const e = effectiveKernel(g.kernel, g.dilation);
  return g.kind === 'dilated' ? Math.floor((g.inSize + 2 * g.padding - e) / g.stride) + 1 : (g.inSize - 1) * g.stride - 2 * g.padding + e;
}

/** Why a geometry cannot run, in words for the reader, or null when it can. */
export function geometryProblem(g: ConvGeometry): string | null {
  for (const [name, v, lo] of [['input size', g.inSize, 1], ['kernel', g.kernel, 1], ['stride', g.stride, 1], ['dilation', g.dilation, 1], ['padding', g.padding, 0]] as const) {
    if (!Number.isInteger(v) || v < lo) return `The ${name} must be a whole number ≥ ${lo} (got ${v}).`;
  }
  const e = effectiveKernel(g.kernel, g.dilation);
  if (g.kind === 'dilated' && g.inSize + 2 * g.padding < e) return `The dilated kernel spans ${e} pixels, more than the padded input's ${g.inSize + 2 * g.padding}: no output.`;
  if (g.kind === 'transposed' && outputSize(g) < 1) return `Cropping ${g.padding} on each side leaves no output of the ${(g.inSize - 1) * g.stride + e}-pixel transposed convolution.`;
  if (g.kind === 'transposed' && g.padding > 0 && 2 * g.padding >= (g.inSize - 1) * g.stride + e) return 'The crop removes the whole output.';
  return null;
}

export interface Connectivity {
  geometry: ConvGeometry;
  outSize: number;
  /** inSize² × outSize², row-major by input pixel: 1 where input pixel i reaches output pixel o. */
  links: Uint8Array;
  /** outSize²: how many input pixels reach each output pixel (the op applied to an all-ones image). */
  counts: Float32Array;
}

/** The kernel of ones with d − 1 zeros between taps (a dilated kernel written out), [e, e, 1, 1]. */
function dilatedOnes(kernel: number, dilation: number): tf.Tensor4D {
  const e = effectiveKernel(kernel, dilation);
  const v = new Float32Array(e * e);
  for (let r = 0; r < kernel; r++) for (let c = 0; c < kernel; c++) v[r * dilation * e + c * dilation] = 1;
  return tf.tensor4d(v, [e, e, 1, 1]);
}

/** The op of `g` with an all-ones kernel on a batch of single-channel images [N, n, n, 1]. */
function applyOnes(g: ConvGeometry, x: tf.Tensor4D): tf.Tensor4D {
  const out = outputSize(g);
  if (g.kind === 'dilated') {
    // tf.conv2d refuses stride and dilation both above 1: run it at stride 1 and keep every s-th output.
    const padded = g.padding > 0 ? tf.pad(x, [[0, 0], [g.padding, g.padding], [g.padding, g.padding], [0, 0]]) : x;
    const full = tf.conv2d(padded, tf.ones([g.kernel, g.kernel, 1, 1]) as tf.Tensor4D, 1, 'valid', 'NHWC', g.dilation);
    if (g.stride === 1) return full;
    return tf.stridedSlice(full, [0, 0, 0, 0], [x.shape[0], (out - 1) * g.stride + 1, (out - 1) * g.stride + 1, 1], [1, g.stride, g.stride, 1]) as tf.Tensor4D;
  }
  const e = effectiveKernel(g.kernel, g.dilation);
  const side = (g.inSize - 1) * g.stride + e;
  const full = tf.conv2dTranspose(x, dilatedOnes(g.kernel, g.dilation), [x.shape[0], side, side, 1], g.stride, 'valid');
  return g.padding > 0 ? (tf.slice(full, [0, g.padding, g.padding, 0], [-1, out, out, 1]) as tf.Tensor4D) : full;
}

/**
 * Which input pixels reach which output pixels of the convolution `g`, and how many reach each output pixel:
 * the op itself (tfjs, on the active backend) run on inSize² indicator images and on one all-ones image, in one
 * read-back. Throws a RangeError with {@link geometryProblem}'s message for a geometry that cannot run.
 */
export async function connectivity(g: ConvGeometry): Promise<Connectivity> {
  const problem = geometryProblem(g);
  if (problem) throw new RangeError(problem);
  const n = g.inSize * g.inSize;
  const out = outputSize(g);
  const m = out * out;
  const y = tf.tidy(() => {
    const eye = tf.reshape(tf.concat([tf.eye(n), tf.ones([1, n])], 0), [n + 1, g.inSize, g.inSize, 1]) as tf.Tensor4D;
    return applyOnes(g, eye);
  });
  const v = await y.data();
  y.dispose();
  const links = new Uint8Array(n * m);
  for (let i = 0; i < n * m; i++) links[i] = v[i] > 0.5 ? 1 : 0;
  return { geometry: { ...g }, outSize: out, links, counts: Float32Array.from(v.subarray(n * m, (n + 1) * m)) };
}

/** Input pixels (row-major indices) that reach output pixel (row, col). */
export function feeders(c: Connectivity, row: number, col: number): number[] {
  const n = c.geometry.inSize ** 2;
  const m = c.outSize * c.outSize;
  const o = row * c.outSize + col;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (c.links[i * m + o]) out.push(i);
  return out;
}

/** The distinct values of the counts away from the border (the middle third of each axis), sorted. */
export function interiorCounts(c: Connectivity): number[] {
  const lo = Math.floor(c.outSize / 3);
  const hi = Math.ceil((2 * c.outSize) / 3);
  const seen = new Set<number>();
  for (let r = lo; r < hi; r++) for (let q = lo; q < hi; q++) seen.add(c.counts[r * c.outSize + q]);
  return [...seen].sort((a, b) => a - b);
}

// ───────────────────────────── 2. a tiny U-Net ─────────────────────────────

/** Side of a scene, and the classes: 0 background, 1 + d for digit d. */
export const SCENE = 40;
export const CLASSES = 11;

/** 1–3 digits of 16–24 px on 40×40 (held-out and training scenes alike). */
export const SCENE_OPTIONS: Omit<SceneOptions, 'count' | 'seed'> = { size: SCENE, minDigits: 1, maxDigits: 3, minScale: 16, maxScale: 24 };

/**
 * A U-Net's shape: `widths[i]` channels at level i (level 0 at 40×40, each next level after a 2×2 max-pooling);
 * `encoderConvs[i]` 3×3 convolutions at level i on the way down (the last level is the bottleneck);
 * `decoderConvs[i]` on the way up at
 * level i, after the 2×2 up-convolution from level i + 1 and the concatenation with the encoder's map of level i
 * (0 at level 0: the 1×1 head reads the concatenation itself).
 */
export interface Architecture {
  widths: readonly number[];
  encoderConvs: readonly number[];
  decoderConvs: readonly number[];
  /**
   * FCN's score fusion on top: a 1×1 head on the decoder's map at this level (1 … L − 2) whose class scores are
   * upsampled (nearest neighbour) to 40×40 and added to the full-resolution head's. 0: none.
   */
  coarse?: number;
}

/**
 * The shipped and default U-Net: three poolings (40 → 20 → 10 → 5), so that a bottleneck unit sees the whole
 * scene; one convolution at full resolution and none after the last concatenation (the costliest pixels); and
 * FCN's fusion, a second head on the 10×10 decoder map whose scores are added to the fine head's, where the digit's
 * class is decided with 32 channels and a view of the whole digit. `npm run reproduce -- segmentation --ablation`
 * measures each change against {@link TWO_LEVELS}, the earlier network.
 */
export const ARCH: Architecture = { widths: [8, 24, 32, 64], encoderConvs: [1, 1, 2, 2], decoderConvs: [0, 1, 1], coarse: 2 };

/** The earlier default: two poolings (40 → 20 → 10), 8, 16, 32 channels, two convolutions everywhere. */
export const TWO_LEVELS: Architecture = { widths: [8, 16, 32], encoderConvs: [2, 2, 2], decoderConvs: [2, 2], coarse: 0 };

/** Why an architecture cannot be built, or null. */
export function architectureProblem(a: Architecture): string | null {
  const L = a.widths.length;
  if (L < 1 || a.widths.some((w) => !(Number.isInteger(w) && w >= 1))) return 'every level needs a whole number of channels ≥ 1';
  if (SCENE % 2 ** (L - 1) !== 0) return `${L - 1} poolings do not divide the ${SCENE}-pixel scene`;
  if (a.encoderConvs.length !== L || a.decoderConvs.length !== L - 1) return `need ${L} encoder and ${L - 1} decoder convolution counts`;
  if (a.encoderConvs.some((n) => !(Number.isInteger(n) && n >= 1))) return 'every level of the encoder needs at least one convolution';
  if (a.decoderConvs.some((n) => !(Number.isInteger(n) && n >= 0))) return 'a level of the decoder has a whole number of convolutions ≥ 0';
  if (a.coarse !== undefined && a.coarse !== 0 && !(Number.isInteger(a.coarse) && a.coarse >= 1 && a.coarse <= L - 2)) return `the coarse head sits on a decoder level from 1 to ${L - 2}`;
  return null;
}

/** Every parameter tensor: [name, shape]. 3×3 convolutions in HWIO; the up-convolutions [2, 2, out, in] as tfjs wants. */
export function shapesOf(a: Architecture = ARCH): [string, number[]][] {
  const problem = architectureProblem(a);
  if (problem) throw new RangeError(`U-Net: ${problem}`);
  const L = a.widths.length;
  const out: [string, number[]][] = [];
  let ch = 1;
  for (let i = 0; i < L; i++) {
    for (let k = 0; k < a.encoderConvs[i]; k++) {
      out.push([`e${i}_${k}`, [3, 3, ch, a.widths[i]]]);
      ch = a.widths[i];
    }
  }
  for (let i = L - 2; i >= 0; i--) {
    out.push([`u${i}`, [2, 2, a.widths[i], ch]]);
    // After the concatenation: the up-convolution's channels and the encoder's (zeros without the skips).
    ch = 2 * a.widths[i];
    for (let k = 0; k < a.decoderConvs[i]; k++) {
      out.push([`d${i}_${k}`, [3, 3, ch, a.widths[i]]]);
      ch = a.widths[i];
    }
    if (a.coarse && i === a.coarse) out.push([`c${i}`, [1, 1, ch, CLASSES]]);
  }
  out.push(['head', [1, 1, ch, CLASSES]]);
  return out;
}

export type ParamName = string;

/** He-normal weights (fan-in of each layer), zero biases; seeded. */
export function initParams(seed: number, a: Architecture = ARCH): ParamInit<ParamName>[] {
  const rng = mulberry32(seed);
  const out: ParamInit<ParamName>[] = [];
  for (const [name, shape] of shapesOf(a)) {
    const up = name.startsWith('u');
    // A 2×2 stride-2 up-convolution feeds each output pixel from one input pixel: its fan-in is the input's channels.
    const fanIn = up ? shape[3] : shape[0] * shape[1] * shape[2];
    const linear = name === 'head' || name.startsWith('c');
    const sd = linear ? Math.sqrt(1 / fanIn) : Math.sqrt(2 / fanIn);
    const w = new Float32Array(shape.reduce((x, y) => x * y, 1));
    for (let j = 0; j < w.length; j++) w[j] = sd * gaussian(rng);
    const cout = up ? shape[2] : shape[3];
    out.push({ name: `w_${name}`, shape, values: w, l2: 1e-5 }, { name: `b_${name}`, shape: [cout], values: new Float32Array(cout) });
  }
  return out;
}

/** Scalar parameters of a U-Net (the same with or without skips: without, the skip half of each first decoder convolution sees zeros). */
export function parameterCount(a: Architecture = ARCH): number {
  return shapesOf(a).reduce((n, [name, s]) => n + s.reduce((x, y) => x * y, 1) + (name.startsWith('u') ? s[2] : s[3]), 0);
}

/** Multiply–adds of one forward pass over one 40×40 scene (biases and activations left out); with `level`, only those of the layers at that resolution (0: 40×40). */
export function multiplyAdds(a: Architecture = ARCH, level?: number): number {
  let n = 0;
  for (const [name, s] of shapesOf(a)) {
    const at = name === 'head' ? 0 : Number(name.slice(1).split('_')[0]);
    if (level !== undefined && at !== level) continue;
    const side = SCENE / 2 ** at;
    // Every layer computes side² outputs from its taps; an up-convolution's output pixel reads one input pixel, so
    // its 2×2 kernel counts once: (side/2)² · 4 · in · out = side² · in · out.
    const taps = name.startsWith('u') ? s[2] * s[3] : s.reduce((x, y) => x * y, 1);
    n += side * side * taps;
  }
  return n;
}

/** Slope of the leaky ReLU below 0: every unit keeps a gradient, so none dies in the first large steps. */
export const LEAK = 0.1;

/** The logits [N, 40, 40, 11] of images [N, 40, 40, 1]; `skips` false feeds zeros where the encoder's maps would join. */
export function forward(p: Readonly<Record<string, tf.Tensor>>, x: tf.Tensor4D, skips = true, a: Architecture = ARCH): tf.Tensor4D {
  return tf.tidy(() => {
    const conv = (h: tf.Tensor4D, name: string, relu = true) => {
      const y = tf.add(tf.conv2d(h, p[`w_${name}`] as tf.Tensor4D, 1, 'same'), p[`b_${name}`]) as tf.Tensor4D;
      return relu ? tf.leakyRelu(y, LEAK) : y;
    };
    const up = (h: tf.Tensor4D, name: string) => {
      const [n, side] = h.shape;
      const w = p[`w_${name}`] as tf.Tensor4D;
      return tf.add(tf.conv2dTranspose(h, w, [n, side * 2, side * 2, w.shape[2]], 2, 'valid'), p[`b_${name}`]) as tf.Tensor4D;
    };
    const L = a.widths.length;
    const enc: tf.Tensor4D[] = [];
    let h = x;
    for (let i = 0; i < L; i++) {
      if (i > 0) h = tf.maxPool(h, 2, 2, 'valid');
      for (let k = 0; k < a.encoderConvs[i]; k++) h = conv(h, `e${i}_${k}`);
      enc.push(h);
    }
    let coarse: tf.Tensor4D | null = null;
    for (let i = L - 2; i >= 0; i--) {
      h = tf.concat([up(h, `u${i}`), skips ? enc[i] : tf.zerosLike(enc[i])], 3) as tf.Tensor4D;
      for (let k = 0; k < a.decoderConvs[i]; k++) h = conv(h, `d${i}_${k}`);
      if (a.coarse && i === a.coarse) coarse = tf.image.resizeNearestNeighbor(conv(h, `c${i}`, false), [SCENE, SCENE]) as tf.Tensor4D;
    }
    const fine = conv(h, 'head', false);
    return coarse ? (tf.add(fine, coarse) as tf.Tensor4D) : fine;
  });
}

/**
 * Pixel-wise softmax cross-entropy, a weighted mean over every pixel of the batch: logits [N, H, W, C], labels
 * [N, H, W] (class indices as floats). A pixel of class 0 (background) weighs 1, any other `foregroundWeight`
 * (U-Net's weight map in its simplest form, balancing the classes' frequencies); the sum is divided by the
 * weights' sum, so that weight 1 everywhere is the plain mean.
 */
export function pixelCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D, foregroundWeight = 1): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[3]);
    const nll = tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1));
    if (foregroundWeight === 1) return tf.mean(nll) as tf.Scalar;
    const w = tf.add(1, tf.mul(foregroundWeight - 1, tf.cast(tf.greater(labels, 0), 'float32')));
    return tf.div(tf.sum(tf.mul(w, nll)), tf.sum(w)) as tf.Scalar;
  });
}

// ───────────────────────────── scores ─────────────────────────────

/** The confusion matrix, classes × classes, row = true class, column = predicted class, counted over every pixel. */
export function confusionMatrix(pred: ArrayLike<number>, truth: ArrayLike<number>, classes = CLASSES): Float64Array {
  if (pred.length !== truth.length) throw new RangeError(`confusionMatrix: ${pred.length} predictions for ${truth.length} labels`);
  const m = new Float64Array(classes * classes);
  for (let i = 0; i < pred.length; i++) {
    const t = truth[i];
    const q = pred[i];
    if (!(t >= 0 && t < classes && q >= 0 && q < classes)) throw new RangeError(`confusionMatrix: class out of range at pixel ${i} (${t}, ${q})`);
    m[t * classes + q]++;
  }
  return m;
}

/**
 * Intersection over union of each class from a confusion matrix n: n_ii / (t_i + Σ_j n_ji − n_ii), with t_i = Σ_j n_ij
 * the pixels of class i (Long et al.'s notation). NaN for a class that is neither present nor predicted.
 */
export function classIou(conf: ArrayLike<number>, classes = CLASSES): number[] {
  const out: number[] = [];
  for (let i = 0; i < classes; i++) {
    let row = 0;
    let col = 0;
    for (let j = 0; j < classes; j++) {
      row += conf[i * classes + j];
      col += conf[j * classes + i];
    }
    const tp = conf[i * classes + i];
    const union = row + col - tp;
    out.push(union > 0 ? tp / union : NaN);
  }
  return out;
}

/** Mean of the per-class IoUs, over the classes that have one (present or predicted). */
export function meanIou(perClass: readonly number[]): number {
  const v = perClass.filter((x) => !Number.isNaN(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

/** Pixel accuracy: Σ_i n_ii / Σ_i t_i. */
export function pixelAccuracy(conf: ArrayLike<number>, classes = CLASSES): number {
  let tp = 0;
  let all = 0;
  for (let i = 0; i < classes * classes; i++) {
    all += conf[i];
    if (Math.floor(i / classes) === i % classes) tp += conf[i];
  }
  return all > 0 ? tp / all : NaN;
}

export interface SegmentationScore {
  perClass: number[];
  meanIou: number;
  pixelAccuracy: number;
}

/** Scores of predicted masks against the scenes' true masks, from one confusion matrix over all their pixels. */
export function scoreMasks(pred: readonly ArrayLike<number>[], scenes: readonly Pick<Scene, 'mask'>[]): SegmentationScore {
  const conf = new Float64Array(CLASSES * CLASSES);
  scenes.forEach((s, i) => {
    const c = confusionMatrix(pred[i], s.mask);
    for (let j = 0; j < c.length; j++) conf[j] += c[j];
  });
  const perClass = classIou(conf);
  return { perClass, meanIou: meanIou(perClass), pixelAccuracy: pixelAccuracy(conf) };
}

// ───────────────────────────── scenes and inference ─────────────────────────────

/** The scenes' images stacked row-major as one [N, 40, 40, 1] array. */
export function sceneImages(scenes: readonly Pick<Scene, 'image'>[]): Float32Array {
  return stackImages(scenes, SCENE);
}

/** Held-out scenes: composed from MNIST test digits with their own seed, never from the training digits. */
export function heldOutScenes(test: MnistArrays, count: number, seed: number): Scene[] {
  return composeScenes(test, { ...SCENE_OPTIONS, count, seed: 2_000_003 + seed });
}

/** Training scenes: composed from MNIST training digits. */
export function trainingScenes(train: MnistArrays, count: number, seed: number): Scene[] {
  return composeScenes(train, { ...SCENE_OPTIONS, count, seed });
}

/** The initial flat parameter vector of a seed (what the trainer starts from). */
export function initialFlat(seed: number, a: Architecture = ARCH): Float32Array {
  return flatInit(initParams(seed, a));
}

/** Arg-max masks of `scenes` from logits, in one read-back. */
async function masksOf(logits: tf.Tensor4D, count: number): Promise<Uint8Array[]> {
  const am = tf.tidy(() => tf.argMax(logits, 3));
  logits.dispose();
  const v = await am.data();
  am.dispose();
  return Array.from({ length: count }, (_, i) => Uint8Array.from(v.subarray(i * SCENE * SCENE, (i + 1) * SCENE * SCENE)));
}

/** Predicted masks (0 background, 1 + digit) of `scenes` under the flat parameter vector `flat` (as the trainer lays it out). */
export async function segment(flat: Float32Array, scenes: readonly Pick<Scene, 'image'>[], skips = true, a: Architecture = ARCH): Promise<Uint8Array[]> {
  const init = initParams(0, a);
  const size = init.reduce((n, p) => n + p.values.length, 0);
  if (flat.length !== size) throw new RangeError(`segment: ${flat.length} parameters, expected ${size}`);
  const logits = tf.tidy(() => forward(paramsFromFlat(init, flat), tf.tensor4d(sceneImages(scenes), [scenes.length, SCENE, SCENE, 1]), skips, a));
  return masksOf(logits, scenes.length);
}

// ───────────────────────────── training ─────────────────────────────

export interface SegmenterConfig {
  seed: number;
  skips: boolean;
  batchSize: number;
  lr: number;
  /** Training scenes composed once (from training digits) and sampled into batches. */
  trainScenes: number;
  /** The budget: the learning rate follows a cosine from `lr` to 0 over these steps. */
  total: number;
  /** Weight of a digit's pixel in the loss (a background pixel weighs 1). */
  foregroundWeight: number;
  /** The network's shape (default {@link ARCH}). */
  arch?: Architecture;
}

/** The page's training job at its defaults: the recipe of the shipped `unet-digits` (runtime/models/zoo.ts). */
export const RECIPE = FLAT_MODELS['unet-digits'].recipe;
export const DEFAULT_CONFIG: SegmenterConfig = {
  seed: RECIPE.seed,
  skips: true,
  batchSize: RECIPE.batchSize,
  lr: RECIPE.learningRate,
  trainScenes: RECIPE.trainScenes,
  total: RECIPE.steps,
  foregroundWeight: RECIPE.foregroundWeight,
};


export interface Segmenter {
  readonly steps: number;
  /** `k` steps of Adam with the cosine rate; the mean loss over them (NaN for k = 0). */
  train(k: number): Promise<number>;
  /** The current parameters, read back. */
  read(): Promise<Float32Array>;
  /** Predicted masks of `scenes` with the current parameters, in one read-back. */
  segment(scenes: readonly Pick<Scene, 'image'>[]): Promise<Uint8Array[]>;
  dispose(): void;
}

/** A U-Net trained with Adam on scenes composed from `train` (MNIST training digits); seeded. */
export function createSegmenter(train: MnistArrays, cfg: SegmenterConfig = DEFAULT_CONFIG): Segmenter {
  if (!(Number.isInteger(cfg.batchSize) && cfg.batchSize >= 1)) throw new RangeError(`batch size must be a whole number ≥ 1, got ${cfg.batchSize}`);
  if (!(cfg.lr > 0)) throw new RangeError(`the learning rate must be positive, got ${cfg.lr}`);
  const scenes = trainingScenes(train, cfg.trainScenes, cfg.seed);
  const images = sceneImages(scenes);
  const px = SCENE * SCENE;
  const masks = new Float32Array(scenes.length * px);
  scenes.forEach((s, i) => masks.set(s.mask, i * px));
  const rng: Rng = mulberry32(cfg.seed ^ 0x2545f491);
  const arch = cfg.arch ?? ARCH;
  const loss = (p: Record<ParamName, tf.Tensor>, x: tf.Tensor, y: tf.Tensor) => pixelCrossEntropy(forward(p, x as tf.Tensor4D, cfg.skips, arch), y as tf.Tensor3D, cfg.foregroundWeight);
  const trainer: FlatTrainer<ParamName> = createFlatTrainer(initParams(cfg.seed, arch), loss, { kind: 'adam', lr: cfg.lr });
  const batch = rowSampler(rng, scenes.length, cfg.batchSize, [images, px], [masks, px]);
  return {
    get steps() {
      return trainer.steps;
    },
    async train(k) {
      for (let s = 0; s < k; s++) {
        trainer.setLearningRate(cosineRate(cfg.lr, trainer.steps, cfg.total));
        const [bx, by] = batch();
        tf.tidy(() => trainer.step(tf.tensor4d(bx, [cfg.batchSize, SCENE, SCENE, 1]), tf.tensor3d(by, [cfg.batchSize, SCENE, SCENE])));
      }
      return trainer.meanLoss();
    },
    read: () => trainer.read(),
    segment(held) {
      const logits = tf.tidy(() => forward(trainer.current(), tf.tensor4d(sceneImages(held), [held.length, SCENE, SCENE, 1]), cfg.skips, arch));
      return masksOf(logits, held.length);
    },
    dispose: () => trainer.dispose(),
  };
}
