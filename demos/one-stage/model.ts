/**
 * A tiny one-stage detector on scenes of MNIST digits (../runtime/data/scenes.ts), in the spirit of YOLO
 * (Redmon et al. 2016) with RetinaNet's focal loss (Lin et al. 2017) on its objectness:
 *
 * - a 64×64 scene goes through five 3×3 convolutions (three of stride 2) to an S×S = 8×8 grid, one cell per
 *   8×8 pixels, and a 1×1 head gives each cell 15 numbers: an objectness logit, ten class logits and a box
 *   (tx, ty, tw, th);
 * - the cell holding a digit's box centre is responsible for it (YOLO's assignment): objectness 1, its class,
 *   its centre as an offset in the cell (σ(tx), σ(ty) ∈ [0, 1]) and its size as YOLO's √(w/64), √(h/64);
 * - the loss is the focal loss on every cell's objectness (α, γ; γ = 0 is α-balanced cross-entropy), summed
 *   and divided by the number of objects as RetinaNet does, plus cross-entropy of the class and λ·(squared
 *   error of the four box numbers) on the responsible cells;
 * - the objectness bias starts at −log((1 − π)/π) with π = 0.01 (RetinaNet's prior), so that at step 0 every
 *   cell says "background" with p ≈ 0.01 instead of 0.5;
 * - a cell's score for class c is p(object)·p(c | object); the boxes of each class go through greedy NMS
 *   (../runtime/detection.ts) and the mAP@0.5 is the mean over the ten classes of VOC all-point AP.
 *
 * Pure: no React, no DOM; runs in Node, the page and the worker (./train.ts) alike.
 */
import { tf } from '../runtime/tf';
import { gaussian, mulberry32, type Rng } from '../runtime/random';
import { rowSampler } from '../runtime/sampling';
import { averagePrecision, nms, type Box, type Detection, type GroundTruth } from '../runtime/detection';
import { cosineRate, createFlatTrainer, flatInit, paramsFromFlat, type FlatTrainer, type ParamInit } from '../runtime/train';
import { composeScenes, stackImages, type Scene, type SceneOptions } from '../runtime/data/scenes';
import type { MnistArrays } from '../runtime/data/idx';

/** Side of a scene, stride of the grid, cells per side (S), classes and numbers per cell. */
export const SCENE = 64;
export const STRIDE = 8;
export const GRID = SCENE / STRIDE;
export const CLASSES = 10;
export const OUTPUTS = 1 + CLASSES + 4;
/** Numbers per cell in an encoded target: objectness, class, tx, ty, √(w/64), √(h/64). */
export const TARGET = 6;
/** RetinaNet's prior for the objectness bias at initialisation. */
export const PRIOR = 0.01;

/** How the scenes are composed: 1–3 digits of 20–32 px on 64×64. */
export const SCENE_OPTIONS: Omit<SceneOptions, 'count' | 'seed'> = { size: SCENE, minDigits: 1, maxDigits: 3, minScale: 20, maxScale: 32 };

/** The convolutions: [kernel, in, out, stride]; then the 1×1 head. */
const LAYERS: readonly [number, number, number, number][] = [
  [3, 1, 16, 2],
  [3, 16, 24, 2],
  [3, 24, 32, 2],
  [3, 32, 48, 1],
  [3, 48, 48, 1],
  [1, 48, OUTPUTS, 1],
];

export type ParamName = `w${number}` | `b${number}`;

/** He-normal weights, zero biases, the objectness bias at the prior; seeded. */
export function initParams(seed: number): ParamInit<ParamName>[] {
  const rng = mulberry32(seed);
  const out: ParamInit<ParamName>[] = [];
  LAYERS.forEach(([k, cin, cout], i) => {
    const fanIn = k * k * cin;
    const last = i === LAYERS.length - 1;
    const sd = last ? 0.01 : Math.sqrt(2 / fanIn);
    const w = new Float32Array(k * k * cin * cout);
    for (let j = 0; j < w.length; j++) w[j] = sd * gaussian(rng);
    const b = new Float32Array(cout);
    if (last) b[0] = -Math.log((1 - PRIOR) / PRIOR);
    out.push({ name: `w${i}`, shape: [k, k, cin, cout], values: w, l2: 1e-4 }, { name: `b${i}`, shape: [cout], values: b });
  });
  return out;
}

/** Scalar parameters of the network. */
export function parameterCount(): number {
  return LAYERS.reduce((a, [k, cin, cout]) => a + k * k * cin * cout + cout, 0);
}

