/**
 * Inception module demo (Szegedy et al. 2015, arXiv:1409.4842): what a module costs with and without its 1×1
 * reductions, counted from its sizes, and a live module — real tf.conv2d, tf.maxPool and tf.concat — run on an
 * MNIST digit, its four branches' output channels returned for drawing. Pure: no React, no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { gaussian, mulberry32 } from '../runtime/random';

/** A module's sizes, named as in the paper's Table 1. */
export interface ModuleSizes {
  /** Input height and width (square maps) and channels. */
  size: number;
  cin: number;
  /** #1×1: filters of the 1×1 branch. */
  n1: number;
  /** #3×3 reduce and #3×3: 1×1 filters before the 3×3 convolution, and its filters. */
  r3: number;
  n3: number;
  /** #5×5 reduce and #5×5. */
  r5: number;
  n5: number;
  /** Pool proj: 1×1 filters after the 3×3 max-pooling. */
  pp: number;
}

/** Inception (3a) of GoogLeNet's Table 1: 28×28×192 in, 64 / 96→128 / 16→32 / pool→32, 256 channels out. */
export const INCEPTION_3A: ModuleSizes = { size: 28, cin: 192, n1: 64, r3: 96, n3: 128, r5: 16, n5: 32, pp: 32 };

/** One convolution of a branch: k×k filters from cin to cout channels, applied at every output position (stride 1, "same"). */
export interface ConvCost {
  name: string;
  k: number;
  cin: number;
  cout: number;
  /** k²·cin·cout. */
  weights: number;
  /** cout. */
  biases: number;
  /** Multiply-adds: weights × output positions. */
  macs: number;
}

export interface BranchCost {
  name: string;
  convs: ConvCost[];
  /** Channels the branch contributes to the concatenation. */
  out: number;
}

export interface ModuleCost {
  branches: BranchCost[];
  weights: number;
  biases: number;
  macs: number;
  /** Channels of the concatenated output. */
  out: number;
}

function conv(name: string, k: number, cin: number, cout: number, positions: number): ConvCost {
  const weights = k * k * cin * cout;
  return { name, k, cin, cout, weights, biases: cout, macs: weights * positions };
}

/**
 * The cost of a module. With `reduced` (the paper's Figure 2b): 1×1 convolutions reduce the channels before
 * the 3×3 and 5×5 convolutions and project the pooled maps. Without (Figure 2a, the naive module): the 3×3 and
 * 5×5 convolutions see all cin channels and the pooled maps pass on all cin of theirs.
 */
export function moduleCost(s: ModuleSizes, reduced = true): ModuleCost {
  checkSizes(s);
  const at = s.size * s.size;
  const branches: BranchCost[] = [
    { name: '1×1', convs: [conv('1×1', 1, s.cin, s.n1, at)], out: s.n1 },
    { name: '3×3', convs: reduced ? [conv('3×3 reduce', 1, s.cin, s.r3, at), conv('3×3', 3, s.r3, s.n3, at)] : [conv('3×3', 3, s.cin, s.n3, at)], out: s.n3 },
    { name: '5×5', convs: reduced ? [conv('5×5 reduce', 1, s.cin, s.r5, at), conv('5×5', 5, s.r5, s.n5, at)] : [conv('5×5', 5, s.cin, s.n5, at)], out: s.n5 },
    { name: 'pool', convs: reduced ? [conv('pool proj', 1, s.cin, s.pp, at)] : [], out: reduced ? s.pp : s.cin },
  ];
  const all = branches.flatMap((b) => b.convs);
  const sum = (f: (c: ConvCost) => number) => all.reduce((a, c) => a + f(c), 0);
  return { branches, weights: sum((c) => c.weights), biases: sum((c) => c.biases), macs: sum((c) => c.macs), out: branches.reduce((a, b) => a + b.out, 0) };
}

const SIZE_KEYS: readonly (keyof ModuleSizes)[] = ['size', 'cin', 'n1', 'r3', 'n3', 'r5', 'n5', 'pp'];

/** Throws a RangeError naming the first size that is not a whole number ≥ 1. */
export function checkSizes(s: ModuleSizes): void {
  for (const k of SIZE_KEYS) if (!(Number.isInteger(s[k]) && s[k] >= 1)) throw new RangeError(`${k} must be a whole number ≥ 1, got ${s[k]}`);
}

/**
 * Eight fixed 3×3 edge detectors (a Sobel pair at four orientations, each sign): the stem that turns a digit
 * into an 8-channel feature map for the live module, so that its 1×1 convolutions have channels to mix.
 */
