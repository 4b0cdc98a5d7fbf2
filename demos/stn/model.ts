/**
 * A small spatial transformer network (Jaderberg et al. 2015) and a plain CNN of similar size, trained in lockstep
 * on the same randomly distorted MNIST digits: each digit is placed on a 36×36 canvas, turned by up to ±45°,
 * scaled by 0.7–1.2 and shifted (seeded), like the paper's RTS set. The STN's localisation network regresses θ
 * from the canvas, the grid generator and the differentiable bilinear sampler (../runtime/models/sampler.ts)
 * resample a 28×28 output, and a small CNN classifies it; the plain CNN classifies the canvas directly.
 * Written with plain tfjs ops on named parameter tensors, trained by the one flat trainer (runtime/train.ts).
 * Pure: no React, no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { gaussian, mulberry32, type Rng } from '../runtime/random';
import { createFlatTrainer, flatInit, type FlatTrainer, type ParamInit } from '../runtime/train';
import { spatialTransform, thetaFromParts, IDENTITY_THETA } from '../runtime/models/sampler';

/** Side of the distorted canvas the networks see, and of the STN's resampled output. */
export const CANVAS = 36;
export const OUT = 28;
const PAD = (CANVAS - OUT) / 2;

/** The random distortions (the paper's RTS: rotation ±45°, scale 0.7–1.2, translation; here on a 36×36 canvas). */
export const DISTORTION = { degrees: 45, scaleMin: 0.7, scaleMax: 1.2, shift: 0.15 } as const;

/** The parameter tensors of both networks. `l*`: localisation net; `c*`: the STN's classifier; `p*`: the plain CNN. */
export type StnParam =
  | 'l1w' | 'l1b' | 'l2w' | 'l2b' | 'l3w' | 'l3b'
  | 'c1w' | 'c1b' | 'c2w' | 'c2b' | 'c3w' | 'c3b'
  | 'p1w' | 'p1b' | 'p2w' | 'p2b' | 'p3w' | 'p3b';

/** Shapes: loc net conv 5×5×8 on the canvas pooled to 18×18 → pool → dense 20 → dense 6; classifiers conv 3×3 → pool → conv 3×3 → pool → dense 10. */
export const SHAPES: Record<StnParam, number[]> = {
  l1w: [5, 5, 1, 8], l1b: [8], l2w: [7 * 7 * 8, 20], l2b: [20], l3w: [20, 6], l3b: [6],
  c1w: [3, 3, 1, 8], c1b: [8], c2w: [3, 3, 8, 16], c2b: [16], c3w: [5 * 5 * 16, 10], c3b: [10],
  p1w: [3, 3, 1, 12], p1b: [12], p2w: [3, 3, 12, 24], p2b: [24], p3w: [7 * 7 * 24, 10], p3b: [10],
};
const NAMES = Object.keys(SHAPES) as StnParam[];
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Parameters of the STN (localisation net + classifier) and of the plain CNN. */
export function parameterCounts(): { stn: number; loc: number; plain: number } {
  const sum = (prefix: string) => NAMES.filter((n) => n.startsWith(prefix)).reduce((a, n) => a + size(SHAPES[n]), 0);
  return { stn: sum('l') + sum('c'), loc: sum('l'), plain: sum('p') };
}

/**
 * Seeded initial parameters: He-normal weights, zero biases; the localisation net's last layer starts at zero
 * weights and the identity's bias, so the untrained STN samples the whole canvas (as the paper's code does).
 */
export function initialParams(seed: number): ParamInit<StnParam>[] {
  const rng = mulberry32(seed);
  return NAMES.map((name) => {
    const shape = SHAPES[name];
    const values = new Float32Array(size(shape));
    if (name === 'l3b') values.set(IDENTITY_THETA);
    else if (name.endsWith('w') && name !== 'l3w') {
      const fanIn = size(shape.slice(0, -1));
      const sd = Math.sqrt(2 / fanIn);
      for (let i = 0; i < values.length; i++) values[i] = sd * gaussian(rng);
    }
    return { name, shape, values };
  });
}