/** The raw head output [N, S, S, 15] of images [N, 64, 64, 1]. */
export function forward(params: Readonly<Record<string, tf.Tensor>>, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    let h: tf.Tensor4D = x;
    LAYERS.forEach(([, , , stride], i) => {
      h = tf.add(tf.conv2d(h, params[`w${i}`] as tf.Tensor4D, stride, 'same'), params[`b${i}`]) as tf.Tensor4D;
      if (i < LAYERS.length - 1) h = tf.relu(h);
    });
    return h;
  });
}

// ───────────────────────────── targets ─────────────────────────────

export interface Encoded {
  /** [N, S, S, 6]: objectness, class, tx, ty, √(w/64), √(h/64). */
  targets: Float32Array;
  /** Objects dropped because another object's centre fell in the same cell (the larger is kept). */
  collisions: number;
  objects: number;
}

/** YOLO's assignment: each object to the cell holding its box centre; a second object in a cell is dropped. */
export function encodeTargets(scenes: readonly Pick<Scene, 'objects'>[]): Encoded {
  const targets = new Float32Array(scenes.length * GRID * GRID * TARGET);
  let collisions = 0;
  let objects = 0;
  scenes.forEach((s, n) => {
    const areaAt = new Float32Array(GRID * GRID);
    for (const o of s.objects) {
      objects++;
      const [x1, y1, x2, y2] = o.box;
      const cx = (x1 + x2) / 2;
      const cy = (y1 + y2) / 2;
      const col = Math.min(GRID - 1, Math.floor(cx / STRIDE));
      const row = Math.min(GRID - 1, Math.floor(cy / STRIDE));
      const a = (x2 - x1) * (y2 - y1);
      const cell = row * GRID + col;
      if (areaAt[cell] > 0) {
        collisions++;
        if (a <= areaAt[cell]) continue;
      }
      areaAt[cell] = a;
      targets.set([1, o.cls, cx / STRIDE - col, cy / STRIDE - row, Math.sqrt((x2 - x1) / SCENE), Math.sqrt((y2 - y1) / SCENE)], (n * GRID * GRID + cell) * TARGET);
    }
  });
  return { targets, collisions, objects };
}

