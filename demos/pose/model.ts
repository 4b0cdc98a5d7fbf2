/**
 * Keypoints as heatmap regression, in miniature: a small fully-convolutional network (a one-level hourglass:
 * down to 1/4, back up to 1/2 with a skip) learns to put a Gaussian bump on one keypoint of every MNIST digit in a
 * 48×48 scene (../runtime/data/scenes.ts), as the stacked hourglass (Newell et al. 2016) does for body joints.
 *
 * - The keypoint of a digit is either its top end (the middle of the topmost row of its ink) or its centre of
 *   mass (the intensity-weighted mean of its ink), in continuous pixel coordinates: pixel (c, r) covers
 *   [c, c + 1) × [r, r + 1), so its centre is (c + ½, r + ½).
 * - The target heatmap, one cell per 2×2 pixels, holds at each cell the largest of the digits' Gaussians
 *   exp(−‖p − k‖² / 2σ²) (the maximum, not the sum, as OpenPose builds its confidence maps), σ = 2 px.
 * - The loss is the squared error between predicted and target heatmaps, summed over cells and averaged over the
 *   batch (Newell et al.'s mean-squared error).
 * - A digit's predicted keypoint is the heatmap's maximum inside its box widened by MARGIN px (the evaluation is
 *   told roughly where each digit is, as MPII tells it where each person is), refined to below a cell by a
 *   parabola through the logs of the peak and its neighbours (exact when the heat around the peak is a Gaussian).
 * - PCK@α: the share of keypoints predicted within α·(the digit's ink height) of the truth.
 *
 * Pure: no React, no DOM; runs in Node, the page and the worker (./train.ts) alike.
 */
import { tf } from '../runtime/tf';
import { gaussian, mulberry32, type Rng } from '../runtime/random';
import { rowSampler } from '../runtime/sampling';
import { cosineRate, createFlatTrainer, flatInit, paramsFromFlat, type FlatTrainer, type ParamInit } from '../runtime/train';
import { composeScenes, stackImages, type Scene, type SceneObject, type SceneOptions } from '../runtime/data/scenes';
import type { MnistArrays } from '../runtime/data/idx';

/** Side of a scene, stride of the heatmap, its side, and the Gaussian's σ in pixels. */
export const SCENE = 48;
export const STRIDE = 2;
export const HEAT = SCENE / STRIDE;
export const SIGMA = 2;
/** The search window around a digit's box, in pixels. */
export const MARGIN = 1;
/** Ink above this intensity counts (as in the scenes' masks). */
export const INK = 0.3;

/** How the scenes are composed: 1–3 digits of 18–28 px on 48×48. */
export const SCENE_OPTIONS: Omit<SceneOptions, 'count' | 'seed'> = { size: SCENE, minDigits: 1, maxDigits: 3, minScale: 18, maxScale: 28, inkThreshold: INK };

export type KeypointKind = 'top' | 'centre';
export const KEYPOINT_KINDS: readonly KeypointKind[] = ['top', 'centre'];

/** A point in continuous pixel coordinates. */
export interface Point {
  x: number;
  y: number;
}

/**
 * The keypoint of `obj` in `scene`: 'top' is the middle of the topmost row of its ink (the mean centre of the
 * pixels of that row that carry its class in the mask, or any ink there if another digit covers them all);
 * 'centre' is the intensity-weighted centre of mass of its pixels in the mask.
 */
