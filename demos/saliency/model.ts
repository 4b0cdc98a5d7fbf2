/**
 * Five explanations of the shipped CNN's answer for one digit, each a real backward pass through the
 * network's own weights: saliency (Simonyan et al. 2014), the deconvnet projection (Zeiler & Fergus
 * 2014), guided backpropagation (Springenberg et al. 2015), Grad-CAM (Selvaraju et al. 2017) and
 * integrated gradients (Sundararajan et al. 2017). They differ only in what the backward pass does at a
 * ReLU, and in what is multiplied with the gradient, so the forward pass is written out here with the
 * ReLU as a parameter. Pure: no React, no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { MNIST_SIDE } from '../runtime/data/preprocess';

/** The five methods, in the order the page shows them. */
export const METHODS = ['saliency', 'deconvnet', 'guided', 'gradcam', 'ig'] as const;
export type Method = (typeof METHODS)[number];

/** What is explained: a class score (a logit, before the softmax) or one feature map's strongest activation. */
export type Target = { kind: 'class'; cls: number } | { kind: 'unit'; layer: 'conv1' | 'conv2'; channel: number };
/** A target as asked for: a class may be 'top', the network's own answer for the digit. */
export type TargetRequest = { kind: 'class'; cls: number | 'top' } | Extract<Target, { kind: 'unit' }>;

/** The layers whose weights a sanity check re-draws, from the top down (Adebayo et al. 2018's cascade). */
export const CASCADE = ['output', 'fc1', 'conv2', 'conv1'] as const;
export type Randomized = 'none' | (typeof CASCADE)[number];

/** How the backward pass treats a ReLU: its true derivative, the deconvnet's ReLU of the signal, or both (guided). */
export type ReluRule = 'gradient' | 'deconvnet' | 'guided';

const SIDE = MNIST_SIDE;
/** conv1 maps are 24×24×16 and conv2 maps 8×8×32 ('valid' 5×5 convolutions on 28×28). */
export const MAPS = { conv1: { side: 24, channels: 16 }, conv2: { side: 8, channels: 32 } } as const;

interface Layer {
  kernel: tf.Tensor;
  bias: tf.Tensor1D;
}
type Weights = Record<(typeof CASCADE)[number], Layer>;

/** The tensors of one forward pass. */
interface Forward {
  conv1: tf.Tensor4D;
  conv2: tf.Tensor4D;
  logits: tf.Tensor2D;
}

/**
 * How much of each backward rule each example in a batch gets, one weight per example for each of the gradient
 * (R·[x > 0]), the deconvnet (max(0, R)) and guided backprop (max(0, R)·[x > 0]). Exactly one is 1 per example,
 * so one backward pass through a batch computes all three methods (and integrated gradients' path) at once.
 */
interface RuleMix {
  gradient: tf.Tensor1D;
  deconvnet: tf.Tensor1D;
  guided: tf.Tensor1D;
}

/** A rule for every example of a batch of n. */
function mixOf(rules: readonly ReluRule[]): RuleMix {
  const col = (r: ReluRule) => tf.tensor1d(rules.map((q) => (q === r ? 1 : 0)));
  return { gradient: col('gradient'), deconvnet: col('deconvnet'), guided: col('guided') };
}

/** ReLU whose backward pass follows each example's rule in `mix`: the whole difference between three methods. */
function mixedRelu(x: tf.Tensor, mix: RuleMix): tf.Tensor {
  // The weights go in as inputs and are saved: tensors captured from outside would be freed before the backward pass.
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, g, d, gd] = args as tf.Tensor[];
    const save = args[4] as (ts: tf.Tensor[]) => void;
    save([input, g, d, gd]);
    return {
      value: tf.relu(input),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ...weights] = saved;
        const shape = [-1, ...Array(dy.rank - 1).fill(1)];
        const [wg, wd, wgd] = weights.map((t) => tf.reshape(t, shape));
        const mask = tf.step(xs);
        const up = tf.relu(dy); // the deconvnet and guided backprop keep only positive signals coming down
        const dx = tf.addN([tf.mul(tf.mul(dy, mask), wg), tf.mul(up, wd), tf.mul(tf.mul(up, mask), wgd)]);
        return [dx, ...weights.map((t) => tf.zerosLike(t))];
      },
    };
  });
  return op(x, mix.gradient, mix.deconvnet, mix.guided);
}

/** ReLU with one backward rule for every example (exported for its tests). */
export function relu(x: tf.Tensor, rule: ReluRule): tf.Tensor {
  return mixedRelu(x, mixOf(Array(x.shape[0]).fill(rule)));
}

