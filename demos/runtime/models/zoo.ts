/**
 * The trained networks the site ships (public/models/<name>/): their architectures and the training
 * recipe that produced them. Shared by the Node training script (scripts/train.mjs) and browser demos
 * that rebuild or extend an architecture (e.g. a new head on the 0–4 CNN for transfer learning).
 * Every random choice is seeded, so `buildModel(name, seed)` gives the same initial weights each time.
 */
import { tf } from '../tf';
import { mulberry32 } from '../random';
import type { AugmentRange } from './transform';

/** Names of the shipped models. */
export const MODEL_NAMES = ['cnn', 'mlp', 'cnn-0to4', 'cnn-gap', 'cnn-adv', 'cnn-p1', 'mlp-p2', 'inv-stride', 'inv-stride-aug', 'inv-pool', 'inv-pool-aug', 'cnn-bwn', 'cnn-xnor', 'cnn-se'] as const;
/** A shipped model's name (also its directory under /models/). */
export type ModelName = (typeof MODEL_NAMES)[number];

/** How a model is trained (everything a reader needs to reproduce it). */
export interface TrainRecipe {
  epochs: number;
  batchSize: number;
  optimizer: 'adam';
  learningRate: number;
  /** Learning rate is multiplied by this after every epoch (1 = constant). */
  lrDecayPerEpoch: number;
  /** Seeds the initial weights, the shuffle of every epoch and the dropout masks. */
  seed: number;
  /** The last `validationCount` training digits (of the chosen classes) are held out for validation. */
  validationCount: number;
  /**
   * Adversarial training (Goodfellow et al. 2015): minimise α·J(x) + (1 − α)·J(x + ε·sign(∇ₓJ)), the FGSM
   * images made afresh from the current weights at every step (runtime/models/attacks.ts). Training takes
   * sign(∇ₓJ) from the backend's Sign kernel, as when the shipped weights were made: on wasm that kernel
   * returns 0 for |∂J/∂x| below about 1e-7 (see attacks.ts exactSign), so such pixels are left alone.
   */
  adversarial?: { epsilon: number; alpha: number };
  /**
   * Train on MNIST training digits [start, end) only (default: all 60,000); validation is then the last
   * `validationCount` of that range. cnn-p1 and mlp-p2 split the training set into two disjoint halves, as
   * Szegedy et al. 2014 do (their P1 and P2) to show that adversarial examples transfer across training sets.
   */
  trainRange?: [number, number];
  /**
   * Data augmentation: every training digit is moved afresh at every step by a random shift (uniform in
   * ±shift px on each axis) and rotation (uniform in ±degrees), bilinear, seeded (runtime/models/transform.ts).
   */
  augment?: AugmentRange;
  /**
   * Binarisation (Rastegari et al. 2016, runtime/models/binary.ts): start from the shipped model `from` and fine-tune
   * its latent real-valued weights for `steps` Adam steps with conv2 and fc1 binarised in the forward pass, binary
   * weights ('bwn') or binary weights and inputs ('xnor'), gradients by the straight-through estimator. The files
   * hold the latent weights in the `from` architecture; the network is scored (and must be run) binarised.
   */
  binary?: { mode: 'bwn' | 'xnor'; from: 'cnn'; steps: number };
}

/** A shipped model: which digits it classifies, how it is built and how it is trained. */
export interface ModelSpec {
  name: ModelName;
  /** One-line description for manifests and captions. */
  title: string;
  /** The digit classes, in output order: output unit i predicts digit `digits[i]`. */
  digits: readonly number[];
  /** Builds the untrained network with seeded initial weights. */
  build(seed: number): tf.LayersModel;
  recipe: TrainRecipe;
}

const ALL_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** Yields distinct 31-bit seeds from one master seed, one per initializer / dropout layer. */
function seedStream(seed: number): () => number {
  const rng = mulberry32(seed);
  return () => Math.floor(rng() * 0x7fffffff);
}

