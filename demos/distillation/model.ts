/**
 * Knowledge-distillation demo (Hinton, Vinyals & Dean 2015, arXiv:1503.02531): the shipped CNN is the teacher;
 * its real logits z, softened at a temperature T (softmax(z/T)), are the soft targets. Two copies of one small
 * student MLP, the same initial weights and the same few labelled digits, are trained side by side: one on the
 * hard labels only, one on (1 − α)·CE(labels, softmax(s)) + α·T²·CE(softmax(z/T), softmax(s/T)). Both are scored
 * on held-out test digits at T = 1.
 *
 * The students are one stacked MLP (../runtime/models/stacked-mlp.ts) trained by one flat Adam step; the
 * loss weights are the only difference between them. The teacher's logits for the training digits are
 * computed once, when the run is made. The arithmetic of soft targets (softmax at T, the loss, its gradient)
 * is also given on plain arrays, tested in Node.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import { createFlatTrainer, stepPlan } from '../runtime/train';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages } from '../runtime/data/loader';
import { forwardStacked, initLayers, repeatNets, stackedMlp, stackedParams } from '../runtime/models/stacked-mlp';

/** MNIST images in, ten classes out. */
export const INPUTS = 784;
export const CLASSES = 10;

function checkT(T: number): void {
  if (!(T > 0 && Number.isFinite(T))) throw new RangeError(`the temperature T must be a positive number, got ${T}`);
}
function checkAlpha(alpha: number): void {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`the soft-target weight α must lie in [0, 1], got ${alpha}`);
}

/** softmax(z/T)_i = exp(z_i/T) / Σ_j exp(z_j/T), shifted by the largest logit so that nothing overflows. */
export function softmaxAt(z: ArrayLike<number>, T = 1): Float64Array {
  checkT(T);
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) m = Math.max(m, z[i]);
  const p = new Float64Array(z.length);
  let s = 0;
  for (let i = 0; i < z.length; i++) s += p[i] = Math.exp((z[i] - m) / T);
  for (let i = 0; i < z.length; i++) p[i] /= s;
  return p;
}

/** −Σ_k q_k log p_k with p = softmax(s/T) (log-sum-exp shifted). */
function crossEntropyAt(q: ArrayLike<number>, s: ArrayLike<number>, T: number): number {
  let m = -Infinity;
  for (let k = 0; k < s.length; k++) m = Math.max(m, s[k] / T);
  let e = 0;
  for (let k = 0; k < s.length; k++) e += Math.exp(s[k] / T - m);
  const lse = m + Math.log(e);
  let ce = 0;
  for (let k = 0; k < s.length; k++) if (q[k] > 0) ce -= q[k] * (s[k] / T - lse);
  return ce;
}

/** The parts of the distillation loss of one example. */
export interface DistillLoss {
  /** CE(one-hot label, softmax(s)): the ordinary loss, at T = 1. */
  hard: number;
  /** CE(softmax(z/T), softmax(s/T)): the student's logits s against the teacher's z, both softened. */
  soft: number;
  /** (1 − α)·hard + α·T²·soft: what the distilled student minimises. */
  total: number;
}

/**
 * The distillation loss of one example with student logits `s`, teacher logits `z`, true class `label`, at
 * temperature T with weight α on the soft term; the soft term is multiplied by T² because its gradients
 * scale as 1/T² (see {@link softGradient}).
 */
export function distillLoss(s: ArrayLike<number>, z: ArrayLike<number>, label: number, T: number, alpha: number): DistillLoss {
  checkT(T);
  checkAlpha(alpha);
  if (s.length !== z.length) throw new RangeError(`${s.length} student logits but ${z.length} teacher logits`);
  if (!(Number.isInteger(label) && label >= 0 && label < s.length)) throw new RangeError(`label must be a class in [0, ${s.length}), got ${label}`);
  const onehot = new Float64Array(s.length);
  onehot[label] = 1;
  const hard = crossEntropyAt(onehot, s, 1);
  const soft = crossEntropyAt(softmaxAt(z, T), s, T);
  return { hard, soft, total: (1 - alpha) * hard + alpha * T * T * soft };
}

/**
 * ∂CE(softmax(z/T), softmax(s/T))/∂s_i = (q_i − p_i)/T, with q = softmax(s/T) and p = softmax(z/T). For T
 * large against the logits, q_i − p_i ≈ (s_i − z_i)/(K·T) when both sets of logits have mean zero, so the
 * gradient is ≈ (s_i − z_i)/(K·T²): it shrinks as 1/T², which the factor T² in the loss undoes.
 */
export function softGradient(s: ArrayLike<number>, z: ArrayLike<number>, T: number): Float64Array {
  const q = softmaxAt(s, T);
  const p = softmaxAt(z, T);
  return q.map((qi, i) => (qi - p[i]) / T);
}

