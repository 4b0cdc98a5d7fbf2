/**
 * Optical flow by a cost volume, with nothing learned: two frames in which two MNIST digits and a plain rectangle
 * each move by their own whole-pixel shift; for every pixel x and every displacement d with |dx|, |dy| ≤ D the cost
 * of matching the (2r + 1)² patch around x in frame 1 with the patch around x + d in frame 2, computed by tfjs ops:
 *
 *   sum of squared differences  C(x, d) = Σ_o (f1(x + o) − f2(x + d + o))²      (lower is better), or
 *   correlation (FlowNet)        c(x, d) = Σ_o f1(x + o) · f2(x + d + o)          (higher is better),
 *
 * with o over the patch. Winner-take-all flow takes each pixel's best displacement; ties (a flat patch, or an edge
 * that fits equally well all along itself) go to the smallest |d|, so the aperture problem and textureless regions
 * show up as wrong arrows. The end-point error EPE = ‖flow − true flow‖ is averaged over pixels.
 *
 * Pure: no React, no DOM; runs in Node and the page alike.
 */
import { tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import type { MnistArrays } from '../runtime/data/idx';

/** The frames' width and height, the largest true shift, and the rectangle (x, y, w, h). */
export const WIDTH = 64;
export const HEIGHT = 52;
export const MAX_SHIFT = 3;
export const RECT = { x: 12, y: 38, w: 40, h: 8 } as const;
/** Where the two digits' 28×28 frames go in frame 1. */
const DIGIT_AT: readonly [number, number][] = [
  [3, 3],
  [33, 3],
];
/** Intensity above which a frame-1 pixel belongs to a digit. */
const INK = 0.05;
/** Two costs within this of each other tie. */
export const TIE = 1e-5;

export type CostKind = 'ssd' | 'corr';
export const COST_KINDS: readonly CostKind[] = ['ssd', 'corr'];

/** An object's whole-pixel shift from frame 1 to frame 2. */
export interface Shift {
  dx: number;
  dy: number;
}

export interface Frames {
  width: number;
  height: number;
  /** Row-major intensities in [0, 1]. */
  f1: Float32Array;
  f2: Float32Array;
  /** The true flow of every frame-1 pixel (0 on the static background). */
  trueDx: Int8Array;
  trueDy: Int8Array;
  /** Which object each frame-1 pixel shows: 0 background, 1 and 2 the digits, 3 the rectangle. */
  owner: Uint8Array;
  /** The shifts of the two digits and the rectangle; the digits' classes. */
  shifts: [Shift, Shift, Shift];
  classes: [number, number];
}

/**
 * Two frames from the test digits `digits` (seeded): two digits and a rectangle, each shifted by its own whole
 * pixels in [−MAX_SHIFT, MAX_SHIFT]² (the rectangle by at least 2 px sideways, so that its long edges cannot tell).
 */
export function makeFrames(digits: MnistArrays, seed: number): Frames {
  if (digits.count < 2 || digits.rows !== 28 || digits.cols !== 28) throw new Error('makeFrames: need at least two 28×28 digits');
  const rng = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const picks = [int(0, digits.count - 1), int(0, digits.count - 1)];
  const shift = (): Shift => ({ dx: int(-MAX_SHIFT, MAX_SHIFT), dy: int(-MAX_SHIFT, MAX_SHIFT) });
  const sideways = int(2, MAX_SHIFT) * (rng() < 0.5 ? -1 : 1);
  const shifts: [Shift, Shift, Shift] = [shift(), shift(), { dx: sideways, dy: int(-1, 1) }];
  const n = WIDTH * HEIGHT;
  const f1 = new Float32Array(n);
  const f2 = new Float32Array(n);
  const owner = new Uint8Array(n);
  const trueDx = new Int8Array(n);
  const trueDy = new Int8Array(n);
  const put = (img: Float32Array, x: number, y: number, v: number, who: number) => {
    if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT) return;
    const at = y * WIDTH + x;
    if (v <= img[at]) return;
    img[at] = v;
    if (img === f1 && who > 0) {
      owner[at] = who;
      trueDx[at] = shifts[who - 1].dx;
      trueDy[at] = shifts[who - 1].dy;
    }
  };
  picks.forEach((src, k) => {
    const [ox, oy] = DIGIT_AT[k];
    for (let r = 0; r < 28; r++) {
      for (let c = 0; c < 28; c++) {
        const v = digits.images[src * 784 + r * 28 + c] / 255;
        if (v <= 0) continue;
        put(f1, ox + c, oy + r, v, v > INK ? k + 1 : 0);
        put(f2, ox + c + shifts[k].dx, oy + r + shifts[k].dy, v, 0);
      }
    }
  });
  for (let r = 0; r < RECT.h; r++) {
    for (let c = 0; c < RECT.w; c++) {
      put(f1, RECT.x + c, RECT.y + r, 0.8, 3);
      put(f2, RECT.x + c + shifts[2].dx, RECT.y + r + shifts[2].dy, 0.8, 0);
    }
  }
  return { width: WIDTH, height: HEIGHT, f1, f2, trueDx, trueDy, owner, shifts, classes: [digits.labels[picks[0]], digits.labels[picks[1]]] };
}

