/**
 * Binary-weight and XNOR versions of the shipped `cnn` (Rastegari et al. 2016, "XNOR-Net"): the forward pass with
 * conv2 and fc1 binarised (the first and last layers stay in full precision, as in the paper), the straight-through
 * estimator, the seeded fine-tuning loop behind public/models/cnn-bwn and cnn-xnor, and their accuracy. Shared by
 * the training script (scripts/train-models.ts) and the XNOR-Net demo. No React, no DOM.
 *
 * A binarised model is stored as the `cnn` architecture holding its latent real-valued weights; every forward
 * pass binarises them afresh (W ≈ α·sign(W), α = ‖W‖₁/n per output filter), exactly as in training.
 *
 * The XNOR network also binarises the inputs of conv2 and fc1. Their sign must carry information, so those two
 * inputs are taken before the ReLU (a ReLU output is never negative, its sign always +1): the bias of the layer
 * below sets the threshold, the role a batch normalisation's shift plays in the paper's BN → BinActiv → BinConv →
 * Pool block (a BN's scale cannot change a sign). The sign is then the block's only nonlinearity.
 */
import { tf } from '../tf';
import { mulberry32, shuffleInPlace } from '../random';
import type { MnistArrays } from '../data/idx';
import { batchTensors, range, type AccuracyResult } from './classify';

/** Full precision, binary weights (BWN), or binary weights and inputs (XNOR). */
export type BinaryMode = 'full' | 'bwn' | 'xnor';
export const BINARY_MODES: readonly BinaryMode[] = ['full', 'bwn', 'xnor'];

/** The eight weight tensors of the `cnn` architecture (kernels [kh, kw, in, out] and [in, out], biases [out]). */
export interface CnnWeights {
  conv1: tf.Tensor4D;
  conv1Bias: tf.Tensor1D;
  conv2: tf.Tensor4D;
  conv2Bias: tf.Tensor1D;
  fc1: tf.Tensor2D;
  fc1Bias: tf.Tensor1D;
  output: tf.Tensor2D;
  outputBias: tf.Tensor1D;
}
const ORDER = ['conv1', 'conv1Bias', 'conv2', 'conv2Bias', 'fc1', 'fc1Bias', 'output', 'outputBias'] as const;

/** The weights of a `cnn`-architecture model, in layer order. The model still owns them (do not dispose). */
export function cnnWeights(model: tf.LayersModel): CnnWeights {
  const w = ['conv1', 'conv2', 'fc1', 'output'].flatMap((name) => model.getLayer(name).getWeights());
  if (w.length !== 8) throw new Error(`expected the cnn architecture (8 weight tensors), got ${w.length}`);
  return Object.fromEntries(ORDER.map((k, i) => [k, w[i]])) as unknown as CnnWeights;
}

/** sign with sign(0) = +1, so every value maps to ±1 (one bit); tf.sign would give 0 at 0. */
export function sign(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(tf.cast(tf.greaterEqual(x, 0), 'float32'), 2), 1));
}

/**
 * sign in the forward pass; in the backward pass the straight-through estimator of the paper (after Hinton and
 * Bengio et al.): the gradient passes unchanged where |r| ≤ 1 and is cancelled where |r| > 1.
 */
export const signSte: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const r = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([r]);
  return { value: sign(r), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.cast(tf.lessEqual(tf.abs(saved[0]), 1), 'float32')) };
}) as (x: tf.Tensor) => tf.Tensor;

/** α per output filter: the mean |W| over everything but the last axis (‖W‖₁/n), shaped to broadcast over W. */
export function filterScales(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.abs(w), Array.from({ length: w.rank - 1 }, (_, i) => i), true));
}

/** The binary-weight approximation α·sign(W) of a kernel, with the straight-through gradient. */
export function binariseWeights(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(filterScales(w), signSte(w)));
}

/**
 * K for a k×k convolution of input I [n, h, w, c] ('valid'): A = mean over channels of |I|, then A ⊛ k with k a
 * k×k box filter of 1/k² (the mean |I| over each receptive field); [n, h − k + 1, w − k + 1, 1].
 */
export function inputScales(input: tf.Tensor4D, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const a = tf.mean(tf.abs(input), 3, true) as tf.Tensor4D;
    return tf.conv2d(a, tf.fill([size, size, 1, 1], 1 / (size * size)) as tf.Tensor4D, 1, 'valid');
  });
}

/**
 * The logits of the `cnn` in one of three modes, for digits x [n, 28, 28, 1] in [0, 1]:
 * - full: conv1 → ReLU → pool → conv2 → ReLU → pool → fc1 → ReLU → output (the shipped network; no dropout);
 * - bwn: the same, conv2 and fc1 with α·sign(W);
 * - xnor: conv1 → pool → [sign(I) ⊛ sign(W)] ⊙ K α + b → pool → [sign(h)·sign(W)] β α + b → ReLU → output,
 *   β = mean |h| over fc1's 512 inputs (its receptive field is the whole input).
 * Differentiable through the straight-through estimator (for fine-tuning).
 */
