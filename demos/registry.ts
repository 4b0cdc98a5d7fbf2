/**
 * The only list of demos: id → title and the backends it runs on. Server code (pages, build) may
 * import this; the views themselves are loaded lazily through `views.ts`, which the compiler checks
 * against this list.
 */
export interface DemoEntry {
  title: string;
  /** Backends the demo supports (browser tests run each). */
  backends: readonly ('webgl' | 'wasm' | 'cpu')[];
  /**
   * false: the demo computes in plain JavaScript, without tensors. Its frame then loads no tfjs and starts no
   * backend (a WebGL context costs a phone's main thread for nothing), and its badge says so; ?backend= changes
   * nothing and a note says that. Its view must not import demos/runtime/tf.ts (lib/layers.test.ts checks).
   *
   * 'worker': the demo's tensors all live in Web Workers (demos/ui/useRemoteSimulation.ts, useJob): the page's main
   * thread only draws, and its frame loads no tfjs there either. ?backend= goes to the worker, which reports the
   * backend it runs, and the badge shows that. Its view must not import demos/runtime/tf.ts either.
   */
  tensors?: false | 'worker';
  /**
   * For a demo that can sit on a reader's first screen: the height (CSS) its frame's body keeps from the static
   * placeholder on, about its view's height at its first result on a wide screen, so that the notes below do not
   * move as it loads (layout shift). Narrow screens stack the view taller; what it adds later is below the fold.
   */
  minHeight?: string;
}