export function keypointOf(scene: Pick<Scene, 'size' | 'image' | 'mask'>, obj: Pick<SceneObject, 'box' | 'cls'>, kind: KeypointKind): Point {
  const { size, image, mask } = scene;
  const [x1, y1, x2, y2] = obj.box;
  const own = (at: number) => mask[at] === obj.cls + 1;
  if (kind === 'top') {
    for (const test of [own, (at: number) => image[at] > INK]) {
      let sum = 0;
      let n = 0;
      for (let c = x1; c < x2; c++) {
        if (test(y1 * size + c)) {
          sum += c + 0.5;
          n++;
        }
      }
      if (n > 0) return { x: sum / n, y: y1 + 0.5 };
    }
    return { x: (x1 + x2) / 2, y: y1 + 0.5 };
  }
  let w = 0;
  let sx = 0;
  let sy = 0;
  for (let r = y1; r < y2; r++) {
    for (let c = x1; c < x2; c++) {
      const at = r * size + c;
      if (!own(at)) continue;
      w += image[at];
      sx += image[at] * (c + 0.5);
      sy += image[at] * (r + 0.5);
    }
  }
  return w > 0 ? { x: sx / w, y: sy / w } : { x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
}

/** The reference size PCK scales its threshold by: the digit's ink height in pixels (what PCKh's head size is to a person). */
export function referenceSize(obj: Pick<SceneObject, 'box'>): number {
  return obj.box[3] - obj.box[1];
}

/** Centre of heatmap cell `j` in pixels. */
export const cellCentre = (j: number) => STRIDE * j + STRIDE / 2;

/** The target heatmaps [N, HEAT, HEAT] of `scenes`: at each cell the largest Gaussian exp(−d²/2σ²) of the scene's keypoints. */
export function targetHeatmaps(scenes: readonly Scene[], kind: KeypointKind, sigma = SIGMA): Float32Array {
  const out = new Float32Array(scenes.length * HEAT * HEAT);
  scenes.forEach((s, n) => {
    for (const o of s.objects) {
      const k = keypointOf(s, o, kind);
      for (let i = 0; i < HEAT; i++) {
        const dy = cellCentre(i) - k.y;
        for (let j = 0; j < HEAT; j++) {
          const dx = cellCentre(j) - k.x;
          const g = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
          const at = n * HEAT * HEAT + i * HEAT + j;
          if (g > out[at]) out[at] = g;
        }
      }
    }
  });
  return out;
}

/**
 * The keypoint a heatmap (HEAT² numbers, row-major) gives for a digit with box `box`: the maximum over the cells
 * whose centres lie in the box widened by MARGIN px, refined on each axis by the vertex of the parabola through the
 * logs of the peak and its two neighbours (no refinement where one of them is not positive), in pixels.
 */
export function peakInBox(heat: ArrayLike<number>, box: readonly [number, number, number, number], margin = MARGIN): Point {
  const lo = (v: number) => Math.max(0, Math.ceil((v - STRIDE / 2) / STRIDE));
  const hi = (v: number) => Math.min(HEAT - 1, Math.floor((v - STRIDE / 2) / STRIDE));
  const j1 = lo(box[0] - margin);
  const j2 = hi(box[2] + margin);
  const i1 = lo(box[1] - margin);
  const i2 = hi(box[3] + margin);
  let bi = Math.min(Math.max(i1, 0), HEAT - 1);
  let bj = Math.min(Math.max(j1, 0), HEAT - 1);
  let best = -Infinity;
  for (let i = i1; i <= i2; i++) {
    for (let j = j1; j <= j2; j++) {
      if (heat[i * HEAT + j] > best) {
        best = heat[i * HEAT + j];
        bi = i;
        bj = j;
      }
    }
  }
  // Sub-cell: a parabola through the logs of the peak and its two neighbours on each axis (exact for a sampled Gaussian).
  const offset = (minus: number, mid: number, plus: number) => {
    if (!(minus > 0 && mid > 0 && plus > 0)) return 0;
    const [a, b, c] = [Math.log(minus), Math.log(mid), Math.log(plus)];
    const curve = a - 2 * b + c;
    return curve < 0 ? Math.max(-0.5, Math.min(0.5, (a - c) / (2 * curve))) : 0;
  };
  const h = (i: number, j: number) => (i >= 0 && j >= 0 && i < HEAT && j < HEAT ? heat[i * HEAT + j] : 0);
  const ci = bi + offset(h(bi - 1, bj), h(bi, bj), h(bi + 1, bj));
  const cj = bj + offset(h(bi, bj - 1), h(bi, bj), h(bi, bj + 1));
  return { x: cellCentre(cj), y: cellCentre(ci) };
}

/** One digit's keypoint: the truth, the prediction and their distance over the reference size. */
export interface KeypointResult {
  truth: Point;
  pred: Point;
  /** ‖pred − truth‖ / referenceSize. */
  normDist: number;
}

/** The keypoints of every digit of `scenes` from their predicted heatmaps ([N, HEAT, HEAT] row-major). */
export function keypointsFromHeatmaps(heat: Float32Array, scenes: readonly Scene[], kind: KeypointKind): KeypointResult[][] {
  return scenes.map((s, n) => {
    const map = heat.subarray(n * HEAT * HEAT, (n + 1) * HEAT * HEAT);
    return s.objects.map((o) => {
      const truth = keypointOf(s, o, kind);
      const pred = peakInBox(map, o.box);
      return { truth, pred, normDist: Math.hypot(pred.x - truth.x, pred.y - truth.y) / referenceSize(o) };
    });
  });
}

/** PCK@α: the share of normalised distances ‖pred − truth‖ / reference that are at most α (NaN for none). */
export function pck(normDists: ArrayLike<number>, alpha: number): number {
  if (normDists.length === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < normDists.length; i++) if (normDists[i] <= alpha) hits++;
  return hits / normDists.length;
}

// ───────────────────────────── the network ─────────────────────────────

/** The convolutions: [kernel, in, out, stride]. e0–e3 go down to 1/4, d0 runs after the ×2 upsampling and the skip from e1, h is the 1×1 head. */
const LAYERS: readonly [number, number, number, number][] = [
  [3, 1, 16, 2], // e0: 48 → 24
  [3, 16, 32, 1], // e1: 24, kept for the skip
  [3, 32, 32, 2], // e2: 24 → 12
  [3, 32, 32, 1], // e3: 12
  [3, 32, 16, 1], // d0: 24, after upsampling e3 and adding e1
  [1, 16, 1, 1], // head: one heatmap
];

export type ParamName = `w${number}` | `b${number}`;

/** He-normal weights, zero biases (small weights on the head); seeded. */
export function initParams(seed: number): ParamInit<ParamName>[] {
  const rng = mulberry32(seed);
  const out: ParamInit<ParamName>[] = [];
  LAYERS.forEach(([k, cin, cout], i) => {
    const sd = i === LAYERS.length - 1 ? 0.05 : Math.sqrt(2 / (k * k * cin));
    const w = new Float32Array(k * k * cin * cout);
    for (let j = 0; j < w.length; j++) w[j] = sd * gaussian(rng);
    out.push({ name: `w${i}`, shape: [k, k, cin, cout], values: w, l2: 1e-4 }, { name: `b${i}`, shape: [cout], values: new Float32Array(cout) });
  });
  return out;
}

/** Scalar parameters of the network. */
export function parameterCount(): number {
  return LAYERS.reduce((a, [k, cin, cout]) => a + k * k * cin * cout + cout, 0);
}

/** Nearest-neighbour ×2 upsampling of [N, H, W, C] by concatenations and reshapes (their gradients exist on every backend). */
export function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const wide = tf.reshape(tf.concat([x, x], 3), [n, h, 2 * w, c]);
    return tf.reshape(tf.concat([wide, wide], 2), [n, 2 * h, 2 * w, c]) as tf.Tensor4D;
  });
}