/**
 * The per-net distillation loss on tensors, as the demo's trainer minimises it: student logits [S, M, K],
 * teacher logits [M, K], labels [M], and per net s the weights hardW[s] and softW[s] ([S, 1] each; the
 * distilled net has 1 − α and α·T²). Returns [S]: mean over the M examples of
 * hardW·CE(labels, softmax(s)) + softW·CE(softmax(z/T), softmax(s/T)).
 */
export function distillLossTensor(
  student: tf.Tensor3D,
  teacher: tf.Tensor2D,
  labels: tf.Tensor1D,
  T: number,
  hardW: tf.Tensor2D,
  softW: tf.Tensor2D,
): tf.Tensor1D {
  return tf.tidy(() => {
    const K = student.shape[2];
    const hard = tf.neg(tf.sum(tf.mul(tf.oneHot(labels, K), tf.logSoftmax(student)), 2)); // [S, M]
    const p = tf.softmax(tf.div(teacher, T)); // [M, K], broadcasts over S
    const soft = tf.neg(tf.sum(tf.mul(p, tf.logSoftmax(tf.div(student, T))), 2)); // [S, M]
    return tf.mean(tf.add(tf.mul(hardW, hard), tf.mul(softW, soft)), 1) as tf.Tensor1D;
  });
}

/**
 * The logits of a trained classifier whose last layer is a Dense layer with a softmax (the shipped `cnn`):
 * every layer but the last as the model runs them at inference, then the last layer's kernel and bias without
 * its softmax. Returns [n, classes]; pixels [n, 28, 28, 1] in [0, 1]. The caller disposes the result.
 */
export function teacherLogits(model: tf.LayersModel, x: tf.Tensor4D): tf.Tensor2D {
  const last = model.layers[model.layers.length - 1];
  const act = (last.getConfig() as { activation?: string }).activation;
  if (last.getClassName() !== 'Dense' || (act !== 'softmax' && act !== 'linear')) {
    throw new Error(`the teacher's last layer must be a Dense layer with a softmax, got ${last.getClassName()} (${act ?? 'no activation'})`);
  }
  return tf.tidy(() => {
    let h: tf.Tensor = x;
    for (const layer of model.layers.slice(0, -1)) h = layer.apply(h, { training: false }) as tf.Tensor;
    const [kernel, bias] = last.getWeights();
    return tf.add(tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D), bias) as tf.Tensor2D;
  });
}

/** The teacher's ten logits for one digit: `input` holds 784 pixels in [0, 1], row-major; one read-back. */
export async function digitLogits(model: tf.LayersModel, input: Float32Array): Promise<Float32Array> {
  if (input.length !== INPUTS) throw new RangeError(`digitLogits: ${input.length} pixels, expected ${INPUTS}`);
  return readAndDispose(tf.tidy(() => teacherLogits(model, tf.tensor4d(input, [1, 28, 28, 1])).reshape([-1])));
}

/**
 * The indices of `perClass` digits of each class, drawn without replacement from the first `from` digits of
 * `data` by a seeded shuffle, in class order. Throws when a class has fewer than `perClass` digits there.
 */
export function fewPerClass(data: MnistArrays, perClass: number, seed: number, from = data.count): Int32Array {
  if (!(Number.isInteger(perClass) && perClass >= 1)) throw new RangeError(`examples per class must be a whole number ≥ 1, got ${perClass}`);
  const n = Math.min(from, data.count);
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const picked: number[][] = Array.from({ length: CLASSES }, () => []);
  for (const i of order) if (picked[data.labels[i]].length < perClass) picked[data.labels[i]].push(i);
  picked.forEach((p, c) => {
    if (p.length < perClass) throw new RangeError(`only ${p.length} digits of class ${c} among the first ${n}, asked for ${perClass}`);
  });
  return Int32Array.from(picked.flat());
}

/** Everything that defines a run; a seed plus this replays it exactly. */
export interface DistillConfig {
  seed: number;
  /** Distillation temperature (the students are scored at T = 1). */
  T: number;
  /** Weight of the soft term for the distilled student (its hard term gets 1 − α). */
  alpha: number;
  /** Labelled training digits per class. */
  perClass: number;
  /** Units in the student's one hidden layer. */
  width: number;
  /** Adam's learning rate. */
  lr: number;
  /** Full-batch steps after which training stops. */
  total: number;
}

export const DEFAULT_CONFIG: DistillConfig = { seed: 1, T: 8, alpha: 0.7, perClass: 50, width: 64, lr: 0.003, total: 200 };

/** What the page runs on (and `npm run reproduce -- distillation` with it): the shipped teacher, the first 5,000
 * training digits (one shard) to draw the few labelled digits from, and the first 1,000 test digits to score on. */
export const PAGE_DIGITS = { teacher: 'cnn', train: 5000, test: 1000 } as const;

/** Test accuracy is measured every this many steps (and at the start and the end). */
export const EVAL_EVERY = 10;

