/**
 * The optimizers of the race as one declarative table: PyTorch (torch.optim, 2.x) hyper-parameter names
 * and defaults, slider ranges, papers and one-line descriptions. The UI is generated from this table and
 * `resolveHyper` validates settings the way torch's constructors do. No tfjs here.
 */

/** Optimizer ids, in display order. */
export const OPTIMIZER_NAMES = [
  'sgd',
  'momentum',
  'nesterov',
  'adagrad',
  'adadelta',
  'rmsprop',
  'rprop',
  'adam',
  'adamax',
  'nadam',
] as const;

/** One optimizer id. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** torch.optim.SGD keyword arguments (also used by 'momentum' and 'nesterov'). */
export interface SGDHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
}
/** torch.optim.Adagrad keyword arguments. */
export interface AdagradHyper {
  lr: number;
  lr_decay: number;
  weight_decay: number;
  initial_accumulator_value: number;
  eps: number;
}
/** torch.optim.Adadelta keyword arguments. */
export interface AdadeltaHyper {
  lr: number;
  rho: number;
  eps: number;
  weight_decay: number;
}
/** torch.optim.RMSprop keyword arguments. */
export interface RMSpropHyper {
  lr: number;
  alpha: number;
  eps: number;
  weight_decay: number;
  momentum: number;
  centered: boolean;
}
/** torch.optim.Rprop keyword arguments (torch's Rprop has no weight_decay). */
export interface RpropHyper {
  lr: number;
  etas: [number, number];
  step_sizes: [number, number];
}
/** torch.optim.Adam keyword arguments. */
export interface AdamHyper {
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
}
/** torch.optim.Adamax keyword arguments. */
export interface AdamaxHyper {
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
}
/** torch.optim.NAdam keyword arguments. */
export interface NAdamHyper {
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  momentum_decay: number;
  decoupled_weight_decay: boolean;
}

/** The full keyword-argument set of each optimizer. */
export interface HyperByOptimizer {
  sgd: SGDHyper;
  momentum: SGDHyper;
  nesterov: SGDHyper;
  adagrad: AdagradHyper;
  adadelta: AdadeltaHyper;
  rmsprop: RMSpropHyper;
  rprop: RpropHyper;
  adam: AdamHyper;
  adamax: AdamaxHyper;
  nadam: NAdamHyper;
}

/** Any subset of an optimizer's keyword arguments; the rest take their defaults. */
export type Hyper<O extends OptimizerName = OptimizerName> = Partial<HyperByOptimizer[O]>;

/** A paper (or lecture) an optimizer comes from. */
export interface Paper {
  authors: string;
  year: number;
  title: string;
  /** Journal, conference or other venue. */
  venue: string;
  arxiv?: string;
}

/**
 * One control of the generated UI. `key` is the torch keyword; tuple keywords (betas, etas, step_sizes)
 * get one control per `index`. For `scale: 'log'` the slider runs over log10(value) and `step` is in
 * decades; for 'linear' over the value itself.
 */
export type HyperControl =
  | {
      kind: 'number';
      key: string;
      index?: 0 | 1;
      label: string;
      default: number;
      min: number;
      max: number;
      step: number;
      scale: 'linear' | 'log';
      help: string;
    }
  | { kind: 'boolean'; key: string; label: string; default: boolean; help: string };

/** Everything the UI needs to know about one optimizer. */
export interface OptimizerInfo<O extends OptimizerName = OptimizerName> {
  id: O;
  /** Display name. */
  name: string;
  /** The PyTorch call it reproduces. */
  torch: string;
  paper: Paper;
  /** Further papers behind options (centered RMSprop, AMSGrad, torch's Nesterov form). */
  seeAlso?: Paper[];
  description: string;
  defaults: Readonly<HyperByOptimizer[O]>;
  controls: readonly HyperControl[];
}