/**
 * The shipped `cnn` (demos/runtime/models/zoo.ts buildCnn) written out: conv 5×5×16, ReLU, max-pool 2, conv
 * 5×5×32, ReLU, max-pool 2, dense 128, ReLU, (dropout: nothing at inference), dense 10. Max-pooling's gradient
 * routes the signal back to the position that won, which is exactly Zeiler and Fergus's "switches".
 */
function forward(w: Weights, x: tf.Tensor4D, mix: RuleMix, conv2Offset?: tf.Tensor): Forward {
  const conv1 = mixedRelu(tf.add(tf.conv2d(x, w.conv1.kernel as tf.Tensor4D, 1, 'valid'), w.conv1.bias), mix) as tf.Tensor4D;
  const p1 = tf.maxPool(conv1, 2, 2, 'valid');
  let conv2 = mixedRelu(tf.add(tf.conv2d(p1, w.conv2.kernel as tf.Tensor4D, 1, 'valid'), w.conv2.bias), mix) as tf.Tensor4D;
  // Adding zeros changes nothing forwards, and its gradient is ∂score/∂A for the conv2 maps A: Grad-CAM's input.
  if (conv2Offset) conv2 = tf.add(conv2, conv2Offset);
  const flat = tf.reshape(tf.maxPool(conv2, 2, 2, 'valid'), [x.shape[0], -1]);
  const hidden = mixedRelu(tf.add(tf.matMul(flat, w.fc1.kernel as tf.Tensor2D), w.fc1.bias), mix) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(hidden, w.output.kernel as tf.Tensor2D), w.output.bias) as tf.Tensor2D;
  return { conv1, conv2, logits };
}

/** The score being explained, one per example: a logit (class index as a [1] int32 tensor), or one map's peak. */
function score(f: Forward, target: { kind: 'class'; index: tf.Tensor1D } | Extract<Target, { kind: 'unit' }>): tf.Tensor1D {
  if (target.kind === 'class') return tf.squeeze(tf.gather(f.logits, target.index, 1), [1]) as tf.Tensor1D;
  const maps = f[target.layer];
  const one = tf.slice(maps, [0, 0, 0, target.channel], [-1, -1, -1, 1]);
  return tf.max(tf.reshape(one, [maps.shape[0], -1]), 1) as tf.Tensor1D;
}

/** What the page draws for one digit and one target. */
export interface Explanation {
  /** What was explained ('top' resolved to the predicted class). */
  target: Target;
  /** Class probabilities (softmax of the logits) of the network explained (randomized or not). */
  probs: Float32Array;
  /** The explained score: the class's logit or the unit's largest activation. */
  score: number;
  /** Each method's map over the 28×28 pixels, row-major; Grad-CAM is null for a unit target (it needs a class after the last conv layer). */
  maps: Record<Method, Float32Array | null>;
  /** Grad-CAM before upsampling: 8×8 over conv2's grid, or null. */
  camGrid: Float32Array | null;
  /** Feature maps of the digit, interleaved [h, w, c]: conv1 24×24×16 and conv2 8×8×32 (after ReLU). */
  conv1: Float32Array;
  conv2: Float32Array;
  /** Integrated gradients' completeness check: the attributions' sum against score(x) − score(black image). */
  igSum: number;
  igDelta: number;
}

export interface ExplainOptions {
  target: TargetRequest;
  /** Riemann steps of integrated gradients (midpoints between the black baseline and the digit). */
  igSteps?: number;
  /** Re-draw the weights of this layer and every layer above it (a sanity check); 'none' explains the trained net. */
  randomize?: Randomized;
  /** Seed of the re-drawn weights. */
  seed?: number;
}

export interface Explainer {
  explain(pixels: Float32Array, opts: ExplainOptions): Promise<Explanation>;
  dispose(): void;
}

/** Checks an explanation request, with messages a reader can act on. */
export function checkTarget(target: Target): void {
  if (target.kind === 'class') {
    if (!(Number.isInteger(target.cls) && target.cls >= 0 && target.cls < 10)) throw new RangeError(`the class must be a digit 0–9, got ${target.cls}`);
    return;
  }
  const { channels } = MAPS[target.layer];
  if (!(Number.isInteger(target.channel) && target.channel >= 0 && target.channel < channels)) {
    throw new RangeError(`${target.layer} has channels 0–${channels - 1}, got ${target.channel}`);
  }
}