/** conv5×5×16 → maxpool → conv5×5×32, ReLU: the trunk of the CNNs below (two draws of `he`, in this order). */
function convTrunk(he: () => ReturnType<typeof tf.initializers.heNormal>): tf.layers.Layer[] {
  return [
    tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 16, kernelSize: 5, activation: 'relu', kernelInitializer: he() }),
    tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }),
    tf.layers.conv2d({ name: 'conv2', filters: 32, kernelSize: 5, activation: 'relu', kernelInitializer: he() }),
  ];
}

/**
 * LeNet-style CNN: conv5×5×16 → maxpool → conv5×5×32 → maxpool → dense 128 → dropout → softmax.
 * 'valid' convolutions (28→24→12→8→4) keep the cost per digit about a third of 'same' padding, which
 * is what lets a few epochs over 60k digits finish in minutes on a CPU's WASM backend.
 */
export function buildCnn(classes: number, seed: number): tf.Sequential {
  const next = seedStream(seed);
  const he = () => tf.initializers.heNormal({ seed: next() });
  return tf.sequential({
    layers: [
      ...convTrunk(he),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'fc1', units: 128, activation: 'relu', kernelInitializer: he() }),
      tf.layers.dropout({ name: 'dropout', rate: 0.4, seed: next() }),
      tf.layers.dense({ name: 'output', units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }),
    ],
  });
}

/**
 * The same convolutional trunk as buildCnn with Network in Network's head (Lin et al. 2014): a micro network of
 * two 1×1 convolutions on the conv2 maps (32 → 64 with ReLU → 10, linear: a ReLU there let whole class maps
 * die at zero in training), one map per class, then global average pooling and softmax. No fully connected
 * layer: 2,762 parameters after conv2 instead of the CNN's 66,954.
 */
export function buildCnnGap(seed: number): tf.Sequential {
  const next = seedStream(seed);
  const he = () => tf.initializers.heNormal({ seed: next() });
  return tf.sequential({
    layers: [
      ...convTrunk(he),
      tf.layers.conv2d({ name: 'cccp1', filters: 64, kernelSize: 1, activation: 'relu', kernelInitializer: he() }),
      tf.layers.conv2d({ name: 'cccp2', filters: 10, kernelSize: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.activation({ name: 'softmax', activation: 'softmax' }),
    ],
  });
}

/** LeNet-300-100 (LeCun et al. 1998; the network of Han et al.'s Deep Compression): 784-300-100-10, ReLU. */
export function buildMlp(seed: number): tf.Sequential {
  const next = seedStream(seed);
  const he = () => tf.initializers.heNormal({ seed: next() });
  return tf.sequential({
    layers: [
      tf.layers.flatten({ name: 'flatten', inputShape: [28, 28, 1] }),
      tf.layers.dense({ name: 'fc1', units: 300, activation: 'relu', kernelInitializer: he() }),
      tf.layers.dense({ name: 'fc2', units: 100, activation: 'relu', kernelInitializer: he() }),
      tf.layers.dense({ name: 'output', units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }),
    ],
  });
}

/**
 * Two networks for the transfer experiment of the Intriguing properties page, each trained on its own half of the
 * 60,000 training digits (no digit in common) from its own seed: `cnn-p1`, the `cnn` architecture on digits
 * 0–29,999, and `mlp-p2`, LeNet-300-100 on digits 30,000–59,999 (the MLP: a tenth of the CNN's training cost).
 */
function halfNet(name: 'cnn-p1' | 'mlp-p2'): ModelSpec {
  const first = name === 'cnn-p1';
  return {
    name,
    title: `${first ? 'The small CNN' : 'LeNet-300-100'} trained on training digits ${first ? '0–29,999' : '30,000–59,999'} only (seed ${first ? 2 : 3}, 10 classes)`,
    digits: ALL_DIGITS,
    build: first ? (seed) => buildCnn(10, seed) : buildMlp,
    recipe: {
      // Two epochs for the MLP: this machine was shared when it was trained (96.3 % test accuracy on half the digits).
      epochs: first ? 4 : 2,
      batchSize: 64,
      optimizer: 'adam',
      learningRate: 1e-3,
      lrDecayPerEpoch: 0.7,
      seed: first ? 2 : 3,
      validationCount: 2500,
      trainRange: first ? [0, 30000] : [30000, 60000],
    },
  };
}

/**
 * The invariance page's two small architectures, the same two 3×3 convolutions (16 then 32 maps, ReLU,
 * 'valid') and a linear softmax layer on the flattened maps, differing only in how they subsample by 2:
 * - 'stride': each convolution is evaluated at every second position (stride 2): 28 → 13 → 6;
 * - 'pool': each convolution is evaluated everywhere and followed by 2×2 max pooling: 28 → 26 → 13 → 11 → 5.
 * Neither has a global pooling: every output weight is tied to one position of the last maps.
 */
export function buildInvariance(kind: 'stride' | 'pool', seed: number): tf.Sequential {
  const next = seedStream(seed);
  const he = () => tf.initializers.heNormal({ seed: next() });
  const strides = kind === 'stride' ? 2 : 1;
  const pool = (name: string) => (kind === 'pool' ? [tf.layers.maxPooling2d({ name, poolSize: 2 })] : []);
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides, activation: 'relu', kernelInitializer: he() }),
      ...pool('pool1'),
      tf.layers.conv2d({ name: 'conv2', filters: 32, kernelSize: 3, strides, activation: 'relu', kernelInitializer: he() }),
      ...pool('pool2'),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'output', units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }),
    ],
  });
}

