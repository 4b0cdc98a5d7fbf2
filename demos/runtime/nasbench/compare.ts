/**
 * The comparison the AutoML pages quote (scripts: `npm run reproduce -- automl`): aging and non-aging evolution,
 * random search and REINFORCE with Zoph & Le's LSTM controller (./controller.ts) on the same seeds and budget, and
 * REINFORCE with the simplest controller (one independent softmax per decision, plain JavaScript) beside them.
 */
import { mulberry32, type Rng } from '../random';
import { ControllerBatch, type ControllerConfig } from './controller';
import { bestSoFar, EvolutionRun, METHOD_LABELS, optimum, RandomRun, runSeed, type Lookup, type Method, type SearchRun } from './search';
import { DECISIONS, fromDecisions } from './space';

/** Settings of {@link SoftmaxRun}. */
export interface SoftmaxConfig {
  /** Step size of the gradient ascent on the logits. */
  learningRate: number;
  /** Decay β of the baseline b ← β·b + (1 − β)·R. */
  baselineDecay: number;
}

/** Its settings (α chosen by a sweep of α ∈ {1, 2, 3, 5, 10, 20, 50, 100} on seeds other than the reproduce script’s). */
export const SOFTMAX_DEFAULTS: SoftmaxConfig = { learningRate: 2, baselineDecay: 0.9 };

/**
 * REINFORCE (Williams 1992) with the simplest controller, the comparison for ./controller.ts's LSTM in the reproduce
 * script: one independent softmax per decision, plain gradient ascent, no recurrence (logits θ_d, all 0 at the start: uniform). Each trial samples a_d ~ softmax(θ_d), looks up the reward
 * R (validation accuracy), and ascends (R − b)·∇ log P(a): for a softmax, ∂ log p(a_d)/∂θ_d = onehot(a_d) − p_d.
 * b is an exponential moving average of past rewards (the first reward itself at the start).
 */
export class SoftmaxRun implements SearchRun {
  readonly method = 'reinforce' as const;
  readonly trials: number[] = [];
  /** The logits of every decision (DECISIONS order). */
  readonly logits: Float64Array[] = DECISIONS.map((d) => new Float64Array(d.options));
  baseline = NaN;
  private rng: Rng;
  constructor(
    private table: Lookup,
    readonly seed: number,
    readonly config: SoftmaxConfig = SOFTMAX_DEFAULTS,
  ) {
    this.rng = mulberry32(seed);
  }
  /** The controller's distribution over each decision's options. */
  probabilities(): Float64Array[] {
    return this.logits.map((l) => {
      const m = Math.max(...l);
      const e = l.map((x) => Math.exp(x - m));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / z);
    });
  }
  next(): number {
    const probs = this.probabilities();
    const actions = probs.map((p) => {
      let u = this.rng();
      for (let k = 0; k < p.length - 1; k++) if ((u -= p[k]) < 0) return k;
      return p.length - 1;
    });
    const cell = fromDecisions(actions);
    const reward = this.table.val[cell];
    if (Number.isNaN(this.baseline)) this.baseline = reward;
    const advantage = reward - this.baseline;
    const { learningRate: lr, baselineDecay: beta } = this.config;
    probs.forEach((p, d) => {
      for (let k = 0; k < p.length; k++) this.logits[d][k] += lr * advantage * ((k === actions[d] ? 1 : 0) - p[k]);
    });
    this.baseline = beta * this.baseline + (1 - beta) * reward;
    this.trials.push(cell);
    return cell;
  }
}

/** Settings of {@link compareSearches}. */
export interface CompareConfig {
  /** Seeds per method (the same seeds for every method). */
  runs: number;
  /** Trials per run: the equal budget. */
  budget: number;
  population: number;
  sample: number;
  seed: number;
  /** REINFORCE's LSTM controller (default: CONTROLLER_DEFAULTS). */
  reinforce?: ControllerConfig;
  /** Also run REINFORCE with the independent-softmax controller (a fifth summary, `name` 'softmax'). */
  softmax?: SoftmaxConfig;
}

/** One method's result over the seeds: each run's best-by-validation cell's test and validation accuracy. */
export interface MethodSummary {
  method: Method;
  /** The method, or 'softmax' for REINFORCE with the independent-softmax controller. */
  name: Method | 'softmax';
  label: string;
  test: Float64Array;
  val: Float64Array;
  /** Runs that found the space's best cell by validation. */
  foundOptimum: number;
}

/**
 * Runs aging and non-aging evolution, random search and REINFORCE (its LSTM controllers batched over the seeds) for
 * `runs` seeds each at the same budget and returns, per method, the test accuracy of each run's best cell chosen by
 * validation accuracy.
 */
export function compareSearches(table: Lookup, c: CompareConfig): MethodSummary[] {
  const opt = optimum(table);
  const seeds = Array.from({ length: c.runs }, (_, r) => runSeed(c.seed, r));
  const summarize = (method: Method, name: Method | 'softmax', label: string, runs: SearchRun[]): MethodSummary => {
    const test = new Float64Array(c.runs);
    const val = new Float64Array(c.runs);
    let foundOptimum = 0;
    runs.forEach((run, r) => {
      for (let t = 0; t < c.budget; t++) run.next();
      const b = bestSoFar(table, run.trials)!;
      test[r] = b.test;
      val[r] = b.val;
      if (b.val === opt.val) foundOptimum++;
    });
    return { method, name, label, test, val, foundOptimum };
  };
  const out = (['aging', 'nonaging', 'random'] as const).map((m) =>
    summarize(m, m, METHOD_LABELS[m], seeds.map((seed) => (m === 'random' ? new RandomRun(seed) : new EvolutionRun(table, { population: c.population, sample: c.sample, aging: m === 'aging' }, seed)))),
  );
  const batch = new ControllerBatch(table, seeds, c.reinforce);
  try {
    out.push(summarize('reinforce', 'reinforce', `${METHOD_LABELS.reinforce}, LSTM controller`, batch.runs));
  } finally {
    batch.dispose();
  }
  if (c.softmax) out.push(summarize('reinforce', 'softmax', `${METHOD_LABELS.reinforce}, independent softmax`, seeds.map((seed) => new SoftmaxRun(table, seed, c.softmax))));
  return out;
}
