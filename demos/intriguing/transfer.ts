/**
 * Do adversarial examples made on one network fool another? Szegedy et al. (arXiv:1312.6199, section 4.2)
 * generate minimal adversarial examples on one MNIST network and report the error rate they cause on others,
 * including networks trained on a disjoint half of the training set, beside Gaussian noise of similar size
 * and the same perturbations magnified to a per-pixel standard deviation of 0.1.
 *
 * Here: the box-constrained attack of ./attack.ts on the source network, target class (label + 1) mod 10, then
 * the examples it found are given to the target network. Pure: used by the page's worker
 * (./transfer.worker.ts), by `npm run reproduce -- intriguing` and by the tests.
 */
import { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages, loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { gaussian, mulberry32 } from '../runtime/random';
import { JobError, type JobProgress } from '../runtime/jobs/protocol';
import type { JobContext } from '../runtime/jobs/worker';
import { BOX_DEFAULTS, createBoxAttack, PIXELS, predictProbs, rmsDistortion, rowArgMax, runBoxAttack, type BoxAttackConfig } from './attack';

/** The networks the page offers (shipped under public/models/). */
export const NETS = ['cnn-p1', 'mlp-p2', 'cnn', 'mlp'] as const;
export type NetName = (typeof NETS)[number];

/** The per-pixel standard deviation the paper magnifies perturbations to. */
export const MAGNIFIED_RMS = 0.1;

/** Counts over the attacked digits. */
export interface TransferTally {
  /** Digits attacked. */
  attacked: number;
  /** Of them, how many the attack turned into the target class on the source network. */
  found: number;
  /** Σ RMS distortion √(Σr²/784) over the examples found. */
  distortionSum: number;
  /** On the examples found: the target network wrong on x (before the attack), on x + r, and answering the attack's class on x + r. */
  targetWrongClean: number;
  targetWrong: number;
  targetHitsClass: number;
  /** The target network wrong on x + r magnified to RMS 0.1 (clipped into [0, 1]), and on x + Gaussian noise of r's RMS. */
  magnifiedWrong: number;
  noiseWrong: number;
}

export function emptyTransfer(): TransferTally {
  return { attacked: 0, found: 0, distortionSum: 0, targetWrongClean: 0, targetWrong: 0, targetHitsClass: 0, magnifiedWrong: 0, noiseWrong: 0 };
}

export function addTransfer(a: TransferTally, b: TransferTally): TransferTally {
  const out = emptyTransfer();
  for (const k of Object.keys(out) as (keyof TransferTally)[]) out[k] = a[k] + b[k];
  return out;
}

/** Rates of a tally: the attack's success on the source, its mean distortion and the error rates on the target. */
export function transferRates(t: TransferTally) {
  const of = (k: number) => (t.found ? k / t.found : NaN);
  return {
    success: t.attacked ? t.found / t.attacked : NaN,
    distortion: t.found ? t.distortionSum / t.found : NaN,
    cleanError: of(t.targetWrongClean),
    transfer: of(t.targetWrong),
    targetClass: of(t.targetHitsClass),
    magnified: of(t.magnifiedWrong),
    noise: of(t.noiseWrong),
  };
}

/** x + s·r clipped into [0, 1], for digit i of a batch. */
function perturbed(images: Float32Array, i: number, r: ArrayLike<number>, scale: number, out: Float32Array, at: number): void {
  for (let p = 0; p < PIXELS; p++) out[at + p] = Math.min(1, Math.max(0, images[i * PIXELS + p] + scale * r[i * PIXELS + p]));
}

/** The attack's class for each label: (label + 1) mod 10. */
export function goalClasses(labels: ArrayLike<number>): number[] {
  return Array.from(labels, (l) => (l + 1) % 10);
}

/**
 * Scores the examples an attack found (`bestR`, n × 784; found where `bestNorm` is finite) on `target`: the
 * examples themselves, the same r magnified to RMS 0.1, and Gaussian noise of r's RMS (seeded with `seed`).
 */
export async function scoreTransfer(
  target: tf.LayersModel,
  images: Float32Array,
  labels: ArrayLike<number>,
  attack: { bestR: Float32Array; bestNorm: Float32Array },
  seed = 1,
): Promise<TransferTally> {
  const n = labels.length;
  const goal = goalClasses(labels);
  const found: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(attack.bestNorm[i])) found.push(i);
  const t = emptyTransfer();
  t.attacked = n;
  t.found = found.length;
  if (found.length === 0) return t;
  const m = found.length;
  const batch = new Float32Array(4 * m * PIXELS);
  const rng = mulberry32(seed);
  found.forEach((i, k) => {
    const rms = rmsDistortion(attack.bestR, i * PIXELS);
    t.distortionSum += rms;
    batch.set(images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    perturbed(images, i, attack.bestR, 1, batch, (m + k) * PIXELS);
    perturbed(images, i, attack.bestR, rms > 0 ? MAGNIFIED_RMS / rms : 0, batch, (2 * m + k) * PIXELS);
    const at = (3 * m + k) * PIXELS;
    for (let p = 0; p < PIXELS; p++) batch[at + p] = Math.min(1, Math.max(0, images[i * PIXELS + p] + rms * gaussian(rng)));
  });
  const pred = rowArgMax(await predictProbs(target, batch));
  found.forEach((i, k) => {
    const y = labels[i];
    if (pred[k] !== y) t.targetWrongClean++;
    if (pred[m + k] !== y) t.targetWrong++;
    if (pred[m + k] === goal[i]) t.targetHitsClass++;
    if (pred[2 * m + k] !== y) t.magnifiedWrong++;
    if (pred[3 * m + k] !== y) t.noiseWrong++;
  });
  return t;
}

/**
 * Attacks digits `images` (n × 784) with labels `labels` on `source`, target class (label + 1) mod 10, and
 * scores the examples found on `target` ({@link scoreTransfer}). No tensor left behind.
 */
export async function transferBatch(
  source: tf.LayersModel,
  target: tf.LayersModel,
  images: Float32Array,
  labels: ArrayLike<number>,
  opts: { config?: Partial<BoxAttackConfig>; seed?: number } = {},
): Promise<TransferTally> {
  const f = await runBoxAttack(source, images, goalClasses(labels), opts.config);
  return scoreTransfer(target, images, labels, f, opts.seed);
}

/** {@link transferBatch} over test digits [0, count) in batches of `batch`. */
export async function transferSet(
  source: tf.LayersModel,
  target: tf.LayersModel,
  data: MnistArrays,
  count: number,
  opts: { batch?: number; config?: Partial<BoxAttackConfig>; seed?: number } = {},
): Promise<TransferTally> {
  const bs = opts.batch ?? 50;
  let t = emptyTransfer();
  for (let s = 0; s < count; s += bs) {
    const e = Math.min(s + bs, count);
    t = addTransfer(t, await transferBatch(source, target, floatImages(data, s, e), data.labels.subarray(s, e), { config: opts.config, seed: (opts.seed ?? 1) + s }));
  }
  return t;
}

/** What the page's worker is asked. */
export interface TransferInput {
  source: string;
  target: string;
  /** The first `count` test digits. */
  count: number;
}

export interface TransferProgress {
  source: string;
  target: string;
  tally: TransferTally;
  total: number;
}

const CHUNK = 20;

/** The worker's job: attacks the first `count` test digits in chunks, yielding after every round of the search. */
export async function* transferJob(
  input: TransferInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<TransferProgress>, TransferProgress, undefined> {
  const { source, target, count } = input;
  if (!(NETS as readonly string[]).includes(source) || !(NETS as readonly string[]).includes(target)) throw new JobError(`Unknown network: choose among ${NETS.join(', ')}.`);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new JobError(`Choose between 1 and 1,000 test digits (got ${count}).`);
  const [test, src, dst] = await Promise.all([
    loadMnist({ split: 'test', count, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    loadModel(source, { baseUrl: MODELS_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    loadModel(target, { baseUrl: MODELS_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
  ]);
  try {
    let tally = emptyTransfer();
    const now = (): TransferProgress => ({ source, target, tally, total: count });
    yield { fraction: 0, partial: now() };
    const { steps, rounds } = BOX_DEFAULTS;
    for (let s = 0; s < count; s += CHUNK) {
      const e = Math.min(s + CHUNK, count);
      const images = floatImages(test, s, e);
      const labels = test.labels.subarray(s, e);
      const run = createBoxAttack(src.model, images, goalClasses(labels));
      try {
        // Ten steps at a time: a pause or a cancel waits for at most ten steps of the batch.
        for (let k = 0; k < steps * rounds; k += 10) {
          const f = await run.step(10);
          if (f.done) tally = addTransfer(tally, await scoreTransfer(dst.model, images, labels, f, 1 + s));
          yield { fraction: (s + ((e - s) * Math.min(k + 10, steps * rounds)) / (steps * rounds)) / count, partial: now() };
        }
      } finally {
        run.dispose();
      }
    }
    return now();
  } finally {
    src.model.dispose();
    dst.model.dispose();
  }
}