type Num = Extract<HyperControl, { kind: 'number' }>;
const tupleIndex = (index?: 0 | 1) => (index === undefined ? {} : { index });
/** A slider over the value itself. */
const lin = (
  key: string, label: string, def: number, min: number, max: number, step: number, help: string, index?: 0 | 1,
): Num => ({ kind: 'number', key, label, default: def, min, max, step, scale: 'linear', help, ...tupleIndex(index) });
/** A slider over log10(value), in twentieths of a decade. */
const log = (key: string, label: string, def: number, min: number, max: number, help: string, index?: 0 | 1): Num => ({
  kind: 'number', key, label, default: def, min, max, step: 0.05, scale: 'log', help, ...tupleIndex(index),
});
const bool = (key: string, label: string, def: boolean, help: string): HyperControl => ({
  kind: 'boolean', key, label, default: def, help,
});

const LR_HELP = 'learning rate';
const WD_HELP = 'L2 penalty: adds weight_decay·θ to the gradient';
const wdControl = lin('weight_decay', 'weight decay', 0, 0, 1, 0.01, WD_HELP);
const betaControls = (b1: number, b2: number): Num[] => [
  lin('betas', 'β₁', b1, 0, 0.99, 0.01, 'decay of the running mean of gradients', 0),
  lin('betas', 'β₂', b2, 0.9, 0.9999, 0.0001, 'decay of the running mean of squared gradients', 1),
];

const KINGMA_BA: Paper = {
  authors: 'Diederik P. Kingma, Jimmy Ba',
  year: 2014,
  title: 'Adam: A Method for Stochastic Optimization',
  venue: 'ICLR 2015',
  arxiv: '1412.6980',
};
const SUTSKEVER: Paper = {
  authors: 'Ilya Sutskever, James Martens, George Dahl, Geoffrey Hinton',
  year: 2013,
  title: 'On the importance of initialization and momentum in deep learning',
  venue: 'ICML 2013',
};

// torch ≥ 2.2 gives SGD lr = 1e-3 by default (earlier versions required lr); we use the same value.
const SGD_DEFAULTS: SGDHyper = { lr: 1e-3, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false };
const sgdControls = (momentum: number, nesterov: boolean): HyperControl[] => [
  log('lr', 'lr', 1e-3, 1e-5, 1, LR_HELP),
  lin('momentum', 'momentum', momentum, 0, 0.99, 0.01, 'fraction of the previous step kept in the velocity buffer'),
  lin('dampening', 'dampening', 0, 0, 1, 0.05, 'scales the gradient added to the buffer by (1 − dampening)'),
  wdControl,
  bool('nesterov', 'Nesterov', nesterov, 'step with g + momentum·buffer (look-ahead) instead of the buffer'),
];

