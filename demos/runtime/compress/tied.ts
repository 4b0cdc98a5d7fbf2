/**
 * Training a fully connected ReLU network whose weights are tied: weight i of a layer is the parameter
 * values[tie[i]], or held at zero when tie[i] = −1. One rule covers both of Deep Compression's retraining
 * stages (Han, Mao & Dally 2016, §3.3): after pruning, every kept weight is its own parameter and the pruned
 * ones are tied to nothing (retraining with the mask fixed); after weight sharing, the weights of a cluster
 * share its centroid, and the centroid's gradient is the sum of theirs,
 *   ∂L/∂c_k = Σ_i ∂L/∂w_i · 1(tie_i = k).
 * tfjs gives ∂L/∂W for the full matrices (one read-back per step); the sums and Adam run on plain arrays.
 */
import { tf } from '../tf';
import { mulberry32 } from '../random';
import type { MnistArrays } from '../data/idx';
import { mlpLogits } from './mlp';

/** One layer with tied weights: kernel[i] = tie[i] ≥ 0 ? values[tie[i]] : 0 (row-major [inputs, units]). */
export interface TiedLayer {
  inputs: number;
  units: number;
  /** Which parameter each weight is (−1: held at zero). */
  tie: Int32Array;
  /** The parameters the weights are tied to (trained in place). */
  values: Float32Array;
  /** The bias (trained in place). */
  bias: Float32Array;
}

/** The layer's full kernel from its tied parameters. */
export function tiedKernel(l: TiedLayer, out = new Float32Array(l.tie.length)): Float32Array {
  for (let i = 0; i < l.tie.length; i++) out[i] = l.tie[i] >= 0 ? l.values[l.tie[i]] : 0;
  return out;
}

/**
 * Sums `grad` (one entry per weight) over each parameter's tied weights: the gradient of the parameters.
 * Weights tied to nothing contribute nothing.
 */
export function tiedGradient(tie: Int32Array, grad: ArrayLike<number>, params: number, out = new Float64Array(params)): Float64Array {
  out.fill(0);
  for (let i = 0; i < tie.length; i++) if (tie[i] >= 0) out[tie[i]] += grad[i];
  return out;
}

/** Options of {@link trainTied}. */
export interface TiedTrainOptions {
  steps: number;
  batchSize: number;
  /** Adam's learning rate for the tied parameters and the biases. */
  lr: number;
  /** Seeds the order of the training digits. */
  seed: number;
  /** Train the biases too (default true). */
  biases?: boolean;
  /**
   * L2 penalty λ/2 · Σ θ² on the tied parameters (default 0): a weight that the data never moves (one
   * fed by an always-blank pixel) shrinks toward zero, so the next magnitude cut removes it.
   */
  weightDecay?: number;
}

/** Adam's state for one array of parameters. */
class Adam {
  private m: Float64Array;
  private v: Float64Array;
  private t = 0;
  constructor(n: number, private readonly lr: number) {
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }
  step(p: Float32Array, g: ArrayLike<number>) {
    const b1 = 0.9;
    const b2 = 0.999;
    this.t++;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (let i = 0; i < p.length; i++) {
      this.m[i] = b1 * this.m[i] + (1 - b1) * g[i];
      this.v[i] = b2 * this.v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= (this.lr * (this.m[i] / c1)) / (Math.sqrt(this.v[i] / c2) + 1e-7);
    }
  }
}

/**
 * Trains the tied parameters and biases of `layers` in place on `train` (softmax cross-entropy, Adam,
 * mini-batches in a seeded shuffled order). Frees its tensors. Returns the mean loss of the last 100 steps.
 */
export function trainTied(layers: TiedLayer[], train: MnistArrays, opts: TiedTrainOptions): number {
  if (!layers.length) throw new RangeError('trainTied: no layers');
  const rng = mulberry32(opts.seed);
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  let cursor = order.length;
  const n = opts.batchSize;
  const pixels = layers[0].inputs;
  const xs = new Float32Array(n * pixels);
  const ys = new Int32Array(n);
  const kernels = layers.map((l) => new Float32Array(l.tie.length));
  const adamW = layers.map((l) => new Adam(l.values.length, opts.lr));
  const adamB = layers.map((l) => new Adam(l.units, opts.lr));
  const sums = layers.map((l) => new Float64Array(l.values.length));
  const decay = opts.weightDecay ?? 0;
  const recent: number[] = [];
  for (let s = 0; s < opts.steps; s++) {
    for (let k = 0; k < n; k++) {
      if (cursor >= order.length) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(rng() * (i + 1));
          const t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        cursor = 0;
      }
      const d = order[cursor++];
      for (let p = 0; p < pixels; p++) xs[k * pixels + p] = train.images[d * pixels + p] / 255;
      ys[k] = train.labels[d];
    }
    layers.forEach((l, i) => tiedKernel(l, kernels[i]));
    const flat = tf.tidy(() => {
      const x = tf.tensor2d(xs, [n, pixels]);
      const y = tf.oneHot(tf.tensor1d(ys, 'int32'), layers[layers.length - 1].units) as tf.Tensor2D;
      const wb = layers.flatMap((l, i) => [tf.tensor2d(kernels[i], [l.inputs, l.units]), tf.tensor1d(l.bias)]);
      const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => tf.losses.softmaxCrossEntropy(y, mlpLogits(x, p)) as tf.Scalar)(wb);
      return tf.concat([tf.reshape(value, [1]), ...grads.map((t) => tf.reshape(t, [-1]))]);
    });
    const all = flat.dataSync();
    flat.dispose();
    recent.push(all[0]);
    if (recent.length > 100) recent.shift();
    let off = 1;
    layers.forEach((l, i) => {
      const g = tiedGradient(l.tie, all.subarray(off, off + l.tie.length), l.values.length, sums[i]);
      if (decay) for (let j = 0; j < g.length; j++) g[j] += decay * l.values[j];
      adamW[i].step(l.values, g);
      off += l.tie.length;
      if (opts.biases !== false) adamB[i].step(l.bias, all.subarray(off, off + l.units));
      off += l.units;
    });
  }
  return recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length);
}
