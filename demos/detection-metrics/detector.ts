/**
 * A sliding-window detector made of the shipped MNIST classifier: every window of a few sizes, at a stride, is
 * resized to 28×28 (tf.image.cropAndResize, bilinear) and classified; the window's class is the arg-max, its
 * score the softmax probability, and its box the tight box of the ink in the window's central 20/28 (where MNIST
 * centres its digits). No non-maximum suppression here: the page applies it, so its slider changes the AP.
 * Used by `npm run reproduce -- detection-metrics --write`, which ships the boxes the page draws.
 */
import { tf } from '../runtime/tf';
import type { Box } from '../runtime/detection';
import type { Scene } from '../runtime/data/scenes';

/** One window's answer: a scored, classed box in the scene's pixels. */
export interface WindowDetection {
  image: number;
  cls: number;
  score: number;
  box: Box;
}

export interface SlidingWindowOptions {
  /** Window sides in pixels. */
  sizes: readonly number[];
  /** Step between windows in pixels. */
  stride: number;
  /** Windows scoring below this are dropped. */
  minScore: number;
  /** Ink above this intensity counts for the box. */
  inkThreshold: number;
}

/** The windows of a size×size scene: [x1, y1, x2, y2] for every side and position, row by row. */
export function windows(size: number, sides: readonly number[], stride: number): Box[] {
  const out: Box[] = [];
  for (const s of sides) for (let y = 0; y + s <= size; y += stride) for (let x = 0; x + s <= size; x += stride) out.push([x, y, x + s, y + s]);
  return out;
}

/** Tight box of the pixels above `threshold` inside `region` of a scene, or null when there are none. */
export function inkBox(scene: Scene, region: Box, threshold: number): Box | null {
  const [rx1, ry1, rx2, ry2] = region.map(Math.round);
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -1;
  let y2 = -1;
  for (let y = Math.max(0, ry1); y < Math.min(scene.size, ry2); y++) {
    for (let x = Math.max(0, rx1); x < Math.min(scene.size, rx2); x++) {
      if (scene.image[y * scene.size + x] > threshold) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x);
        y2 = Math.max(y2, y);
      }
    }
  }
  return x2 < 0 ? null : [x1, y1, x2 + 1, y2 + 1];
}

/**
 * Runs `model` (28×28×1 → softmax over 10 digits) over every window of every scene, one batch per scene, one
 * read-back each; returns the windows with ink scoring at least `minScore`. Frees every tensor it makes.
 */
export async function slidingWindowDetect(model: tf.LayersModel, scenes: readonly Scene[], opts: SlidingWindowOptions): Promise<WindowDetection[]> {
  const out: WindowDetection[] = [];
  for (let s = 0; s < scenes.length; s++) {
    const scene = scenes[s];
    const wins = windows(scene.size, opts.sizes, opts.stride);
    const probs = tf.tidy(() => {
      const img = tf.tensor4d(scene.image, [1, scene.size, scene.size, 1]);
      // cropAndResize samples at box corners in normalised coordinates: (size − 1) maps to the last pixel.
      const norm = wins.map(([x1, y1, x2, y2]) => [y1 / (scene.size - 1), x1 / (scene.size - 1), (y2 - 1) / (scene.size - 1), (x2 - 1) / (scene.size - 1)]);
      const crops = tf.image.cropAndResize(img, tf.tensor2d(norm), tf.zeros([wins.length], 'int32') as tf.Tensor1D, [28, 28], 'bilinear');
      return model.predict(crops) as tf.Tensor2D;
    });
    const p = await probs.data();
    probs.dispose();
    for (let w = 0; w < wins.length; w++) {
      let cls = 0;
      for (let c = 1; c < 10; c++) if (p[w * 10 + c] > p[w * 10 + cls]) cls = c;
      const score = p[w * 10 + cls];
      if (score < opts.minScore) continue;
      const [x1, y1, x2, y2] = wins[w];
      const m = ((x2 - x1) * 4) / 28;
      const box = inkBox(scene, [x1 + m, y1 + m, x2 - m, y2 - m], opts.inkThreshold);
      if (box) out.push({ image: s, cls, score, box });
    }
  }
  return out;
}
