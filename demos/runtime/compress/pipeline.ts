/**
 * Deep Compression's three stages on a fully connected network (Han, Mao & Dally 2016): prune by magnitude
 * and retrain with the masks fixed; share the kept weights of each layer through k-means (linear start) and
 * fine-tune the shared values with summed gradients; Huffman code the weight and index streams. Every stage
 * is encoded to bytes (./format) and decoded again before it is scored, so each size is a real buffer's
 * length and each accuracy is the decoded network's. The reproduce script (`npm run reproduce --
 * deep-compression`) runs this in Node; the Deep Compression page decodes and scores the bytes it wrote.
 */
import type { MnistArrays } from '../data/idx';
import { floatImages } from '../data/loader';
import type { DenseWeights } from './layers';
import { magnitudeMask } from './sparse';
import { kmeans1d } from './kmeans';
import { createMlpScorer } from './mlp';
import { decodeNetwork, encodeNetwork, type CompressionMode, type DecodedLayer, type SparseLayer } from './format';
import { tiedKernel, trainTied, type TiedLayer } from './tied';

/** The pipeline's settings. */
export interface DeepCompressionConfig {
  /** Share of each layer's weights kept. */
  keep: readonly number[];
  /** Bits of a weight's codebook index, per layer (2^bits − 1 shared values: symbol 0 is the fillers' zero). */
  bits: readonly number[];
  /** Bits of a relative index. */
  indexBits: number;
  /** Pruning schedule: the kept shares are reached in this many rounds (the kept share falls by the same factor each round), each followed by retraining. */
  pruneRounds: number;
  /** L2 weight decay during the retraining (pushes weights the data does not use toward zero, for the next cut). */
  weightDecay: number;
  /** Retraining steps after each pruning round (one number per round). */
  retrainSteps: readonly number[];
  retrainLr: number;
  /** Fine-tuning steps of the shared values. */
  fineTuneSteps: number;
  fineTuneLr: number;
  batchSize: number;
  seed: number;
}

/**
 * The settings of the shipped result: the paper's kept shares for LeNet-300-100 (8 / 9 / 26 %); 4-bit
 * weights (15 shared values and the fillers' zero), which the quantization page measured to cost this
 * network nothing, where the paper used 6; relative indices of 6 bits (the paper's 5 cost more fillers).
 */
export const DEEP_COMPRESSION_CONFIG: DeepCompressionConfig = {
  keep: [0.08, 0.09, 0.26],
  bits: [4, 4, 4],
  indexBits: 6,
  pruneRounds: 3,
  weightDecay: 1e-4,
  retrainSteps: [250, 250, 500],
  retrainLr: 1e-3,
  fineTuneSteps: 100,
  fineTuneLr: 1e-4,
  batchSize: 256,
  seed: 1,
};

/** One row of the table. */
export interface StageResult {
  stage: 'dense' | CompressionMode;
  /** Share of the weights that are zero. */
  sparsity: number;
  /** Bits of a stored weight, per layer (32 for float values). */
  bits: number[];
  /** Bytes of the encoded network (dense: 4 bytes per parameter). */
  bytes: number;
  /** Test accuracy of the decoded network. */
  accuracy: number;
}

/** What the pipeline returns: the table, and the bytes of each encoded stage. */
export interface DeepCompressionResult {
  stages: StageResult[];
  encoded: Record<CompressionMode, Uint8Array>;
  /** Dense float32 bytes over the Huffman stage's bytes. */
  ratio: number;
}

/** Test accuracy of decoded layers on `test` (frees its tensors). */
export async function decodedAccuracy(layers: readonly DecodedLayer[], test: MnistArrays): Promise<number> {
  const scorer = createMlpScorer(layers, floatImages(test), test.labels, test.count);
  try {
    return await scorer.accuracy();
  } finally {
    scorer.dispose();
  }
}

/** Dense float32 bytes of a network: 4 per weight and bias. */
export const denseBytes = (layers: readonly { kernel: ArrayLike<number>; bias: ArrayLike<number> }[]) => 4 * layers.reduce((s, l) => s + l.kernel.length + l.bias.length, 0);

/** Share of the weights (not biases) that are zero. */
function sparsity(layers: readonly { kernel: ArrayLike<number> }[]): number {
  let z = 0;
  let n = 0;
  for (const l of layers) for (let i = 0; i < l.kernel.length; i++, n++) if (l.kernel[i] === 0) z++;
  return z / n;
}

/** Tied layers with one parameter per kept weight (the mask fixed). */
function prunedTies(layers: readonly { inputs: number; units: number; kernel: Float32Array; bias: Float32Array }[], masks: readonly Uint8Array[]): TiedLayer[] {
  return layers.map((l, i) => {
    const tie = new Int32Array(l.kernel.length).fill(-1);
    const values: number[] = [];
    masks[i].forEach((m, j) => m && (tie[j] = values.push(l.kernel[j]) - 1));
    return { inputs: l.inputs, units: l.units, tie, values: Float32Array.from(values), bias: Float32Array.from(l.bias) };
  });
}

/** Progress callback: a stage's name and a line of text. */
export type PipelineLog = (line: string) => void;