/**
 * A Squeeze-and-Excitation block (Hu et al. 2018) on the maps `u` of a functional model, with layer names
 * `<name>_squeeze`, `<name>_reduce`, `<name>_expand` and `<name>_scale`: squeeze by global average pooling,
 * excitation s = σ(W₂ δ(W₁ z)) with a bottleneck of channels / r units, then every map c multiplied by s_c.
 */
export function seBlock(u: tf.SymbolicTensor, name: string, r: number, next: () => number): tf.SymbolicTensor {
  const channels = u.shape[u.shape.length - 1] as number;
  const z = tf.layers.globalAveragePooling2d({ name: `${name}_squeeze` }).apply(u) as tf.SymbolicTensor;
  const h = tf.layers.dense({ name: `${name}_reduce`, units: Math.max(1, Math.round(channels / r)), activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: next() }) }).apply(z);
  const s = tf.layers.dense({ name: `${name}_expand`, units: channels, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }).apply(h);
  const s4 = tf.layers.reshape({ name: `${name}_gate`, targetShape: [1, 1, channels] }).apply(s) as tf.SymbolicTensor;
  return tf.layers.multiply({ name: `${name}_scale` }).apply([u, s4]) as tf.SymbolicTensor;
}

/** The reduction ratio of the shipped `cnn-se` (the paper's 16 would leave 1 and 2 hidden units for 16 and 32 maps). */
export const CNN_SE_REDUCTION = 4;

/**
 * `inv-pool` (below) with a Squeeze-and-Excitation block after each convolution's ReLU, before its pooling:
 * conv3×3×16 → SE → maxpool → conv3×3×32 → SE → maxpool → linear softmax layer. Functional (the SE block's
 * product needs the maps twice). The blocks are named `se1` and `se2`; r = {@link CNN_SE_REDUCTION}.
 */
export function buildCnnSe(seed: number, r = CNN_SE_REDUCTION): tf.LayersModel {
  const next = seedStream(seed);
  const he = () => tf.initializers.heNormal({ seed: next() });
  const input = tf.input({ shape: [28, 28, 1], name: 'input' });
  let x = tf.layers.conv2d({ name: 'conv1', filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: he() }).apply(input) as tf.SymbolicTensor;
  x = seBlock(x, 'se1', r, next);
  x = tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ name: 'conv2', filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: he() }).apply(x) as tf.SymbolicTensor;
  x = seBlock(x, 'se2', r, next);
  x = tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: 'output', units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'cnn-se' });
}