type P = Readonly<Record<StnParam, tf.Tensor>>;
const conv = (x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor) => tf.relu(tf.add(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid'), b)) as tf.Tensor4D;
const pool = (x: tf.Tensor4D) => tf.maxPool(x, 2, 2, 'valid');

/** The localisation network: θ (n × 6) from canvases x [n, 36, 36, 1]. */
export function localise(p: P, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const h = pool(conv(pool(x), p.l1w, p.l1b)); // 36 → 18 → 14 → 7
    const f = tf.relu(tf.add(tf.matMul(h.reshape([x.shape[0], -1]), p.l2w as tf.Tensor2D), p.l2b)) as tf.Tensor2D;
    return tf.add(tf.matMul(f, p.l3w as tf.Tensor2D), p.l3b) as tf.Tensor2D;
  });
}

function classify(x: tf.Tensor4D, w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor, w3: tf.Tensor, b3: tf.Tensor): tf.Tensor2D {
  const h = pool(conv(pool(conv(x, w1, b1)), w2, b2));
  return tf.add(tf.matMul(h.reshape([x.shape[0], -1]), w3 as tf.Tensor2D), b3) as tf.Tensor2D;
}

/** The STN's forward pass: θ, the rectified 28×28 digits and the class logits. */
export function stnForward(p: P, x: tf.Tensor4D): { theta: tf.Tensor2D; rectified: tf.Tensor4D; logits: tf.Tensor2D } {
  const theta = localise(p, x);
  const rectified = spatialTransform(x, theta, OUT, OUT);
  return { theta, rectified, logits: classify(rectified, p.c1w, p.c1b, p.c2w, p.c2b, p.c3w, p.c3b) };
}

/** The plain CNN's class logits on the canvases. */
export function plainForward(p: P, x: tf.Tensor4D): tf.Tensor2D {
  return classify(x, p.p1w, p.p1b, p.p2w, p.p2b, p.p3w, p.p3b);
}

/** One random distortion per digit, uniform in the ranges of {@link DISTORTION}, as θ rows (6 numbers each). */
export function randomDistortions(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(6 * n);
  const u = (a: number, b: number) => a + (b - a) * rng();
  for (let i = 0; i < n; i++) {
    const th = thetaFromParts({
      degrees: u(-DISTORTION.degrees, DISTORTION.degrees),
      scale: u(DISTORTION.scaleMin, DISTORTION.scaleMax),
      shear: 0,
      tx: u(-DISTORTION.shift, DISTORTION.shift),
      ty: u(-DISTORTION.shift, DISTORTION.shift),
    });
    out.set(th, 6 * i);
  }
  return out;
}

/**
 * Digits (n·784 pixels in [0, 1]) padded to the 36×36 canvas and resampled with θ rows `thetas`, bilinear with
 * zeros outside (the sampler of ../runtime/models/sampler.ts, in plain numbers: the data need no gradient):
 * n·36·36 values.
 */
export function distort(pixels: Float32Array, thetas: Float32Array): Float32Array {
  const n = pixels.length / (OUT * OUT);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`distort: ${pixels.length} pixels is not a whole number of 28×28 digits`);
  if (thetas.length !== 6 * n) throw new RangeError(`distort: ${thetas.length / 6} transforms for ${n} digits`);
  const out = new Float32Array(n * CANVAS * CANVAS);
  const half = (CANVAS - 1) / 2;
  const px = (b: number, yy: number, xx: number) => {
    const r = yy - PAD;
    const c = xx - PAD;
    return r >= 0 && r < OUT && c >= 0 && c < OUT ? pixels[b * OUT * OUT + r * OUT + c] : 0;
  };
  for (let b = 0; b < n; b++) {
    const t = thetas.subarray(6 * b, 6 * b + 6);
    for (let i = 0; i < CANVAS; i++) {
      const yt = -1 + i / half;
      for (let j = 0; j < CANVAS; j++) {
        const xt = -1 + j / half;
        const x = (t[0] * xt + t[1] * yt + t[2] + 1) * half;
        const y = (t[3] * xt + t[4] * yt + t[5] + 1) * half;
        const x0 = Math.floor(x);
        const y0 = Math.floor(y);
        const fx = x - x0;
        const fy = y - y0;
        out[(b * CANVAS + i) * CANVAS + j] =
          px(b, y0, x0) * (1 - fx) * (1 - fy) + px(b, y0, x0 + 1) * fx * (1 - fy) + px(b, y0 + 1, x0) * (1 - fx) * fy + px(b, y0 + 1, x0 + 1) * fx * fy;
      }
    }
  }
  return out;
}

