/**
 * Transfer learning in miniature (Yosinski et al. 2014, arXiv:1411.1792): the shipped `cnn-0to4`, trained on
 * digits 0–4 only, is the base network A; the target task B is digits 5–9 with k labelled examples per class.
 * For n = 1…3 transferred layers (conv1, conv2, fc1) a network copies A's first n layers and either keeps them
 * frozen (Yosinski's AnB) or trains them with the rest (AnB+, fine-tuning); the layers above n start from the
 * same seeded random weights as a network trained from scratch. All seven networks (scratch, frozen n = 1…3,
 * fine-tuned n = 1…3) are trained in lockstep by one flat Adam step on one vector of seven losses, on the same
 * mini-batches, and scored on the same held-out test digits 5–9.
 *
 * The network is the shipped one, written as a pure function of its weights: conv5×5×16 → maxpool →
 * conv5×5×32 → maxpool → dense 128 → a new dense 5-way head (dropout is left out: k is tiny and every run
 * is treated alike). Pure tfjs: no React, no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { gaussian, mulberry32, type Rng } from '../runtime/random';
import { createFlatTrainer, stepPlan, type FlatTrainer, type ParamInit } from '../runtime/train';
import { sampleBatches } from '../runtime/sampling';
import type { MnistArrays } from '../runtime/data/idx';

/** The transferable layers of the base network, bottom to top, and the new head. */
export const LAYERS = ['conv1', 'conv2', 'fc1'] as const;
export type LayerName = (typeof LAYERS)[number] | 'head';
const ALL_LAYERS: readonly LayerName[] = [...LAYERS, 'head'];
/** The target task's digits: output unit i predicts digit TARGET_DIGITS[i]. */
export const TARGET_DIGITS = [5, 6, 7, 8, 9] as const;
const CLASSES = TARGET_DIGITS.length;

/** Shapes of each layer's kernel and bias (the kernels in tfjs's layout, as the shipped model stores them). */
export const SHAPES: Record<LayerName, { w: number[]; b: number[] }> = {
  conv1: { w: [5, 5, 1, 16], b: [16] },
  conv2: { w: [5, 5, 16, 32], b: [32] },
  fc1: { w: [512, 128], b: [128] },
  head: { w: [128, CLASSES], b: [CLASSES] },
};

/** One layer's weights, row-major. */
export interface LayerWeights {
  w: Float32Array;
  b: Float32Array;
}
/** The base network's transferable layers (its own 0–4 head is dropped). */
export type BaseWeights = Record<(typeof LAYERS)[number], LayerWeights>;

/** A network of the race: how many layers it copies from the base, and whether they keep training. */
export interface NetSpec {
  /** Short key: 'scratch', 'frozen-2', 'fine-3'… */
  key: string;
  label: string;
  /** Layers copied from the base (0: trained from scratch). */
  copied: number;
  /** Copied layers stay fixed (Yosinski's AnB) or train with the rest (AnB+). */
  frozen: boolean;
}

/** The seven networks, in the order of every accuracy array: scratch, frozen n = 1…3, fine-tuned n = 1…3. */
export const NETS: readonly NetSpec[] = [
  { key: 'scratch', label: 'From scratch', copied: 0, frozen: false },
  ...[1, 2, 3].map((n) => ({ key: `frozen-${n}`, label: `Frozen, first ${n} copied`, copied: n, frozen: true })),
  ...[1, 2, 3].map((n) => ({ key: `fine-${n}`, label: `Fine-tuned, first ${n} copied`, copied: n, frozen: false })),
];

/** Index in {@link NETS} of the network with `copied` layers, frozen or fine-tuned (copied 0: scratch). */
export function netIndex(copied: number, frozen: boolean): number {
  if (copied === 0) return 0;
  if (!(Number.isInteger(copied) && copied >= 1 && copied <= LAYERS.length)) throw new RangeError(`copied layers must be 0…${LAYERS.length}, got ${copied}`);
  return frozen ? copied : LAYERS.length + copied;
}

