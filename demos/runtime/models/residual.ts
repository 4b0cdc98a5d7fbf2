/**
 * Residual stacks of dense layers (He et al. 2016, arXiv:1512.03385), S networks stacked along a leading
 * "net" axis as in ./stacked-mlp.ts, so that one batched matMul per layer runs a plain and a residual
 * network of the same weights side by side. Each net has its own shortcut scale s: a block computes
 *
 *     h ← relu(F(h) + s·h),   F(h) = BN(relu(BN(h·W_a))·W_b)     (the original ResNet block, dense;
 *                                                               without batch norm, biases instead)
 *
 * so s = 0 is a plain network of two layers a block and s = 1 the residual one, with the same parameters.
 * Pure tfjs: no React, no DOM.
 */
import { tf } from '../tf';
import type { ParamInit } from '../train';
import { initLayers, repeatNets, stackedParams } from './stacked-mlp';
import { batchNormTrain, BN_EPS } from './batchnorm';
import type { ChainSegment } from '../segmented-grad';
import { residualSizes, weightedLayers, type ResidualShape } from './residual-shape';

export { residualSizes, weightedLayers, type ResidualShape } from './residual-shape';

/**
 * The trainer's parameter list for S nets that all start from the same seeded He-normal weights (the
 * classifier's smaller, as torchvision initialises its nn.Linear; only the
 * shortcut differs between them): w{l} for every layer l = 0 … 2·blocks + 1; biases b{l} for the stem and
 * the classifier, and for the hidden layers either biases (without batch norm) or batch norm's γ g{l} = 1 and
 * β be{l} = 0 (a bias before batch norm would be subtracted again with the mean: the paper's convolutions have none).
 */
export function residualParams(s: ResidualShape, nets: number, seed: number): ParamInit[] {
  const layers = initLayers(residualSizes(s), seed);
  // The classifier as torchvision's nn.Linear starts it, Var[w] = 1/(3·fan-in): He's variance ÷ 6.
  const head = layers[layers.length - 1].w;
  for (let i = 0; i < head.length; i++) head[i] /= Math.sqrt(6);
  const all = stackedParams(Array.from({ length: nets }, () => layers));
  if (!s.batchNorm) return all;
  const last = 2 * s.blocks + 1;
  const params = all.filter((q) => q.name.startsWith('w') || q.name === 'b0' || q.name === `b${last}`);
  for (let l = 1; l <= 2 * s.blocks; l++) {
    params.push({ name: `g${l}`, shape: [nets, 1, s.width], values: new Float32Array(nets * s.width).fill(1) });
    params.push({ name: `be${l}`, shape: [nets, 1, s.width], values: new Float32Array(nets * s.width) });
  }
  return params;
}

/** A hidden layer's pre-activation: h·W, then batch norm over the mini-batch (axis 1) if the shape has it, else + b. */
function hiddenLayer(p: Readonly<Record<string, tf.Tensor>>, l: number, h: tf.Tensor3D, batchNorm: boolean): tf.Tensor3D {
  const y = tf.matMul(h, p[`w${l}`] as tf.Tensor3D);
  return (batchNorm ? batchNormTrain(y, p[`g${l}`], p[`be${l}`], [1]).y : tf.add(y, p[`b${l}`])) as tf.Tensor3D;
}

/**
 * The residual branch of block k (0-based) alone, for h [S, M, width]: F(h) = BN(relu(BN(h·W_a))·W_b) with batch
 * norm, W_b·relu(W_a·h + b_a) + b_b without.
 */
export function residualBranch(s: ResidualShape, p: Readonly<Record<string, tf.Tensor>>, k: number, h: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => hiddenLayer(p, 2 * k + 2, tf.relu(hiddenLayer(p, 2 * k + 1, h, s.batchNorm)), s.batchNorm));
}

/** Block k: relu(F(h) + shortcut·h), shortcut [S, 1, 1] (0 for a plain net, 1 for a residual one). */
export function residualBlock(s: ResidualShape, p: Readonly<Record<string, tf.Tensor>>, k: number, h: tf.Tensor3D, shortcut: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => tf.relu(tf.add(residualBranch(s, p, k, h), tf.mul(shortcut, h))) as tf.Tensor3D);
}

/**
 * Logits [S, M, classes] for inputs x [1 or S, M, inputs]: stem relu(x·W₀ + b₀), the blocks, then the head.
 * Batch norm, when on, uses the statistics of the batch given (training mode).
 */