/** Predicted heatmaps [N, HEAT, HEAT, 1] of scenes [N, SCENE, SCENE, 1]. */
export function forward(params: Readonly<Record<string, tf.Tensor>>, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const conv = (h: tf.Tensor4D, i: number, relu = true) => {
      const y = tf.add(tf.conv2d(h, params[`w${i}`] as tf.Tensor4D, LAYERS[i][3], 'same'), params[`b${i}`]) as tf.Tensor4D;
      return relu ? tf.relu(y) : y;
    };
    const e1 = conv(conv(x, 0), 1);
    const e3 = conv(conv(e1, 2), 3);
    const d0 = conv(tf.add(upsample2(e3), e1) as tf.Tensor4D, 4);
    return conv(d0, 5, false);
  });
}

/** Σ over cells of the squared error, averaged over the batch: heatmaps [N, HEAT, HEAT, 1]. */
export function heatmapLoss(params: Readonly<Record<string, tf.Tensor>>, x: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.square(tf.sub(forward(params, x), target))), x.shape[0]) as tf.Scalar);
}

// ───────────────────────────── scenes ─────────────────────────────

/**
 * The scenes of a split: held-out ones from MNIST test digits, under a seed of their own; training ones from
 * training digits. Composed in order from one seeded stream, so the first k of a larger set are the same k.
 */
export function poseScenes(digits: MnistArrays, count: number, seed: number, split: 'train' | 'held-out'): Scene[] {
  return composeScenes(digits, { ...SCENE_OPTIONS, count, seed: split === 'train' ? seed : 2_000_003 + seed });
}