export function stemFilters(): Float32Array {
  const sx = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
  const sy = [-1, -2, -1, 0, 0, 0, 1, 2, 1];
  const d1 = [0, 1, 2, -1, 0, 1, -2, -1, 0];
  const d2 = [-2, -1, 0, -1, 0, 1, 0, 1, 2];
  const bases = [sx, sy, d1, d2];
  const w = new Float32Array(9 * 8); // [3, 3, 1, 8]
  bases.forEach((b, o) => {
    for (let i = 0; i < 9; i++) {
      w[i * 8 + 2 * o] = b[i] / 4;
      w[i * 8 + 2 * o + 1] = -b[i] / 4;
    }
  });
  return w;
}
export const STEM_CHANNELS = 8;

/** The live module's weights: He-normal, seeded, one [k, k, cin, cout] tensor per convolution. */
export interface LiveModule {
  readonly sizes: ModuleSizes;
  /** The four branch outputs [1, size, size, c] and their concatenation, from an image [1, size, size, cin]. */
  apply(x: tf.Tensor4D): { branches: tf.Tensor4D[]; concat: tf.Tensor4D };
  dispose(): void;
}

/** A reduced inception module of sizes `s` with seeded He-normal weights and zero biases, ReLU after every convolution. */
export function createModule(s: ModuleSizes, seed = 1): LiveModule {
  checkSizes(s);
  const rng = mulberry32(seed);
  const he = (k: number, cin: number, cout: number) =>
    tf.tensor4d(Float32Array.from({ length: k * k * cin * cout }, () => Math.sqrt(2 / (k * k * cin)) * gaussian(rng)), [k, k, cin, cout]);
  const w = {
    b1: he(1, s.cin, s.n1),
    r3: he(1, s.cin, s.r3),
    b3: he(3, s.r3, s.n3),
    r5: he(1, s.cin, s.r5),
    b5: he(5, s.r5, s.n5),
    pp: he(1, s.cin, s.pp),
  };
  let disposed = false;
  const c = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.relu(tf.conv2d(x, f, 1, 'same')) as tf.Tensor4D;
  return {
    sizes: s,
    apply(x) {
      if (disposed) throw new Error('inception module used after dispose');
      return tf.tidy(() => {
        const branches = [c(x, w.b1), c(c(x, w.r3), w.b3), c(c(x, w.r5), w.b5), c(tf.maxPool(x, 3, 1, 'same'), w.pp)];
        return { branches, concat: tf.concat(branches, 3) as tf.Tensor4D };
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(Object.values(w));
    },
  };
}

/** What the view draws: per branch, up to `maxTiles` channels as size×size maps scaled to [0, 1]. */
export interface BranchTiles {
  name: string;
  /** Channels the branch has, and how many are returned. */
  channels: number;
  shown: number;
  /** shown × size × size values, channel after channel, each channel scaled by its own maximum. */
  tiles: Float32Array;
}

export interface ModuleRun {
  size: number;
  input: Float32Array;
  branches: BranchTiles[];
  /** Channels of the concatenation, as tfjs computed it. */
  outChannels: number;
}

const BRANCH_NAMES = ['1×1', '3×3', '5×5', 'pool proj'];

/**
 * Runs the stem and a module with the branch widths of `s` (its input depth set to the stem's 8 channels) on a
 * 28×28 digit `image` (values in [0, 1]), in one tidy and one read-back. Returns the first `maxTiles` channels
 * of each branch, each scaled by its own maximum for display.
 */
export async function runModule(image: Float32Array, s: ModuleSizes, seed = 1, maxTiles = 16): Promise<ModuleRun> {
  const n = 28;
  if (image.length !== n * n) throw new RangeError(`expected a 28×28 image, got ${image.length} values`);
  const live = createModule({ ...s, size: n, cin: STEM_CHANNELS }, seed);
  try {
    const widths = [s.n1, s.n3, s.n5, s.pp];
    const shown = widths.map((c) => Math.min(c, maxTiles));
    const out = tf.tidy(() => {
      const x = tf.tensor4d(image, [1, n, n, 1]);
      const stem = tf.relu(tf.conv2d(x, tf.tensor4d(stemFilters(), [3, 3, 1, STEM_CHANNELS]), 1, 'same')) as tf.Tensor4D;
      const { branches, concat } = live.apply(stem);
      const parts = branches.map((b, i) => {
        const first = tf.slice(b, [0, 0, 0, 0], [1, n, n, shown[i]]);
        const chw = tf.transpose(tf.reshape(first, [n * n, shown[i]])); // [shown, n·n]
        const peak = tf.maximum(tf.max(chw, 1, true), 1e-6);
        return tf.div(chw, peak).reshape([-1]);
      });
      return tf.concat([tf.tensor1d([concat.shape[3]]), ...parts]);
    });
    const a = await readAndDispose(out);
    let o = 1;
    const branches = shown.map((k, i) => {
      const tiles = a.slice(o, o + k * n * n);
      o += k * n * n;
      return { name: BRANCH_NAMES[i], channels: widths[i], shown: k, tiles };
    });
    return { size: n, input: image, branches, outChannels: a[0] };
  } finally {
    live.dispose();
  }
}