export function forwardResidual(s: ResidualShape, p: Readonly<Record<string, tf.Tensor>>, x: tf.Tensor3D, shortcut: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    let h = residualStem(p, x);
    for (let k = 0; k < s.blocks; k++) h = residualBlock(s, p, k, h, shortcut);
    return residualHead(s, p, h);
  });
}

/** The stem relu(x·W₀ + b₀) of S stacked nets, for inputs x [1 or S, M, inputs]. */
export function residualStem(p: Readonly<Record<string, tf.Tensor>>, x: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tf.relu(tf.add(tf.matMul(repeatNets(x, (p.w0 as tf.Tensor3D).shape[0]), p.w0 as tf.Tensor3D), p.b0)) as tf.Tensor3D);
}

/** The classifier's logits h·W + b for the last hidden layer's h [S, M, width]. */
export function residualHead(s: ResidualShape, p: Readonly<Record<string, tf.Tensor>>, h: tf.Tensor3D): tf.Tensor3D {
  const last = 2 * s.blocks + 1;
  return tf.tidy(() => tf.add(tf.matMul(h, p[`w${last}`] as tf.Tensor3D), p[`b${last}`]) as tf.Tensor3D);
}

/** Frobenius norm per net of a stacked weight gradient [S, m, n]: [S]. */
const normPerNet = (g: tf.Tensor) => tf.sqrt(tf.sum(tf.square(g), [1, 2]));

/**
 * The Frobenius norm of the loss's gradient with respect to every layer's weight matrix, per net: [layers, S]
 * with layers = 2·blocks + 2 (the stem first). `loss` returns one objective per net; each net's weights reach
 * only its own, so one gradient of their sum gives every net's.
 */
export function weightGradNorms(s: ResidualShape, p: Readonly<Record<string, tf.Tensor>>, loss: (q: Record<string, tf.Tensor>) => tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const names = Array.from({ length: weightedLayers(s) }, (_, l) => `w${l}`);
    const grads = tf.grads((...ws: tf.Tensor[]) => {
      const q: Record<string, tf.Tensor> = { ...p };
      names.forEach((n, i) => (q[n] = ws[i]));
      return tf.sum(loss(q));
    })(names.map((n) => p[n]));
    return tf.stack(grads.map(normPerNet)) as tf.Tensor2D;
  });
}

/**
 * The pass of {@link weightGradNorms} as a chain of segments for ../segmented-grad.ts (stem, each block, head,
 * the objective `loss` of the logits), so that it can be spread over calls; start it from the inputs [S, M,
 * inputs] with `inputGrad: false`. Backward results, in order, are the weight-gradient norms [S] of each
 * weighted layer (the stem first); the head's forward result is `measure(logits)`.
 */
export function residualChain(
  s: ResidualShape,
  p: Readonly<Record<string, tf.Tensor>>,
  shortcut: tf.Tensor,
  loss: (logits: tf.Tensor3D) => tf.Tensor1D,
  measure: (logits: tf.Tensor3D) => tf.Tensor,
): ChainSegment[] {
  const last = 2 * s.blocks + 1;
  const norms = (_: tf.Tensor, dw: tf.Tensor[]) => tf.concat(dw.map(normPerNet));
  const blocks = Array.from({ length: s.blocks }, (_, k): ChainSegment => ({
    params: [p[`w${2 * k + 1}`], p[`w${2 * k + 2}`]],
    apply: (h, [a, b]) => residualBlock(s, { ...p, [`w${2 * k + 1}`]: a, [`w${2 * k + 2}`]: b }, k, h as tf.Tensor3D, shortcut),
    backward: norms,
  }));
  return [
    { params: [p.w0], apply: (x, [w]) => residualStem({ ...p, w0: w }, x as tf.Tensor3D), backward: norms },
    ...blocks,
    { params: [p[`w${last}`]], apply: (h, [w]) => residualHead(s, { ...p, [`w${last}`]: w }, h as tf.Tensor3D), forward: (z) => measure(z as tf.Tensor3D), backward: norms },
    { params: [], apply: (z) => tf.sum(loss(z as tf.Tensor3D)) },
  ];
}

/** The trainer's parameter names of each segment of {@link residualTrainingChain}: the stem, each block, the head. */
export function residualSegmentParams(s: ResidualShape): string[][] {
  const last = 2 * s.blocks + 1;
  const hidden = (l: number) => (s.batchNorm ? [`w${l}`, `g${l}`, `be${l}`] : [`w${l}`, `b${l}`]);
  return [['w0', 'b0'], ...Array.from({ length: s.blocks }, (_, k) => [...hidden(2 * k + 1), ...hidden(2 * k + 2)]), [`w${last}`, `b${last}`]];
}

