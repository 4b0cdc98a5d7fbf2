/**
 * Zoph & Le's controller for the benchmark's space, in tfjs: an LSTM that emits the six decisions of
 * ./space.ts DECISIONS one after another (stage 1's operation, its width, stage 2's operation, …). Step t's input
 * is the embedding of decision t − 1 (a learned start vector at t = 1); step t's hidden state goes through decision
 * t's own softmax head. It is trained by REINFORCE with a moving-average baseline, as in their paper: the controller
 * samples m children, and after their rewards R_k, θ ← θ + Adam step along (1/m) Σ_k (R_k − b) · ∇θ Σ_t log P(a_t | a_<t; θ);
 * then b ← β·b + (1 − β)·R_k for each child in turn.
 *
 * Batched over seeds: S independent controllers advance together. Every parameter is stacked along a leading seed
 * axis and each step is one batched matrix product, so S seeds cost one computation per trial, not S; Adam works
 * elementwise, so seed s's parameters only ever see seed s's gradient. Sampling is seeded: each seed draws its
 * uniforms in JavaScript from its own mulberry32 stream, the inverse-CDF lookup runs on the backend, and the
 * decisions of all seeds are read back once per trial (asynchronously in a page: advance()). Every tensor is disposed (dispose() frees the parameters and
 * Adam's moments).
 */
import { tf } from '../tf';
import { mulberry32, type Rng } from '../random';
import { DECISIONS, fromDecisions } from './space';
import type { Lookup, SearchRun } from './search';

/** Settings of {@link ControllerBatch}. */
export interface ControllerConfig {
  /** Adam's step size (Zoph & Le: 0.0006 for their 12,800-child search; ours lasts a few hundred children). */
  learningRate: number;
  /** Decay β of the baseline b ← β·b + (1 − β)·R. */
  baselineDecay: number;
  /** Children m sampled per controller update (Zoph & Le's m; their m children trained in parallel). */
  children?: number;
  /** LSTM hidden units (Zoph & Le: two layers of 35). */
  hidden?: number;
  /** Size of each decision's embedding, the next step's input. */
  embedding?: number;
}

/** Default settings: Adam's step size chosen by a sweep on seeds other than the reproduce script's (see the notes). */
export const CONTROLLER_DEFAULTS: Required<ControllerConfig> = { learningRate: 0.01, baselineDecay: 0.9, children: 10, hidden: 16, embedding: 8 };

/** Zoph & Le initialise every weight uniformly in [−0.08, 0.08]. */
const INIT = 0.08;
/**
 * All decisions' options side by side: decision t's are columns OFFSETS[t] … OFFSETS[t] + options − 1 of the heads
 * and embeddings (18 columns). A step's logits add MASKS[t] (0 on its columns, −1e9 elsewhere), so its softmax puts
 * exactly 0 on the other decisions' options and one matrix product serves every head.
 */
const OFFSETS = DECISIONS.map((_, t) => DECISIONS.slice(0, t).reduce((a, d) => a + d.options, 0));
const OPTIONS = DECISIONS.reduce((a, d) => a + d.options, 0);
const T = DECISIONS.length;
const MASKS = DECISIONS.map((d, t) => Float32Array.from({ length: OPTIONS }, (_, k) => (k >= OFFSETS[t] && k < OFFSETS[t] + d.options ? 0 : -1e9)));

/** How step t picks an option per row from its probabilities [rows, OPTIONS]: a one-hot [rows, OPTIONS] and the column [rows]. */
type Choose = (t: number, probs: tf.Tensor2D) => { onehot: tf.Tensor2D; index: tf.Tensor1D };

/** The controller's distribution per decision along one architecture. */
export interface ControllerView {
  /** The decisions (option index per decision, DECISIONS order). */
  decisions: number[];
  /** P(option | the decisions before it), per decision. */
  probabilities: Float64Array[];
}

/** One seed's controller as a search run: next() returns the cells its controller sampled, one per call. */
export class ControllerRun implements SearchRun {
  readonly method = 'reinforce' as const;
  readonly trials: number[] = [];
  /** Cells sampled by the batch that next() has not returned yet. */
  readonly pending: number[] = [];
  constructor(
    private batch: ControllerBatch,
    readonly seed: number,
  ) {}
  next(): number {
    if (this.pending.length === 0) this.batch.step();
    const c = this.pending.shift()!;
    this.trials.push(c);
    return c;
  }
}

