/**
 * Identity-mappings demo: the forward signal and the backward gradient along a deep stack of residual units
 * (He et al. 2016b, arXiv:1603.05027), for each of the paper's unit variants (../runtime/models/residual.ts
 * `residualUnit`), at random He-normal weights shared by all variants, with a shortcut scale λ.
 *
 * For each variant: x₀ ~ N(0, 1) probe inputs pass through L units; the RMS of every x_l is measured. Then the
 * loss E = Σ_m g_m·x_L,m / M with a fixed random g sends back ∂E/∂x_L, and the RMS of ∂E/∂x_l at every unit is
 * measured (tf.grads with respect to zero tensors added at each unit's input). Pure: no React, no DOM.
 */
import { readAndDispose, tf } from '../runtime/tf';
import { gaussian, mulberry32 } from '../runtime/random';
import { heStd } from '../runtime/models/stacked-mlp';
import { residualUnit, UNIT_VARIANTS, type UnitVariant } from '../runtime/models/residual';

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
const normals = (rng: () => number, n: number, s = 1) => Float32Array.from({ length: n }, () => s * gaussian(rng));

/** The seeded He-normal weights of the stack, and a stream for the probe inputs and output gradients. */
function draws(cfg: PropagationConfig) {
  const rng = mulberry32(cfg.seed);
  const n = cfg.width;
  const sd = heStd(n, n);
  return {
    w: Array.from({ length: cfg.units }, () => [normals(rng, n * n, sd), normals(rng, n * n, sd)]),
    probes: mulberry32(Math.floor(rng() * 2 ** 32)),
  };
}

/**
 * Measures one variant: forward and backward RMS at every unit, in one tf.tidy and one read-back.
 * `tensors` are the weights [1, n, n] per unit, x₀ and g [1, M, n].
 */
function measureVariant(variant: UnitVariant, t: { w: tf.Tensor3D[][]; x: tf.Tensor3D; g: tf.Tensor3D }, lambda: number): tf.Tensor1D {
  return tf.tidy(() => {
    const L = t.w.length;
    const rms = (a: tf.Tensor) => tf.sqrt(tf.mean(tf.square(a)));
    const forward: tf.Tensor[] = [];
    const M = t.x.shape[1];
    const pass = (...zs: tf.Tensor[]) => {
      let h = t.x;
      for (let l = 0; l < L; l++) {
        h = tf.add(h, zs[l]) as tf.Tensor3D;
        forward[l] = tf.keep(rms(h)); // kept past tf.grads' own tidy, disposed below
        h = residualUnit(variant, h, t.w[l][0], t.w[l][1], lambda);
      }
      forward[L] = tf.keep(rms(h));
      return tf.div(tf.sum(tf.mul(h, t.g)), M) as tf.Scalar;
    };
    const zeros = Array.from({ length: L }, () => tf.zerosLike(t.x));
    const grads = tf.grads(pass)(zeros);
    const top = rms(tf.div(t.g, M));
    const backward = [...grads.map(rms), top];
    const fw = tf.stack(forward);
    tf.dispose(forward);
    return tf.concat([tf.div(fw, tf.slice(fw, 0, 1)), tf.div(tf.stack(backward), top)]) as tf.Tensor1D;
  });
}

/** What the view draws: the variants measured so far, in the order of config.variants. */
export interface PropagationFrame {
  steps: number;
  measured: VariantPropagation[];
  /** Every chosen variant measured in every round. */
  done: boolean;
}

export interface PropagationRun {
  readonly config: PropagationConfig;
  /** One variant on one draw of the probes per call (k = 0 measures the first if nothing is yet; none once done). */
  step(k: number): Promise<PropagationFrame>;
  dispose(): void;
}

/**
 * Forward and backward propagation through `config.units` residual units of each chosen variant, all at the
 * same seeded weights. Round r draws new probe inputs and a new output gradient, shared by the variants, and
 * measures each variant in turn, one per step (a variant is the unit of work: one forward and backward pass
 * through the whole stack); each variant's curves are the geometric mean over its rounds so far.
 */
export function createPropagationRun(config: Partial<PropagationConfig> = {}): PropagationRun {
  const cfg: PropagationConfig = { ...DEFAULT_CONFIG, ...config };
  check(cfg);
  const d = draws(cfg);
  const n = cfg.width;
  const V = cfg.variants.length;
  const w = tf.tidy(() => d.w.map((pair) => pair.map((v) => tf.tensor3d(v, [1, n, n]))));
  let probe = { x: new Float32Array(0), g: new Float32Array(0) };
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
  return {
    config: cfg,
    async step(k: number) {
      if (disposed) throw new Error('identity-mappings demo used after dispose');
      if ((k > 0 || done === 0) && done < V * cfg.rounds) {
        const i = done % V;
        if (i === 0) probe = { x: normals(d.probes, cfg.batch * n), g: normals(d.probes, cfg.batch * n) };
        const out = tf.tidy(() => measureVariant(cfg.variants[i], { w, x: tf.tensor3d(probe.x, [1, cfg.batch, n]), g: tf.tensor3d(probe.g, [1, cfg.batch, n]) }, cfg.lambda));
        const a = await readAndDispose(out);
        if (disposed) return frame();
        a.forEach((v, j) => (logSums[i][j] += Math.log(v)));
        done += 1;
        if (k > 0) steps += 1;
      }
      return frame();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(w.flat());
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