/** Held-out distorted digits: fixed distortions drawn from `seed`. */
export interface DistortedSet {
  /** n × 36 × 36 canvases. */
  canvases: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** Distorts `pixels` (n digits) once, reproducibly from `seed`. */
export function distortedSet(pixels: Float32Array, labels: ArrayLike<number>, seed: number): DistortedSet {
  const n = labels.length;
  const canvases = distort(pixels, randomDistortions(n, mulberry32(seed ^ 0x57a7e5)));
  return { canvases, labels: Uint8Array.from(labels), count: n };
}

/** What the page draws for some held-out canvases: the STN's θ, its rectified digits and both networks' answers. */
export interface Rectified {
  theta: Float32Array;
  /** n × 28 × 28. */
  rectified: Float32Array;
  stnClass: Int32Array;
  plainClass: Int32Array;
}

/** Runs both networks on canvases [n·36·36] with parameters `flat` (the trainer's order); one read-back. */
export async function rectify(flat: Float32Array, canvases: Float32Array): Promise<Rectified> {
  const n = canvases.length / (CANVAS * CANVAS);
  const out = tf.tidy(() => {
    const p = unflatten(flat);
    const x = tf.tensor4d(canvases, [n, CANVAS, CANVAS, 1]);
    const s = stnForward(p, x);
    const c = plainForward(p, x);
    return tf.concat([s.theta.reshape([-1]), s.rectified.reshape([-1]), tf.argMax(s.logits, 1).toFloat(), tf.argMax(c, 1).toFloat()]);
  });
  const v = await readAndDispose(out);
  let at = 0;
  const take = (k: number) => v.slice(at, (at += k));
  return { theta: take(6 * n), rectified: take(n * OUT * OUT), stnClass: Int32Array.from(take(n)), plainClass: Int32Array.from(take(n)) };
}

/** Named tensors from a flat vector in the order of {@link initialParams}. */
export function unflatten(flat: Float32Array): Record<StnParam, tf.Tensor> {
  const total = NAMES.reduce((a, n) => a + size(SHAPES[n]), 0);
  if (flat.length !== total) throw new RangeError(`unflatten: ${flat.length} numbers, the two networks have ${total}`);
  const out = {} as Record<StnParam, tf.Tensor>;
  let at = 0;
  for (const n of NAMES) {
    const k = size(SHAPES[n]);
    out[n] = tf.tensor(flat.subarray(at, at + k), SHAPES[n]);
    at += k;
  }
  return out;
}

/** The flat parameters of the untrained networks from `seed`. */
export function initialFlat(seed: number): Float32Array {
  return flatInit(initialParams(seed));
}

/** Training options of {@link createStnRace}. */
export interface RaceConfig {
  seed: number;
  batchSize: number;
  /** Adam's learning rate (both networks). */
  lr: number;
}

export const DEFAULT_RACE: RaceConfig = { seed: 1, batchSize: 32, lr: 2e-3 };

/** The two networks trained side by side on the same distorted batches. */
export interface StnRace {
  readonly steps: number;
  /** `k` steps on fresh distortions of random training digits; returns the mean loss of each network over them. */
  train(k: number): Promise<{ stn: number; plain: number }>;
  /** Accuracy of both networks on a distorted set, in batches; one read-back per batch. */
  accuracy(set: DistortedSet, batch?: number): Promise<{ stn: number; plain: number }>;
  /** The current parameters (the trainer's flat vector), read back. */
  read(): Promise<Float32Array>;
  dispose(): void;
}

/**
 * Trains the STN and the plain CNN in lockstep with Adam on cross-entropy, one objective each (the flat trainer
 * minimises their sum; each network's parameters reach only its own objective). `train` is `n` digits (n·784
 * pixels in [0, 1]) with `labels`; every step draws a batch and its distortions from the seed.
 */
export function createStnRace(pixels: Float32Array, labels: ArrayLike<number>, cfg: RaceConfig = DEFAULT_RACE): StnRace {
  const n = labels.length;
  if (pixels.length !== n * OUT * OUT || n < 1) throw new RangeError(`createStnRace: ${pixels.length} pixels for ${n} labels`);
  const rng = mulberry32(cfg.seed ^ 0x7a1e);
  const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), 10).toFloat());
  const chosen = new Float32Array(cfg.batchSize * OUT * OUT);
  const ce = (logits: tf.Tensor2D, y: tf.Tensor) => tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1)));
  const trainer: FlatTrainer<StnParam> = createFlatTrainer(
    initialParams(cfg.seed),
    (p, x, y) => tf.stack([ce(stnForward(p, x as tf.Tensor4D).logits, y), ce(plainForward(p, x as tf.Tensor4D), y)]) as tf.Tensor1D,
    { kind: 'adam', lr: cfg.lr },
  );
  let disposed = false;
  const batch = () => {
    const idx = Int32Array.from({ length: cfg.batchSize }, () => Math.floor(rng() * n));
    const thetas = randomDistortions(cfg.batchSize, rng);
    return { idx, thetas };
  };
  return {
    get steps() {
      return trainer.steps;
    },
    async train(k: number) {
      for (let i = 0; i < k; i++) {
        const { idx, thetas } = batch();
        idx.forEach((k, j) => chosen.set(pixels.subarray(k * OUT * OUT, (k + 1) * OUT * OUT), j * OUT * OUT));
        const canvases = distort(chosen, thetas);
        tf.tidy(() => {
          const y = tf.gather(oneHot, tf.tensor1d(idx, 'int32'));
          trainer.step(tf.tensor4d(canvases, [cfg.batchSize, CANVAS, CANVAS, 1]), y);
        });
      }
      const m = await readAndDispose(trainer.meanLossTensor());
      return { stn: m[0], plain: m[1] };
    },
    async accuracy(set: DistortedSet, size = 250) {
      let stn = 0;
      let plain = 0;
      for (let s = 0; s < set.count; s += size) {
        const m = Math.min(size, set.count - s);
        const v = await readAndDispose(
          tf.tidy(() => {
            const p = trainer.current();
            const x = tf.tensor4d(set.canvases.subarray(s * CANVAS * CANVAS, (s + m) * CANVAS * CANVAS), [m, CANVAS, CANVAS, 1]);
            return tf.concat([tf.argMax(stnForward(p, x).logits, 1), tf.argMax(plainForward(p, x), 1)]).toFloat();
          }),
        );
        for (let i = 0; i < m; i++) {
          if (v[i] === set.labels[s + i]) stn++;
          if (v[m + i] === set.labels[s + i]) plain++;
        }
      }
      return { stn: stn / set.count, plain: plain / set.count };
    },
    read: () => trainer.read(),
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      oneHot.dispose();
    },
  };
}

/** One canvas (36·36 values) sampled with a hand-set θ (6 numbers) onto a 28×28 output, read back. */
export async function sampleByHand(canvas: Float32Array, theta: readonly number[]): Promise<Float32Array> {
  if (canvas.length !== CANVAS * CANVAS) throw new RangeError(`sampleByHand: ${canvas.length} values, expected ${CANVAS * CANVAS}`);
  if (theta.length !== 6 || !theta.every(Number.isFinite)) throw new RangeError('sampleByHand: θ must be 6 finite numbers');
  return readAndDispose(tf.tidy(() => spatialTransform(tf.tensor4d(canvas, [1, CANVAS, CANVAS, 1]), tf.tensor2d([Array.from(theta)], [1, 6]), OUT, OUT)));
}
