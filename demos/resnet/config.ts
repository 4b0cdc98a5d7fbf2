/**
 * The ResNet demo's configuration, its units of work and its frame, in plain TypeScript: the page sizes the run and
 * draws the frames with these while the networks train in the demo's worker (./model.worker.ts). The tensor side
 * is ./model.ts.
 */
import { callsOfPass } from '../runtime/segmented-calls';

/** The two networks, in the order of every per-net array. */
export const NETS = ['plain', 'residual'] as const;

/** The training digits the demo loads: the first 5,000 (one shard). The degradation problem is about training error. */
export const TRAIN_DIGITS = 5000;

/** Everything that defines a run; a seed plus this replays it exactly. */
export interface ResnetConfig {
  seed: number;
  /** Hidden width×width layers, two per block (even, ≥ 2); the nets have depth + 2 weighted layers. */
  depth: number;
  width: number;
  /** Batch norm after every hidden layer's matMul, as the paper's blocks have it. */
  batchNorm: boolean;
  /** SGD with momentum 0.9, as in the paper. */
  lr: number;
  batchSize: number;
  /** Steps after which training stops. */
  total: number;
  /** Fixed training digits on which the loss, the error and the gradient norms are measured. */
  probe: number;
}

export const DEFAULT_CONFIG: ResnetConfig = {
  seed: 1,
  depth: 20,
  width: 32,
  batchNorm: true,
  lr: 0.01,
  batchSize: 64,
  total: 300,
  probe: 256,
};

/** Measurements are taken every this many steps (and at the start and the end). */
export const EVAL_EVERY = 10;
/**
 * A training step's forward and backward pass is cut at the blocks (../runtime/segmented-grad.ts) and spread over
 * calls, as is the probe's measurement: on wasm one step of the two 22-layer nets (~2,000 kernels) was 15–30 ms of
 * main thread. PASS_UNITS forward segments' worth run per unit of work, a backward segment counting BACKWARD_COST
 * (it recomputes its segment's forward, then differentiates it): a step in three units at the default depth, the
 * probe's pass (256 digits, four times the batch) in PROBE_UNITS-sized units.
 */
export const PASS_UNITS = 16;
export const PROBE_UNITS = 8;
export const BACKWARD_COST = 3;

/** Units of work of one training step of a net of `blocks` blocks (the run's first step takes one). */
export function stepUnits(blocks: number): number {
  return callsOfPass(blocks + 2, blocks + 2, PASS_UNITS, BACKWARD_COST);
}

/** Units of work of one measurement (the probe's pass: stem, blocks and head forward; those and the loss backward). */
export function probeUnits(blocks: number): number {
  return callsOfPass(blocks + 2, blocks + 3, PROBE_UNITS, BACKWARD_COST);
}

/** Units of work of a whole run of `cfg` (at most: its first step and first measurement take one call each). */
export function runUnits(cfg: Pick<ResnetConfig, 'depth' | 'total'>): number {
  return cfg.total * stepUnits(cfg.depth / 2) + Math.ceil(cfg.total / EVAL_EVERY) * probeUnits(cfg.depth / 2);
}

/** What the view draws after a step call; per-net arrays follow NETS. Typed arrays and numbers: it crosses from the worker. */
export interface ResnetFrame {
  steps: number;
  /** Mean training cross-entropy of each net over this call's steps; null when none ran. */
  trainLoss: Float32Array | null;
  /** Step of the last measurement. */
  measuredAt: number;
  /** Cross-entropy and error rate on the probe's training digits at `measuredAt`. */
  probeLoss: Float32Array;
  probeError: Float32Array;
  /** ‖∂loss/∂W_l‖ for every weighted layer l (the stem first, the classifier last), per net: [layer][net]. */
  gradNorms: Float32Array[];
  /** A measurement of step `steps` is under way (training resumes when it is done). */
  measuring: boolean;
}