/** Reads the transferable layers out of the shipped `cnn-0to4` (a tf.LayersModel); the caller keeps the model. */
export function baseWeights(model: tf.LayersModel): BaseWeights {
  const out = {} as BaseWeights;
  for (const name of LAYERS) {
    const [w, b] = model.getLayer(name).getWeights();
    if (!w || !b || w.size !== size(SHAPES[name].w) || b.size !== size(SHAPES[name].b)) throw new Error(`layer ${name} of the base network does not have the expected shape`);
    out[name] = { w: w.dataSync() as Float32Array, b: b.dataSync() as Float32Array };
  }
  return out;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** He-normal kernels (ReLU layers) or Glorot-uniform (the softmax head), zero biases: one seeded draw per layer. */
export function randomLayer(name: LayerName, rng: Rng): LayerWeights {
  const { w: ws, b: bs } = SHAPES[name];
  const fanIn = ws.length === 4 ? ws[0] * ws[1] * ws[2] : ws[0];
  const fanOut = ws.length === 4 ? ws[0] * ws[1] * ws[3] : ws[1];
  const w = new Float32Array(size(ws));
  if (name === 'head') {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng() - 1) * a;
  } else {
    const sd = Math.sqrt(2 / fanIn);
    for (let i = 0; i < w.length; i++) w[i] = sd * gaussian(rng);
  }
  return { w, b: new Float32Array(size(bs)) };
}

/** Logits [N, 5] of the network with the given layer tensors on images x [N, 28, 28, 1]. */
export function forward(p: Record<LayerName, { w: tf.Tensor; b: tf.Tensor }>, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let h = tf.relu(tf.add(tf.conv2d(x, p.conv1.w as tf.Tensor4D, 1, 'valid'), p.conv1.b)) as tf.Tensor4D;
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.relu(tf.add(tf.conv2d(h, p.conv2.w as tf.Tensor4D, 1, 'valid'), p.conv2.b)) as tf.Tensor4D;
    h = tf.maxPool(h, 2, 2, 'valid');
    const f = tf.relu(tf.add(tf.matMul(tf.reshape(h, [-1, 512]), p.fc1.w as tf.Tensor2D), p.fc1.b)) as tf.Tensor2D;
    return tf.add(tf.matMul(f, p.head.w as tf.Tensor2D), p.head.b) as tf.Tensor2D;
  });
}

/**
 * k digits of each target class picked at random (seeded) among the digits of `data`, labels mapped to 0…4;
 * the first digits of `data` are read, whatever their class, so a larger k keeps the smaller k's picks.
 */
export function kShot(data: MnistArrays, k: number, seed: number): { index: Int32Array; labels: Int32Array } {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`examples per class must be a whole number ≥ 1, got ${k}`);
  const order = Array.from({ length: data.count }, (_, i) => i);
  const rng = mulberry32(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const picked: number[][] = TARGET_DIGITS.map(() => []);
  for (const i of order) {
    const c = data.labels[i] - TARGET_DIGITS[0];
    if (c >= 0 && c < CLASSES && picked[c].length < k) picked[c].push(i);
  }
  picked.forEach((p, c) => {
    if (p.length < k) throw new RangeError(`only ${p.length} digits ${TARGET_DIGITS[c]} among ${data.count}, asked for ${k}`);
  });
  // Interleaved by class, so that any prefix of a batch is balanced.
  const index: number[] = [];
  const labels: number[] = [];
  for (let j = 0; j < k; j++)
    for (let c = 0; c < CLASSES; c++) {
      index.push(picked[c][j]);
      labels.push(c);
    }
  return { index: Int32Array.from(index), labels: Int32Array.from(labels) };
}

/** The target task's test digits: those of `data` that are 5–9, labels mapped to 0…4. */
export function targetDigits(data: MnistArrays): { index: Int32Array; labels: Int32Array } {
  const index: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < data.count; i++) {
    const c = data.labels[i] - TARGET_DIGITS[0];
    if (c >= 0 && c < CLASSES) {
      index.push(i);
      labels.push(c);
    }
  }
  return { index: Int32Array.from(index), labels: Int32Array.from(labels) };
}

function pixels(data: MnistArrays, index: Int32Array): Float32Array {
  const px = data.rows * data.cols;
  const out = new Float32Array(index.length * px);
  index.forEach((d, j) => {
    for (let i = 0; i < px; i++) out[j * px + i] = data.images[d * px + i] / 255;
  });
  return out;
}