/** What the view draws after a step call. */
export interface DistillFrame {
  steps: number;
  /** Mean training loss of [hard, distilled] over this call's steps (each its own objective); null when none ran. */
  trainLoss: Float32Array | null;
  /** Test accuracy [hard-target student, distilled student] at step `measuredAt`. */
  accuracy: [number, number];
  /** The teacher's accuracy on the same training digits (its soft targets are only as good as it is). */
  teacherTrainAccuracy: number;
  measuredAt: number;
}

/** Labelled training digits (the few per class are drawn from them), held-out test digits, and the teacher. */
export interface DistillInputs {
  train: MnistArrays;
  test: MnistArrays;
  teacher: tf.LayersModel;
}

export interface DistillRun {
  readonly config: DistillConfig;
  /** The indices of the training digits used, into `train`. */
  readonly picked: Int32Array;
  /** Up to k full-batch Adam steps (never past config.total), then test accuracy when due. */
  step(k: number): Promise<DistillFrame>;
  dispose(): void;
}

/**
 * A hard-target student and a distilled student, both 784 → width → 10 with ReLU, from the same seeded
 * He-normal weights, trained by full-batch Adam on the same `perClass` digits of each class. The teacher's
 * logits for those digits are computed here, once.
 */
export function createDistillRun(config: Partial<DistillConfig>, inputs: DistillInputs): DistillRun {
  const cfg: DistillConfig = { ...DEFAULT_CONFIG, ...config };
  checkT(cfg.T);
  checkAlpha(cfg.alpha);
  if (!(Number.isInteger(cfg.width) && cfg.width >= 2)) throw new RangeError(`width must be a whole number ≥ 2, got ${cfg.width}`);
  if (!(cfg.lr > 0)) throw new RangeError(`the learning rate must be positive, got ${cfg.lr}`);
  const seeds = mulberry32(cfg.seed);
  const seedOf = () => Math.floor(seeds() * 2 ** 32);
  const picked = fewPerClass(inputs.train, cfg.perClass, seedOf());
  const sizes = [INPUTS, cfg.width, CLASSES];
  const weights = initLayers(sizes, seedOf());
  const { train, test } = inputs;

  const t = tf.tidy(() => {
    const all = tf.tensor2d(floatImages(train), [train.count, INPUTS]);
    const x = tf.gather(all, tf.tensor1d(picked, 'int32')); // [M, 784]
    const y = tf.tensor1d(Int32Array.from(picked, (i) => train.labels[i]), 'int32');
    const z = teacherLogits(inputs.teacher, x.reshape([-1, 28, 28, 1]));
    return {
      x: repeatNets(x.expandDims(0), 2), // once, not at every step
      y,
      z,
      teacherRight: tf.mean(tf.cast(tf.equal(tf.argMax(z, 1), y), 'float32')),
      hardW: tf.tensor2d([1, 1 - cfg.alpha], [2, 1]),
      softW: tf.tensor2d([0, cfg.alpha * cfg.T * cfg.T], [2, 1]),
      testX: repeatNets(tf.tensor3d(floatImages(test), [1, test.count, INPUTS]), 2),
      testY: tf.tensor1d(Int32Array.from(test.labels), 'int32'),
    };
  });
  const trainer = createFlatTrainer(
    stackedParams([weights, weights]),
    (p, x, y, z) => distillLossTensor(forwardStacked(stackedMlp(sizes, p), x as tf.Tensor3D), z as tf.Tensor2D, y as tf.Tensor1D, cfg.T, t.hardW, t.softW),
    { kind: 'adam', lr: cfg.lr },
  );
  let disposed = false;
  let last: Pick<DistillFrame, 'accuracy' | 'measuredAt' | 'teacherTrainAccuracy'> | null = null;

  return {
    config: cfg,
    picked,
    async step(k: number): Promise<DistillFrame> {
      if (disposed) throw new Error('distillation demo used after dispose');
      const { n, after, due } = stepPlan(trainer.steps, k, cfg.total, EVAL_EVERY, last !== null);
      if (n === 0 && !due) return { ...last!, steps: after, trainLoss: null };
      const out = tf.tidy(() => {
        for (let s = 0; s < n; s++) trainer.step(t.x, t.y, t.z);
        const parts: tf.Tensor[] = n > 0 ? [trainer.meanLossTensor().reshape([-1])] : [];
        if (due) {
          const logits = forwardStacked(stackedMlp(sizes, trainer.current()), t.testX); // [2, N, K]
          parts.push(tf.mean(tf.cast(tf.equal(tf.argMax(logits, 2), t.testY), 'float32'), 1), t.teacherRight.reshape([1]));
        }
        return tf.concat(parts);
      });
      const a = await readAndDispose(out);
      const o = n > 0 ? 2 : 0;
      if (due) last = { accuracy: [a[o], a[o + 1]], teacherTrainAccuracy: a[o + 2], measuredAt: after };
      return { ...last!, steps: after, trainLoss: n > 0 ? a.slice(0, 2) : null };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      tf.dispose(Object.values(t));
    },
  };
}