/**
 * Runs the three stages on `layers` (trained dense layers; not modified), retraining on `train` and scoring
 * on `test`. Deterministic for a given config, backend and data.
 */
export async function deepCompression(layers: readonly DenseWeights[], train: MnistArrays, test: MnistArrays, cfg: DeepCompressionConfig = DEEP_COMPRESSION_CONFIG, log: PipelineLog = () => {}): Promise<DeepCompressionResult> {
  const n = layers.length;
  if (cfg.keep.length !== n || cfg.bits.length !== n) throw new RangeError(`deepCompression: need a kept share and bits for each of the ${n} layers`);
  if (cfg.retrainSteps.length !== cfg.pruneRounds) throw new RangeError(`deepCompression: need retraining steps for each of the ${cfg.pruneRounds} pruning rounds`);
  const stages: StageResult[] = [];
  const dense = denseBytes(layers);
  stages.push({ stage: 'dense', sparsity: sparsity(layers), bits: layers.map(() => 32), bytes: dense, accuracy: await decodedAccuracy(layers, test) });

  // 1. Prune in rounds (the pruned share grows linearly to its target), retraining after each.
  type Plain = { inputs: number; units: number; kernel: Float32Array; bias: Float32Array };
  let current: Plain[] = layers.map((l) => ({ inputs: l.inputs, units: l.units, kernel: Float32Array.from(l.kernel), bias: Float32Array.from(l.bias) }));
  let masks: Uint8Array[] = [];
  for (let r = 1; r <= cfg.pruneRounds; r++) {
    const keep = cfg.keep.map((k) => k ** (r / cfg.pruneRounds));
    masks = current.map((l, i) => magnitudeMask(l.kernel, keep[i]));
    const tied = prunedTies(current, masks);
    const loss = trainTied(tied, train, { steps: cfg.retrainSteps[r - 1] ?? 0, batchSize: cfg.batchSize, lr: cfg.retrainLr, seed: cfg.seed + r, weightDecay: cfg.weightDecay });
    current = tied.map((t) => ({ inputs: t.inputs, units: t.units, kernel: tiedKernel(t), bias: t.bias }));
    const acc = await decodedAccuracy(tied.map((t) => ({ ...t, kernel: tiedKernel(t) })), test);
    log(`pruning round ${r}/${cfg.pruneRounds}: kept ${keep.map((k) => (100 * k).toFixed(1) + '%').join(' / ')}, retraining loss ${loss.toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)}%`);
  }
  const sparse = (extra: (l: (typeof current)[number], i: number) => Partial<SparseLayer> = () => ({})): SparseLayer[] => current.map((l, i) => ({ ...l, mask: masks[i], ...extra(l, i) }));
  const stage = async (mode: CompressionMode, layersIn: SparseLayer[], bits: number[]) => {
    const bytes = encodeNetwork(layersIn, mode, cfg.indexBits);
    const decoded = decodeNetwork(bytes).layers;
    stages.push({ stage: mode, sparsity: sparsity(decoded), bits, bytes: bytes.length, accuracy: await decodedAccuracy(decoded, test) });
    return bytes;
  };
  const pruned = await stage('pruned', sparse(), layers.map(() => 32));

  // 2. Share the kept weights: k-means from the linear start, then fine-tune the shared values.
  const shared = current.map((l, i) => {
    const kept = l.kernel.filter((_, j) => masks[i][j]);
    const km = kmeans1d(kept, 2 ** cfg.bits[i] - 1, 100);
    const tie = new Int32Array(l.kernel.length).fill(-1);
    let e = 0;
    masks[i].forEach((m, j) => m && (tie[j] = km.assignments[e++]));
    return { inputs: l.inputs, units: l.units, tie, values: Float32Array.from(km.centroids), bias: Float32Array.from(l.bias) } as TiedLayer;
  });
  const before = await decodedAccuracy(shared.map((t) => ({ ...t, kernel: tiedKernel(t) })), test);
  const loss = trainTied(shared, train, { steps: cfg.fineTuneSteps, batchSize: cfg.batchSize, lr: cfg.fineTuneLr, seed: cfg.seed + 100 });
  log(`weight sharing: accuracy ${(100 * before).toFixed(2)}% before fine-tuning the shared values, fine-tuning loss ${loss.toFixed(4)}`);
  current = shared.map((t) => ({ inputs: t.inputs, units: t.units, kernel: tiedKernel(t), bias: t.bias }));
  const coded = sparse((_, i) => ({ codebook: shared[i].values, assignments: Uint16Array.from(shared[i].tie, (t) => Math.max(0, t)), bits: cfg.bits[i] }));
  const quantized = await stage('quantized', coded, [...cfg.bits]);

  // 3. Huffman code both streams.
  const huffman = await stage('huffman', coded, [...cfg.bits]);
  return { stages, encoded: { pruned, quantized, huffman }, ratio: dense / huffman.length };
}

/** The reproduce script's line for a stage. */
export function stageLine(s: StageResult): string {
  return `stage: ${s.stage} sparsity: ${(100 * s.sparsity).toFixed(2)}% bits: ${s.bits.join('/')} size_kb: ${(s.bytes / 1000).toFixed(2)} accuracy: ${s.accuracy.toFixed(4)}`;
}