/** Held-out scenes of test digits (`poseScenes(test, count, seed, 'held-out')`). */
export const heldOutScenes = (test: MnistArrays, count: number, seed: number) => poseScenes(test, count, seed, 'held-out');

/** The initial flat parameter vector of a seed (what the trainer starts from). */
export function initialFlat(seed: number): Float32Array {
  return flatInit(initParams(seed));
}

/** Predicted heatmaps ([N, HEAT, HEAT] row-major) of `scenes` under the flat parameter vector `flat` (as the trainer lays it out). */
export async function predictHeatmaps(flat: Float32Array, scenes: readonly Pick<Scene, 'image'>[]): Promise<Float32Array> {
  const init = initParams(0);
  const out = tf.tidy(() => {
    const params = paramsFromFlat(init, flat);
    return scenes.length ? forward(params, tf.tensor4d(stackImages(scenes, SCENE), [scenes.length, SCENE, SCENE, 1])) : tf.zeros([0, HEAT, HEAT, 1]);
  });
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

// ───────────────────────────── training ─────────────────────────────

export interface PoseConfig {
  seed: number;
  kind: KeypointKind;
  batchSize: number;
  lr: number;
  /** Training scenes composed once (from training digits) and sampled into batches. */
  trainScenes: number;
  /** The budget: the learning rate follows a cosine from `lr` to 0 over these steps. */
  total: number;
}

export const DEFAULT_CONFIG: PoseConfig = { seed: 1, kind: 'top', batchSize: 16, lr: 0.003, trainScenes: 2000, total: 400 };

export interface KeypointNet {
  readonly steps: number;
  /** `k` steps of Adam; the mean loss over them (NaN for k = 0). */
  train(k: number): Promise<number>;
  /** The current parameters, read back. */
  read(): Promise<Float32Array>;
  /** The predicted heatmaps of `scenes` with the current parameters, in one read-back. */
  heatmaps(scenes: readonly Scene[]): Promise<Float32Array>;
  dispose(): void;
}

/** A keypoint network trained with Adam on scenes composed from `train` (MNIST training digits); seeded. */
export function createKeypointNet(train: MnistArrays, cfg: PoseConfig = DEFAULT_CONFIG): KeypointNet {
  if (!(Number.isInteger(cfg.batchSize) && cfg.batchSize >= 1)) throw new RangeError(`batch size must be a whole number ≥ 1, got ${cfg.batchSize}`);
  if (!KEYPOINT_KINDS.includes(cfg.kind)) throw new RangeError(`keypoint must be one of ${KEYPOINT_KINDS.join(', ')}, got ${String(cfg.kind)}`);
  const scenes = poseScenes(train, cfg.trainScenes, cfg.seed, 'train');
  const targets = targetHeatmaps(scenes, cfg.kind);
  const images = stackImages(scenes, SCENE);
  const rng: Rng = mulberry32(cfg.seed ^ 0x2545f491);
  const loss = (p: Record<ParamName, tf.Tensor>, x: tf.Tensor, t: tf.Tensor) => heatmapLoss(p, x as tf.Tensor4D, t as tf.Tensor4D);
  const trainer: FlatTrainer<ParamName> = createFlatTrainer(initParams(cfg.seed), loss, { kind: 'adam', lr: cfg.lr });
  const px = SCENE * SCENE;
  const hc = HEAT * HEAT;
  const batch = rowSampler(rng, scenes.length, cfg.batchSize, [images, px], [targets, hc]);
  return {
    get steps() {
      return trainer.steps;
    },
    async train(k) {
      for (let s = 0; s < k; s++) {
        trainer.setLearningRate(cosineRate(cfg.lr, trainer.steps, cfg.total));
        const [bx, bt] = batch();
        tf.tidy(() => trainer.step(tf.tensor4d(bx, [cfg.batchSize, SCENE, SCENE, 1]), tf.tensor4d(bt, [cfg.batchSize, HEAT, HEAT, 1])));
      }
      return trainer.meanLoss();
    },
    read: () => trainer.read(),
    async heatmaps(held) {
      const out = tf.tidy(() => forward(trainer.current(), tf.tensor4d(stackImages(held, SCENE), [held.length, SCENE, SCENE, 1])));
      try {
        return (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
    },
    dispose: () => trainer.dispose(),
  };
}
