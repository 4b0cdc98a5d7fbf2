/**
 * LIME (Ribeiro, Singh & Guestrin 2016) on a digit: the image is cut into segments, segments are switched off
 * at random, the network scores each perturbed image, and a linear model of "which segments are on" is fitted
 * to those scores, weighted by how close each sample is to the original. Its weights are the explanation.
 * Run once per seed, ten times, so the page can show how much the explanation moves between runs.
 * Pure: no React, no DOM; tfjs only to run the network.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import { MNIST_SIDE } from '../runtime/data/preprocess';

const SIDE = MNIST_SIDE;
const PIXELS = SIDE * SIDE;

/** Pixel → segment index for square blocks of `block` pixels (the last row and column of blocks may be smaller). */
export function gridSegments(block: number): { segmentOf: Int32Array; count: number } {
  if (!(Number.isInteger(block) && block >= 1 && block <= SIDE)) throw new RangeError(`the block side must be a whole number of pixels 1–${SIDE}, got ${block}`);
  const per = Math.ceil(SIDE / block);
  const segmentOf = new Int32Array(PIXELS);
  for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) segmentOf[y * SIDE + x] = Math.floor(y / block) * per + Math.floor(x / block);
  return { segmentOf, count: per * per };
}

/**
 * LIME's proximity kernel on the binary "segments on" vectors: the cosine distance d to the all-on original,
 * then π = √exp(−d²/σ²), as the reference implementation computes it for images (σ = 0.25 by default).
 */
export function proximity(z: ArrayLike<number>, width: number): number {
  let on = 0;
  for (let i = 0; i < z.length; i++) on += z[i];
  const cosine = on > 0 ? on / Math.sqrt(on * z.length) : 0; // z·1 / (‖z‖ ‖1‖) for a 0/1 vector
  const d = 1 - cosine;
  return Math.sqrt(Math.exp(-(d * d) / (width * width)));
}

/**
 * Weighted ridge regression with an unpenalised intercept: minimises Σᵢ πᵢ (yᵢ − b − zᵢ·β)² + λ‖β‖², solved
 * in float64 by Cholesky on the (d+1)×(d+1) normal equations. Returns β and b.
 */
export function weightedRidge(Z: Float64Array, y: ArrayLike<number>, w: ArrayLike<number>, d: number, lambda: number): { coef: Float64Array; intercept: number } {
  const n = y.length;
  if (Z.length !== n * d || w.length !== n) throw new RangeError('weightedRidge: Z must be n×d, with one weight per sample');
  const m = d + 1; // the last column is the intercept
  const A = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = Z[i * d + j];
    row[d] = 1;
    const wi = w[i];
    for (let a = 0; a < m; a++) {
      if (row[a] === 0) continue;
      const wa = wi * row[a];
      rhs[a] += wa * y[i];
      for (let b = 0; b < m; b++) A[a * m + b] += wa * row[b];
    }
  }
  for (let j = 0; j < d; j++) A[j * m + j] += lambda;
  // Cholesky A = LLᵀ; a tiny jitter keeps a segment that never varies from making A singular when λ = 0.
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * m + j];
      for (let k = 0; k < j; k++) s -= L[i * m + k] * L[j * m + k];
      L[i * m + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * m + j];
    }
  }
  const t = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = rhs[i];
    for (let k = 0; k < i; k++) s -= L[i * m + k] * t[k];
    t[i] = s / L[i * m + i];
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = t[i];
    for (let k = i + 1; k < m; k++) s -= L[k * m + i] * x[k];
    x[i] = s / L[i * m + i];
  }
  return { coef: x.slice(0, d), intercept: x[d] };
}

/** The k segments with the largest weights (positive evidence for the class), best first. */
export function topSegments(coef: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: coef.length }, (_, i) => i)
    .filter((i) => coef[i] > 0)
    .sort((a, b) => coef[b] - coef[a])
    .slice(0, k);
}

/** Jaccard overlap |A ∩ B| / |A ∪ B| of two sets of segments (1 for two empty sets). */
export function jaccard(a: readonly number[], b: readonly number[]): number {
  const sa = new Set(a);
  const inter = b.filter((x) => sa.has(x)).length;
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 1 : inter / union;
}

