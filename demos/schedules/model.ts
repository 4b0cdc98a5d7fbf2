/**
 * Learning-rate schedules demo: the same small network (same initial weights, same mini-batches, same
 * two-moons data) trained once per schedule, side by side, so that the loss curves differ only by the
 * schedule γₜ. The schedules are pure functions of the step (`learningRate`), as torch.optim.lr_scheduler
 * defines them; the networks are stacked along a leading "net" axis and trained by the runtime's one
 * trainer, which takes one learning rate per net at every step.
 * Pure: no React, no DOM; each call is one tf.tidy and one read-back.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { mulberry32 } from '../runtime/random';
import { sampleBatches } from '../runtime/sampling';
import { createFlatTrainer, type UpdateRule } from '../runtime/train';
import { makeData, type DataOptions, type MoonsData } from '../runtime/data/moons';
import { crossEntropy, forwardStacked, initLayers, stackedMlp, stackedParams } from '../runtime/models/stacked-mlp';

// ---------------------------------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------------------------------

/** What every schedule is a function of, besides the step t = 0 … total − 1. */
export interface ScheduleOptions {
  /** The base (peak) learning rate γ. */
  base: number;
  /** The run's length T in steps. */
  total: number;
  /** Steps of linear warmup W (warmup + cosine only). */
  warmup: number;
}