/** The box a cell's four numbers describe, in scene pixels (centre offset in the cell, √ of the relative size). */
export function cellBox(row: number, col: number, ox: number, oy: number, sw: number, sh: number): Box {
  const cx = (col + ox) * STRIDE;
  const cy = (row + oy) * STRIDE;
  const w = sw * sw * SCENE;
  const h = sh * sh * SCENE;
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

// ───────────────────────────── loss ─────────────────────────────

export interface LossOptions {
  /** Focal loss focusing parameter γ (0: cross-entropy) and the positives' weight α. */
  gamma: number;
  alpha: number;
  /** Weight of the box's squared error (YOLO's λcoord). */
  lambdaBox: number;
}

export const DEFAULT_LOSS: LossOptions = { gamma: 2, alpha: 0.25, lambdaBox: 5 };

/**
 * Focal loss of sigmoid logits against 0/1 labels, element-wise: −α_t (1 − p_t)^γ log p_t, with
 * p_t = p for a positive and 1 − p for a negative, α_t = α and 1 − α. log p_t is taken from the logit
 * (log σ(z) = −softplus(−z)) so that it stays finite for confident cells.
 */
export function focalLoss(logits: tf.Tensor, labels: tf.Tensor, gamma: number, alpha: number): tf.Tensor {
  return tf.tidy(() => {
    const sign = tf.sub(tf.mul(labels, 2), 1); // +1 positive, −1 negative
    const z = tf.mul(logits, sign); // p_t = σ(z)
    const logPt = tf.neg(tf.softplus(tf.neg(z)));
    const alphaT = tf.add(tf.mul(labels, 2 * alpha - 1), 1 - alpha);
    const ce = tf.mul(alphaT, tf.neg(logPt));
    if (gamma === 0) return ce;
    const oneMinus = tf.sigmoid(tf.neg(z)); // 1 − p_t
    return tf.mul(tf.pow(oneMinus, gamma), ce);
  });
}

/** The detector's loss on a batch: images [N, 64, 64, 1], targets [N, S, S, 6]. Returns the scalar. */
export function detectionLoss(params: Readonly<Record<string, tf.Tensor>>, x: tf.Tensor4D, t: tf.Tensor4D, opts: LossOptions): tf.Scalar {
  return tf.tidy(() => {
    const out = forward(params, x);
    const obj = t.slice([0, 0, 0, 0], [-1, -1, -1, 1]);
    const positives = tf.maximum(tf.sum(obj), 1);
    const objLoss = tf.sum(focalLoss(out.slice([0, 0, 0, 0], [-1, -1, -1, 1]), obj, opts.gamma, opts.alpha));
    const cls = tf.oneHot(tf.cast(t.slice([0, 0, 0, 1], [-1, -1, -1, 1]).squeeze([3]), 'int32'), CLASSES);
    const logp = tf.logSoftmax(out.slice([0, 0, 0, 1], [-1, -1, -1, CLASSES]));
    const clsLoss = tf.sum(tf.mul(obj, tf.neg(tf.sum(tf.mul(cls, logp), -1, true))));
    const raw = out.slice([0, 0, 0, 1 + CLASSES], [-1, -1, -1, 4]);
    const pred = tf.concat([tf.sigmoid(raw.slice([0, 0, 0, 0], [-1, -1, -1, 2])), raw.slice([0, 0, 0, 2], [-1, -1, -1, 2])], 3);
    const boxLoss = tf.sum(tf.mul(obj, tf.square(tf.sub(pred, t.slice([0, 0, 0, 2], [-1, -1, -1, 4])))));
    return tf.div(tf.add(tf.add(objLoss, clsLoss), tf.mul(opts.lambdaBox, boxLoss)), positives) as tf.Scalar;
  });
}

// ───────────────────────────── decoding ─────────────────────────────

/** One scene's detections after NMS: a box, a class and a score. */
export interface SceneDetection {
  box: Box;
  cls: number;
  score: number;
}

export interface DecodeOptions {
  /** Candidates below this score are dropped before NMS. */
  minScore: number;
  /** Greedy NMS's IoU threshold, per class. */
  nmsIou: number;
  /** At most this many detections a scene, best first. */
  maxPerScene: number;
}

export const DEFAULT_DECODE: DecodeOptions = { minScore: 0.01, nmsIou: 0.5, maxPerScene: 20 };

/**
 * Detections of one scene from its head output (S·S·15 numbers, row-major cells): every cell proposes, for
 * every class, its box with score σ(objectness)·softmax(class); candidates under `minScore` are dropped and the
 * rest go through NMS class by class.
 */
export function decodeScene(out: ArrayLike<number>, opts: DecodeOptions = DEFAULT_DECODE): SceneDetection[] {
  const perClass: { boxes: Box[]; scores: number[] }[] = Array.from({ length: CLASSES }, () => ({ boxes: [], scores: [] }));
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  for (let cell = 0; cell < GRID * GRID; cell++) {
    const o = cell * OUTPUTS;
    const pObj = sig(out[o]);
    if (pObj < opts.minScore) continue;
    let m = -Infinity;
    for (let c = 0; c < CLASSES; c++) m = Math.max(m, out[o + 1 + c]);
    let z = 0;
    for (let c = 0; c < CLASSES; c++) z += Math.exp(out[o + 1 + c] - m);
    const box = cellBox(Math.floor(cell / GRID), cell % GRID, sig(out[o + 11]), sig(out[o + 12]), out[o + 13], out[o + 14]);
    for (let c = 0; c < CLASSES; c++) {
      const score = (pObj * Math.exp(out[o + 1 + c] - m)) / z;
      if (score < opts.minScore) continue;
      perClass[c].boxes.push(box);
      perClass[c].scores.push(score);
    }
  }
  const all: SceneDetection[] = [];
  perClass.forEach(({ boxes, scores }, cls) => {
    for (const i of nms(boxes, scores, opts.nmsIou)) all.push({ box: boxes[i], cls, score: scores[i] });
  });
  return all.sort((a, b) => b.score - a.score).slice(0, opts.maxPerScene);
}

/** mAP at an IoU threshold: VOC all-point AP of each class over all scenes, and their mean over the classes present. */
export function meanAp(detections: readonly SceneDetection[][], scenes: readonly Pick<Scene, 'objects'>[], iouThreshold = 0.5): { map: number; perClass: number[] } {
  const perClass: number[] = [];
  for (let c = 0; c < CLASSES; c++) {
    const dets: Detection[] = [];
    const gts: GroundTruth[] = [];
    detections.forEach((ds, image) => ds.forEach((d) => d.cls === c && dets.push({ image, box: d.box, score: d.score })));
    scenes.forEach((s, image) => s.objects.forEach((o) => o.cls === c && gts.push({ image, box: o.box })));
    perClass.push(averagePrecision(dets, gts, { iouThreshold, interpolation: 'voc-all' }));
  }
  const present = perClass.filter((v) => !Number.isNaN(v));
  return { map: present.length ? present.reduce((a, b) => a + b, 0) / present.length : NaN, perClass };
}

// ───────────────────────────── images ─────────────────────────────

/** The scenes' images stacked row-major as one [N, 64, 64, 1] array. */
export function sceneImages(scenes: readonly Pick<Scene, 'image'>[]): Float32Array {
  return stackImages(scenes, SCENE);
}

/** Held-out scenes: composed from MNIST test digits with their own seed, never from the training digits. */
export function heldOutScenes(test: MnistArrays, count: number, seed: number): Scene[] {
  return composeScenes(test, { ...SCENE_OPTIONS, count, seed: 1_000_003 + seed });
}

/** Training scenes: composed from MNIST training digits. */
export function trainingScenes(train: MnistArrays, count: number, seed: number): Scene[] {
  return composeScenes(train, { ...SCENE_OPTIONS, count, seed });
}

/** The objectness probability of every cell and whether an object is assigned to it, for the focal-loss panel. */
export interface CellProbabilities {
  /** σ(objectness) of every cell of every scene. */
  p: Float32Array;
  /** 1 where an object's centre is (a positive), else 0. */
  label: Uint8Array;
}

/** Detections (and each cell's objectness) of `scenes` under the flat parameter vector `flat` (as the trainer lays it out). */
export async function detect(flat: Float32Array, scenes: readonly Scene[], opts: DecodeOptions = DEFAULT_DECODE): Promise<{ detections: SceneDetection[][]; cells: CellProbabilities }> {
  const init = initParams(0);
  const size = init.reduce((a, p) => a + p.values.length, 0);
  if (flat.length !== size) throw new Error(`detect: ${flat.length} parameters, expected ${size}`);
  const out = tf.tidy(() => forward(paramsFromFlat(init, flat), tf.tensor4d(sceneImages(scenes), [scenes.length, SCENE, SCENE, 1])));
  const values = await out.data();
  out.dispose();
  return fromOutput(values, scenes, opts);
}

function fromOutput(values: ArrayLike<number> & { subarray?: unknown }, scenes: readonly Scene[], opts: DecodeOptions) {
  const per = GRID * GRID * OUTPUTS;
  const arr = values as Float32Array;
  const detections = scenes.map((_, i) => decodeScene(arr.subarray(i * per, (i + 1) * per), opts));
  const cells = GRID * GRID * scenes.length;
  const p = new Float32Array(cells);
  for (let c = 0; c < cells; c++) p[c] = 1 / (1 + Math.exp(-arr[c * OUTPUTS]));
  const { targets } = encodeTargets(scenes);
  const label = new Uint8Array(cells);
  for (let c = 0; c < cells; c++) label[c] = targets[c * TARGET];
  return { detections, cells: { p, label } };
}

/** The initial flat parameter vector of a seed (what the trainer starts from). */
export function initialFlat(seed: number): Float32Array {
  return flatInit(initParams(seed));
}

// ───────────────────────────── training ─────────────────────────────

export interface DetectorConfig extends LossOptions {
  seed: number;
  batchSize: number;
  lr: number;
  /** Training scenes composed once (from training digits) and sampled into batches. */
  trainScenes: number;
  /** The budget: the learning rate follows a cosine from `lr` to 0 over these steps (constant after). */
  total: number;
}

export const DEFAULT_CONFIG: DetectorConfig = { ...DEFAULT_LOSS, seed: 1, batchSize: 32, lr: 0.002, trainScenes: 3000, total: 600 };

export interface Detector {
  readonly steps: number;
  /** Training objects, and those the grid drops because another centre fell in their cell. */
  readonly objects: number;
  readonly collisions: number;
  /** `k` steps of Adam with the cosine rate; returns the mean loss over them (NaN for k = 0). */
  train(k: number): Promise<number>;
  /** The current parameters, read back. */
  read(): Promise<Float32Array>;
  /** Detections of `scenes` with the current parameters, in one read-back. */
  detect(scenes: readonly Scene[], opts?: DecodeOptions): Promise<{ detections: SceneDetection[][]; cells: CellProbabilities }>;
  dispose(): void;
}

export { cosineRate };

/** A detector trained with Adam on scenes composed from `train` (MNIST training digits); seeded. */
export function createDetector(train: MnistArrays, cfg: DetectorConfig = DEFAULT_CONFIG): Detector {
  if (!(Number.isInteger(cfg.batchSize) && cfg.batchSize >= 1)) throw new RangeError(`batch size must be a whole number ≥ 1, got ${cfg.batchSize}`);
  if (!(cfg.gamma >= 0 && cfg.alpha > 0 && cfg.alpha < 1)) throw new RangeError(`focal loss needs γ ≥ 0 and 0 < α < 1 (got γ = ${cfg.gamma}, α = ${cfg.alpha})`);
  const scenes = trainingScenes(train, cfg.trainScenes, cfg.seed);
  const enc = encodeTargets(scenes);
  const images = sceneImages(scenes);
  const rng: Rng = mulberry32(cfg.seed ^ 0x5bd1e995);
  const loss = (p: Record<ParamName, tf.Tensor>, x: tf.Tensor, t: tf.Tensor) => detectionLoss(p, x as tf.Tensor4D, t as tf.Tensor4D, cfg);
  const trainer: FlatTrainer<ParamName> = createFlatTrainer(initParams(cfg.seed), loss, { kind: 'adam', lr: cfg.lr });
  const px = SCENE * SCENE;
  const tc = GRID * GRID * TARGET;
  const batch = rowSampler(rng, scenes.length, cfg.batchSize, [images, px], [enc.targets, tc]);
  return {
    get steps() {
      return trainer.steps;
    },
    objects: enc.objects,
    collisions: enc.collisions,
    async train(k) {
      for (let s = 0; s < k; s++) {
        trainer.setLearningRate(cosineRate(cfg.lr, trainer.steps, cfg.total));
        const [bx, bt] = batch();
        tf.tidy(() => trainer.step(tf.tensor4d(bx, [cfg.batchSize, SCENE, SCENE, 1]), tf.tensor4d(bt, [cfg.batchSize, GRID, GRID, TARGET])));
      }
      return trainer.meanLoss();
    },
    read: () => trainer.read(),
    async detect(held, opts = DEFAULT_DECODE) {
      const out = tf.tidy(() => forward(trainer.current(), tf.tensor4d(sceneImages(held), [held.length, SCENE, SCENE, 1])));
      const values = await out.data();
      out.dispose();
      return fromOutput(values, held, opts);
    },
    dispose: () => trainer.dispose(),
  };
}

// ───────────────────────────── the focal loss, pointwise ─────────────────────────────

/** A cell is an easy example when the detector already gives its true label p_t above this. */
export const EASY = 0.9;

/** FL(p_t) = −α_t (1 − p_t)^γ log p_t for one example; α_t = 1 and γ = 0 give cross-entropy. */
export function focalTerm(pt: number, gamma: number, alphaT = 1): number {
  return -alphaT * (1 - pt) ** gamma * Math.log(pt);
}

export interface LossShares {
  /** Fractions of the summed loss carried by easy negatives (p_t > EASY), the other negatives and the positives. */
  easyNegatives: number;
  hardNegatives: number;
  positives: number;
  /** The summed loss. */
  total: number;
  /** How many cells of each kind. */
  counts: { easyNegatives: number; hardNegatives: number; positives: number };
}

/**
 * Who carries the loss: the objectness loss summed over `cells` (σ(objectness) and the 0/1 label of each cell)
 * under focal loss with (γ, α), split into easy negatives, other negatives and positives. γ = 0 and α = 0.5
 * give cross-entropy (halved, which leaves the shares unchanged).
 */
export function lossShares(cells: CellProbabilities, gamma: number, alpha: number): LossShares {
  const sums = { easyNegatives: 0, hardNegatives: 0, positives: 0 };
  const counts = { easyNegatives: 0, hardNegatives: 0, positives: 0 };
  const tiny = 1e-12;
  for (let i = 0; i < cells.p.length; i++) {
    const pos = cells.label[i] === 1;
    const pt = Math.min(1 - tiny, Math.max(tiny, pos ? cells.p[i] : 1 - cells.p[i]));
    const kind = pos ? 'positives' : pt > EASY ? 'easyNegatives' : 'hardNegatives';
    sums[kind] += focalTerm(pt, gamma, pos ? alpha : 1 - alpha);
    counts[kind]++;
  }
  const total = sums.easyNegatives + sums.hardNegatives + sums.positives;
  const share = (x: number) => (total > 0 ? x / total : 0);
  return { easyNegatives: share(sums.easyNegatives), hardNegatives: share(sums.hardNegatives), positives: share(sums.positives), total, counts };
}
