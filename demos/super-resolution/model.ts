/**
 * Two tiny restoration networks on MNIST digits, trained by ./train.ts in a worker:
 *
 * - an ESPCN (Shi et al. 2016) for ×2 or ×3 super-resolution: the low-resolution digit (area-downsampled from
 *   the top-left 28×28 or 27×27 of the digit) goes through a 5×5 and a 3×3 convolution with tanh and a 3×3
 *   convolution to r² channels, all at low resolution; a pixel shuffle (depth-to-space) rearranges the r²
 *   channels of each low-resolution pixel into its r×r block of the output;
 * - a DnCNN-style denoiser (Zhang et al. 2017): four 3×3 convolutions (ReLU; batch normalization in the middle
 *   two) predict the noise v of y = x + v, and the estimate is x̂ = y − R(y) (residual learning).
 *
 * Held-out inputs come from MNIST test digits, never from the training digits. Pure: no React, no DOM.
 */
import { tf } from '../runtime/tf';
import { gaussian, mulberry32, type Rng } from '../runtime/random';
import { createFlatTrainer, type FlatTrainer, type ParamInit } from '../runtime/train';
import { areaDownsample, bicubicUpsample } from '../runtime/resample';
import { psnr, ssim } from '../runtime/image-quality';
import type { MnistArrays } from '../runtime/data/idx';

/** Upscaling factors the demo offers. */
export type Scale = 2 | 3;
/** Side of an MNIST digit. */
export const SIDE = 28;
/** Side of the high-resolution target (28 for ×2, 27 for ×3) and of its low-resolution input (14, 9). */
export const lrSide = (r: Scale) => Math.floor(SIDE / r);
export const hrSide = (r: Scale) => r * lrSide(r);

function checkScale(r: number): asserts r is Scale {
  if (r !== 2 && r !== 3) throw new RangeError(`scale must be 2 or 3, got ${r}`);
}

// ───────────────────────────── data ─────────────────────────────

/** The top-left hrSide × hrSide of digits [start, end) in [0, 1], stacked row-major. */
export function hrImages(data: MnistArrays, start: number, end: number, r: Scale): Float32Array {
  checkScale(r);
  const s = hrSide(r);
  const out = new Float32Array((end - start) * s * s);
  for (let n = start; n < end; n++)
    for (let y = 0; y < s; y++)
      for (let x = 0; x < s; x++) out[((n - start) * s + y) * s + x] = data.images[(n * data.rows + y) * data.cols + x] / 255;
  return out;
}

/** Applies `f` to each of `count` stacked images of `inSize` pixels; the results stacked. */
function each(images: Float32Array, count: number, inSize: number, f: (img: Float32Array) => Float32Array): Float32Array {
  let out: Float32Array | null = null;
  for (let i = 0; i < count; i++) {
    const o = f(images.subarray(i * inSize, (i + 1) * inSize));
    out ??= new Float32Array(count * o.length);
    out.set(o, i * o.length);
  }
  return out ?? new Float32Array(0);
}

/** Low-resolution inputs: each r×r block of the high-resolution images averaged (area downsampling). */
export function lowRes(hr: Float32Array, count: number, r: Scale): Float32Array {
  const s = hrSide(r);
  return each(hr, count, s * s, (img) => areaDownsample(img, s, s, r));
}

/** Bicubic (Keys, a = −0.5) upsampling of the low-resolution images, clipped to [0, 1]: the baseline. */
export function bicubic(lr: Float32Array, count: number, r: Scale): Float32Array {
  const s = lrSide(r);
  return each(lr, count, s * s, (img) => bicubicUpsample(img, s, s, r).map((v) => Math.min(1, Math.max(0, v))));
}

/** `clean` with independent Gaussian noise of deviation σ/255 added (not clipped: additive white Gaussian noise). */
export function addNoise(clean: Float32Array, sigma255: number, rng: Rng): Float32Array {
  const s = sigma255 / 255;
  return clean.map((v) => v + s * gaussian(rng));
}

/** A held-out set: test digits [0, count) with their low-resolution, bicubic and noisy versions. */
export interface HeldOut {
  count: number;
  scale: Scale;
  sigma: number;
  /** hrSide² pixels each. */
  hr: Float32Array;
  /** lrSide² pixels each. */
  lr: Float32Array;
  bicubic: Float32Array;
  /** The full 28×28 digits, and the same with noise (28² pixels each). */
  clean: Float32Array;
  noisy: Float32Array;
}

