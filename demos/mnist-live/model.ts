/**
 * The tfjs part of the "This network, live" demo: one 28×28 digit through a trained classifier.
 * Pure: no React, no DOM. Loading the shipped model is demos/runtime/data/models.ts (loadModel).
 */
import { tf } from '../runtime/tf';
import { MNIST_SIDE } from '../runtime/data/preprocess';
import type { ModelManifest } from '../runtime/data/models';

/** Pixels of one input: 28 × 28. */
export const INPUT_SIZE = MNIST_SIDE * MNIST_SIDE;

/**
 * Class probabilities of `model` for one digit: `input` holds 784 pixels in [0, 1], row-major, white
 * ink on black. Runs inside tf.tidy with a single read-back; no tensor outlives the call.
 */
export async function predict(model: tf.LayersModel, input: Float32Array): Promise<Float32Array> {
  if (input.length !== INPUT_SIZE) throw new Error(`predict: ${input.length} pixels, expected ${INPUT_SIZE}`);
  const out = tf.tidy(() => (model.predict(tf.tensor4d(input, [1, MNIST_SIDE, MNIST_SIDE, 1])) as tf.Tensor2D).reshape([-1]));
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

/** Index of the largest value (the first one on ties); -1 for an empty array. */
export function argMax(xs: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < xs.length; i++) if (best < 0 || xs[i] > xs[best]) best = i;
  return best;
}

/**
 * The architecture in one line from a model manifest, e.g. "Conv2D 16 → MaxPooling2D → … → Dense 10",
 * with layer widths where a layer has them (channels or units: the last output dimension).
 */
export function describeArchitecture(manifest: Pick<ModelManifest, 'architecture'>): string {
  return manifest.architecture
    .filter((l) => l.type !== 'Flatten' && l.type !== 'InputLayer')
    .map((l) => (l.params > 0 ? `${l.type} ${l.outputShape[l.outputShape.length - 1]}` : l.type))
    .join(' → ');
}

/** True if the manifest's network has a Dropout layer directly before its output layer. */
export function dropoutBeforeOutput(manifest: Pick<ModelManifest, 'architecture'>): boolean {
  const a = manifest.architecture;
  return a.length >= 2 && a[a.length - 2].type === 'Dropout';
}