export const SCHEDULE_NAMES = ['constant', 'step', 'cosine', 'sgdr', 'warmup', 'onecycle'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** Step decay: the rate is multiplied by STEP_FACTOR at each of these fractions of the run (MultiStepLR). */
export const STEP_MILESTONES = [0.5, 0.75] as const;
export const STEP_FACTOR = 0.1;
/** SGDR: the first cycle is T/7 steps and each next one twice as long (T_mult = 2), so three cycles fill T. */
export const SGDR_CYCLES = 3;
/** One-cycle as torch's OneCycleLR defaults: rise for 30 % of the run from γ/25, then fall to γ/(25·10⁴). */
export const ONE_CYCLE = { pct: 0.3, divFactor: 25, finalDivFactor: 1e4 } as const;

/** ½(1 + cos πu): 1 at u = 0, ½ at u = ½, 0 at u = 1. */
const halfCos = (u: number) => 0.5 * (1 + Math.cos(Math.PI * u));
/** Cosine interpolation from a (at u = 0) to b (at u = 1). */
const cosFrom = (a: number, b: number, u: number) => b + (a - b) * halfCos(u);

/** Each schedule's display name and γₜ. */
export const SCHEDULES: Record<ScheduleName, { name: string; rate: (t: number, o: ScheduleOptions) => number }> = {
  constant: { name: 'constant', rate: (_t, { base }) => base },
  step: {
    name: 'step decay',
    rate: (t, { base, total }) => base * STEP_FACTOR ** STEP_MILESTONES.filter((m) => t >= Math.round(m * total)).length,
  },
  // SGDR without restarts (CosineAnnealingLR with γ_min = 0): γ·½(1 + cos(πt/T)).
  cosine: { name: 'cosine', rate: (t, { base, total }) => base * halfCos(t / total) },
  // SGDR (Loshchilov & Hutter 2017): cycles of T₀, 2T₀, 4T₀ steps, each a cosine from γ down to 0.
  sgdr: {
    name: 'cosine, restarts',
    rate: (t, { base, total }) => {
      const t0 = total / (2 ** SGDR_CYCLES - 1);
      const i = Math.floor(Math.log2(t / t0 + 1)); // the cycle t is in: it starts at T₀(2ⁱ − 1)
      return base * halfCos((t - t0 * (2 ** i - 1)) / (t0 * 2 ** i));
    },
  },
  // Linear warmup (Goyal et al. 2017) over W steps, γ(t + 1)/W, then a cosine over the remaining T − W.
  warmup: {
    name: 'warmup + cosine',
    rate: (t, { base, total, warmup }) => (t < warmup ? (base * (t + 1)) / warmup : base * halfCos((t - warmup) / (total - warmup))),
  },
  // One-cycle (Smith & Topin 2017) with cosine phases, as torch's default anneal_strategy 'cos'.
  onecycle: {
    name: 'one-cycle',
    rate: (t, { base, total }) => {
      const peak = Math.round(ONE_CYCLE.pct * total);
      const start = base / ONE_CYCLE.divFactor;
      if (t <= peak) return cosFrom(start, base, t / peak);
      return cosFrom(base, start / ONE_CYCLE.finalDivFactor, (t - peak) / (total - peak));
    },
  },
};

/** γₜ of schedule `name` at step t (0-based; steps past the run keep the rate of its last step). */
export function learningRate(name: ScheduleName, t: number, o: ScheduleOptions): number {
  return SCHEDULES[name].rate(Math.min(Math.max(t, 0), o.total - 1), o);
}

/** γ₀ … γ_{T−1} of schedule `name`: the small plot of the rates. */
export function scheduleCurve(name: ScheduleName, o: ScheduleOptions): Float64Array {
  return Float64Array.from({ length: o.total }, (_, t) => learningRate(name, t, o));
}

// ---------------------------------------------------------------------------------------------------
// The networks, one per schedule
// ---------------------------------------------------------------------------------------------------

/** Everything that defines a run; a seed plus this replays it exactly. */
export interface RaceConfig extends ScheduleOptions, DataOptions {
  /** Seeds the data, the shared initial weights and the mini-batches. */
  seed: number;
  /** The schedules raced, one network each, in this order. */
  schedules: readonly ScheduleName[];
  /** SGD with momentum 0.9 (torch.optim.SGD) or Adam (β₁ 0.9, β₂ 0.999, ε 1e-8). */
  optimizer: 'sgd' | 'adam';
  /** Hidden layer widths: input 2 and output 2 are added around them. */
  hidden: number[];
  /** Mini-batch size: the gradient noise that a decaying rate averages out. */
  batchSize: number;
}

/** Defaults for which the schedules' curves part clearly (`npm run reproduce -- schedules` prints the numbers). */
export const DEFAULT_CONFIG: RaceConfig = {
  seed: 1,
  schedules: ['constant', 'step', 'cosine', 'warmup', 'onecycle'],
  optimizer: 'sgd',
  base: 0.1,
  total: 600,
  warmup: 60,
  hidden: [32, 32],
  batchSize: 16,
  nTrain: 200,
  nTest: 1000,
  noise: 0.2,
  flip: 0,
};

/** What the view draws after a step call; arrays hold one entry per schedule, in config order. */
export interface RaceFrame {
  /** Steps taken (all nets take the same steps). */
  steps: number;
  /** Cross-entropy on the whole training set. */
  trainLoss: Float32Array;
  /** Cross-entropy on the test set. */
  testLoss: Float32Array;
  /** The rate each net will use at its next step. */
  rate: Float64Array;
}

/** Networks trained in lockstep under different schedules. */
export interface Race {
  readonly config: RaceConfig;
  readonly data: MoonsData;
  /** Up to k more steps (never past config.total), then the losses in one read-back; k = 0 only evaluates. */
  step(k: number): Promise<RaceFrame>;
  /** Free every tensor; safe to call twice. */
  dispose(): void;
}

function check(cfg: RaceConfig): void {
  if (cfg.schedules.length === 0) throw new RangeError('race at least one schedule');
  if (!(cfg.base > 0)) throw new RangeError(`the base learning rate must be positive, got ${cfg.base}`);
  if (!(Number.isInteger(cfg.total) && cfg.total >= 2)) throw new RangeError(`the run needs at least 2 steps, got ${cfg.total}`);
  if (!(Number.isInteger(cfg.warmup) && cfg.warmup >= 0 && cfg.warmup < cfg.total)) {
    throw new RangeError(`warmup must be a whole number of steps in [0, ${cfg.total}), got ${cfg.warmup}`);
  }
}

/**
 * One network per schedule, all from one seeded initialisation, trained on the same seeded mini-batches
 * of the same two-moons data; net s uses γₜ of schedules[s] at step t.
 */
export function createRace(config: Partial<RaceConfig> = {}): Race {
  const cfg: RaceConfig = { ...DEFAULT_CONFIG, ...config };
  check(cfg);
  const seeds = mulberry32(cfg.seed);
  const seedOf = () => Math.floor(seeds() * 2 ** 32);
  const data = makeData(seedOf(), cfg);
  const sizes = [2, ...cfg.hidden, 2];
  const init = initLayers(sizes, seedOf());
  const batches = mulberry32(seedOf());
  const batchSize = Math.min(cfg.batchSize, cfg.nTrain);
  const S = cfg.schedules.length;
  // The rule's own rate is never used: every step sets each net's γₜ.
  const rule: UpdateRule = cfg.optimizer === 'sgd' ? { kind: 'sgd', lr: cfg.base, momentum: 0.9 } : { kind: 'adam', lr: cfg.base };
  const trainer = createFlatTrainer(
    stackedParams(cfg.schedules.map(() => init)),
    (p, x, y) => crossEntropy(forwardStacked(stackedMlp(sizes, p), x as tf.Tensor3D), y as tf.Tensor1D),
    rule,
  );
  const t = tf.tidy(() => ({
    trainX: tf.tensor3d(data.train.x, [1, data.train.n, 2]),
    trainY: tf.tensor1d(data.train.y, 'int32'),
    testX: tf.tensor3d(data.test.x, [1, data.test.n, 2]),
    testY: tf.tensor1d(data.test.y, 'int32'),
  }));
  const rates = (step: number) => Float64Array.from(cfg.schedules, (name) => learningRate(name, step, cfg));
  let disposed = false;

  return {
    config: cfg,
    data,
    async step(k: number): Promise<RaceFrame> {
      if (disposed) throw new Error('schedule race used after dispose');
      const n = Math.max(0, Math.min(k, cfg.total - trainer.steps));
      const out = tf.tidy(() => {
        for (let s = 0; s < n; s++) {
          trainer.setLearningRate(Float32Array.from(rates(trainer.steps)));
          // One batch per call: the batches, and so the run, do not depend on how steps are grouped into calls.
          const rows = tf.tensor1d(sampleBatches(data.train.n, batchSize, 1, batches), 'int32');
          trainer.step(tf.gather(t.trainX, rows, 1), tf.gather(t.trainY, rows));
        }
        const mlp = stackedMlp(sizes, trainer.current());
        return tf.concat([crossEntropy(forwardStacked(mlp, t.trainX), t.trainY), crossEntropy(forwardStacked(mlp, t.testX), t.testY)]);
      });
      const a = await readAndDispose(out);
      return { steps: trainer.steps, trainLoss: a.slice(0, S), testLoss: a.slice(S), rate: rates(trainer.steps) };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      trainer.dispose();
      tf.dispose(Object.values(t));
    },
  };
}