/** The recipe of the four invariance networks; the augmented ones add {@link INVARIANCE_AUGMENT}. */
const INVARIANCE_RECIPE: TrainRecipe = { epochs: 2, batchSize: 64, optimizer: 'adam', learningRate: 2e-3, lrDecayPerEpoch: 0.5, seed: 1, validationCount: 5000 };

/** The augmentation of `inv-stride-aug` and `inv-pool-aug`: shifts up to ±6 px on each axis, rotations up to ±30°. */
export const INVARIANCE_AUGMENT: AugmentRange = { shift: 6, degrees: 30 };

/** The shipped models. All take [n, 28, 28, 1] pixels in [0, 1] and output class probabilities. */
export const MODEL_SPECS: Record<ModelName, ModelSpec> = {
  cnn: {
    name: 'cnn',
    title: 'Small CNN for MNIST (two 5×5 conv layers, 10 classes)',
    digits: ALL_DIGITS,
    build: (seed) => buildCnn(10, seed),
    recipe: { epochs: 5, batchSize: 64, optimizer: 'adam', learningRate: 1e-3, lrDecayPerEpoch: 0.7, seed: 1, validationCount: 5000 },
  },
  mlp: {
    name: 'mlp',
    title: 'LeNet-300-100 fully connected network for MNIST (10 classes)',
    digits: ALL_DIGITS,
    build: buildMlp,
    recipe: { epochs: 8, batchSize: 64, optimizer: 'adam', learningRate: 1e-3, lrDecayPerEpoch: 0.7, seed: 1, validationCount: 5000 },
  },
  'cnn-0to4': {
    name: 'cnn-0to4',
    title: 'Small CNN trained on digits 0–4 only (5 classes), for transfer learning',
    digits: [0, 1, 2, 3, 4],
    build: (seed) => buildCnn(5, seed),
    recipe: { epochs: 3, batchSize: 64, optimizer: 'adam', learningRate: 1e-3, lrDecayPerEpoch: 0.6, seed: 1, validationCount: 2500 },
  },
  'cnn-gap': {
    name: 'cnn-gap',
    title: 'The small CNN with a global-average-pooling head instead of fully connected layers (10 classes)',
    digits: ALL_DIGITS,
    build: buildCnnGap,
    recipe: { epochs: 5, batchSize: 64, optimizer: 'adam', learningRate: 2e-3, lrDecayPerEpoch: 0.7, seed: 1, validationCount: 5000 },
  },
  'cnn-adv': {
    name: 'cnn-adv',
    title: 'The small CNN adversarially trained against FGSM at ε = 0.25 (10 classes)',
    digits: ALL_DIGITS,
    build: (seed) => buildCnn(10, seed),
    recipe: {
      epochs: 5,
      batchSize: 64,
      optimizer: 'adam',
      learningRate: 1e-3,
      lrDecayPerEpoch: 0.7,
      seed: 1,
      validationCount: 5000,
      adversarial: { epsilon: 0.25, alpha: 0.5 },
    },
  },
  'cnn-p1': halfNet('cnn-p1'),
  'mlp-p2': halfNet('mlp-p2'),
  'inv-stride': {
    name: 'inv-stride',
    title: 'Two 3×3 convolutions with stride 2, no pooling, linear softmax layer (10 classes)',
    digits: ALL_DIGITS,
    build: (seed) => buildInvariance('stride', seed),
    recipe: INVARIANCE_RECIPE,
  },
  'inv-stride-aug': {
    name: 'inv-stride-aug',
    title: 'inv-stride trained on randomly shifted (±6 px) and rotated (±30°) digits (10 classes)',
    digits: ALL_DIGITS,
    build: (seed) => buildInvariance('stride', seed),
    recipe: { ...INVARIANCE_RECIPE, augment: INVARIANCE_AUGMENT },
  },
  'inv-pool': {
    name: 'inv-pool',
    title: 'Two 3×3 convolutions each followed by 2×2 max pooling, linear softmax layer (10 classes)',
    digits: ALL_DIGITS,
    build: (seed) => buildInvariance('pool', seed),
    recipe: INVARIANCE_RECIPE,
  },
  'inv-pool-aug': {
    name: 'inv-pool-aug',
    title: 'inv-pool trained on randomly shifted (±6 px) and rotated (±30°) digits (10 classes)',
    digits: ALL_DIGITS,
    build: (seed) => buildInvariance('pool', seed),
    recipe: { ...INVARIANCE_RECIPE, augment: INVARIANCE_AUGMENT },
  },
  'cnn-bwn': {
    name: 'cnn-bwn',
    title: 'The small CNN with binary weights α·sign(W) in conv2 and fc1 (BWN), fine-tuned from cnn; latent weights stored',
    digits: ALL_DIGITS,
    build: (seed) => buildCnn(10, seed),
    recipe: binaryRecipe('bwn'),
  },
  'cnn-xnor': {
    name: 'cnn-xnor',
    title: 'The small CNN with binary weights and inputs in conv2 and fc1 (XNOR-Net), fine-tuned from cnn; latent weights stored',
    digits: ALL_DIGITS,
    build: (seed) => buildCnn(10, seed),
    recipe: binaryRecipe('xnor'),
  },
  'cnn-se': {
    name: 'cnn-se',
    title: 'inv-pool with a Squeeze-and-Excitation block (r = 4) after each convolution (10 classes)',
    digits: ALL_DIGITS,
    build: (seed) => buildCnnSe(seed),
    // inv-pool's recipe and seed: the two networks differ only by the SE blocks.
    recipe: INVARIANCE_RECIPE,
  },
};