/** The table: one entry per optimizer. */
export const OPTIMIZERS: { readonly [O in OptimizerName]: OptimizerInfo<O> } = {
  sgd: {
    id: 'sgd',
    name: 'SGD',
    torch: 'torch.optim.SGD(params, lr=1e-3)',
    paper: {
      authors: 'Herbert Robbins, Sutton Monro',
      year: 1951,
      title: 'A Stochastic Approximation Method',
      venue: 'Annals of Mathematical Statistics 22(3)',
    },
    description: 'Step against the gradient: θ ← θ − lr·g.',
    defaults: SGD_DEFAULTS,
    controls: sgdControls(0, false),
  },
  momentum: {
    id: 'momentum',
    name: 'Momentum',
    torch: 'torch.optim.SGD(params, lr=1e-3, momentum=0.9)',
    paper: {
      authors: 'Boris T. Polyak',
      year: 1964,
      title: 'Some methods of speeding up the convergence of iteration methods',
      venue: 'USSR Computational Mathematics and Mathematical Physics 4(5)',
    },
    seeAlso: [SUTSKEVER],
    description: 'Heavy ball: a velocity b ← μ·b + g accumulates past gradients; θ ← θ − lr·b.',
    defaults: { ...SGD_DEFAULTS, momentum: 0.9 },
    controls: sgdControls(0.9, false),
  },
  nesterov: {
    id: 'nesterov',
    name: 'Nesterov',
    torch: 'torch.optim.SGD(params, lr=1e-3, momentum=0.9, nesterov=True)',
    paper: {
      authors: 'Yurii Nesterov',
      year: 1983,
      title: 'A method for solving the convex programming problem with convergence rate O(1/k²)',
      venue: 'Soviet Mathematics Doklady 27',
    },
    seeAlso: [SUTSKEVER],
    description: 'Momentum with a look-ahead: steps along g + μ·b, so the velocity is corrected one step sooner.',
    defaults: { ...SGD_DEFAULTS, momentum: 0.9, nesterov: true },
    controls: sgdControls(0.9, true),
  },
  adagrad: {
    id: 'adagrad',
    name: 'Adagrad',
    torch: 'torch.optim.Adagrad(params)',
    paper: {
      authors: 'John Duchi, Elad Hazan, Yoram Singer',
      year: 2011,
      title: 'Adaptive Subgradient Methods for Online Learning and Stochastic Optimization',
      venue: 'JMLR 12',
    },
    description: 'Divides each coordinate by the root of its summed squared gradients: steps only shrink.',
    defaults: { lr: 1e-2, lr_decay: 0, weight_decay: 0, initial_accumulator_value: 0, eps: 1e-10 },
    controls: [
      log('lr', 'lr', 1e-2, 1e-4, 10, LR_HELP),
      lin('lr_decay', 'lr decay', 0, 0, 0.1, 0.001, 'lr_t = lr / (1 + (t−1)·lr_decay)'),
      wdControl,
      lin('initial_accumulator_value', 'initial accumulator', 0, 0, 1, 0.01, 'starting value of the sum of g²'),
      log('eps', 'ε', 1e-10, 1e-12, 1e-1, 'added to the root before dividing'),
    ],
  },
  adadelta: {
    id: 'adadelta',
    name: 'Adadelta',
    torch: 'torch.optim.Adadelta(params)',
    paper: {
      authors: 'Matthew D. Zeiler',
      year: 2012,
      title: 'ADADELTA: An Adaptive Learning Rate Method',
      venue: 'arXiv preprint',
      arxiv: '1212.5701',
    },
    description: 'Step = RMS of past steps / RMS of gradients: units match θ, so lr defaults to 1.',
    defaults: { lr: 1, rho: 0.9, eps: 1e-6, weight_decay: 0 },
    controls: [
      log('lr', 'lr', 1, 1e-2, 100, 'scales the computed step (1 in the paper)'),
      lin('rho', 'ρ', 0.9, 0.5, 0.999, 0.001, 'decay of both running averages'),
      log('eps', 'ε', 1e-6, 1e-10, 1e-1, 'added inside both roots; sets the size of the first steps'),
      wdControl,
    ],
  },
  rmsprop: {
    id: 'rmsprop',
    name: 'RMSprop',
    torch: 'torch.optim.RMSprop(params)',
    paper: {
      authors: 'Geoffrey Hinton, Nitish Srivastava, Kevin Swersky',
      year: 2012,
      title: 'Neural Networks for Machine Learning, Lecture 6e: rmsprop',
      venue: 'Coursera lecture slides (unpublished)',
    },
    seeAlso: [
      {
        authors: 'Alex Graves',
        year: 2013,
        title: 'Generating Sequences With Recurrent Neural Networks',
        venue: 'arXiv preprint (centered variant)',
        arxiv: '1308.0850',
      },
    ],
    description: 'Divides by the root of a running mean of squared gradients: Adagrad that forgets.',
    defaults: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false },
    controls: [
      log('lr', 'lr', 1e-2, 1e-5, 1, LR_HELP),
      lin('alpha', 'α', 0.99, 0.5, 0.999, 0.001, 'decay of the running mean of squared gradients'),
      log('eps', 'ε', 1e-8, 1e-10, 1e-1, 'added to the root before dividing'),
      wdControl,
      lin('momentum', 'momentum', 0, 0, 0.99, 0.01, 'momentum on the normalised step'),
      bool('centered', 'centered', false, 'divide by an estimate of the standard deviation instead'),
    ],
  },
  rprop: {
    id: 'rprop',
    name: 'Rprop',
    torch: 'torch.optim.Rprop(params)',
    paper: {
      authors: 'Martin Riedmiller, Heinrich Braun',
      year: 1993,
      title: 'A direct adaptive method for faster backpropagation learning: the RPROP algorithm',
      venue: 'IEEE International Conference on Neural Networks 1993',
    },
    description: 'Uses only the sign of g: each coordinate’s step grows ×1.2 while the sign holds, halves when it flips.',
    defaults: { lr: 1e-2, etas: [0.5, 1.2], step_sizes: [1e-6, 50] },
    controls: [
      log('lr', 'lr', 1e-2, 1e-5, 1, 'initial step size of every coordinate'),
      lin('etas', 'η⁻', 0.5, 0.05, 0.95, 0.05, 'step multiplier when the gradient sign flips', 0),
      lin('etas', 'η⁺', 1.2, 1.05, 2, 0.05, 'step multiplier while the sign holds', 1),
      log('step_sizes', 'min step', 1e-6, 1e-9, 1e-2, 'smallest allowed step', 0),
      log('step_sizes', 'max step', 50, 1e-2, 100, 'largest allowed step', 1),
    ],
  },
  adam: {
    id: 'adam',
    name: 'Adam',
    torch: 'torch.optim.Adam(params)',
    paper: KINGMA_BA,
    seeAlso: [
      {
        authors: 'Sashank J. Reddi, Satyen Kale, Sanjiv Kumar',
        year: 2018,
        title: 'On the Convergence of Adam and Beyond (AMSGrad)',
        venue: 'ICLR 2018',
        arxiv: '1904.09237',
      },
    ],
    description: 'Momentum divided by the root of a running mean of g², both bias-corrected.',
    defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false },
    controls: [
      log('lr', 'lr', 1e-3, 1e-5, 1, LR_HELP),
      ...betaControls(0.9, 0.999),
      log('eps', 'ε', 1e-8, 1e-10, 1e-1, 'added to the root before dividing'),
      wdControl,
      bool('amsgrad', 'AMSGrad', false, 'divide by the largest second moment seen so far'),
    ],
  },
  adamax: {
    id: 'adamax',
    name: 'Adamax',
    torch: 'torch.optim.Adamax(params)',
    paper: KINGMA_BA,
    description: 'Adam with the ∞-norm: divides by u ← max(β₂·u, |g| + ε) instead of a root mean square.',
    defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0 },
    controls: [
      log('lr', 'lr', 2e-3, 1e-5, 1, LR_HELP),
      ...betaControls(0.9, 0.999),
      log('eps', 'ε', 1e-8, 1e-10, 1e-1, 'added to |g| inside the max'),
      wdControl,
    ],
  },
  nadam: {
    id: 'nadam',
    name: 'NAdam',
    torch: 'torch.optim.NAdam(params)',
    paper: {
      authors: 'Timothy Dozat',
      year: 2016,
      title: 'Incorporating Nesterov Momentum into Adam',
      venue: 'ICLR 2016 Workshop',
    },
    description: 'Adam with a Nesterov look-ahead and a momentum schedule μ_t = β₁(1 − ½·0.96^(tψ)).',
    defaults: {
      lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, momentum_decay: 4e-3, decoupled_weight_decay: false,
    },
    controls: [
      log('lr', 'lr', 2e-3, 1e-5, 1, LR_HELP),
      ...betaControls(0.9, 0.999),
      log('eps', 'ε', 1e-8, 1e-10, 1e-1, 'added to the root before dividing'),
      wdControl,
      lin('momentum_decay', 'momentum decay ψ', 4e-3, 0, 0.05, 0.001, 'how fast μ_t warms up towards β₁'),
      bool('decoupled_weight_decay', 'decoupled wd', false, 'shrink θ by (1 − lr·wd) instead of adding wd·θ to g'),
    ],
  },
};

