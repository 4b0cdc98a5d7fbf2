/**
 * Scenes composed of MNIST digits, for detection and segmentation: each digit is scaled, placed at a random
 * position without much overlap, and recorded with its class, its tight box (of the ink, not of the 28×28 frame)
 * and its pixels in a class mask. Seeded: the same digits and options give the same scenes, in Node and browser.
 */
import type { MnistArrays } from './idx';
import { mulberry32 } from '../random';
import type { Box } from '../detection';
import { iou } from '../detection';

export interface SceneObject {
  /** The digit's class, 0–9. */
  cls: number;
  /** Tight box of the ink, in pixels of the scene: [x1, y1, x2, y2], x2/y2 exclusive. */
  box: Box;
  /** Index of the source digit. */
  source: number;
}

export interface Scene {
  size: number;
  /** size² intensities in [0, 1], row-major. */
  image: Float32Array;
  /** size² labels: 0 background, 1 + class where that digit's ink is the brightest. */
  mask: Uint8Array;
  objects: SceneObject[];
}

export interface SceneOptions {
  /** Scenes to make. */
  count: number;
  /** Side of a scene in pixels. */
  size: number;
  /** Digits per scene: uniform in [minDigits, maxDigits]. */
  minDigits?: number;
  maxDigits?: number;
  /** Side of a placed digit's 28×28 frame in pixels: uniform in [minScale, maxScale]. */
  minScale?: number;
  maxScale?: number;
  /** A placement is retried when its box overlaps an earlier one by IoU above this. */
  maxOverlap?: number;
  /** Ink above this intensity counts for the box and the mask. */
  inkThreshold?: number;
  seed: number;
  /** Which source digits may be used (default: all). */
  pool?: ArrayLike<number>;
}

/** Bilinear sample of a 28×28 (rows×cols) byte image at (x, y) in source pixels, as an intensity in [0, 1]. */
function sample(src: Uint8Array, offset: number, rows: number, cols: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (r: number, c: number) => (r >= 0 && r < rows && c >= 0 && c < cols ? src[offset + r * cols + c] : 0);
  const top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx;
  const bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
  return (top * (1 - fy) + bottom * fy) / 255;
}

/** Composes `opts.count` scenes from `digits`; every scene holds at least `minDigits` digits. */
export function composeScenes(digits: MnistArrays, opts: SceneOptions): Scene[] {
  const { count, size, minDigits = 1, maxDigits = 3, minScale = 20, maxScale = 32, maxOverlap = 0.1, inkThreshold = 0.3 } = opts;
  if (!(size >= maxScale && minScale >= 4 && minScale <= maxScale)) throw new Error(`scenes: need 4 ≤ minScale ≤ maxScale ≤ size (got ${minScale}, ${maxScale}, ${size})`);
  if (!(minDigits >= 1 && minDigits <= maxDigits)) throw new Error(`scenes: need 1 ≤ minDigits ≤ maxDigits (got ${minDigits}, ${maxDigits})`);
  const pool = opts.pool ?? Array.from({ length: digits.count }, (_, i) => i);
  if (pool.length === 0) throw new Error('scenes: no source digits');
  const rng = mulberry32(opts.seed);
  const { rows, cols, images } = digits;
  const scenes: Scene[] = [];
  for (let s = 0; s < count; s++) {
    const image = new Float32Array(size * size);
    const mask = new Uint8Array(size * size);
    const objects: SceneObject[] = [];
    const wanted = minDigits + Math.floor(rng() * (maxDigits - minDigits + 1));
    for (let attempt = 0; objects.length < wanted && attempt < wanted * 20; attempt++) {
      const source = pool[Math.floor(rng() * pool.length)];
      const side = minScale + Math.floor(rng() * (maxScale - minScale + 1));
      const left = Math.floor(rng() * (size - side + 1));
      const top = Math.floor(rng() * (size - side + 1));
      // Render into a patch first: the box is that of the ink actually drawn.
      const patch = new Float32Array(side * side);
      let x1 = side;
      let y1 = side;
      let x2 = -1;
      let y2 = -1;
      const k = cols / side;
      for (let r = 0; r < side; r++) {
        for (let c = 0; c < side; c++) {
          const v = sample(images, source * rows * cols, rows, cols, (c + 0.5) * k - 0.5, (r + 0.5) * k - 0.5);
          patch[r * side + c] = v;
          if (v > inkThreshold) {
            x1 = Math.min(x1, c);
            y1 = Math.min(y1, r);
            x2 = Math.max(x2, c);
            y2 = Math.max(y2, r);
          }
        }
      }
      if (x2 < 0) continue;
      const box: Box = [left + x1, top + y1, left + x2 + 1, top + y2 + 1];
      if (objects.some((o) => iou(o.box, box) > maxOverlap)) continue;
      const cls = digits.labels[source];
      for (let r = 0; r < side; r++) {
        for (let c = 0; c < side; c++) {
          const v = patch[r * side + c];
          const at = (top + r) * size + left + c;
          if (v > image[at]) {
            image[at] = v;
            if (v > inkThreshold) mask[at] = cls + 1;
          }
        }
      }
      objects.push({ cls, box, source });
    }
    scenes.push({ size, image, mask, objects });
  }
  return scenes;
}

/** The scenes' images (all of side `size`) stacked row-major as one [N, size, size, 1] array. */
export function stackImages(scenes: readonly Pick<Scene, 'image'>[], size: number): Float32Array {
  const out = new Float32Array(scenes.length * size * size);
  scenes.forEach((s, i) => out.set(s.image, i * size * size));
  return out;
}
