/**
 * Scoring a fully connected ReLU network given as plain arrays (DenseWeights), as the compression demos
 * change its weights: the test digits are uploaded once, and the activations of the unchanged network are
 * kept, so a change to layer l only re-runs layers l and above.
 */
import { tf } from '../tf';
import type { DenseWeights } from './layers';

/** Weights of one layer as the scorer needs them (a DenseWeights without its name). */
export type LayerArrays = Pick<DenseWeights, 'inputs' | 'units' | 'kernel' | 'bias'>;

/** Test accuracy of variants of one network; dispose() frees its tensors (idempotent). */
export interface MlpScorer {
  /** Test digits scored. */
  readonly count: number;
  /**
   * Share of the test digits classified correctly by the network whose layers are `base`'s with
   * `replaced` (layer index → weights) in their place. One read-back.
   */
  accuracy(replaced?: ReadonlyMap<number, LayerArrays>): Promise<number>;
  dispose(): void;
}

/** The layers' kernels and biases as tensors: [W1, b1, W2, b2, …] (the caller disposes them). */
export function layerTensors(layers: readonly LayerArrays[]): tf.Tensor[] {
  return layers.flatMap((l) => [tf.tensor2d(l.kernel, [l.inputs, l.units]), tf.tensor1d(l.bias)]);
}

/** Logits of the ReLU network with tensors wb = [W1, b1, W2, b2, …] for inputs h (call inside tf.tidy). */
export function mlpLogits(h: tf.Tensor2D, wb: readonly tf.Tensor[]): tf.Tensor2D {
  const n = wb.length / 2;
  for (let i = 0; i < n; i++) {
    const z = tf.add(tf.matMul(h, wb[2 * i] as tf.Tensor2D), wb[2 * i + 1]) as tf.Tensor2D;
    h = i < n - 1 ? tf.relu(z) : z;
  }
  return h;
}

function apply(h: tf.Tensor2D, l: LayerArrays, last: boolean): tf.Tensor2D {
  const y = tf.add(tf.matMul(h, tf.tensor2d(l.kernel, [l.inputs, l.units])), tf.tensor1d(l.bias)) as tf.Tensor2D;
  return last ? y : tf.relu(y);
}

/**
 * A scorer for the network `base` (ReLU between layers, none after the last) on `count` digits: `images`
 * [count × inputs] scaled to [0, 1], `labels` their classes.
 */
export function createMlpScorer(base: readonly LayerArrays[], images: Float32Array, labels: ArrayLike<number>, count: number): MlpScorer {
  if (!base.length) throw new RangeError('createMlpScorer: no layers');
  if (images.length !== count * base[0].inputs || labels.length < count) throw new RangeError(`createMlpScorer: ${count} digits need ${count * base[0].inputs} pixels and ${count} labels`);
  const y = tf.tensor1d(Int32Array.from({ length: count }, (_, i) => labels[i]), 'int32');
  // inputs[l]: what enters layer l in the unchanged network.
  const inputs: tf.Tensor2D[] = [tf.tensor2d(images, [count, base[0].inputs])];
  for (let l = 0; l + 1 < base.length; l++) inputs.push(tf.tidy(() => apply(inputs[l], base[l], false)));
  let live = true;
  return {
    count,
    async accuracy(replaced = new Map()) {
      if (!live) throw new Error('MlpScorer: used after dispose');
      const from = Math.min(base.length - 1, ...replaced.keys());
      const correct = tf.tidy(() => {
        let h = inputs[from];
        for (let l = from; l < base.length; l++) h = apply(h, replaced.get(l) ?? base[l], l === base.length - 1);
        return tf.sum(tf.cast(tf.equal(tf.argMax(h, 1), y), 'float32'));
      });
      try {
        return (await correct.data())[0] / count;
      } finally {
        correct.dispose();
      }
    },
    dispose() {
      if (!live) return;
      live = false;
      tf.dispose([y, ...inputs]);
    },
  };
}
