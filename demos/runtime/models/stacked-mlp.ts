/**
 * S small MLPs of one architecture stacked along a leading "net" axis, for demos that train several
 * networks side by side (dropout's plain and dropout nets, one net per learning-rate schedule): one batched
 * matMul per layer runs all S nets, and the runtime's trainer (../train.ts) updates all of them with one
 * flat step, each net's parameters reaching only its own objective. Pure tfjs: no React, no DOM.
 */
import { mulberry32, gaussian } from '../random';
import { tf } from '../tf';
import type { ParamInit } from '../train';
import type { MnistArrays } from '../data/idx';
import { floatImages } from '../data/loader';

/** One dense layer's weights: w [fanIn × fanOut] row-major, b [fanOut]. */
export interface Layer {
  fanIn: number;
  fanOut: number;
  w: Float32Array;
  b: Float32Array;
}

/** The standard deviation of a layer's initial weights from its fan-in and fan-out. */
export type InitStd = (fanIn: number, fanOut: number) => number;

/** He et al. (2015): Var[w] = 2/fanIn keeps the variance of ReLU pre-activations constant through depth. */
export const heStd: InitStd = (fanIn) => Math.sqrt(2 / fanIn);

/**
 * Initial weights w ~ N(0, std(fanIn, fanOut)²), b = 0, for layer sizes like [2, 64, 64, 2], seeded; He-normal
 * unless another `std` is given.
 */
export function initLayers(sizes: readonly number[], seed: number, std: InitStd = heStd): Layer[] {
  const rng = mulberry32(seed);
  const layers: Layer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const w = new Float32Array(fanIn * fanOut);
    const sd = std(fanIn, fanOut);
    for (let i = 0; i < w.length; i++) w[i] = sd * gaussian(rng);
    layers.push({ fanIn, fanOut, w, b: new Float32Array(fanOut) });
  }
  return layers;
}

/** Layer l of S stacked networks: weights w [S, fanIn, fanOut] and biases b [S, 1, fanOut]. */
export interface StackedLayer {
  w: tf.Tensor3D;
  b: tf.Tensor3D;
}

/**
 * S networks of one architecture stacked along a leading "net" axis: one batched matMul per layer runs
 * all S nets (small demos are bound by per-op dispatch, not arithmetic), and one update trains them all.
 */
export interface StackedMlp {
  sizes: readonly number[];
  nets: number;
  layers: StackedLayer[];
}

/** Number of parameters of an MLP with layer sizes `sizes`. */
export function parameterCount(sizes: readonly number[]): number {
  let p = 0;
  for (let l = 0; l + 1 < sizes.length; l++) p += (sizes[l] + 1) * sizes[l + 1];
  return p;
}

/** Name of layer l's weights and biases among a trainer's parameters. */
const wName = (l: number) => `w${l}`;
const bName = (l: number) => `b${l}`;

/**
 * The given networks (all of the same sizes), stacked in the order given, as the trainer's parameter
 * list: for each layer l, `w{l}` [S, fanIn, fanOut] and `b{l}` [S, 1, fanOut].
 */
export function stackedParams(nets: readonly Layer[][]): ParamInit[] {
  const S = nets.length;
  return nets[0].flatMap(({ fanIn, fanOut }, l) => {
    const w = new Float32Array(S * fanIn * fanOut);
    const b = new Float32Array(S * fanOut);
    nets.forEach((net, s) => {
      w.set(net[l].w, s * fanIn * fanOut);
      b.set(net[l].b, s * fanOut);
    });
    return [
      { name: wName(l), shape: [S, fanIn, fanOut], values: w },
      { name: bName(l), shape: [S, 1, fanOut], values: b },
    ];
  });
}

/** The stacked MLP of layer sizes `sizes` over named parameters (a trainer's, or stackedParams' as tensors). */
export function stackedMlp(sizes: readonly number[], params: Readonly<Record<string, tf.Tensor>>): StackedMlp {
  const layers = sizes.slice(1).map((_, l) => ({ w: params[wName(l)] as tf.Tensor3D, b: params[bName(l)] as tf.Tensor3D }));
  return { sizes, nets: layers[0].w.shape[0], layers };
}

/** The given networks as a StackedMlp of new tensors (for inference and tests; dispose with disposeMlp). */
export function createStackedMlp(nets: readonly Layer[][]): StackedMlp {
  const sizes = [nets[0][0].fanIn, ...nets[0].map((l) => l.fanOut)];
  const params: Record<string, tf.Tensor> = {};
  for (const p of stackedParams(nets)) params[p.name] = tf.tensor(p.values, p.shape);
  return stackedMlp(sizes, params);
}