/**
 * The first `count` test digits prepared for both networks. The noise comes from one seeded stream in digit
 * order, so the first k digits of a larger set are the same k digits with the same noise (the page prepares
 * only the ones it shows; the worker scores all).
 */
export function heldOut(test: MnistArrays, count: number, scale: Scale, sigma: number, seed: number): HeldOut {
  checkScale(scale);
  if (count > test.count) throw new RangeError(`heldOut: ${count} digits asked, ${test.count} loaded`);
  const hr = hrImages(test, 0, count, scale);
  const lr = lowRes(hr, count, scale);
  const clean = new Float32Array(count * SIDE * SIDE);
  for (let i = 0; i < clean.length; i++) clean[i] = test.images[i] / 255;
  return { count, scale, sigma, hr, lr, bicubic: bicubic(lr, count, scale), clean, noisy: addNoise(clean, sigma, mulberry32(7_919 + seed)) };
}

/** PSNR (MAX = 1) and SSIM of each of `count` stacked side×side images against its reference, and their means. */
export interface Scores {
  psnr: number[];
  ssim: number[];
  meanPsnr: number;
  meanSsim: number;
}

export function score(x: Float32Array, ref: Float32Array, count: number, side: number): Scores {
  const n = side * side;
  const p: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < count; i++) {
    const a = x.subarray(i * n, (i + 1) * n);
    const b = ref.subarray(i * n, (i + 1) * n);
    p.push(psnr(a, b));
    s.push(ssim(a, b, side, side));
  }
  const mean = (v: number[]) => v.reduce((u, w) => u + w, 0) / Math.max(1, v.length);
  return { psnr: p, ssim: s, meanPsnr: mean(p), meanSsim: mean(s) };
}

// ───────────────────────────── the networks ─────────────────────────────

export type ParamName = string;

/** Seeded normal weights of deviation √(gain/fan-in) (`last`: a small deviation, so the start is near zero), zero biases. */
function convInit(rng: Rng, name: string, k: number, cin: number, cout: number, gain: number, last = false): ParamInit[] {
  const sd = last ? 1e-3 : Math.sqrt(gain / (k * k * cin));
  const w = new Float32Array(k * k * cin * cout);
  for (let j = 0; j < w.length; j++) w[j] = sd * gaussian(rng);
  return [
    { name: `${name}w`, shape: [k, k, cin, cout], values: w },
    { name: `${name}b`, shape: [cout], values: new Float32Array(cout) },
  ];
}

/** ESPCN's layers [kernel, in, out] at low resolution; the last has r² outputs. Half the paper's 64 and 32 maps. */
export const ESPCN_MAPS = [32, 16] as const;

/** ESPCN's parameters for factor r (LeCun-normal for the tanh layers); seeded. */
export function espcnInit(r: Scale, seed: number): ParamInit[] {
  checkScale(r);
  const rng = mulberry32(seed);
  const [m1, m2] = ESPCN_MAPS;
  return [...convInit(rng, 'c1', 5, 1, m1, 1), ...convInit(rng, 'c2', 3, m1, m2, 1), ...convInit(rng, 'c3', 3, m2, r * r, 1, true)];
}

/**
 * Depth-to-space for one output channel: [N, h, w, r²] → [N, h·r, w·r, 1], channel i·r + j of a pixel going to
 * offset (i, j) of its r×r block (tf.depthToSpace's order), written with reshape and transpose so that it has
 * a gradient (tfjs registers none for depthToSpace).
 */
export function pixelShuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (c !== r * r) throw new RangeError(`pixelShuffle: ${c} channels, expected r² = ${r * r}`);
  return tf.tidy(() => x.reshape([n, h, w, r, r]).transpose([0, 1, 3, 2, 4]).reshape([n, h * r, w * r, 1]));
}

const conv = (p: Readonly<Record<string, tf.Tensor>>, name: string, x: tf.Tensor4D) =>
  tf.add(tf.conv2d(x, p[`${name}w`] as tf.Tensor4D, 1, 'same'), p[`${name}b`]) as tf.Tensor4D;

/** ESPCN: [N, lr, lr, 1] low-resolution digits → [N, hr, hr, 1]. */
export function espcnForward(p: Readonly<Record<string, tf.Tensor>>, lr: tf.Tensor4D, r: Scale): tf.Tensor4D {
  return tf.tidy(() => pixelShuffle(conv(p, 'c3', tf.tanh(conv(p, 'c2', tf.tanh(conv(p, 'c1', lr))))), r));
}