/** The weights, cascading from the top, re-drawn He-normal (the layers' own initializer) from a seed. */
function withRandomized(w: Weights, from: Randomized, seed: number): Weights {
  if (from === 'none') return w;
  const upTo = CASCADE.indexOf(from);
  const out = { ...w };
  CASCADE.forEach((name, i) => {
    if (i > upTo) return;
    const k = w[name].kernel;
    const fanIn = k.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    out[name] = { kernel: tf.randomNormal(k.shape, 0, Math.sqrt(2 / fanIn), 'float32', seed + i), bias: tf.zerosLike(w[name].bias) };
  });
  return out;
}

/** Reads the trained weights out of the shipped `cnn` (copies: the explainer owns them; the model may be disposed). */
export function createExplainer(model: tf.LayersModel): Explainer {
  const w = {} as Weights;
  for (const name of CASCADE) {
    const [kernel, bias] = model.getLayer(name).getWeights();
    w[name] = { kernel: tf.keep(kernel.clone()), bias: tf.keep(bias.clone()) as tf.Tensor1D };
  }
  let disposed = false;
  return {
    async explain(pixels, opts) {
      if (disposed) throw new Error('explainer used after dispose');
      if (pixels.length !== SIDE * SIDE) throw new Error(`explain: ${pixels.length} pixels, expected ${SIDE * SIDE}`);
      const steps = opts.igSteps ?? 32;
      if (!(Number.isInteger(steps) && steps >= 1 && steps <= 512)) throw new RangeError(`integrated gradients needs 1–512 steps, got ${steps}`);
      const randomize = opts.randomize ?? 'none';
      const seed = opts.seed ?? 1;
      const req = opts.target;
      if (req.kind === 'unit' || req.cls !== 'top') checkTarget(req as Target);
      const isClass = req.kind === 'class';
      const m = steps;
      // One batch: the digit three times (gradient, deconvnet, guided rules), the m midpoints of integrated
      // gradients' path from black, and the black baseline itself. One forward and one backward pass for all.
      const n = 3 + m + 1;
      const out = tf.tidy(() => {
        const weights = withRandomized(w, randomize, seed);
        const x = tf.tensor4d(pixels, [1, SIDE, SIDE, 1]);
        const alphas = tf.div(tf.add(tf.range(0, m), 0.5), m);
        const scale = tf.concat([tf.ones([3]), alphas, tf.zeros([1])]).reshape([n, 1, 1, 1]);
        const batch = tf.mul(scale, x) as tf.Tensor4D;
        const mix = mixOf([...(['gradient', 'deconvnet', 'guided'] as const), ...Array<ReluRule>(m + 1).fill('gradient')]);
        // The class: fixed, or the digit's own prediction, found inside the graph (no read-back in between).
        const index = isClass
          ? req.cls === 'top'
            ? (tf.argMax(forward(weights, x, mixOf(['gradient'])).logits, 1) as tf.Tensor1D)
            : tf.tensor1d([req.cls as number], 'int32')
          : null;
        const t = index ? { kind: 'class' as const, index } : (req as Extract<Target, { kind: 'unit' }>);
        // Only a class score depends on the conv2 maps for sure (a conv1 unit does not): Grad-CAM's extra input.
        const inputs = isClass ? [batch, tf.zeros([n, MAPS.conv2.side, MAPS.conv2.side, MAPS.conv2.channels])] : [batch];
        // The forward pass's maps and scores are read too: kept past tf.grads's own clean-up, freed below.
        let kept: tf.Tensor[] = [];
        const [gx, gA] = tf.grads((input: tf.Tensor, off?: tf.Tensor) => {
          const fw = forward(weights, input as tf.Tensor4D, mix, off);
          const s = score(fw, t);
          kept = [fw.logits, fw.conv1, fw.conv2, s].map((k) => tf.keep(k));
          return tf.sum(s);
        })(inputs);
        const [logits, conv1Maps, conv2Maps, sc] = kept;
        const f = { logits, conv1: conv1Maps, conv2: conv2Maps } as Forward;
        const row = (tt: tf.Tensor, i: number, k = 1) => tf.slice(tt, [i], [k]);
        const ig = tf.mul(tf.mean(row(gx, 3, m), 0, true), x);
        const parts: tf.Tensor[] = [
          index ? tf.cast(index, 'float32') : tf.tensor1d([-1]),
          tf.softmax(row(f.logits, 0)),
          row(sc, 0),
          tf.abs(row(gx, 0)),
          row(gx, 1),
          row(gx, 2),
          ig,
          tf.sum(ig),
          tf.sub(row(sc, 0), row(sc, n - 1)),
          row(f.conv1, 0),
          row(f.conv2, 0),
        ];
        if (isClass) {
          // Grad-CAM on conv2, the last convolutional layer: αₖ = mean over positions of ∂y/∂Aᵏ, map ReLU(Σₖ αₖ Aᵏ).
          const alpha = tf.mean(row(gA, 0), [1, 2], true); // [1, 1, 1, 32]
          parts.push(tf.relu(tf.sum(tf.mul(alpha, row(f.conv2, 0)), 3, true))); // [1, 8, 8, 1]
        }
        const all = tf.concat(parts.map((p) => tf.reshape(p, [-1])));
        tf.dispose(kept);
        return all;
      });
      const a = await readAndDispose(out);
      let o = 0;
      const take = (k: number) => a.slice(o, (o += k));
      const cls = take(1)[0];
      const target: Target = isClass ? { kind: 'class', cls } : (req as Target);
      const np = SIDE * SIDE;
      const { conv1, conv2 } = MAPS;
      const probs = take(10);
      const sc = take(1)[0];
      const saliency = take(np);
      const deconvnet = take(np);
      const guided = take(np);
      const ig = take(np);
      const igSum = take(1)[0];
      const igDelta = take(1)[0];
      const c1 = take(conv1.side * conv1.side * conv1.channels);
      const c2 = take(conv2.side * conv2.side * conv2.channels);
      const camGrid = isClass ? take(conv2.side * conv2.side) : null;
      const gradcam = camGrid && camToPixels(camGrid);
      return { target, probs, score: sc, maps: { saliency, deconvnet, guided, gradcam, ig }, camGrid, conv1: c1, conv2: c2, igSum, igDelta };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const name of CASCADE) tf.dispose([w[name].kernel, w[name].bias]);
    },
  };
}