/**
 * S controllers, one per seed, trained together on the table's validation accuracies. step() samples m children for
 * every seed and updates every controller once; `runs[s]` is seed s as a {@link SearchRun}. Rows of the batch are
 * seed-major: row s·m + k is seed s's k-th child. Call dispose() when done.
 */
export class ControllerBatch {
  readonly runs: ControllerRun[];
  /** Per seed: the moving-average baseline b and the last reward R (NaN before the first trial). */
  readonly baseline: Float64Array;
  readonly reward: Float64Array;
  readonly config: Required<ControllerConfig>;
  /** Updates made so far (each after m children per seed). */
  updates = 0;
  private readonly S: number;
  private readonly rngs: Rng[];
  private readonly vars: tf.Variable[];
  private readonly start: tf.Variable; // [S, 1, D]
  private readonly emb: tf.Variable; // [S, OPTIONS, D]
  private readonly w: tf.Variable; // [S, D + H, 4H]
  private readonly b: tf.Variable; // [S, 1, 4H]
  private readonly wo: tf.Variable; // [S, H, OPTIONS]
  private readonly bo: tf.Variable; // [S, 1, OPTIONS]
  private readonly masks: tf.Tensor1D[];
  /** [OPTIONS, OPTIONS] upper-triangular ones: p · tri is the cumulative sum of p along its columns. */
  private readonly tri: tf.Tensor2D;
  private readonly optimizer: tf.AdamOptimizer;
  private disposed = false;

  constructor(
    private table: Lookup,
    readonly seeds: readonly number[],
    config: ControllerConfig = CONTROLLER_DEFAULTS,
  ) {
    this.config = { ...CONTROLLER_DEFAULTS, ...config };
    const { learningRate, baselineDecay, children: m, hidden: H, embedding: D } = this.config;
    if (!(learningRate > 0)) throw new RangeError(`REINFORCE: the step size must be positive, got ${learningRate}`);
    if (!(baselineDecay >= 0 && baselineDecay < 1)) throw new RangeError(`REINFORCE: the baseline decay must be in [0, 1), got ${baselineDecay}`);
    if (![m, H, D].every((x) => Number.isInteger(x) && x >= 1)) throw new RangeError(`controller: children, hidden and embedding sizes must be positive integers, got ${m}, ${H}, ${D}`);
    if (seeds.length === 0) throw new RangeError('controller: at least one seed');
    const S = (this.S = seeds.length);
    this.rngs = seeds.map((s) => mulberry32(s));
    this.baseline = new Float64Array(S).fill(NaN);
    this.reward = new Float64Array(S).fill(NaN);
    this.runs = seeds.map((s) => new ControllerRun(this, s));
    // Each seed draws its own weights from its own stream, in a fixed order: a batch of seeds equals the seeds run alone.
    const shapes: [number, number, boolean][] = [
      [1, D, false],
      [OPTIONS, D, false],
      [D + H, 4 * H, false],
      [1, 4 * H, true],
      [H, OPTIONS, false],
      [1, OPTIONS, true],
    ];
    const data = shapes.map(([r, c]) => new Float32Array(S * r * c));
    this.rngs.forEach((rng, s) =>
      shapes.forEach(([r, c, bias], k) => {
        if (!bias) for (let i = 0; i < r * c; i++) data[k][s * r * c + i] = (2 * rng() - 1) * INIT;
      }),
    );
    this.vars = shapes.map(([r, c], k) => {
      const init = tf.tensor3d(data[k], [S, r, c]);
      const v = tf.variable(init, true);
      init.dispose();
      return v;
    });
    [this.start, this.emb, this.w, this.b, this.wo, this.bo] = this.vars;
    this.masks = MASKS.map((x) => tf.tensor1d(x));
    this.tri = tf.tensor2d(Float32Array.from({ length: OPTIONS ** 2 }, (_, k) => (Math.floor(k / OPTIONS) <= k % OPTIONS ? 1 : 0)), [OPTIONS, OPTIONS]);
    this.optimizer = tf.train.adam(learningRate);
  }