/** DnCNN's feature maps; depth 4 (the paper's is 17 for a known σ). */
export const DNCNN_MAPS = 16;
const BN_EPS = 1e-5;

/** The denoiser's parameters: He-normal convolutions, BN scale 1 and shift 0, the last layer near zero; seeded. */
export function dncnnInit(seed: number): ParamInit[] {
  const rng = mulberry32(seed);
  const m = DNCNN_MAPS;
  const bn = (name: string): ParamInit[] => [
    { name: `${name}g`, shape: [m], values: new Float32Array(m).fill(1) },
    { name: `${name}s`, shape: [m], values: new Float32Array(m) },
  ];
  return [...convInit(rng, 'd1', 3, 1, m, 2), ...convInit(rng, 'd2', 3, m, m, 2), ...bn('n2'), ...convInit(rng, 'd3', 3, m, m, 2), ...bn('n3'), ...convInit(rng, 'd4', 3, m, 1, 2, true)];
}

/**
 * The denoiser: noisy digits y [N, 28, 28, 1] → x̂ = y − R(y). Batch normalization normalises each map by the
 * mean and variance over the batch (training), or, when `calib` is given, over `calib` alone: a fixed batch of
 * other noisy digits run through the network beside y, so that each held-out digit is normalised by the
 * statistics of the noisy-digit distribution, not by those of the digits it happens to be scored with.
 */
export function dncnnForward(p: Readonly<Record<string, tf.Tensor>>, y: tf.Tensor4D, calib?: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const nc = calib ? calib.shape[0] : 0;
    const bn = (h: tf.Tensor4D, name: string) => {
      const ref = nc ? h.slice([0, 0, 0, 0], [nc, -1, -1, -1]) : h;
      const { mean, variance } = tf.moments(ref, [0, 1, 2]);
      return tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, BN_EPS))), p[`${name}g`]), p[`${name}s`]) as tf.Tensor4D;
    };
    const x = calib ? tf.concat([calib, y], 0) : y;
    let h = tf.relu(conv(p, 'd1', x));
    h = tf.relu(bn(conv(p, 'd2', h), 'n2'));
    h = tf.relu(bn(conv(p, 'd3', h), 'n3'));
    const residual = conv(p, 'd4', h);
    const out = tf.sub(x, residual) as tf.Tensor4D;
    return nc ? out.slice([nc, 0, 0, 0], [-1, -1, -1, -1]) : out;
  });
}

/** Scalar parameters of each network. */
export function parameterCount(init: readonly ParamInit[]): number {
  return init.reduce((a, p) => a + p.values.length, 0);
}

/** Named tensors from a flat vector laid out as `init` (the trainer's order); the caller disposes (or tidies). */
function unflatten(init: readonly ParamInit[], flat: Float32Array, who: string): Record<string, tf.Tensor> {
  const size = parameterCount(init);
  if (flat.length !== size) throw new RangeError(`${who}: ${flat.length} parameters, expected ${size}`);
  const out: Record<string, tf.Tensor> = {};
  let at = 0;
  for (const q of init) {
    out[q.name] = tf.tensor(flat.subarray(at, at + q.values.length), q.shape);
    at += q.values.length;
  }
  return out;
}

/** The flat vector of an initialisation (what the trainer starts from). */
export function flatOf(init: readonly ParamInit[]): Float32Array {
  const flat = new Float32Array(parameterCount(init));
  let at = 0;
  for (const q of init) {
    flat.set(q.values, at);
    at += q.values.length;
  }
  return flat;
}

/** Noisy test digits the denoiser's batch normalization takes its statistics from at evaluation, and the first. */
export const CALIB = 32;
export const CALIB_START = 1000;

/** The two networks' outputs on the first `count` digits of `set`, clipped to [0, 1]: both in one read-back. */
export interface Restored {
  /** hrSide² pixels each. */
  sr: Float32Array;
  /** 28² pixels each. */
  dn: Float32Array;
}

function restoreTensors(sr: Readonly<Record<string, tf.Tensor>>, dn: Readonly<Record<string, tf.Tensor>>, set: HeldOut, count: number, calib: Float32Array): tf.Tensor1D {
  return tf.tidy(() => {
    const l = lrSide(set.scale);
    const a = espcnForward(sr, tf.tensor4d(set.lr.subarray(0, count * l * l), [count, l, l, 1]), set.scale);
    const c = tf.tensor4d(calib, [calib.length / (SIDE * SIDE), SIDE, SIDE, 1]);
    const b = dncnnForward(dn, tf.tensor4d(set.noisy.subarray(0, count * SIDE * SIDE), [count, SIDE, SIDE, 1]), c);
    return tf.clipByValue(tf.concat([a.flatten(), b.flatten()]), 0, 1) as tf.Tensor1D;
  });
}