/** Everything that defines a run; the seed replays it exactly. */
export interface TransferConfig {
  /** Labelled training digits per class of the target task. */
  k: number;
  seed: number;
  /** Training steps of every network. */
  total: number;
  /** Mini-batch size (at most 5k: the whole labelled set when it is smaller). */
  batch: number;
  /** Adam's learning rate, the same for every network and layer. */
  lr: number;
  /** Accuracy measured every this many steps. */
  every: number;
}

export const DEFAULT_CONFIG: TransferConfig = { k: 5, seed: 1, total: 150, batch: 25, lr: 1e-3, every: 10 };

/** The inputs of a run: the base network's layers and the digits to draw the k-shot set and the test set from. */
export interface TransferInputs {
  base: BaseWeights;
  /** Training digits (any classes; the 5–9 among them are the pool of the k-shot set). */
  train: MnistArrays;
  /** Test digits (any classes; the 5–9 among them are scored). */
  test: MnistArrays;
}

/** What the view draws after a step. */
export interface TransferFrame {
  steps: number;
  /** Test accuracy of each of {@link NETS}, at the latest measurement. */
  accuracy: Float32Array;
  /** Mean training loss of each network since the previous measurement (NaN before any step). */
  loss: Float32Array;
  /** Whether this frame carries a new measurement. */
  measured: boolean;
  testCount: number;
  trainCount: number;
}

/** The seven networks trained in lockstep: step(k) trains k steps, measuring every `every` steps. */
export interface TransferRun {
  readonly config: TransferConfig;
  step(k: number): Promise<TransferFrame>;
  dispose(): void;
}

type Name = `${number}.${LayerName}.${'w' | 'b'}`;