/** Mean Jaccard overlap of the top-k sets over every pair of runs: 1 when every seed picks the same segments. */
export function agreement(tops: readonly number[][]): number {
  let s = 0;
  let pairs = 0;
  for (let i = 0; i < tops.length; i++) for (let j = i + 1; j < tops.length; j++) (s += jaccard(tops[i], tops[j])), pairs++;
  return pairs > 0 ? s / pairs : NaN;
}

export interface LimeConfig {
  /** Side of the square segments in pixels. */
  block: number;
  /** Perturbed samples per run (the first is the original image). */
  samples: number;
  /** Independent runs, seeds seed, seed + 1, … */
  runs: number;
  seed: number;
  /** Kernel width σ of the proximity kernel. */
  width: number;
  /** What an "off" segment shows: 0 = black (MNIST's background), 0.5 = grey. */
  fill: number;
  /** Ridge penalty λ (the reference implementation's Ridge(alpha = 1)). */
  lambda: number;
  /** Samples scored per network call. */
  batch: number;
}

export const DEFAULT_LIME: LimeConfig = { block: 4, samples: 500, runs: 10, seed: 1, width: 0.25, fill: 0, lambda: 1, batch: 50 };

/** Segments shown as the explanation, by default. */
export const DEFAULT_K = 5;

/** What the page draws after a step. */
export interface LimeFrame {
  /** Network calls made so far, and how many the whole explanation takes. */
  steps: number;
  total: number;
  /** Perturbed digits scored so far, and runs in all. */
  scored: number;
  runsTotal: number;
  /** The class explained and the network's probability for it on the original image. */
  cls: number;
  prob: number;
  segments: number;
  /** One surrogate per finished run: its weight per segment and its intercept. */
  runs: Surrogate[];
}

export interface Surrogate {
  coef: Float64Array;
  intercept: number;
}

/** What the runs agree on: each segment's mean weight and its standard deviation, each run's top k, their agreement. */
export interface RunSummary {
  mean: Float64Array;
  std: Float64Array;
  tops: number[][];
  agreement: number;
}

/** Summarises finished runs for the page (k can change without running LIME again). */
export function summarizeRuns(runs: readonly Surrogate[], segments: number, k: number): RunSummary {
  const mean = new Float64Array(segments);
  const std = new Float64Array(segments);
  for (const r of runs) for (let j = 0; j < segments; j++) mean[j] += r.coef[j] / runs.length;
  if (runs.length > 1) {
    for (const r of runs) for (let j = 0; j < segments; j++) std[j] += (r.coef[j] - mean[j]) ** 2 / (runs.length - 1);
    for (let j = 0; j < segments; j++) std[j] = Math.sqrt(std[j]);
  }
  const tops = runs.map((r) => topSegments(r.coef, k));
  return { mean, std, tops, agreement: agreement(tops) };
}

export interface LimeRun {
  readonly config: LimeConfig;
  readonly segmentOf: Int32Array;
  /** Scores up to k more batches of perturbed digits (none past the last run), fitting a surrogate whenever a run completes. */
  step(k: number): Promise<LimeFrame>;
  dispose(): void;
}

/** Checks a configuration, with a message a reader can act on. */
export function checkLime(cfg: LimeConfig): void {
  gridSegments(cfg.block);
  if (!(Number.isInteger(cfg.samples) && cfg.samples >= 10 && cfg.samples <= 20000)) throw new RangeError(`samples must be a whole number 10–20,000, got ${cfg.samples}`);
  if (!(Number.isInteger(cfg.runs) && cfg.runs >= 1 && cfg.runs <= 50)) throw new RangeError(`runs must be 1–50, got ${cfg.runs}`);
  if (!(cfg.width > 0)) throw new RangeError(`the kernel width must be positive, got ${cfg.width}`);
  if (!(cfg.fill >= 0 && cfg.fill <= 1)) throw new RangeError(`the fill must be a pixel value in [0, 1], got ${cfg.fill}`);
  if (!(cfg.lambda >= 0)) throw new RangeError(`λ must be ≥ 0, got ${cfg.lambda}`);
  if (!(Number.isInteger(cfg.batch) && cfg.batch >= 1)) throw new RangeError(`the batch must be a positive whole number, got ${cfg.batch}`);
}