function split(values: Float32Array, set: HeldOut, count: number): Restored {
  const n = count * hrSide(set.scale) ** 2;
  return { sr: values.slice(0, n), dn: values.slice(n) };
}

/**
 * What the page draws: both networks, given as flat parameter vectors (`srFlat` for ESPCN at the set's scale,
 * `dnFlat` for the denoiser), on the first `count` digits of `set`; `calib` the denoiser's BN batch (see
 * `calibration`). Frees what it makes.
 */
export async function restore(srFlat: Float32Array, dnFlat: Float32Array, set: HeldOut, count: number, calib: Float32Array): Promise<Restored> {
  const t = tf.tidy(() => restoreTensors(unflatten(espcnInit(set.scale, 0), srFlat, 'ESPCN'), unflatten(dncnnInit(0), dnFlat, 'DnCNN'), set, count, calib));
  const values = await t.data<'float32'>();
  t.dispose();
  return split(values, set, count);
}

/** The digits [from, set.count) of a held-out set, as a set of their own (views, no copies). */
export function shownPart(set: HeldOut, from: number): HeldOut {
  const hs = hrSide(set.scale) ** 2;
  const ls = lrSide(set.scale) ** 2;
  const px = SIDE * SIDE;
  return { ...set, count: set.count - from, hr: set.hr.subarray(from * hs), lr: set.lr.subarray(from * ls), bicubic: set.bicubic.subarray(from * hs), clean: set.clean.subarray(from * px), noisy: set.noisy.subarray(from * px) };
}

/** What the page asks for: both networks' parameters on the digits [from, set.count) of `set`, BN from `calib`. */
export interface ShownInput {
  sr: Float32Array;
  dn: Float32Array;
  set: HeldOut;
  calib: Float32Array;
  from: number;
}

/** The networks' outputs on the shown digits and PSNR / SSIM of every picture against its reference. */
export interface Shown {
  out: Restored;
  bicubic: Scores;
  espcn: Scores;
  noisy: Scores;
  denoised: Scores;
}

/**
 * The networks on the shown digits only (batch normalization takes its statistics from `calib`, so a digit's
 * result does not depend on the others), and the scores of every picture: bicubic and ESPCN against the
 * high-resolution digit, the noisy input and the denoised one against the clean digit.
 */
export async function restoreShown({ sr, dn, set, calib, from }: ShownInput): Promise<Shown> {
  const part = shownPart(set, from);
  const out = await restore(sr, dn, part, part.count, calib);
  const side = hrSide(set.scale);
  return {
    out,
    bicubic: score(part.bicubic, part.hr, part.count, side),
    espcn: score(out.sr, part.hr, part.count, side),
    noisy: score(part.noisy, part.clean, part.count, SIDE),
    denoised: score(out.dn, part.clean, part.count, SIDE),
  };
}

/**
 * The denoiser's BN batch at evaluation: test digits [CALIB_START, CALIB_START + CALIB) with noise of σ. Only
 * their noisy versions are used, and never scored: the held-out set is the first ≤ 100 test digits.
 */
export function calibration(test: MnistArrays, sigma: number, seed: number): Float32Array {
  if (test.count < CALIB_START + CALIB) throw new RangeError(`calibration: needs ${CALIB_START + CALIB} test digits, ${test.count} loaded`);
  const n = SIDE * SIDE;
  const clean = new Float32Array(CALIB * n);
  for (let i = 0; i < clean.length; i++) clean[i] = test.images[CALIB_START * n + i] / 255;
  return addNoise(clean, sigma, mulberry32(104_729 + seed));
}

// ───────────────────────────── training ─────────────────────────────

export interface RestorerConfig {
  seed: number;
  scale: Scale;
  /** Noise deviation on the 0–255 scale. */
  sigma: number;
  batchSize: number;
  /** Adam's rate; a tenth of it over the last quarter of `total` steps. */
  lr: number;
  total: number;
}

export const DEFAULT_CONFIG: RestorerConfig = { seed: 1, scale: 2, sigma: 25, batchSize: 16, lr: 0.003, total: 600 };

