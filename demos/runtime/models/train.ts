/**
 * A seeded, reproducible mini-batch training loop for the MNIST classifiers of ./zoo.ts. Pure tfjs (no
 * file system), so the Node training script and a browser demo can run the same loop.
 *
 * It keeps tfjs's own Adam rather than the demos' trainer (../train.ts) on purpose. These are tfjs-layers
 * models (saved in layers format, loaded and extended as such), which the flat trainer could only train
 * through a second, functional copy of each architecture. tf.train.adam is also a different float32
 * computation (ε = 1e-7, bias corrections from β^t accumulated on the device), so switching changes the
 * shipped weights that `npm run train` must reproduce. And for these conv nets the convolution gradients,
 * not kernel dispatch, dominate a step: the flat update would gain little.
 */
import { tf } from '../tf';
import { mulberry32, shuffleInPlace, type Rng } from '../random';
import type { MnistArrays } from '../data/idx';
import { accuracy, batchTensors, range } from './classify';
import { crossEntropy, fgsm } from './attacks';
import type { TrainRecipe } from './zoo';
import { moveImages, randomMotions } from './transform';

/** Options of {@link trainClassifier}. */
export interface TrainOptions {
  recipe: TrainRecipe;
  /** Stop after this many optimizer steps (mini-batches), even mid-epoch. */
  maxSteps?: number;
  /** Scored after every epoch (and at the end if stopped early); never trained on. */
  validation?: MnistArrays;
  /**
   * Called after every step with its training loss (mini-batch mean cross-entropy). If it returns a promise,
   * training waits for it (a worker job pauses there between steps).
   */
  onStep?: (step: number, loss: number) => void | Promise<void>;
  /** Called after every epoch. */
  onEpoch?: (info: EpochInfo) => void;
}

/** What one epoch did. */
export interface EpochInfo {
  /** 1-based; the last may be partial when `maxSteps` stopped training. */
  epoch: number;
  steps: number;
  learningRate: number;
  /** Mean training loss over the epoch's steps. */
  meanLoss: number;
  /** Accuracy on the validation digits, if given. */
  validationAccuracy?: number;
  seconds: number;
}

/** What {@link trainClassifier} returns. */
export interface TrainResult {
  /** Training loss of every step, in order. */
  losses: number[];
  epochs: EpochInfo[];
  steps: number;
  /** Validation accuracy after the last step (if validation digits were given). */
  validationAccuracy?: number;
}

/**
 * tfjs's Dropout draws its mask from `seed` afresh on each call, so a fixed seed repeats one mask every
 * step and no seed falls back to Math.random. Setting a new seed from our stream before each step keeps
 * masks both varied and reproducible. (`seed` is a plain field of the Dropout layer, not in its types.)
 */
function reseedDropout(model: tf.LayersModel, rng: Rng): void {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = Math.floor(rng() * 0x7fffffff);
  }
}

/** Adam keeps its rate in a protected field that every step reads; this is how we decay it per epoch. */
function setLearningRate(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

/**
 * One step on Goodfellow et al.'s mixed objective α·J(x) + (1 − α)·J(x'), x' = FGSM(x, ε) from the current
 * weights (made in inference mode and held fixed: no gradient flows through x'); both terms with dropout
 * on, as in training. Returns the objective's value. The sign is the backend's Sign kernel, with which the
 * shipped cnn-adv was trained: on wasm it returns 0 for |∂J/∂x| below about 1e-7, so those pixels (mostly
 * background far from the strokes) are not perturbed during training; the attacks that score it are exact.
 */
async function adversarialStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  x: tf.Tensor4D,
  y: tf.Tensor2D,
  adv: { epsilon: number; alpha: number },
): Promise<number> {
  const xAdv = fgsm(model, x, y, adv.epsilon, { sign: 'kernel' });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  try {
    const cost = optimizer.minimize(
      () =>
        tf.add(
          tf.mul(tf.mean(crossEntropy(model, x, y, true)), adv.alpha),
          tf.mul(tf.mean(crossEntropy(model, xAdv, y, true)), 1 - adv.alpha),
        ) as tf.Scalar,
      true,
      vars,
    );
    try {
      return (await cost!.data())[0];
    } finally {
      cost!.dispose();
    }
  } finally {
    xAdv.dispose();
  }
}

/**
 * Trains `model` (compiled here with Adam and categorical cross-entropy) on `train`, whose labels must be
 * class indices below the model's output size. The shuffle of every epoch and the dropout masks come
 * from `recipe.seed`, so together with seeded initial weights a run is reproducible on one backend.
 * Every step's tensors are disposed; the optimizer's slots are disposed at the end.
 */
export async function trainClassifier(model: tf.LayersModel, train: MnistArrays, opts: TrainOptions): Promise<TrainResult> {
  const { recipe } = opts;
  const classes = (model.outputs[0].shape as number[])[1];
  const optimizer = tf.train.adam(recipe.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const shuffleRng = mulberry32(recipe.seed ^ 0x5eed5eed);
  const dropoutRng = mulberry32(recipe.seed ^ 0x0d0d0d0d);
  const augmentRng = mulberry32(recipe.seed ^ 0x0a060a06);
  const maxSteps = opts.maxSteps ?? Infinity;
  const losses: number[] = [];
  const epochs: EpochInfo[] = [];
  let validationAccuracy: number | undefined;
  let lr = recipe.learningRate;
  try {
    for (let epoch = 1; epoch <= recipe.epochs && losses.length < maxSteps; epoch++) {
      const t0 = performance.now();
      setLearningRate(optimizer, lr);
      const order = shuffleInPlace(range(0, train.count), shuffleRng) as Int32Array;
      let sum = 0;
      let steps = 0;
      for (let start = 0; start < train.count && losses.length < maxSteps; start += recipe.batchSize) {
        reseedDropout(model, dropoutRng);
        const batch = batchTensors(train, order.subarray(start, start + recipe.batchSize), classes);
        const { y } = batch;
        let { x } = batch;
        if (recipe.augment) {
          const moved = moveImages(x, randomMotions(x.shape[0], recipe.augment, augmentRng));
          x.dispose();
          x = moved;
        }
        let loss: number;
        try {
          loss = recipe.adversarial ? await adversarialStep(model, optimizer, x, y, recipe.adversarial) : ((await model.trainOnBatch(x, y)) as number);
        } finally {
          x.dispose();
          y.dispose();
        }
        if (!Number.isFinite(loss)) throw new Error(`training diverged: loss ${loss} at step ${losses.length + 1}`);
        losses.push(loss);
        const wait = opts.onStep?.(losses.length, loss);
        if (wait) await wait;
        sum += loss;
        steps++;
      }
      validationAccuracy = opts.validation ? (await accuracy(model, opts.validation)).accuracy : undefined;
      const info: EpochInfo = { epoch, steps, learningRate: lr, meanLoss: sum / steps, validationAccuracy, seconds: (performance.now() - t0) / 1000 };
      epochs.push(info);
      opts.onEpoch?.(info);
      lr *= recipe.lrDecayPerEpoch;
    }
  } finally {
    optimizer.dispose();
  }
  return { losses, epochs, steps: losses.length, validationAccuracy };
}
