/**
 * XNOR-Net (Rastegari et al. 2016) on the shipped CNN: the three networks (full precision, binary weights, XNOR)
 * scored on the same test digits with real tfjs ops, the cost of each layer in operations and bits, and the
 * bit-packed XNOR-popcount convolution (./kernel.ts) timed against the float convolution of the same shape, both
 * as tfjs's conv2d on the current backend and as a plain JavaScript loop. No React, no DOM.
 */
import { tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import type { MnistArrays } from '../runtime/data/idx';
import type { Simulation } from '../runtime/simulation';
import { createTimingSweep, sweepSteps, type SweepFrame } from '../runtime/timing';
import { binaryPredict, filterScales, sign, type BinaryMode, type CnnWeights } from '../runtime/models/binary';
import { floatConv, outputSize, packInput, packKernel, wordsFor, xnorConv, type ConvShape } from './kernel';

export { BINARY_MODES, type BinaryMode } from '../runtime/models/binary';

/** The paper's AlexNet on ImageNet (Table 1 of the ECCV version): top-1 and top-5 accuracy in %. */
export const PAPER_ALEXNET: Record<BinaryMode, { top1: number; top5: number }> = {
  full: { top1: 56.6, top5: 80.2 },
  bwn: { top1: 56.8, top5: 79.4 },
  xnor: { top1: 44.2, top5: 69.2 },
};

/**
 * The paper's speed-up of a binary convolution over a float one (its Section 3.2): c·N_W·N_I multiply-adds against
 * c·N_W·N_I/64 binary operations (64 per clock) plus N_I non-binary ones, S = 64·c·N_W / (c·N_W + 64). It depends
 * on the channels c and the filter size N_W, not on the input size N_I.
 */
export function paperSpeedup(channels: number, filterSize: number): number {
  const work = channels * filterSize;
  return (64 * work) / (work + 64);
}

/** One layer of the shipped cnn, counted. */
export interface LayerCost {
  name: string;
  /** Binarised in BWN and XNOR (conv2, fc1); the first and last layers stay in full precision. */
  binary: boolean;
  weights: number;
  biases: number;
  /** Multiply-adds per digit in full precision. */
  macs: number;
  /** Output values per digit (one α·K rescale each in XNOR). */
  outputs: number;
  /** Inputs per output (c·N_W: the length of each ±1 dot product). */
  fanIn: number;
  /** Storage in full precision: 32 bits per weight and bias. */
  bitsFloat: number;
  /** Storage binarised: 1 bit per weight, 32 per α (one per filter) and per bias; = bitsFloat if not binary. */
  bitsBinary: number;
}

/** The cnn's four weighted layers (28×28 input, 'valid' 5×5 convolutions, 2×2 pooling): what each one costs. */
export function cnnCost(): LayerCost[] {
  const layer = (name: string, binary: boolean, fanIn: number, filters: number, positions: number): LayerCost => {
    const weights = fanIn * filters;
    const bitsFloat = 32 * (weights + filters);
    return { name, binary, weights, biases: filters, macs: weights * positions, outputs: filters * positions, fanIn, bitsFloat, bitsBinary: binary ? weights + 32 * filters + 32 * filters : bitsFloat };
  };
  return [layer('conv1', false, 5 * 5 * 1, 16, 24 * 24), layer('conv2', true, 5 * 5 * 16, 32, 8 * 8), layer('fc1', true, 4 * 4 * 32, 128, 1), layer('output', false, 128, 10, 1)];
}

/** Totals of {@link cnnCost}: multiply-adds left in float, binary operations, bits (float and binarised). */
export function cnnTotals(rows = cnnCost()) {
  const sum = (f: (r: LayerCost) => number) => rows.reduce((n, r) => n + f(r), 0);
  return {
    macs: sum((r) => r.macs),
    binaryOps: sum((r) => (r.binary ? r.macs : 0)),
    floatMacsXnor: sum((r) => (r.binary ? 0 : r.macs)),
    bitsFloat: sum((r) => r.bitsFloat),
    bitsBinary: sum((r) => r.bitsBinary),
    binaryLayerBitsFloat: sum((r) => (r.binary ? r.bitsFloat : 0)),
    binaryLayerBits: sum((r) => (r.binary ? r.bitsBinary : 0)),
  };
}

/** The shapes timed in the page: the cnn's conv2, then layers with more channels (fuller 32-bit words). */
export const TIMING_SHAPES: readonly (ConvShape & { label: string })[] = [
  { label: 'the CNN’s conv2', h: 12, w: 12, c: 16, k: 5, f: 32 },
  { label: '64 channels', h: 10, w: 10, c: 64, k: 3, f: 64 },
  { label: '256 channels', h: 8, w: 8, c: 256, k: 3, f: 64 },
  { label: '512 channels', h: 6, w: 6, c: 512, k: 3, f: 64 },
];

export const macsOf = (s: ConvShape) => outputSize(s).size * s.k * s.k * s.c;

/**
 * Seeded values uniform in [−1, 1), the input and weights of a timed layer (only their signs matter to XNOR, and the
 * float kernels' time not at all). Uniform, not Gaussian: a shape's 300,000 Gaussian draws took 40–130 ms of main
 * thread in the step that makes it; one draw each is a fraction of that.
 */
export function randomValues(n: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * rng() - 1;
  return out;
}

/** Untimed runs of each JavaScript kernel before its first sample (the JIT compiles hot loops after a few calls). */
const JS_WARMUP = 4;

export type TimedPath = 'tf' | 'js' | 'xnor';
export const TIMED_PATHS: readonly TimedPath[] = ['tf', 'js', 'xnor'];
/**
 * Untimed runs of each path before a shape's first sample: the two JavaScript kernels past the engine's baseline
 * tiers, so the samples time optimised code. One run per step (a cold JavaScript run of the larger shapes takes
 * several times a warm one's ~10 ms).
 */
export const WARMUPS: Record<TimedPath, number> = { tf: 1, js: JS_WARMUP + 1, xnor: JS_WARMUP + 1 };

/**
 * The binary convolution of {@link xnorConv} on float inputs, packing the input's signs first (as a layer must at
 * run time; the kernel's are packed once, ahead).
 */
export function xnorConvFloat(input: Float32Array, packedKernel: Uint32Array, s: ConvShape, buf?: { packed: Uint32Array; out: Int32Array }): Int32Array {
  const packed = packInput(input, s.h * s.w, s.c, buf?.packed);
  return xnorConv(packed, packedKernel, s, buf?.out);
}

/**
 * sign(I) ⊛ sign(W) with tfjs's conv2d (floats), the reference the packed kernel must equal exactly. Returns the
 * values in [h', w', f] order.
 */
export async function tfSignConv(input: Float32Array, kernel: Float32Array, s: ConvShape): Promise<Float32Array> {
  const y = tf.tidy(() => tf.conv2d(sign(tf.tensor4d(input, [1, s.h, s.w, s.c])) as tf.Tensor4D, sign(tf.tensor4d(kernel, [s.k, s.k, s.c, s.f])) as tf.Tensor4D, 1, 'valid'));
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

/**
 * Times one shape per configuration of `shapes` on the current backend: tfjs's float conv2d ('tf'), the float
 * loop of ./kernel.ts ('js') and the packed XNOR kernel including the packing of its input ('xnor'), `repeats`
 * samples each after a warm-up (runtime/timing.ts, split: one path, or one warm-up run, per step, so a step costs one
 * kernel's time).
 * The JavaScript paths hand the timer a scalar of their first output (a tensor is what it reads back). `now` is the
 * clock in milliseconds (performance.now by default).
 */
export function createXnorTiming(shapes: readonly ConvShape[] = TIMING_SHAPES, repeats = 5, seed = 1, now?: () => number): Simulation<SweepFrame<TimedPath>> {
  return createTimingSweep<TimedPath>({
    now,
    size: shapes.length,
    paths: TIMED_PATHS,
    split: true,
    warmups: WARMUPS,
    repeats,
    make(i) {
      const s = shapes[i];
      const input = randomValues(s.h * s.w * s.c, seed + 17 * i);
      const kernel = randomValues(s.k * s.k * s.c * s.f, seed + 17 * i + 1);
      const packedKernel = packKernel(kernel, s.k, s.c, s.f);
      const buf = { packed: new Uint32Array(s.h * s.w * wordsFor(s.c)), out: new Int32Array(outputSize(s).size) };
      const floatOut = new Float32Array(outputSize(s).size);
      const x = tf.tensor4d(input, [1, s.h, s.w, s.c]);
      const w = tf.tensor4d(kernel, [s.k, s.k, s.c, s.f]);
      return {
        tensors: [x, w],
        paths: {
          tf: () => tf.conv2d(x, w, 1, 'valid'),
          js: () => tf.scalar(floatConv(input, kernel, s, floatOut)[0]),
          xnor: () => tf.scalar(xnorConvFloat(input, packedKernel, s, buf)[0]),
        },
      };
    },
  });
}

/** The three networks scored so far: correct answers and digits seen, per mode. */
export type Scores = Record<BinaryMode, { correct: number; count: number }>;

export interface XnorFrame {
  steps: number;
  scores: Scores;
  /** Digits scored per mode so far (the same digits for all three). */
  scored: number;
  /** Kernel timings once scoring is done (null before). */
  timing: SweepFrame<TimedPath> | null;
  done: boolean;
}

/** The weights of the three networks: the shipped cnn and the latent weights of cnn-bwn and cnn-xnor. */
export type Networks = Record<BinaryMode, CnnWeights>;

export interface XnorOptions {
  /** Digits per mode scored in one step. */
  batch: number;
  /** Timed samples per shape. */
  repeats: number;
  shapes?: readonly ConvShape[];
}

/** Steps the whole demo takes: the test digits in batches, then the timing sweep. */
export const demoSteps = (digits: number, o: XnorOptions) =>
  Math.ceil(digits / o.batch) + sweepSteps((o.shapes ?? TIMING_SHAPES).length, o.repeats, TIMED_PATHS.length, TIMED_PATHS.reduce((n, p) => n + WARMUPS[p], 0));

/**
 * The demo as a Simulation: each step first scores the next `batch` test digits with the three networks (real tfjs
 * ops on the current backend), then, once all digits are scored, takes one sample of the kernel timing sweep.
 * `test` labels must be digits 0–9. The networks' weights stay the caller's; dispose() frees the sweep's tensors.
 */
export function createXnorDemo(nets: Networks, test: MnistArrays, o: XnorOptions): Simulation<XnorFrame> {
  if (!(Number.isInteger(o.batch) && o.batch >= 1)) throw new RangeError(`batch must be a whole number ≥ 1, got ${o.batch}`);
  const scores: Scores = { full: { correct: 0, count: 0 }, bwn: { correct: 0, count: 0 }, xnor: { correct: 0, count: 0 } };
  let scored = 0;
  let steps = 0;
  let timing: Simulation<SweepFrame<TimedPath>> | null = null;
  let timed: SweepFrame<TimedPath> | null = null;
  let disposed = false;
  const total = demoSteps(test.count, o);

  async function once(): Promise<void> {
    if (scored < test.count) {
      const end = Math.min(scored + o.batch, test.count);
      for (const mode of ['full', 'bwn', 'xnor'] as const) {
        const got = await binaryPredict(nets[mode], mode, test, scored, end);
        for (let k = 0; k < got.length; k++) if (got[k] === test.labels[scored + k]) scores[mode].correct++;
        scores[mode].count += got.length;
      }
      scored = end;
      return;
    }
    timing ??= createXnorTiming(o.shapes, o.repeats);
    timed = await timing.step(1);
  }

  const frame = (): XnorFrame => ({
    steps,
    scores: { full: { ...scores.full }, bwn: { ...scores.bwn }, xnor: { ...scores.xnor } },
    scored,
    timing: timed,
    done: steps >= total,
  });

  return {
    async step(k: number) {
      if (disposed) throw new Error('the XNOR demo was disposed');
      for (let i = 0; i < k && steps < total; i++) {
        await once();
        steps++;
      }
      return frame();
    },
    dispose() {
      disposed = true;
      timing?.dispose();
      timing = null;
    },
  };
}

/** conv2's latent kernel [5, 5, 16, 32] as an array, and α per filter (‖W‖₁/n over its 400 weights), read back once. */
export async function conv2Arrays(w: CnnWeights): Promise<{ kernel: Float32Array; alphas: Float32Array; shape: number[] }> {
  const alphaT = filterScales(w.conv2);
  try {
    const [kernel, alphas] = await Promise.all([w.conv2.data(), alphaT.data()]);
    return { kernel: Float32Array.from(kernel), alphas: Float32Array.from(alphas), shape: [...w.conv2.shape] };
  } finally {
    alphaT.dispose();
  }
}

/**
 * One conv2 filter's taps for one input channel (k×k, row-major) before binarising, and after: α·sign(W).
 * `kernel` in [k, k, c, f] order (see {@link conv2Arrays}).
 */
export function filterSlice(c: { kernel: Float32Array; alphas: Float32Array; shape: number[] }, filter: number, channel: number): { latent: Float32Array; binary: Float32Array; alpha: number } {
  const [kh, kw, cin, cout] = c.shape;
  if (!(Number.isInteger(filter) && filter >= 0 && filter < cout && Number.isInteger(channel) && channel >= 0 && channel < cin)) {
    throw new RangeError(`conv2 has ${cout} filters of ${cin} channels; asked for filter ${filter}, channel ${channel}`);
  }
  const alpha = c.alphas[filter];
  const latent = new Float32Array(kh * kw);
  const binary = new Float32Array(kh * kw);
  for (let t = 0; t < kh * kw; t++) {
    latent[t] = c.kernel[(t * cin + channel) * cout + filter];
    binary[t] = (latent[t] >= 0 ? 1 : -1) * alpha;
  }
  return { latent, binary, alpha };
}