/** The rate at step t of T: lr, then lr/10 from ¾T on. */
export function rateAt(lr: number, t: number, total: number): number {
  return t < 0.75 * total ? lr : lr / 10;
}

export interface Restorers {
  readonly steps: number;
  /** `k` steps of Adam for each network on fresh batches; the two mean losses (MSE) over them. */
  train(k: number): Promise<{ sr: number; dn: number }>;
  /** Both networks on the first `count` digits of `set`, clipped to [0, 1], in one read-back; `calib` the BN batch. */
  restore(set: HeldOut, calib: Float32Array, count?: number): Promise<Restored>;
  /** The current parameters of each network. */
  read(): Promise<{ sr: Float32Array; dn: Float32Array }>;
  dispose(): void;
}

/** ESPCN and the denoiser, trained side by side with Adam on `train` digits; seeded (initialisation, batches, noise). */
export function createRestorers(train: MnistArrays, cfg: RestorerConfig = DEFAULT_CONFIG): Restorers {
  checkScale(cfg.scale);
  if (!(Number.isInteger(cfg.batchSize) && cfg.batchSize >= 1)) throw new RangeError(`batch size must be a whole number ≥ 1, got ${cfg.batchSize}`);
  if (!(cfg.sigma >= 0 && cfg.sigma <= 255)) throw new RangeError(`σ must be between 0 and 255, got ${cfg.sigma}`);
  const r = cfg.scale;
  const [h, l, n] = [hrSide(r), lrSide(r), cfg.batchSize];
  const rng = mulberry32(cfg.seed ^ 0x2545f491);
  const mseLoss = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.squaredDifference(a, b)) as tf.Scalar;
  const sr: FlatTrainer = createFlatTrainer(espcnInit(r, cfg.seed), (p, x, t) => mseLoss(espcnForward(p, x as tf.Tensor4D, r), t), { kind: 'adam', lr: cfg.lr });
  const dn: FlatTrainer = createFlatTrainer(dncnnInit(cfg.seed + 1), (p, y, x) => mseLoss(dncnnForward(p, y as tf.Tensor4D), x), { kind: 'adam', lr: cfg.lr });
  const px = SIDE * SIDE;
  const clean = new Float32Array(n * px);
  let disposed = false;
  return {
    get steps() {
      return sr.steps;
    },
    async train(k) {
      for (let s = 0; s < k; s++) {
        const rate = rateAt(cfg.lr, sr.steps, cfg.total);
        sr.setLearningRate(rate);
        dn.setLearningRate(rate);
        for (let i = 0; i < n; i++) {
          const j = Math.floor(rng() * train.count);
          for (let q = 0; q < px; q++) clean[i * px + q] = train.images[j * px + q] / 255;
        }
        const hr = new Float32Array(n * h * h);
        for (let i = 0; i < n; i++) for (let y = 0; y < h; y++) hr.set(clean.subarray(i * px + y * SIDE, i * px + y * SIDE + h), (i * h + y) * h);
        const lr = lowRes(hr, n, r);
        const noisy = addNoise(clean, cfg.sigma, rng);
        tf.tidy(() => {
          sr.step(tf.tensor4d(lr, [n, l, l, 1]), tf.tensor4d(hr, [n, h, h, 1]));
          dn.step(tf.tensor4d(noisy, [n, SIDE, SIDE, 1]), tf.tensor4d(clean, [n, SIDE, SIDE, 1]));
        });
      }
      const t = tf.tidy(() => tf.stack([sr.meanLossTensor(), dn.meanLossTensor()]));
      const v = await t.data();
      t.dispose();
      return { sr: v[0], dn: v[1] };
    },
    async restore(set, calib, count = set.count) {
      if (set.scale !== r) throw new RangeError(`restore: a ×${set.scale} set for a ×${r} network`);
      const t = restoreTensors(sr.current(), dn.current(), set, count, calib);
      const values = await t.data<'float32'>();
      t.dispose();
      return split(values, set, count);
    },
    async read() {
      return { sr: await sr.read(), dn: await dn.read() };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      sr.dispose();
      dn.dispose();
    },
  };
}

/** The parameters both networks start from for a run of `seed` at factor `scale` (what `createRestorers` trains). */
export function initialFlats(scale: Scale, seed: number): { sr: Float32Array; dn: Float32Array } {
  return { sr: flatOf(espcnInit(scale, seed)), dn: flatOf(dncnnInit(seed + 1)) };
}