/** Frees the tensors of a StackedMlp made by createStackedMlp. */
export function disposeMlp(mlp: StackedMlp): void {
  tf.dispose(mlp.layers.flatMap((l) => [l.w, l.b]));
}

/**
 * Inputs for S stacked nets: x [1, M, n] copied S times along the net axis ([S, M, n]); x itself when it
 * already has S rows there. A concat, not tf.tile: the same values, but wasm's Tile kernel copies element by
 * element (~4× slower; ~200 ms for 2 × 1,000 digits). A fixed set (test digits, a full batch) is best
 * repeated once, when the run is made, so no frame copies it again.
 */
export function repeatNets(x: tf.Tensor3D, S: number): tf.Tensor3D {
  if (x.shape[0] === S) return x;
  if (x.shape[0] !== 1) throw new RangeError(`inputs for ${S} stacked nets need 1 or ${S} rows on the net axis, got ${x.shape[0]}`);
  return S === 1 ? x : tf.concat(new Array<tf.Tensor3D>(S).fill(x), 0);
}

/**
 * A stacked demo's digits as tensors: the training digits [1, N, 784] (mini-batches are gathered from them and
 * repeated per net, a small copy), the test digits already repeated for the S nets, [S, n, 784] (once, not at
 * every measurement), and both label vectors. Call it in a tf.tidy.
 */
export function stackedDigits(digits: { train: MnistArrays; test: MnistArrays }, nets: number) {
  const pixels = (d: MnistArrays) => tf.tensor3d(floatImages(d), [1, d.count, d.rows * d.cols]);
  const labels = (d: MnistArrays) => tf.tensor1d(Int32Array.from(d.labels), 'int32');
  return { trainX: pixels(digits.train), trainY: labels(digits.train), testX: repeatNets(pixels(digits.test), nets), testY: labels(digits.test) };
}

/** The non-linearity between layers. */
export type Activation = 'relu' | 'tanh';

/** act(y) for a pre-activation y. */
export function activate(y: tf.Tensor3D, act: Activation): tf.Tensor3D {
  return act === 'relu' ? tf.relu(y) : tf.tanh(y);
}

/**
 * PReLU (He et al. 2015): f(y) = max(0, y) + a·min(0, y), with slopes `a` broadcast against y (one per
 * channel: [S, 1, units] for stacked layers; a = 0 is ReLU, a fixed 0.01 leaky ReLU). Differentiable in a.
 */
export function prelu(y: tf.Tensor3D, a: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => tf.add(tf.relu(y), tf.mul(a, tf.minimum(y, 0))) as tf.Tensor3D);
}

/**
 * Logits [S, M, classes] of the S stacked networks for inputs x [1 or S, M, in]. `hidden`, if given, maps
 * each hidden layer's output (a demo's dropout, say); without it the pass is deterministic. ReLU between
 * layers unless `act` says tanh; with `slopes` (one tensor per hidden layer, [S, 1, units]), PReLU with
 * those slopes instead.
 */
export function forwardStacked(
  mlp: StackedMlp,
  x: tf.Tensor3D,
  hidden?: (h: tf.Tensor3D) => tf.Tensor3D,
  act: Activation = 'relu',
  slopes?: readonly tf.Tensor[],
): tf.Tensor3D {
  return tf.tidy(() => {
    // Copy shared inputs once per net: CPU's batched matMul is ~10× slower when it has to broadcast.
    let h: tf.Tensor3D = repeatNets(x, mlp.nets);
    const last = mlp.layers.length - 1;
    mlp.layers.forEach(({ w, b }, l) => {
      h = tf.add(tf.matMul(h, w), b);
      if (l < last) {
        h = slopes ? prelu(h, slopes[l]) : activate(h, act);
        if (hidden) h = hidden(h);
      }
    });
    return h;
  });
}

/** Mean softmax cross-entropy per net, [S], of logits [S, M, C] against integer labels [M]. */
export function crossEntropy(logits: tf.Tensor3D, labels: tf.Tensor1D): tf.Tensor1D {
  const onehot = tf.oneHot(labels, logits.shape[2]); // [M, C], broadcasts over S
  return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 2), 1)) as tf.Tensor1D;
}

/** Accuracy per net, [S]: the fraction of points whose largest logit is the label. */
export function accuracy(logits: tf.Tensor3D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 2), labels), 'float32'), 1);
}