/** The recipe of `cnn-bwn` and `cnn-xnor`: about one epoch of fine-tuning from the shipped `cnn`. */
function binaryRecipe(mode: 'bwn' | 'xnor'): TrainRecipe {
  return { epochs: 1, batchSize: 64, optimizer: 'adam', learningRate: 5e-4, lrDecayPerEpoch: 1, seed: 1, validationCount: 5000, binary: { mode, from: 'cnn', steps: 860 } };
}

/** Type guard for names coming from a URL or a command line. */
export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

/** One layer as summarised in a manifest. */
export interface LayerSummary {
  name: string;
  /** tfjs class name, e.g. 'Conv2D'. */
  type: string;
  /** Output shape without the batch dimension. */
  outputShape: number[];
  params: number;
}

/** Per-layer summary (what `model.summary()` prints), as data. */
export function summarizeLayers(model: tf.LayersModel): LayerSummary[] {
  return model.layers.map((l) => {
    const shape = l.outputShape as (number | null)[];
    return { name: l.name, type: l.getClassName(), outputShape: shape.slice(1) as number[], params: l.countParams() };
  });
}

/**
 * How the segmentation page's U-Net is trained (demos/segmentation/model.ts createSegmenter): the page's training
 * job at its defaults, which is also how the shipped `unet-digits` was made. Adam with a cosine schedule from
 * `learningRate` to 0 over `steps`, batches of `batchSize` scenes drawn from `trainScenes` scenes composed from the
 * first `trainDigits` MNIST training digits, each digit pixel weighing `foregroundWeight` in the loss.
 */
export interface SegmentationRecipe {
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  trainScenes: number;
  trainDigits: number;
  foregroundWeight: number;
}

/**
 * The shipped networks kept as one flat float32 vector in their demo's layout (runtime/data/models.ts
 * loadFlatModel), each trained by its own seeded function in scripts/train-models.ts (`npm run train -- <name>`).
 */
export const FLAT_MODELS = {
  'unet-digits': {
    title: 'A tiny U-Net (three poolings, 8, 24, 32 and 64 channels, a fused coarse head) segmenting 40×40 scenes of MNIST digits into background and the ten digits',
    recipe: { seed: 1, steps: 800, batchSize: 8, learningRate: 0.005, trainScenes: 3000, trainDigits: 10_000, foregroundWeight: 4 } satisfies SegmentationRecipe,
  },
} as const;
/** A flat shipped model's name (also its directory under /models/). */
export type FlatModelName = keyof typeof FLAT_MODELS;