/**
 * Grad-CAM's 8×8 map over the 28×28 pixels: conv2 unit w is centred on pixel 2w + 6.5 (a 'valid' 5×5 conv
 * shifts by 2, the 2×2 pool doubles and shifts by ½, the second conv shifts by 2 more), so each pixel reads
 * the grid bilinearly at (p − 6.5)/2, held at the edges. A plain resize to 28×28 would stretch the grid over
 * the whole image and misplace the heat by up to 5 pixels.
 */
export function camToPixels(grid: ArrayLike<number>): Float32Array {
  const g = MAPS.conv2.side;
  if (grid.length !== g * g) throw new RangeError(`Grad-CAM grid: ${grid.length} values, expected ${g * g}`);
  const at = (p: number) => Math.min(g - 1, Math.max(0, (p - 6.5) / 2));
  const out = new Float32Array(SIDE * SIDE);
  for (let py = 0; py < SIDE; py++) {
    const y = at(py);
    const y0 = Math.floor(y);
    const y1 = Math.min(g - 1, y0 + 1);
    const fy = y - y0;
    for (let px = 0; px < SIDE; px++) {
      const x = at(px);
      const x0 = Math.floor(x);
      const x1 = Math.min(g - 1, x0 + 1);
      const fx = x - x0;
      const top = grid[y0 * g + x0] * (1 - fx) + grid[y0 * g + x1] * fx;
      const bottom = grid[y1 * g + x0] * (1 - fx) + grid[y1 * g + x1] * fx;
      out[py * SIDE + px] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Explanations of the trained network and, for a sanity check, of the network with re-drawn weights. */
export interface Checked {
  trained: Explanation;
  randomized: Explanation | null;
  /** Per method, the rank correlation of the two maps (null without a sanity check or a map). */
  similarity: Record<Method, number | null>;
}

/**
 * Explains one digit, and when `opts.randomize` names a layer, explains it again with that layer and those above
 * re-drawn: a method whose map barely changes is not explaining what the network learned (Adebayo et al. 2018).
 * The re-drawn network explains the same target as the trained one.
 */
export async function explainChecked(explainer: Explainer, pixels: Float32Array, opts: ExplainOptions): Promise<Checked> {
  const trained = await explainer.explain(pixels, { ...opts, randomize: 'none' });
  const randomized = (opts.randomize ?? 'none') === 'none' ? null : await explainer.explain(pixels, { ...opts, target: trained.target });
  const similarity = Object.fromEntries(
    METHODS.map((m) => {
      const a = trained.maps[m];
      const b = randomized?.maps[m];
      return [m, a && b ? rankCorrelation(a, b) : null];
    }),
  ) as Record<Method, number | null>;
  return { trained, randomized, similarity };
}

/**
 * Spearman's rank correlation of two maps, signs included (ties get their mean rank): how the page compares an
 * explanation of the trained network with one of a re-drawn network, or the explanations of two classes.
 */
export function rankCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) throw new RangeError('rank correlation needs two maps of the same size (≥ 2 values)');
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const mean = (n + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

function ranks(v: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i] - v[j]);
  const r = new Float64Array(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
    for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}