export const demos = {
  overview: { title: 'Mini-batch noise and the Newton step', backends: ['webgl', 'wasm', 'cpu'] },
  optimizers: { title: 'Optimizer race', backends: ['webgl', 'wasm', 'cpu'] },
  dropout: { title: 'Dropout against overfitting', backends: ['webgl', 'wasm', 'cpu'], tensors: 'worker' },
  momentum: { title: 'Momentum on a quadratic, per eigen-direction', backends: ['webgl', 'wasm', 'cpu'] },
  schedules: { title: 'Learning-rate schedules side by side', backends: ['webgl', 'wasm', 'cpu'] },
  nas: { title: 'An LSTM controller trained by REINFORCE samples architectures from our benchmark, against random search', backends: ['webgl', 'wasm', 'cpu'] },
  evolution: { title: 'Regularized evolution against non-aging evolution and random search, on our benchmark', backends: ['webgl', 'wasm', 'cpu'] },
  'two-stage': { title: 'Anchors labelled by the RPN rule; RoI pooling against RoIAlign', backends: ['webgl', 'wasm', 'cpu'], tensors: 'worker', minHeight: '52rem' },
  'detection-metrics': { title: 'IoU, NMS step by step, and precision–recall with three interpolations', backends: ['webgl', 'wasm', 'cpu'], tensors: false },
  nin: { title: 'A 1×1 convolution, and global average pooling against a fully connected head', backends: ['webgl', 'wasm', 'cpu'] },
  invariance: { title: 'A digit shifted and rotated in front of CNNs with and without pooling and augmentation', backends: ['webgl', 'wasm', 'cpu'] },
  vgg: { title: 'Receptive fields of stacked convolutions: theoretical and effective', backends: ['webgl', 'wasm', 'cpu'] },
  augment: { title: 'VGG and AlexNet training augmentations on a photo: crops, scale jittering, flips, PCA colour jitter', backends: ['webgl', 'wasm', 'cpu'] },
  init: { title: 'Signal through depth, and training, under four initialisations', backends: ['webgl', 'wasm', 'cpu'] },
  inception: { title: 'The inception module: its cost with and without 1×1 reductions, and its four branches on a digit', backends: ['webgl', 'wasm', 'cpu'] },
  batchnorm: { title: 'A deep network trained with and without batch normalization', backends: ['webgl', 'wasm', 'cpu'] },
  labelsmooth: { title: 'Hard targets against smoothed targets: confidence and calibration', backends: ['webgl', 'wasm', 'cpu'] },
  'mnist-live': { title: 'This network, live', backends: ['webgl', 'wasm', 'cpu'] },
  huffman: { title: 'Huffman coding a pruned, clustered layer', backends: ['webgl', 'wasm', 'cpu'] },
  quantization: { title: 'k-means weight sharing on the shipped MLP', backends: ['webgl', 'wasm', 'cpu'] },
  'deep-compression': { title: 'The shipped MLP, Deep Compressed: decoded and scored', backends: ['webgl', 'wasm', 'cpu'] },
  pruning: { title: 'Pruning the shipped MLP and retraining it', backends: ['webgl', 'wasm', 'cpu'] },
  prelu: { title: 'PReLU: the learned slope, and ReLU, leaky ReLU and PReLU nets side by side', backends: ['webgl', 'wasm', 'cpu'] },
  distillation: { title: 'Soft targets at a temperature: a student trained on hard labels against a distilled one', backends: ['webgl', 'wasm', 'cpu'] },
  intriguing: { title: 'A unit against a random direction; an adversarial digit made on one network, tried on another', backends: ['webgl', 'wasm', 'cpu'] },
  'carlini-wagner': { title: 'Carlini & Wagner: a targeted L2 attack on your digit, live', backends: ['webgl', 'wasm', 'cpu'] },
  fgsm: { title: 'FGSM and PGD on your digit, against a normal and an adversarially trained CNN', backends: ['webgl', 'wasm', 'cpu'] },
  saliency: { title: 'Deconvnet, saliency, guided backprop, Grad-CAM and integrated gradients on the reader’s digit', backends: ['webgl', 'wasm', 'cpu'] },
  lime: { title: 'LIME on the reader’s digit: ten seeds, and how much the explanation moves', backends: ['webgl', 'wasm', 'cpu'] },
  resnet: { title: 'A plain and a residual network of the same depth, trained side by side', backends: ['webgl', 'wasm', 'cpu'] },
  se: { title: 'A live Squeeze-and-Excitation block: excitations per channel and per class, and their cost', backends: ['webgl', 'wasm', 'cpu'] },
  stn: { title: 'A spatial transformer: θ, its sampling grid, and a small STN trained live to undo distortions', backends: ['webgl', 'wasm', 'cpu'] },
  'identity-mappings': { title: 'Signal and gradient along a deep stack of residual units, per unit variant', backends: ['webgl', 'wasm', 'cpu'] },
  'wide-resnet': { title: 'WRN-n-k parameters and multiply-adds, and a deep-thin against a shallow-wide net on MNIST', backends: ['webgl', 'wasm', 'cpu'], tensors: 'worker' },
  architectures: { title: 'Architecture explorer: parameters, multiply-adds, memory and receptive field, layer by layer', backends: ['webgl', 'wasm', 'cpu'] },
  transfer: { title: 'Transfer learning: cnn-0to4’s layers reused for digits 5–9, frozen or fine-tuned, against training from scratch', backends: ['webgl', 'wasm', 'cpu'] },
  xnor: { title: 'XNOR-Net: the shipped CNN with binary weights and inputs, and a bit-packed XNOR-popcount convolution timed in this browser', backends: ['webgl', 'wasm', 'cpu'] },
  mobilenet: { title: 'Depthwise separable convolution: its cost, and real kernels timed in this browser', backends: ['webgl', 'wasm', 'cpu'], tensors: 'worker' },
  squeezenet: { title: 'SqueezeNet from its metaparameters: fire modules counted, and the network built in tfjs', backends: ['webgl', 'wasm', 'cpu'] },
  shufflenet: { title: 'ShuffleNet: the channel shuffle as a permutation, group-convolution cost, and V2’s guidelines timed in this browser', backends: ['webgl', 'wasm', 'cpu'] },
  resnext: { title: 'ResNeXt: grouped convolution, cardinality at equal budget, and the block’s three forms run for real', backends: ['webgl', 'wasm', 'cpu'] },
  xception: { title: 'Xception: an Inception module with k towers walked to a depthwise separable convolution', backends: ['webgl', 'wasm', 'cpu'] },
  'mobilenet-v2': { title: 'A spiral through ReLU in n dimensions, and the cost of an inverted residual block', backends: ['webgl', 'wasm', 'cpu'] },
  'one-stage': { title: 'A one-stage detector trained in your browser, and the focal loss', backends: ['webgl', 'wasm', 'cpu'] },
  pose: { title: 'Keypoints as heatmaps: a small network trained in your browser to find each digit’s top end, scored by PCK', backends: ['webgl', 'wasm', 'cpu'] },
  'cost-volume': { title: 'A cost volume between two frames: patch matches over displacements, winner-take-all flow and its failures', backends: ['webgl', 'wasm', 'cpu'] },
  efficientnet: { title: 'Compound scaling: the φ calculator, B0…B7 counted, and a grid search of α, β, γ on a tiny CNN', backends: ['webgl', 'wasm', 'cpu'] },
  capsules: { title: 'Capsules: routing by agreement step by step in a small CapsNet, parts and wholes, and the squash', backends: ['webgl', 'wasm', 'cpu'] },
  'super-resolution': { title: 'ESPCN ×2 / ×3 and a residual denoiser trained in your browser, against bicubic and the noisy input', backends: ['webgl', 'wasm', 'cpu'] },
  segmentation: { title: 'Transposed and dilated convolutions, and a U-Net trained in your browser', backends: ['webgl', 'wasm', 'cpu'] },
} satisfies Record<string, DemoEntry>;

export type DemoId = keyof typeof demos;

export function isDemoId(id: string): id is DemoId {
  return Object.prototype.hasOwnProperty.call(demos, id);
}
