/**
 * Identity-mappings demo: the forward signal and the backward gradient along a deep stack of residual units
 * (He et al. 2016b, arXiv:1603.05027), for each of the paper's unit variants (../runtime/models/residual.ts
 * `residualUnit`), at random He-normal weights shared by all variants, with a shortcut scale λ.
 *
 * For each variant: x₀ ~ N(0, 1) probe inputs pass through L units; the RMS of every x_l is measured. Then the
 * loss E = Σ_m g_m·x_L,m / M with a fixed random g sends back ∂E/∂x_L, and the RMS of ∂E/∂x_l at every unit is
 * measured (a segmented backward pass, ../runtime/segmented-grad.ts: the gradient arriving at each unit's input).
 * Pure: no React, no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { gaussian, mulberry32 } from '../runtime/random';
import { heStd } from '../runtime/models/stacked-mlp';
import { residualUnit, UNIT_VARIANTS, type UnitVariant } from '../runtime/models/residual';
import { createSegmentedGrad, type ChainResults, type ChainSegment } from '../runtime/segmented-grad';

export { UNIT_VARIANTS, type UnitVariant } from '../runtime/models/residual';

/** The variants' names as the paper's Figure 4 labels them. */
export const VARIANT_NAMES: Record<UnitVariant, string> = {
  original: '(a) original',
  'bn-after-add': '(b) BN after addition',
  'relu-before-add': '(c) ReLU before addition',
  'relu-preact': '(d) ReLU-only pre-activation',
  'full-preact': '(e) full pre-activation',
};

/** Everything that defines a measurement; a seed plus this replays it exactly. */
export interface PropagationConfig {
  variants: readonly UnitVariant[];
  /** Residual units L. */
  units: number;
  width: number;
  /** Probe inputs per pass (batch norm's mini-batch). */
  batch: number;
  /** Shortcut scale λ: x_{l+1} = f(λ·x_l + F(x_l)). */
  lambda: number;
  /** Draws of the probe inputs and the output gradient that each variant's curves average over (the weights stay). */
  rounds: number;
  seed: number;
}

export const DEFAULT_CONFIG: PropagationConfig = { variants: UNIT_VARIANTS, units: 50, width: 16, batch: 32, lambda: 1, rounds: 4, seed: 1 };

/**
 * One variant's measurement: index l = 0 … L (x₀ the input, x_L the output of the last unit), the geometric
 * mean over the rounds measured so far.
 */
export interface VariantPropagation {
  variant: UnitVariant;
  /** RMS of x_l divided by the RMS of x₀. */
  forward: Float32Array;
  /** RMS of ∂E/∂x_l divided by the RMS of ∂E/∂x_L. */
  backward: Float32Array;
  /** Draws averaged. */
  rounds: number;
}

function check(cfg: PropagationConfig): void {
  if (cfg.variants.length === 0) throw new RangeError('choose at least one variant');
  const bad = cfg.variants.find((v) => !UNIT_VARIANTS.includes(v));
  if (bad) throw new RangeError(`unknown unit variant ${bad}`);
  if (!(Number.isInteger(cfg.units) && cfg.units >= 1 && cfg.units <= 500)) throw new RangeError(`units must be a whole number in [1, 500], got ${cfg.units}`);
  if (!(Number.isInteger(cfg.width) && cfg.width >= 2)) throw new RangeError(`width must be a whole number ≥ 2, got ${cfg.width}`);
  if (!(Number.isInteger(cfg.batch) && cfg.batch >= 2)) throw new RangeError(`batch must be a whole number ≥ 2 (batch norm needs two), got ${cfg.batch}`);
  if (!(Number.isFinite(cfg.lambda) && cfg.lambda >= 0)) throw new RangeError(`λ must be a finite number ≥ 0, got ${cfg.lambda}`);
  if (!(Number.isInteger(cfg.rounds) && cfg.rounds >= 1)) throw new RangeError(`rounds must be a whole number ≥ 1, got ${cfg.rounds}`);
}

/**
 * The direct term of the paper's Eq. 8 for a scaled shortcut: the gradient that reaches x_l straight along the
 * shortcuts is ∏ λ = λ^(L−l) times the gradient at x_L. Returns it for l = 0 … L.
 */
export function shortcutProduct(lambda: number, units: number): number[] {
  return Array.from({ length: units + 1 }, (_, l) => lambda ** (units - l));
}

/** N(0, s²) numbers from `rng`. */
export const normals = (rng: () => number, n: number, s = 1) => Float32Array.from({ length: n }, () => s * gaussian(rng));

/**
 * The seeded He-normal weights of the stack (W₁, W₂ per unit, row-major n×n), and the stream that draws each
 * round's probe inputs x₀ and then its output gradient's g (batch × n values each).
 */
export function propagationDraws(cfg: PropagationConfig) {
  const rng = mulberry32(cfg.seed);
  const n = cfg.width;
  const sd = heStd(n, n);
  return {
    w: Array.from({ length: cfg.units }, () => [normals(rng, n * n, sd), normals(rng, n * n, sd)]),
    probes: mulberry32(Math.floor(rng() * 2 ** 32)),
  };
}

/**
 * One variant's pass as a chain of segments for ../runtime/segmented-grad.ts, one per unit and the loss
 * E = Σ_m g_m·x_L,m / M last: the forward results are the RMS of x_1 … x_L, the backward ones the RMS of ∂E/∂x_l
 * for l = 0 … L (∂E/∂x_l is the gradient arriving at unit l's input).
 */