  /** Runs the LSTM through the six decisions for `rows` architectures per seed, each option picked by `choose`; returns each step's masked logits [S·rows, OPTIONS] and picked columns. */
  private unroll(rows: number, choose: Choose): { logits: tf.Tensor2D[]; index: tf.Tensor1D[] } {
    const { S } = this;
    const H = this.config.hidden;
    const start = this.start as tf.Tensor3D;
    let x: tf.Tensor3D = rows === 1 ? start : tf.tile(start, [1, rows, 1]);
    let h: tf.Tensor3D = tf.zeros([S, rows, H]);
    let c: tf.Tensor3D = tf.zeros([S, rows, H]);
    const logits: tf.Tensor2D[] = [];
    const index: tf.Tensor1D[] = [];
    for (let t = 0; t < T; t++) {
      const z = tf.add(tf.matMul(tf.concat([x, h], 2), this.w as tf.Tensor3D), this.b);
      const [i, f, g, o] = tf.split(z, 4, 2);
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      const l = tf.reshape(tf.add(tf.add(tf.matMul(h, this.wo as tf.Tensor3D), this.bo), this.masks[t]), [S * rows, OPTIONS]) as tf.Tensor2D;
      logits.push(l);
      const pick = choose(t, tf.softmax(l));
      index.push(pick.index);
      if (t + 1 < T) x = tf.matMul(tf.reshape(pick.onehot, [S, rows, OPTIONS]), this.emb as tf.Tensor3D);
    }
    return { logits, index };
  }

  /** Picked columns [S·m, T] → decisions per row (option index within each decision). */
  private static rowsOf(flat: ArrayLike<number>, rows: number): number[][] {
    return Array.from({ length: rows }, (_, r) => Array.from({ length: T }, (_, t) => flat[r * T + t] - OFFSETS[t]));
  }

  /** The picked columns [S·m, T] of one sampling: inverse CDF at uniforms drawn per seed in JS (seeded). */
  private sampleTensor(): tf.Tensor {
    this.check();
    const { S } = this;
    const m = this.config.children;
    const u = new Float32Array(S * m * T);
    this.rngs.forEach((rng, s) => {
      for (let i = 0; i < m * T; i++) u[s * m * T + i] = rng();
    });
    return tf.tidy(() => {
      const uniforms = tf.tensor2d(u, [S * m, T]);
      const { index } = this.unroll(m, (t, p) => {
        // Columns before this decision's have cumulative probability 0 ≤ u and are counted: k is a column index. It
        // is the first column whose cumulative probability exceeds u (the decision's last if rounding leaves u above).
        const below = tf.lessEqual(tf.matMul(p, this.tri), tf.slice(uniforms, [0, t], [S * m, 1]));
        const k = tf.minimum(tf.sum(tf.cast(below, 'int32'), 1), tf.scalar(OFFSETS[t] + DECISIONS[t].options - 1, 'int32')) as tf.Tensor1D;
        return { onehot: tf.cast(tf.oneHot(k, OPTIONS), 'float32') as tf.Tensor2D, index: k };
      });
      return tf.stack(index, 1);
    });
  }

  /** Samples m architectures per seed (rows seed-major; decisions per row in DECISIONS order). */
  sample(): number[][] {
    const picked = this.sampleTensor();
    const flat = picked.dataSync();
    picked.dispose();
    return ControllerBatch.rowsOf(flat, this.S * this.config.children);
  }

  /** Log-probability Σ_t log P(a_t | a_<t) of each row's given decisions (S·m rows, seed-major). */
  logProb(decisions: readonly (readonly number[])[]): Float64Array {
    this.check();
    const lp = tf.tidy(() => this.logProbTensor(decisions));
    const out = Float64Array.from(lp.dataSync());
    lp.dispose();
    return out;
  }