/**
 * LIME on one digit for class `cls` ('top': the network's prediction), `config.runs` times with consecutive
 * seeds. Each run draws its on/off masks like the reference implementation (every segment on with
 * probability ½; the first sample is the original), scores them with `model` in batches, and fits the
 * weighted ridge surrogate on the probabilities of `cls`.
 */
export function createLimeRun(model: tf.LayersModel, pixels: Float32Array, cls: number | 'top', config: Partial<LimeConfig> = {}): LimeRun {
  const cfg: LimeConfig = { ...DEFAULT_LIME, ...config };
  checkLime(cfg);
  if (pixels.length !== PIXELS) throw new RangeError(`LIME needs ${PIXELS} pixels, got ${pixels.length}`);
  if (cls !== 'top' && !(Number.isInteger(cls) && cls >= 0 && cls < 10)) throw new RangeError(`the class must be a digit 0–9, got ${cls}`);
  const { segmentOf, count: d } = gridSegments(cfg.block);
  const batchesPerRun = Math.ceil(cfg.samples / cfg.batch);
  const total = batchesPerRun * cfg.runs;
  const image = tf.keep(tf.tensor4d(pixels, [1, SIDE, SIDE, 1]));
  let target = cls === 'top' ? -1 : cls;
  let prob = NaN;
  let calls = 0;
  let scored = 0;
  let disposed = false;
  // The run in progress: its masks (n × d, 0/1) and the scores so far.
  let masks = new Float64Array(0);
  let scores = new Float64Array(0);
  const runs: LimeFrame['runs'] = [];

  const startRun = (r: number) => {
    const rng = mulberry32(cfg.seed + r);
    masks = new Float64Array(cfg.samples * d);
    scores = new Float64Array(cfg.samples);
    masks.fill(1, 0, d); // sample 0: the original image
    for (let i = d; i < masks.length; i++) masks[i] = rng() < 0.5 ? 1 : 0;
  };

  const frame = (): LimeFrame => ({ steps: calls, total, scored, runsTotal: cfg.runs, cls: target, prob, segments: d, runs: runs.slice() });

  return {
    config: cfg,
    segmentOf,
    async step(k: number): Promise<LimeFrame> {
      if (disposed) throw new Error('LIME run used after dispose');
      if (target < 0 || Number.isNaN(prob)) {
        const p = await readAndDispose(tf.tidy(() => (model.predict(image) as tf.Tensor).reshape([-1])));
        if (target < 0) target = p.indexOf(Math.max(...p));
        prob = p[target];
      }
      for (let done = 0; done < k && calls < total; done++) {
        const r = Math.floor(calls / batchesPerRun);
        const b = calls % batchesPerRun;
        if (b === 0) startRun(r);
        const from = b * cfg.batch;
        const n = Math.min(cfg.batch, cfg.samples - from);
        // Per sample, a pixel mask: 1 keeps the digit's pixel, 0 shows the fill.
        const keep = new Float32Array(n * PIXELS);
        for (let i = 0; i < n; i++) for (let p = 0; p < PIXELS; p++) keep[i * PIXELS + p] = masks[(from + i) * d + segmentOf[p]];
        const out = tf.tidy(() => {
          const m = tf.tensor4d(keep, [n, SIDE, SIDE, 1]);
          const x = tf.add(tf.mul(m, image), tf.mul(tf.sub(1, m), cfg.fill));
          return tf.slice(model.predict(x) as tf.Tensor2D, [0, target], [n, 1]).reshape([-1]);
        });
        const y = await readAndDispose(out);
        scores.set(y, from);
        calls++;
        scored += n;
        if (b === batchesPerRun - 1) {
          const w = new Float64Array(cfg.samples);
          for (let i = 0; i < cfg.samples; i++) w[i] = proximity(masks.subarray(i * d, (i + 1) * d), cfg.width);
          const { coef, intercept } = weightedRidge(masks, scores, w, d, cfg.lambda);
          runs.push({ coef, intercept });
        }
      }
      return frame();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      image.dispose();
    },
  };
}

/** A per-segment value spread over the 28×28 pixels (to draw weights and their spread as images). */
export function segmentImage(values: ArrayLike<number>, segmentOf: Int32Array): Float32Array {
  return Float32Array.from(segmentOf, (s) => values[s]);
}