function variantChain(variant: UnitVariant, w: tf.Tensor3D[][], g: tf.Tensor, lambda: number): ChainSegment[] {
  const units = w.map(([w1, w2]): ChainSegment => ({ params: [], apply: (h) => residualUnit(variant, h as tf.Tensor3D, w1, w2, lambda), forward: rms, backward: rms }));
  return [...units, { params: [], apply: (h) => tf.div(tf.sum(tf.mul(h, g)), g.shape[1]!), backward: rms }];
}

/** RMS of a tensor, as a vector of one. */
const rms = (a: tf.Tensor): tf.Tensor => tf.sqrt(tf.mean(tf.square(a))).reshape([1]);

/**
 * Units of a variant's segmented pass per call (each one residual unit's forward, or its backward): a variant
 * through 50 units (~100 ms on wasm at once) takes five calls.
 */
export const UNITS_PER_CALL = 24;

/** Calls (k > 0) that one variant's measurement takes through `units` units; the first result takes none. */
export const callsPerVariant = (units: number): number => Math.ceil((2 * units + 1) / UNITS_PER_CALL);

/** What the view draws: the variants measured so far, in the order of config.variants. */
export interface PropagationFrame {
  steps: number;
  measured: VariantPropagation[];
  /** Every chosen variant measured in every round. */
  done: boolean;
}

export interface PropagationRun {
  readonly config: PropagationConfig;
  /**
   * A part of one variant's measurement on one draw of the probes per call, UNITS_PER_CALL units of it (k = 0
   * measures the whole first variant if nothing is yet, and nothing else; nothing once done).
   */
  step(k: number): Promise<PropagationFrame>;
  dispose(): void;
}

/**
 * Forward and backward propagation through `config.units` residual units of each chosen variant, all at the
 * same seeded weights. Round r draws new probe inputs and a new output gradient, shared by the variants, and
 * measures each variant in turn (one forward and backward pass through the whole stack, spread over
 * callsPerVariant(units) steps); each variant's curves are the geometric mean over its rounds so far.
 */
export function createPropagationRun(config: Partial<PropagationConfig> = {}): PropagationRun {
  const cfg: PropagationConfig = { ...DEFAULT_CONFIG, ...config };
  check(cfg);
  const d = propagationDraws(cfg);
  const n = cfg.width;
  const V = cfg.variants.length;
  const w = tf.tidy(() => d.w.map((pair) => pair.map((v) => tf.tensor3d(v, [1, n, n]))));
  // The probe inputs x₀ and the output gradient's g of the current round, replaced in place each round.
  const probe = tf.tidy(() => ({ x: tf.variable(tf.zeros([1, cfg.batch, n]), false), g: tf.variable(tf.zeros([1, cfg.batch, n]), false) }));
  const pass = createSegmentedGrad();
  /** Sums of the logarithms per variant, forward then backward. */
  const logSums = cfg.variants.map(() => new Float64Array(2 * (cfg.units + 1)));
  let done = 0;
  let steps = 0;
  let disposed = false;
  const frame = (): PropagationFrame => {
    const measured = cfg.variants.slice(0, Math.min(done, V)).map((variant, i) => {
      const rounds = Math.floor(done / V) + (i < done % V ? 1 : 0);
      const mean = Float32Array.from(logSums[i], (v) => Math.exp(v / rounds));
      return { variant, forward: mean.slice(0, cfg.units + 1), backward: mean.slice(cfg.units + 1), rounds };
    });
    return { steps, measured, done: done === V * cfg.rounds };
  };
  /** Forward RMS relative to x₀'s, then backward RMS relative to ∂E/∂x_L's, from a finished pass. */
  const collect = (r: ChainResults) =>
    tf.tidy(() => {
      const fw = tf.concat([rms(probe.x), ...r.forward.slice(0, cfg.units).map((t) => t!)]);
      const bw = tf.concat(r.backward.map((t) => t!));
      return tf.concat([tf.div(fw, tf.slice(fw, 0, 1)), tf.div(bw, tf.slice(bw, cfg.units, 1))]);
    });
  return {
    config: cfg,
    async step(k: number) {
      if (disposed) throw new Error('identity-mappings demo used after dispose');
      if ((k > 0 || done === 0) && done < V * cfg.rounds) {
        const i = done % V;
        if (!pass.pending) {
          if (i === 0) {
            tf.tidy(() => {
              probe.x.assign(tf.tensor3d(normals(d.probes, cfg.batch * n), [1, cfg.batch, n]));
              probe.g.assign(tf.tensor3d(normals(d.probes, cfg.batch * n), [1, cfg.batch, n]));
            });
          }
          pass.start(probe.x, variantChain(cfg.variants[i], w, probe.g, cfg.lambda));
        }
        // The first result at once; after it, UNITS_PER_CALL units of the pass per call.
        const r = k === 0 ? pass.finish() : pass.advance(UNITS_PER_CALL);
        if (k > 0) steps += 1;
        if (r) {
          const a = await readAndDispose(collect(r));
          if (disposed) return frame();
          a.forEach((v, j) => (logSums[i][j] += Math.log(v)));
          done += 1;
        }
      }
      return frame();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      pass.dispose();
      tf.dispose([...w.flat(), probe.x, probe.g]);
    },
  };
}

/** Every chosen variant measured at once (createPropagationRun stepped to the end). Frees what it makes. */
export async function measurePropagation(config: Partial<PropagationConfig> = {}): Promise<VariantPropagation[]> {
  const run = createPropagationRun(config);
  try {
    let f = await run.step(0);
    while (!f.done) f = await run.step(1);
    return f.measured;
  } finally {
    run.dispose();
  }
}