  private logProbTensor(decisions: readonly (readonly number[])[]): tf.Tensor1D {
    const rows = this.S * this.config.children;
    if (decisions.length !== rows) throw new RangeError(`controller: ${rows} architectures expected (m per seed), got ${decisions.length}`);
    const given = DECISIONS.map((_, t) => tf.cast(tf.oneHot(tf.tensor1d(decisions.map((a) => OFFSETS[t] + a[t]), 'int32'), OPTIONS), 'float32') as tf.Tensor2D);
    const { logits } = this.unroll(this.config.children, (t) => ({ onehot: given[t], index: tf.zeros([rows], 'int32') }));
    // All six steps at once: [T, rows, OPTIONS].
    return tf.sum(tf.mul(tf.stack(given), tf.logSoftmax(tf.stack(logits))), [0, 2]) as tf.Tensor1D;
  }

  /** One REINFORCE step for every seed: ascend (1/m) Σ_k advantage[k] · ∇ log P(decisions[k]) over its m rows, with Adam. */
  update(decisions: readonly (readonly number[])[], advantage: ArrayLike<number>): void {
    this.check();
    tf.tidy(() => {
      const adv = tf.tensor1d(Float32Array.from(advantage));
      const m = this.config.children;
      this.optimizer.minimize(() => tf.div(tf.neg(tf.sum(tf.mul(adv, this.logProbTensor(decisions)))), m) as tf.Scalar, false, this.vars);
    });
    this.updates++;
  }

  /**
   * One update for every seed: sample m children, look up their rewards (validation accuracies), update the controller
   * with the advantages R_k − b (b is the first reward itself at the start), then move b through the m rewards in
   * order. Each seed's run returns the m cells at its next m calls of next(). Returns the cells, seed-major.
   */
  step(): number[] {
    return this.learn(this.sample());
  }

  /** {@link step} with the sampled decisions read back asynchronously (a page's frame: no blocking GPU read). */
  async advance(): Promise<number[]> {
    const picked = this.sampleTensor();
    const flat = await picked.data();
    picked.dispose();
    return this.learn(ControllerBatch.rowsOf(flat, this.S * this.config.children));
  }

  private learn(decisions: number[][]): number[] {
    const m = this.config.children;
    const beta = this.config.baselineDecay;
    const cells = decisions.map((d) => fromDecisions(d));
    const rewards = cells.map((c) => this.table.val[c]);
    const advantage = rewards.map((r, k) => {
      const s = Math.floor(k / m);
      if (Number.isNaN(this.baseline[s])) this.baseline[s] = r;
      return r - this.baseline[s];
    });
    this.update(decisions, advantage);
    rewards.forEach((r, k) => {
      const s = Math.floor(k / m);
      this.baseline[s] = beta * this.baseline[s] + (1 - beta) * r;
      this.reward[s] = r;
      this.runs[s].pending.push(cells[k]);
    });
    return cells;
  }

  /** Per seed: the most likely architecture (the argmax at each step, fed to the next) and the distribution along it. */
  async mostLikely(): Promise<ControllerView[]> {
    this.check();
    const [picked, all] = tf.tidy(() => {
      const probs: tf.Tensor2D[] = [];
      const { index } = this.unroll(1, (_, p) => {
        probs.push(p);
        const k = tf.argMax(p, 1) as tf.Tensor1D;
        return { onehot: tf.cast(tf.oneHot(k, OPTIONS), 'float32') as tf.Tensor2D, index: k };
      });
      return [tf.stack(index, 1), tf.stack(probs, 1)]; // [S, T] and [S, T, OPTIONS]
    });
    const [ix, p] = await Promise.all([picked.data(), all.data()]);
    picked.dispose();
    all.dispose();
    return ControllerBatch.rowsOf(ix, this.S).map((d, s) => ({
      decisions: d,
      probabilities: DECISIONS.map((dec, t) => Float64Array.from(p.subarray((s * T + t) * OPTIONS + OFFSETS[t], (s * T + t) * OPTIONS + OFFSETS[t] + dec.options))),
    }));
  }

  private check(): void {
    if (this.disposed) throw new Error('controller: used after dispose()');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.vars.forEach((v) => v.dispose());
    this.masks.forEach((x) => x.dispose());
    this.tri.dispose();
    this.optimizer.dispose();
  }
}