/**
 * A training step's pass through the S stacked nets as a chain of segments for ../segmented-grad.ts (the stem, each
 * block, the head with the cross-entropy per net against `labels`, its forward result), to spread a step of a deep
 * stack over calls; start it from the mini-batch [1, M, inputs] with `inputGrad: false`. Each segment's backward result
 * is the gradient of its parameters ({@link residualSegmentParams}) flattened and laid end to end.
 */
export function residualTrainingChain(s: ResidualShape, p: Readonly<Record<string, tf.Tensor>>, shortcut: tf.Tensor, labels: tf.Tensor1D, loss: (logits: tf.Tensor3D, labels: tf.Tensor1D) => tf.Tensor1D): ChainSegment[] {
  const names = residualSegmentParams(s);
  const flat = (_: tf.Tensor, dp: tf.Tensor[]) => tf.concat(dp.map((d) => tf.reshape(d, [-1])));
  const own = (i: number, ps: tf.Tensor[]) => ({ ...p, ...Object.fromEntries(names[i].map((n, j) => [n, ps[j]])) });
  return names.map((ns, i): ChainSegment => {
    const params = ns.map((n) => p[n]);
    if (i === 0) return { params, apply: (x, ps) => residualStem(own(i, ps), x as tf.Tensor3D), backward: flat };
    if (i <= s.blocks) return { params, apply: (h, ps) => residualBlock(s, own(i, ps), i - 1, h as tf.Tensor3D, shortcut), backward: flat };
    return { params, apply: (h, ps) => loss(residualHead(s, own(i, ps), h as tf.Tensor3D), labels), forward: (l) => l, backward: flat };
  });
}

/**
 * The residual-unit variants that He et al. (2016b, arXiv:1603.05027, Fig. 4) compare, for one stack of dense
 * layers: where batch normalization and the ReLU sit relative to the addition. With λ the shortcut's scale,
 * BN(·) batch normalization over the mini-batch (γ = 1, β = 0) and W₁, W₂ the block's two weight matrices:
 *   original          x' = relu(λx + BN(relu(BN(x·W₁))·W₂))
 *   bn-after-add      x' = relu(BN(λx + relu(BN(x·W₁))·W₂))
 *   relu-before-add   x' = λx + relu(BN(relu(BN(x·W₁))·W₂))
 *   relu-preact       x' = λx + BN(relu(BN(relu(x)·W₁))·W₂)
 *   full-preact       x' = λx + relu(BN(relu(BN(x))·W₁))·W₂
 */
export type UnitVariant = 'original' | 'bn-after-add' | 'relu-before-add' | 'relu-preact' | 'full-preact';
export const UNIT_VARIANTS: readonly UnitVariant[] = ['original', 'bn-after-add', 'relu-before-add', 'relu-preact', 'full-preact'];

/** Batch normalization of x [S, M, n] over the mini-batch (axis 1), without a learned scale or shift. */
function bnPlain(x: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPS))) as tf.Tensor3D;
  });
}

/** One residual unit of the given variant: x [S, M, n], w1 and w2 [S, n, n], λ a number or a tensor broadcast against x. */
export function residualUnit(variant: UnitVariant, x: tf.Tensor3D, w1: tf.Tensor3D, w2: tf.Tensor3D, lambda: number | tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const short = tf.mul(x, lambda) as tf.Tensor3D;
    const mm = (a: tf.Tensor3D, w: tf.Tensor3D): tf.Tensor3D => tf.matMul(a, w);
    const relu = (a: tf.Tensor3D): tf.Tensor3D => tf.relu(a);
    switch (variant) {
      case 'original':
        return relu(tf.add(short, bnPlain(mm(relu(bnPlain(mm(x, w1))), w2)))) as tf.Tensor3D;
      case 'bn-after-add':
        return relu(bnPlain(tf.add(short, mm(relu(bnPlain(mm(x, w1))), w2)) as tf.Tensor3D)) as tf.Tensor3D;
      case 'relu-before-add':
        return tf.add(short, relu(bnPlain(mm(relu(bnPlain(mm(x, w1))), w2)))) as tf.Tensor3D;
      case 'relu-preact':
        return tf.add(short, bnPlain(mm(relu(bnPlain(mm(relu(x), w1))), w2))) as tf.Tensor3D;
      case 'full-preact':
        return tf.add(short, mm(relu(bnPlain(mm(relu(bnPlain(x)), w1))), w2)) as tf.Tensor3D;
    }
  });
}