/** Whether `name` is one of the optimizer ids. */
export function isOptimizerName(name: string): name is OptimizerName {
  return (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

function fail(msg: string): never {
  throw new RangeError(msg);
}

/**
 * Fill in torch's defaults and check values the way torch's constructors do (same messages), so an
 * invalid slider combination fails loudly instead of producing NaN. Unknown keys are rejected.
 */
export function resolveHyper<O extends OptimizerName>(optimizer: O, hyper: Hyper<O> = {}): HyperByOptimizer[O] {
  const info = OPTIMIZERS[optimizer] as OptimizerInfo<O> | undefined;
  if (!info) fail(`unknown optimizer '${String(optimizer)}'`);
  for (const k of Object.keys(hyper)) {
    if (!(k in info.defaults)) fail(`${info.name} has no hyper-parameter '${k}'`);
  }
  const h = { ...info.defaults, ...hyper } as HyperByOptimizer[O];
  const r = h as unknown as Record<string, unknown>;
  const num = (k: string): number => {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${k} must be a finite number`);
    return v;
  };
  const pair = (k: string): [number, number] => {
    const v = r[k];
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      fail(`${k} must be a pair of finite numbers`);
    }
    return [v[0] as number, v[1] as number];
  };
  const nonNeg = (k: string, label = k): void => {
    if (k in r && !(num(k) >= 0)) fail(`Invalid ${label} value: ${num(k)}`);
  };
  if (num('lr') < 0) fail(`Invalid learning rate: ${num('lr')}`);
  nonNeg('eps', 'epsilon');
  nonNeg('weight_decay');
  nonNeg('momentum');
  nonNeg('lr_decay');
  nonNeg('initial_accumulator_value');
  nonNeg('momentum_decay');
  nonNeg('alpha');
  if ('dampening' in r) num('dampening');
  if ('rho' in r && !(num('rho') >= 0 && num('rho') <= 1)) fail(`Invalid rho value: ${num('rho')}`);
  if ('betas' in r) {
    const [b1, b2] = pair('betas');
    if (!(b1 >= 0 && b1 < 1)) fail(`Invalid beta parameter at index 0: ${b1}`);
    if (!(b2 >= 0 && b2 < 1)) fail(`Invalid beta parameter at index 1: ${b2}`);
  }
  if ('etas' in r) {
    const [em, ep] = pair('etas');
    if (!(em > 0 && em < 1 && ep > 1)) fail(`Invalid eta values: ${em}, ${ep}`);
  }
  if ('step_sizes' in r) {
    const [lo, hi] = pair('step_sizes');
    if (!(lo >= 0 && hi >= lo)) fail(`Invalid step_sizes: ${lo}, ${hi}`);
  }
  if ('nesterov' in r && r.nesterov === true && (num('momentum') <= 0 || num('dampening') !== 0)) {
    fail('Nesterov momentum requires a momentum and zero dampening');
  }
  for (const k of ['nesterov', 'centered', 'amsgrad', 'decoupled_weight_decay']) {
    if (k in r && typeof r[k] !== 'boolean') fail(`${k} must be a boolean`);
  }
  return h;
}

function rawValue<O extends OptimizerName>(optimizer: O, hyper: Hyper<O>, key: string): unknown {
  const full = { ...OPTIMIZERS[optimizer].defaults, ...hyper } as unknown as Record<string, unknown>;
  return full[key];
}

/** The current value of one UI control in a (partial) hyper-parameter set, defaults filled in. */
export function getControlValue<O extends OptimizerName>(
  optimizer: O,
  hyper: Hyper<O>,
  control: HyperControl,
): number | boolean {
  const v = rawValue(optimizer, hyper, control.key);
  if (control.kind === 'number' && control.index !== undefined) return (v as [number, number])[control.index];
  return v as number | boolean;
}

/** A copy of `hyper` with one control set (tuples are copied, not mutated). */
export function setControlValue<O extends OptimizerName>(
  optimizer: O,
  hyper: Hyper<O>,
  control: HyperControl,
  value: number | boolean,
): Hyper<O> {
  const out = { ...hyper } as Record<string, unknown>;
  if (control.kind === 'number' && control.index !== undefined) {
    const next = [...(rawValue(optimizer, hyper, control.key) as [number, number])] as [number, number];
    next[control.index] = value as number;
    out[control.key] = next;
  } else {
    out[control.key] = value;
  }
  return out as Hyper<O>;
}
