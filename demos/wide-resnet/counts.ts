/**
 * Wide ResNet demo (Zagoruyko & Komodakis 2016, arXiv:1605.07146), the counting half: WRN-n-k's parameters and
 * multiply-adds from closed formulas, the paper's numbers, and the shapes and frames of the live comparison that
 * ./model.ts trains (see its comment). Plain arithmetic, no tfjs: the page imports this, and the nets train in the
 * demo's worker.
 */
import { weightedLayers, type ResidualShape } from '../runtime/models/residual-shape';

// ───────────────────────────── 1. WRN-n-k counts ─────────────────────────────

/** Blocks per group N of WRN-n: n = 6N + 4, the depth convention of the paper's code (6N convolutions in the
 * blocks, plus the stem and the layers around them). Throws unless n − 4 is a positive multiple of 6. */
export function blocksPerGroup(n: number): number {
  if (!Number.isInteger(n) || n < 10 || (n - 4) % 6 !== 0) throw new RangeError(`WRN depth n must be 6N + 4 with N ≥ 1 (10, 16, 22, 28, 34, 40, …), got ${n}`);
  return (n - 4) / 6;
}

export interface WrnCount {
  params: number;
  macs: number;
  /** Parameters of the stem, of each of the three groups, and of the head (final batch norm + classifier). */
  parts: { stem: number; groups: [number, number, number]; head: number };
}

/** Parameters and multiply-adds of WRN-n-k for `classes` classes on a 3-channel size×size input (size divisible by 4). */
export function wrnCount(n: number, k: number, classes = 10, size = 32): WrnCount {
  const N = blocksPerGroup(n);
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`the widening factor k must be a whole number ≥ 1, got ${k}`);
  if (!(Number.isInteger(size) && size >= 4 && size % 4 === 0)) throw new RangeError(`the input size must be a multiple of 4, got ${size}`);
  const stem = 9 * 3 * 16;
  let macs = stem * size * size;
  const groups: number[] = [];
  let cin = 16;
  for (let g = 0; g < 3; g++) {
    const c = 16 * k * 2 ** g;
    const hw = (size / 2 ** g) ** 2; // output positions of every convolution in this group
    // First block: BN(cin) → 3×3 cin→c (strided) → BN(c) → 3×3 c→c, plus a 1×1 projection when cin ≠ c.
    const shortcut = cin !== c ? cin * c : 0;
    let w = 9 * cin * c + 9 * c * c + shortcut;
    let p = 2 * cin + 2 * c + w;
    // The other N − 1 blocks: BN(c) → 3×3 → BN(c) → 3×3.
    w += (N - 1) * 18 * c * c;
    p += (N - 1) * (4 * c + 18 * c * c);
    macs += w * hw;
    groups.push(p);
    cin = c;
  }
  const head = 2 * cin + cin * classes + classes;
  macs += cin * classes;
  return { params: stem + groups[0] + groups[1] + groups[2] + head, macs, parts: { stem, groups: groups as [number, number, number], head } };
}

/** Networks of the paper's Table 5 (CIFAR), with its parameter counts and test errors (%), for comparison. */
export interface PaperPoint {
  name: string;
  n: number;
  k: number;
  paramsM: number;
  cifar10: number;
  cifar100: number;
}
export const PAPER_WRN: readonly PaperPoint[] = [
  { name: 'WRN-40-4', n: 40, k: 4, paramsM: 8.9, cifar10: 4.53, cifar100: 21.18 },
  { name: 'WRN-16-8', n: 16, k: 8, paramsM: 11.0, cifar10: 4.27, cifar100: 20.43 },
  { name: 'WRN-28-10', n: 28, k: 10, paramsM: 36.5, cifar10: 4.0, cifar100: 19.25 },
];
/** The thin, very deep baseline of the same table (pre-activation bottleneck blocks, so not a WRN-n-k). */
export const PAPER_RESNET1001 = { name: 'pre-act ResNet-1001', paramsM: 10.2, cifar10: 4.92, cifar100: 22.71 };

// ───────────────────────────── 2. Deep-thin against shallow-wide, live ─────────────────────────────

/** The two networks, in the order of every per-net array. */
export const NETS = ['deep-thin', 'shallow-wide'] as const;

export interface WideConfig {
  seed: number;
  /** The deep-thin net: width and residual blocks (two hidden layers each). */
  thinWidth: number;
  thinBlocks: number;
  /** Blocks of the shallow-wide net; its width is chosen to match the thin net's parameter count. */
  wideBlocks: number;
  lr: number;
  batchSize: number;
  total: number;
  /** Held-out digits (the last ones of the set) on which loss and error are measured. */
  probe: number;
}

/** The first 5,000 training digits (one shard): 4,744 to train on, 256 held out. */
export const DIGITS = 5000;

export const DEFAULT_CONFIG: WideConfig = { seed: 1, thinWidth: 32, thinBlocks: 8, wideBlocks: 2, lr: 0.02, batchSize: 64, total: 400, probe: 256 };
export const EVAL_EVERY = 10;

/** Trainable parameters of one residual stack of dense layers with batch norm (as residualParams allocates them). */
export function stackParams(s: ResidualShape): number {
  const hidden = 2 * s.blocks;
  return s.inputs * s.width + s.width + hidden * (s.width * s.width + 2 * s.width) + s.width * s.classes + s.classes;
}

/** The width whose `blocks`-block stack has the parameter count closest to `target` (ties to the narrower). */
export function matchWidth(target: number, blocks: number, inputs = 784, classes = 10): number {
  let best = 1;
  for (let w = 1; w <= 4096; w++) {
    const p = stackParams({ inputs, width: w, blocks, classes, batchNorm: true });
    if (Math.abs(p - target) < Math.abs(stackParams({ inputs, width: best, blocks, classes, batchNorm: true }) - target)) best = w;
    if (p > target) break;
  }
  return best;
}

/** The two shapes of a config: the deep-thin one as given, the shallow-wide one at matched parameters. */
export function shapesOf(cfg: Pick<WideConfig, 'thinWidth' | 'thinBlocks' | 'wideBlocks'>): [ResidualShape, ResidualShape] {
  const thin: ResidualShape = { inputs: 784, width: cfg.thinWidth, blocks: cfg.thinBlocks, classes: 10, batchNorm: true };
  const width = matchWidth(stackParams(thin), cfg.wideBlocks);
  return [thin, { ...thin, width, blocks: cfg.wideBlocks }];
}

export interface WideFrame {
  /** SGD steps both nets have taken. */
  steps: number;
  /** Mean training cross-entropy of each net over the steps this call completed; null when it completed none. */
  trainLoss: Float32Array | null;
  /** Mean wall time of one SGD step of each net so far, in ms (after each net's first call, which warms up); NaN before. */
  msPerStep: Float64Array;
  measuredAt: number;
  /** Cross-entropy and error rate on the held-out digits at `measuredAt`. */
  probeLoss: Float32Array;
  probeError: Float32Array;
  /** The deep-thin net has trained the next steps; the shallow-wide net takes the same batches at the next call. */
  halfway: boolean;
}

/** Weighted layers of each net (stem, two per block, classifier), as the paper counts depth. */
export const depthOf = (s: ResidualShape): number => weightedLayers(s);