export function binaryLogits(w: CnnWeights, x: tf.Tensor4D, mode: BinaryMode): tf.Tensor2D {
  return tf.tidy(() => {
    const pool = (t: tf.Tensor4D) => tf.maxPool(t, 2, 2, 'valid');
    const z1 = tf.add(tf.conv2d(x, w.conv1, 1, 'valid'), w.conv1Bias) as tf.Tensor4D;
    let h2: tf.Tensor4D;
    let h3: tf.Tensor2D;
    if (mode === 'xnor') {
      const i2 = pool(z1); // [n, 12, 12, 16], before any ReLU
      const k = inputScales(i2, 5);
      const conv = tf.conv2d(signSte(i2) as tf.Tensor4D, signSte(w.conv2) as tf.Tensor4D, 1, 'valid');
      h2 = pool(tf.add(tf.mul(tf.mul(conv, k), filterScales(w.conv2)), w.conv2Bias) as tf.Tensor4D);
      const flat = tf.reshape(h2, [h2.shape[0], -1]) as tf.Tensor2D;
      const beta = tf.mean(tf.abs(flat), 1, true);
      const dot = tf.matMul(signSte(flat) as tf.Tensor2D, signSte(w.fc1) as tf.Tensor2D);
      h3 = tf.relu(tf.add(tf.mul(tf.mul(dot, beta), filterScales(w.fc1)), w.fc1Bias)) as tf.Tensor2D;
    } else {
      const k2 = mode === 'bwn' ? (binariseWeights(w.conv2) as tf.Tensor4D) : w.conv2;
      const k3 = mode === 'bwn' ? (binariseWeights(w.fc1) as tf.Tensor2D) : w.fc1;
      h2 = pool(tf.relu(tf.add(tf.conv2d(pool(tf.relu(z1)), k2, 1, 'valid'), w.conv2Bias)) as tf.Tensor4D);
      h3 = tf.relu(tf.add(tf.matMul(tf.reshape(h2, [h2.shape[0], -1]) as tf.Tensor2D, k3), w.fc1Bias)) as tf.Tensor2D;
    }
    return tf.add(tf.matMul(h3, w.output), w.outputBias) as tf.Tensor2D;
  });
}

/** The arg-max class of digits [start, end) of `data` in `mode`: one batch, one read-back, nothing left behind. */
export async function binaryPredict(w: CnnWeights, mode: BinaryMode, data: MnistArrays, start: number, end: number): Promise<Int32Array> {
  const pred = tf.tidy(() => {
    const { x } = batchTensors(data, range(start, end), 10);
    return tf.argMax(binaryLogits(w, x, mode), -1);
  });
  try {
    return (await pred.data()) as Int32Array;
  } finally {
    pred.dispose();
  }
}

/** Accuracy of the cnn in `mode` on `data` (labels 0–9), in batches of `batchSize`. */
export async function binaryAccuracy(w: CnnWeights, mode: BinaryMode, data: MnistArrays, batchSize = 1000): Promise<AccuracyResult> {
  let correct = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const end = Math.min(start + batchSize, data.count);
    const got = await binaryPredict(w, mode, data, start, end);
    for (let k = 0; k < got.length; k++) if (got[k] === data.labels[start + k]) correct++;
  }
  return { accuracy: data.count === 0 ? 0 : correct / data.count, correct, count: data.count };
}

/** How a binarised cnn is fine-tuned from the full-precision one. */
export interface FineTuneOptions {
  mode: 'bwn' | 'xnor';
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  onStep?: (step: number, loss: number) => void;
}

/**
 * Fine-tunes the latent real-valued weights `w` in place (they must be tf.Variables, e.g. a LayersModel's) with
 * Adam on the cross-entropy of {@link binaryLogits} in `mode`, on digits drawn in a seeded shuffled order. Returns
 * the loss of every step. The paper trains its binary AlexNets the same way: binarise in the forward pass, update
 * the real weights with the gradient the straight-through estimator gives.
 */
export async function fineTuneBinary(w: CnnWeights, train: MnistArrays, o: FineTuneOptions): Promise<number[]> {
  const vars = ORDER.map((k) => w[k]);
  if (!vars.every((v) => v instanceof tf.Variable)) throw new Error('fineTuneBinary needs the weights as tf.Variables');
  const optimizer = tf.train.adam(o.learningRate);
  const rng = mulberry32(o.seed ^ 0x5eed5eed);
  const losses: number[] = [];
  try {
    let order = shuffleInPlace(range(0, train.count), rng) as Int32Array;
    let at = 0;
    while (losses.length < o.steps) {
      if (at + o.batchSize > train.count) {
        order = shuffleInPlace(range(0, train.count), rng) as Int32Array;
        at = 0;
      }
      const { x, y } = batchTensors(train, order.subarray(at, at + o.batchSize), 10);
      at += o.batchSize;
      try {
        const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, binaryLogits(w, x, o.mode)) as tf.Scalar, true, vars as tf.Variable[]);
        const loss = (await cost!.data())[0];
        cost!.dispose();
        if (!Number.isFinite(loss)) throw new Error(`fine-tuning diverged: loss ${loss} at step ${losses.length + 1}`);
        losses.push(loss);
        o.onStep?.(losses.length, loss);
      } finally {
        x.dispose();
        y.dispose();
      }
    }
  } finally {
    optimizer.dispose();
  }
  return losses;
}