export function createTransferRun(config: Partial<TransferConfig>, inputs: TransferInputs): TransferRun {
  const cfg: TransferConfig = { ...DEFAULT_CONFIG, ...config };
  if (!(Number.isInteger(cfg.total) && cfg.total >= 0)) throw new RangeError(`steps must be a whole number ≥ 0, got ${cfg.total}`);
  if (!(Number.isInteger(cfg.batch) && cfg.batch >= 1)) throw new RangeError(`the batch must be a whole number ≥ 1, got ${cfg.batch}`);
  if (!(Number.isInteger(cfg.every) && cfg.every >= 1)) throw new RangeError(`the measurement interval must be ≥ 1 step, got ${cfg.every}`);
  const shot = kShot(inputs.train, cfg.k, cfg.seed);
  const tst = targetDigits(inputs.test);
  if (tst.index.length === 0) throw new RangeError('no test digits 5–9 to score on');
  const n = shot.index.length;
  const batch = Math.min(cfg.batch, n);
  const rng = mulberry32(cfg.seed * 7919 + 1);
  // The random layers every network draws from: the same for all, so that only the copying differs.
  const random = Object.fromEntries(ALL_LAYERS.map((l) => [l, randomLayer(l, rng)])) as Record<LayerName, LayerWeights>;

  const init: ParamInit<Name>[] = [];
  const fixed: tf.Tensor[] = [];
  /** Per network and layer: the trainer's parameter names, or the kept tensors of a frozen copy. */
  const layersOf = NETS.map((net, j) =>
    ALL_LAYERS.map((l, depth) => {
      const copied = depth < net.copied;
      const src = copied ? inputs.base[l as (typeof LAYERS)[number]] : random[l];
      if (copied && net.frozen) {
        const w = tf.keep(tf.tensor(src.w, SHAPES[l].w));
        const b = tf.keep(tf.tensor(src.b, SHAPES[l].b));
        fixed.push(w, b);
        return { l, fixed: { w, b } };
      }
      const wn = `${j}.${l}.w` as Name;
      const bn = `${j}.${l}.b` as Name;
      init.push({ name: wn, shape: SHAPES[l].w, values: src.w }, { name: bn, shape: SHAPES[l].b, values: src.b });
      return { l, names: { w: wn, b: bn } };
    }),
  );
  const paramsOf = (j: number, named: Readonly<Record<Name, tf.Tensor>>) => {
    const p = {} as Record<LayerName, { w: tf.Tensor; b: tf.Tensor }>;
    for (const e of layersOf[j]) p[e.l] = e.fixed ?? { w: named[e.names!.w], b: named[e.names!.b] };
    return p;
  };

  const xAll = tf.keep(tf.tensor4d(pixels(inputs.train, shot.index), [n, 28, 28, 1]));
  const yAll = tf.keep(tf.tidy(() => tf.oneHot(tf.tensor1d(shot.labels, 'int32'), CLASSES).asType('float32') as tf.Tensor2D));
  const xTest = tf.keep(tf.tensor4d(pixels(inputs.test, tst.index), [tst.index.length, 28, 28, 1]));
  const yTest = tf.keep(tf.tensor1d(tst.labels, 'int32'));
  const losses = (named: Record<Name, tf.Tensor>, x: tf.Tensor, y: tf.Tensor) =>
    tf.stack(NETS.map((_, j) => tf.losses.softmaxCrossEntropy(y, forward(paramsOf(j, named), x as tf.Tensor4D)))) as tf.Tensor1D;
  const trainer: FlatTrainer<Name> = createFlatTrainer(init, losses, { kind: 'adam', lr: cfg.lr });

  let accuracy = new Float32Array(NETS.length);
  let measured = false;
  let disposed = false;
  let lastLoss = new Float32Array(NETS.length).fill(NaN);

  /** Accuracy of each network on the test digits, and the mean losses, left on the device. */
  const measure = (): tf.Tensor1D =>
    tf.tidy(() => {
      const named = trainer.current();
      const acc = NETS.map((_, j) => tf.mean(tf.cast(tf.equal(tf.argMax(forward(paramsOf(j, named), xTest), 1), yTest), 'float32')));
      return tf.concat([tf.stack(acc), tf.reshape(trainer.meanLossTensor(), [-1])]) as tf.Tensor1D;
    });

  return {
    config: cfg,
    async step(k: number) {
      if (disposed) throw new Error('transfer run used after dispose');
      const plan = stepPlan(trainer.steps, k, cfg.total, cfg.every, measured);
      if (plan.n > 0) {
        const idx = sampleBatches(n, batch, plan.n, rng);
        for (let s = 0; s < plan.n; s++) {
          tf.tidy(() => {
            const b = tf.tensor1d(idx.subarray(s * batch, (s + 1) * batch), 'int32');
            trainer.step(tf.gather(xAll, b), tf.gather(yAll, b));
          });
        }
      }
      if (plan.due) {
        const v = await readAndDispose(measure());
        accuracy = v.slice(0, NETS.length);
        const l = v.slice(NETS.length);
        lastLoss = l.length === NETS.length ? l : new Float32Array(NETS.length).fill(NaN);
        measured = true;
      }
      return { steps: trainer.steps, accuracy: accuracy.slice(), loss: lastLoss.slice(), measured: plan.due, testCount: tst.index.length, trainCount: n };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      tf.dispose([xAll, yAll, xTest, yTest, ...fixed]);
    },
  };
}

/**
 * The base network's own answer on one digit (784 pixels in [0, 1]): its five probabilities for 0–4, the only
 * classes it knows. The caller keeps the model.
 */
export async function predictBase(model: tf.LayersModel, pixels: Float32Array): Promise<Float32Array> {
  if (pixels.length !== 784) throw new RangeError(`a digit is 784 pixels, got ${pixels.length}`);
  return readAndDispose(tf.tidy(() => model.predict(tf.tensor4d(pixels, [1, 28, 28, 1])) as tf.Tensor));
}

/** Parameters one layer holds (kernel and bias). */
export function layerParams(name: LayerName): number {
  return size(SHAPES[name].w) + size(SHAPES[name].b);
}

/** Parameters a network of the race trains: every layer above the copied ones, and the copied ones unless frozen. */
export function trainedParams(net: NetSpec): number {
  return ALL_LAYERS.reduce((s, l, depth) => s + (net.frozen && depth < net.copied ? 0 : layerParams(l)), 0);
}