/** The displacements (dx, dy) with |dx|, |dy| ≤ D, row by row: index (dy + D)(2D + 1) + dx + D. */
export function displacements(maxD: number): Shift[] {
  const out: Shift[] = [];
  for (let dy = -maxD; dy <= maxD; dy++) for (let dx = -maxD; dx <= maxD; dx++) out.push({ dx, dy });
  return out;
}

/**
 * The cost volume [(2D + 1)², H, W] (row-major, displacement-major) of frames f1, f2 (H×W each) by tfjs ops: frame
 * 2 zero-padded by D, each displacement's window sliced out, multiplied with (or subtracted from) frame 1, and
 * summed over the (2r + 1)² patch by one convolution with a kernel of ones ('same' padding: zeros outside).
 */
export async function costVolume(f1: Float32Array, f2: Float32Array, width: number, height: number, maxD: number, radius: number, kind: CostKind): Promise<Float32Array> {
  if (!(Number.isInteger(maxD) && maxD >= 0 && maxD <= 16)) throw new RangeError(`costVolume: D must be a whole number in 0…16, got ${maxD}`);
  if (!(Number.isInteger(radius) && radius >= 0 && radius <= 8)) throw new RangeError(`costVolume: r must be a whole number in 0…8, got ${radius}`);
  if (f1.length !== width * height || f2.length !== width * height) throw new RangeError(`costVolume: frames must hold ${width}×${height} values`);
  if (!COST_KINDS.includes(kind)) throw new RangeError(`costVolume: cost must be one of ${COST_KINDS.join(', ')}, got ${String(kind)}`);
  const side = 2 * radius + 1;
  const out = tf.tidy(() => {
    const a = tf.tensor2d(f1, [height, width]);
    const b = tf.pad(tf.tensor2d(f2, [height, width]), [
      [maxD, maxD],
      [maxD, maxD],
    ]);
    const shifted = tf.stack(displacements(maxD).map(({ dx, dy }) => tf.slice(b, [maxD + dy, maxD + dx], [height, width]))) as tf.Tensor3D;
    const per = kind === 'ssd' ? tf.square(tf.sub(shifted, a)) : tf.mul(shifted, a);
    const ones = tf.ones([side, side, 1, 1]) as tf.Tensor4D;
    return tf.conv2d(per.expandDims(3) as tf.Tensor4D, ones, 1, 'same').squeeze([3]);
  });
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

export interface Flow {
  dx: Int8Array;
  dy: Int8Array;
  /** How many displacements tie with the best at each pixel: 1 unique, (2D + 1)² no information at all. */
  ties: Uint16Array;
}

/**
 * Winner-take-all flow from a cost volume (as `costVolume` lays it out): each pixel's best displacement (lowest
 * SSD, highest correlation); of displacements within TIE of the best, the one with the smallest |d|.
 */
export function winnerTakeAll(volume: Float32Array, width: number, height: number, maxD: number, kind: CostKind): Flow {
  const ds = displacements(maxD);
  const n = width * height;
  if (volume.length !== ds.length * n) throw new RangeError(`winnerTakeAll: ${volume.length} costs, expected ${ds.length * n}`);
  const sign = kind === 'ssd' ? 1 : -1;
  const dx = new Int8Array(n);
  const dy = new Int8Array(n);
  const ties = new Uint16Array(n);
  for (let p = 0; p < n; p++) {
    let best = Infinity;
    for (let k = 0; k < ds.length; k++) best = Math.min(best, sign * volume[k * n + p]);
    let pick = -1;
    let count = 0;
    for (let k = 0; k < ds.length; k++) {
      if (sign * volume[k * n + p] > best + TIE) continue;
      count++;
      const d = ds[k];
      if (pick < 0 || d.dx * d.dx + d.dy * d.dy < ds[pick].dx ** 2 + ds[pick].dy ** 2) pick = k;
    }
    dx[p] = ds[pick].dx;
    dy[p] = ds[pick].dy;
    ties[p] = count;
  }
  return { dx, dy, ties };
}

/** The costs of one pixel (x, y) over all displacements, in `displacements(maxD)` order. */
export function pixelCosts(volume: Float32Array, width: number, height: number, maxD: number, x: number, y: number): Float32Array {
  const k = (2 * maxD + 1) ** 2;
  const out = new Float32Array(k);
  for (let i = 0; i < k; i++) out[i] = volume[i * width * height + y * width + x];
  return out;
}

/** Mean end-point error ‖flow − truth‖ over the pixels `where` says (NaN for none). */
export function endPointError(flow: Pick<Flow, 'dx' | 'dy'>, truth: Pick<Frames, 'trueDx' | 'trueDy'>, where: (p: number) => boolean = () => true): number {
  let sum = 0;
  let n = 0;
  for (let p = 0; p < flow.dx.length; p++) {
    if (!where(p)) continue;
    sum += Math.hypot(flow.dx[p] - truth.trueDx[p], flow.dy[p] - truth.trueDy[p]);
    n++;
  }
  return n ? sum / n : NaN;
}

/** Pixels by how much their patch tells: one best match, several (along an edge, inside a flat area) or none at all. */
export type Evidence = 'unique' | 'aperture' | 'textureless';

/** 1 tie: unique; every displacement ties: textureless; in between: ambiguous, the aperture problem (or a repeated pattern). */
export function evidenceOf(ties: number, maxD: number): Evidence {
  return ties <= 1 ? 'unique' : ties >= (2 * maxD + 1) ** 2 ? 'textureless' : 'aperture';
}

export interface FlowReport {
  /** EPE over all pixels and over the moving objects' pixels. */
  epeAll: number;
  epeMoving: number;
  /** EPE and pixel count of the moving pixels by evidence. */
  byEvidence: Record<Evidence, { epe: number; count: number }>;
}

/** The end-point errors of a flow against the frames' truth, overall and split by how much each pixel's patch tells. */
export function flowReport(flow: Flow, frames: Frames, maxD: number): FlowReport {
  const moving = (p: number) => frames.owner[p] > 0;
  const byEvidence = {} as FlowReport['byEvidence'];
  for (const e of ['unique', 'aperture', 'textureless'] as const) {
    const where = (p: number) => moving(p) && evidenceOf(flow.ties[p], maxD) === e;
    let count = 0;
    for (let p = 0; p < flow.dx.length; p++) if (where(p)) count++;
    byEvidence[e] = { epe: endPointError(flow, frames, where), count };
  }
  return { epeAll: endPointError(flow, frames), epeMoving: endPointError(flow, frames, moving), byEvidence };
}

export interface CostVolumeResult {
  volume: Float32Array;
  flow: Flow;
  report: FlowReport;
}

/** The cost volume of `frames`, its winner-take-all flow and their errors. */
export async function matchFrames(frames: Frames, maxD: number, radius: number, kind: CostKind): Promise<CostVolumeResult> {
  const volume = await costVolume(frames.f1, frames.f2, frames.width, frames.height, maxD, radius, kind);
  const flow = winnerTakeAll(volume, frames.width, frames.height, maxD, kind);
  return { volume, flow, report: flowReport(flow, frames, maxD) };
}
