/**
 * Szegedy et al.'s first property (arXiv:1312.6199, section 3): the images of a held-out set that most excite
 * one unit of a hidden layer, x′ = arg max ⟨φ(x), eᵢ⟩, look no more alike than those that most excite a random
 * direction of the same layer, x′ = arg max ⟨φ(x), v⟩. Here φ is the 128-unit fully connected layer `fc1` (after
 * its ReLU) of the shipped `cnn`, the set is MNIST test digits, and v is a seeded Gaussian direction.
 *
 * The features are computed in chunks (one forward pass and one read-back per step), so a view can show the
 * ranking grow over a few thousand digits without freezing the page. Once every digit is in, the run also
 * measures how "pure" the top images are (the share of the most common label among them) for every unit and
 * for as many random directions, a few directions per step.
 */
import { readAndDispose, tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { batchTensors, range } from '../runtime/models/classify';
import { gaussian, mulberry32 } from '../runtime/random';
import type { Simulation } from '../runtime/simulation';
import { createBoxAttack, PIXELS, predictProbs, rmsDistortion, rowArgMax, type BoxAttackConfig } from './attack';

/** The layer whose units are compared with random directions. */
export const FEATURE_LAYER = 'fc1';

/** φ(x): the output of layer `layer` of a sequential model (inference mode), flattened to [n, D]. */
export function features(model: tf.LayersModel, x: tf.Tensor4D, layer = FEATURE_LAYER): tf.Tensor2D {
  return tf.tidy(() => {
    let h: tf.Tensor = x;
    for (const l of model.layers) {
      h = l.apply(h, { training: false }) as tf.Tensor;
      if (l.name === layer) return h.reshape([h.shape[0], -1]) as tf.Tensor2D;
    }
    throw new Error(`features: the model has no layer named ${layer}`);
  });
}

/** A unit vector of dimension `dim` in a seeded Gaussian direction (uniform on the sphere). */
export function randomDirection(dim: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const v = new Float32Array(dim);
  let s = 0;
  for (let i = 0; i < dim; i++) {
    v[i] = gaussian(rng);
    s += v[i] * v[i];
  }
  const norm = Math.sqrt(s);
  for (let i = 0; i < dim; i++) v[i] /= norm;
  return v;
}

/** ⟨φ(x_j), v⟩ for the first `count` rows of a row-major count × dim feature matrix. */
export function projectOnto(feats: Float32Array, dim: number, count: number, v: ArrayLike<number>): Float32Array {
  const out = new Float32Array(count);
  for (let j = 0; j < count; j++) {
    let s = 0;
    const o = j * dim;
    for (let i = 0; i < dim; i++) s += feats[o + i] * v[i];
    out[j] = s;
  }
  return out;
}

/** Column `unit` of a row-major count × dim matrix: ⟨φ(x_j), e_unit⟩. */
export function column(feats: Float32Array, dim: number, count: number, unit: number): Float32Array {
  const out = new Float32Array(count);
  for (let j = 0; j < count; j++) out[j] = feats[j * dim + unit];
  return out;
}

/** Indices of the `k` largest scores, largest first (ties: the earlier index first). */
export function topK(scores: ArrayLike<number>, k: number): Int32Array {
  const idx: number[] = [];
  for (let j = 0; j < scores.length; j++) {
    if (idx.length === k && !(scores[j] > scores[idx[k - 1]])) continue;
    let p = Math.min(idx.length, k - 1);
    if (idx.length < k) idx.push(j);
    while (p > 0 && scores[j] > scores[idx[p - 1]]) {
      idx[p] = idx[p - 1];
      p--;
    }
    idx[p] = j;
  }
  return Int32Array.from(idx);
}

/** The share of the most common label among `indices` (1: all alike; 1/k at most k different labels). */
export function purity(indices: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (indices.length === 0) return NaN;
  const counts = new Map<number, number>();
  let most = 0;
  for (let i = 0; i < indices.length; i++) {
    const c = (counts.get(labels[indices[i]]) ?? 0) + 1;
    counts.set(labels[indices[i]], c);
    most = Math.max(most, c);
  }
  return most / indices.length;
}

/** Settings of an excitation run. */
export interface ExcitationConfig {
  /** The unit eᵢ compared (0 … D − 1). */
  unit: number;
  /** Seeds the random direction v shown, and (from it) the directions of the purity survey. */
  seed: number;
  /** Test digits searched (the first `count` of `data`). */
  count: number;
  /** Images shown per ranking. */
  k: number;
  /** Digits per forward pass. */
  chunk: number;
  /** Random directions in the survey (default: as many as there are units). */
  directions?: number;
}

export const EXCITATION_DEFAULTS = { k: 9, chunk: 50 } as const;

/** What the view draws. */
export interface ExcitationFrame {
  /** Digits whose features are in, of `total`. */
  done: number;
  total: number;
  dim: number;
  /** The top-k digits (indices into the data) for the unit and for the direction, and their scores. */
  unitTop: Int32Array;
  unitScores: Float32Array;
  dirTop: Int32Array;
  dirScores: Float32Array;
  /** Their labels' purity. */
  unitPurity: number;
  dirPurity: number;
  /** The survey: units and random directions done so far, and the mean purity of each family's top-k. */
  survey: { units: number; dead: number; directions: number; of: number; unitMean: number; dirMean: number };
  /** True when the features and the survey are complete. */
  finished: boolean;
}

/** The excitation run as a simulation: each step pushes one chunk of digits through φ, or (after) surveys directions. */
export function createExcitation(model: tf.LayersModel, data: MnistArrays, config: Partial<ExcitationConfig> & { unit: number; seed: number }): Simulation<ExcitationFrame> {
  const cfg: ExcitationConfig = { count: data.count, ...EXCITATION_DEFAULTS, ...config };
  const total = Math.min(cfg.count, data.count);
  if (!(Number.isInteger(total) && total >= 1)) throw new RangeError(`createExcitation: need at least one digit, got ${cfg.count}`);
  const dim = (model.getLayer(FEATURE_LAYER).outputShape as number[]).slice(1).reduce((a, b) => a * b, 1);
  if (!(Number.isInteger(cfg.unit) && cfg.unit >= 0 && cfg.unit < dim)) throw new RangeError(`unit must be a whole number from 0 to ${dim - 1}, got ${cfg.unit}`);
  if (!(Number.isInteger(cfg.k) && cfg.k >= 1)) throw new RangeError(`k must be a whole number ≥ 1, got ${cfg.k}`);
  const classes = (model.outputs[0].shape as number[])[1];
  const feats = new Float32Array(total * dim);
  const v = randomDirection(dim, cfg.seed);
  const nDirs = cfg.directions ?? dim;
  let done = 0;
  let unitsSurveyed = 0;
  let dead = 0;
  let dirsSurveyed = 0;
  let unitSum = 0;
  let dirSum = 0;
  const labels = data.labels;

  const surveyOne = () => {
    if (unitsSurveyed < dim) {
      const s = column(feats, dim, total, unitsSurveyed++);
      const top = topK(s, cfg.k);
      // A unit that never fires on these digits ranks them arbitrarily: it is left out of the mean.
      if (s[top[0]] > 0) unitSum += purity(top, labels);
      else dead++;
    } else if (dirsSurveyed < nDirs) {
      const dir = randomDirection(dim, cfg.seed * 7919 + 1 + dirsSurveyed++);
      dirSum += purity(topK(projectOnto(feats, dim, total, dir), cfg.k), labels);
    }
  };

  const frame = (): ExcitationFrame => {
    const us = column(feats, dim, done, cfg.unit);
    const ds = projectOnto(feats, dim, done, v);
    const unitTop = topK(us, cfg.k);
    const dirTop = topK(ds, cfg.k);
    const live = unitsSurveyed - dead;
    return {
      done,
      total,
      dim,
      unitTop,
      unitScores: Float32Array.from(unitTop, (j) => us[j]),
      dirTop,
      dirScores: Float32Array.from(dirTop, (j) => ds[j]),
      unitPurity: purity(unitTop, labels),
      dirPurity: purity(dirTop, labels),
      survey: { units: unitsSurveyed, dead, directions: dirsSurveyed, of: nDirs, unitMean: live ? unitSum / live : NaN, dirMean: dirsSurveyed ? dirSum / dirsSurveyed : NaN },
      finished: done === total && unitsSurveyed === dim && dirsSurveyed === nDirs,
    };
  };

  let disposed = false;
  return {
    async step(k: number): Promise<ExcitationFrame> {
      if (disposed) throw new Error('createExcitation: step after dispose');
      // The first call, even k = 0, ranks a first chunk: the view has something to show at once.
      const chunks = Math.min(done === 0 ? Math.max(k, 1) : k, Math.ceil((total - done) / cfg.chunk));
      if (chunks > 0) {
        const end = Math.min(total, done + chunks * cfg.chunk);
        const out = tf.tidy(() => {
          const { x } = batchTensors(data, range(done, end), classes);
          return features(model, x);
        });
        feats.set(await readAndDispose(out), done * dim);
        done = end;
      }
      // Steps left after the features are in survey 16 units or directions each.
      for (let i = chunks; i < k; i++) for (let j = 0; j < 16; j++) surveyOne();
      return frame();
    },
    dispose() {
      disposed = true;
    },
  };
}

/** One digit attacked on the source network and tried on the target network. */
export interface DigitTransferFrame {
  steps: number;
  total: number;
  round: number;
  done: boolean;
  /** The attack's class and the current c. */
  goal: number;
  c: number;
  /** ‖r‖₂ of the current iterate and of the smallest success (Infinity: none yet). */
  norm: number;
  bestNorm: number;
  /** RMS distortion √(Σr²/784) of the smallest success (NaN: none yet). */
  distortion: number;
  /** The adversarial digit x + r (the smallest success, else the current iterate) and its r. */
  image: Float32Array;
  r: Float32Array;
  /** Probabilities of the source and the target network on x and on that adversarial digit (10 each). */
  sourceClean: Float32Array;
  sourceAdv: Float32Array;
  targetClean: Float32Array;
  targetAdv: Float32Array;
}

/**
 * The box-constrained attack (./attack.ts) on one digit (784 pixels in [0, 1]) towards class `goal` on
 * `source`; every frame also gives `target`'s answer on the adversarial digit.
 */
export function createDigitTransfer(
  source: tf.LayersModel,
  target: tf.LayersModel,
  input: Float32Array,
  goal: number,
  config: Partial<BoxAttackConfig> = {},
): Simulation<DigitTransferFrame> {
  if (input.length !== PIXELS) throw new RangeError(`createDigitTransfer: ${input.length} pixels, expected ${PIXELS}`);
  const run = createBoxAttack(source, input, [goal], config);
  let clean: Promise<[Float32Array, Float32Array]> | null = null;
  return {
    async step(k: number): Promise<DigitTransferFrame> {
      clean ??= Promise.all([predictProbs(source, input), predictProbs(target, input)]);
      const [sourceClean, targetClean] = await clean;
      const f = await run.step(k);
      const found = Number.isFinite(f.bestNorm[0]);
      const r = found ? f.bestR : f.r;
      const image = new Float32Array(PIXELS);
      for (let i = 0; i < PIXELS; i++) image[i] = input[i] + r[i];
      // The search tracks the source's answer at its iterate; the smallest success is scored again here.
      const sourceAdv = found ? await predictProbs(source, image) : f.probs;
      const targetAdv = await predictProbs(target, image);
      return {
        steps: f.steps,
        total: run.total,
        round: f.round,
        done: f.done,
        goal,
        c: f.c[0],
        norm: f.norm[0],
        bestNorm: f.bestNorm[0],
        distortion: found ? rmsDistortion(r) : NaN,
        image,
        r,
        sourceClean,
        sourceAdv,
        targetClean,
        targetAdv,
      };
    },
    dispose: () => run.dispose(),
  };
}

/**
 * createDigitTransfer run to the end of its search, `chunk` steps at a time with a turn for the page in between (a
 * macrotask: the search never holds the main thread long); the run is freed however it ends. Goal 'next' aims at
 * `label` + 1, or without a label at the source network's own answer + 1.
 */
export async function transferDigit(
  source: tf.LayersModel,
  target: tf.LayersModel,
  input: Float32Array,
  goal: number | 'next',
  options: { label?: number; chunk?: number; config?: Partial<BoxAttackConfig> } = {},
): Promise<DigitTransferFrame> {
  const { chunk = 20 } = options;
  const cls = goal === 'next' ? ((options.label ?? rowArgMax(await predictProbs(source, input))[0]) + 1) % 10 : goal;
  const attack = createDigitTransfer(source, target, input, cls, options.config);
  try {
    let f = await attack.step(chunk);
    while (!f.done) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      f = await attack.step(chunk);
    }
    return f;
  } finally {
    attack.dispose();
  }
}
