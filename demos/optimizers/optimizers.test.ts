import { describe, expect, it } from 'vitest';
import {
  getControlValue,
  isOptimizerName,
  OPTIMIZER_NAMES,
  OPTIMIZERS,
  resolveHyper,
  setControlValue,
  type HyperControl,
} from './optimizers';

// The signatures of torch.optim in PyTorch 2.x, typed from its documentation (not from our table).
const TORCH_DEFAULTS = {
  SGD: { lr: 1e-3, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false },
  Adagrad: { lr: 1e-2, lr_decay: 0, weight_decay: 0, initial_accumulator_value: 0, eps: 1e-10 },
  Adadelta: { lr: 1.0, rho: 0.9, eps: 1e-6, weight_decay: 0 },
  RMSprop: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false },
  Rprop: { lr: 1e-2, etas: [0.5, 1.2], step_sizes: [1e-6, 50] },
  Adam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false },
  Adamax: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0 },
  NAdam: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, momentum_decay: 4e-3, decoupled_weight_decay: false },
};

describe('optimizer table', () => {
  it('lists the ten optimizers in order', () => {
    expect(OPTIMIZER_NAMES).toEqual([
      'sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'rprop', 'adam', 'adamax', 'nadam',
    ]);
    expect(isOptimizerName('adam')).toBe(true);
    expect(isOptimizerName('adamw')).toBe(false);
  });

  it("uses torch's defaults (momentum/nesterov: SGD with momentum 0.9, nesterov on)", () => {
    expect(resolveHyper('sgd')).toEqual(TORCH_DEFAULTS.SGD);
    expect(resolveHyper('momentum')).toEqual({ ...TORCH_DEFAULTS.SGD, momentum: 0.9 });
    expect(resolveHyper('nesterov')).toEqual({ ...TORCH_DEFAULTS.SGD, momentum: 0.9, nesterov: true });
    expect(resolveHyper('adagrad')).toEqual(TORCH_DEFAULTS.Adagrad);
    expect(resolveHyper('adadelta')).toEqual(TORCH_DEFAULTS.Adadelta);
    expect(resolveHyper('rmsprop')).toEqual(TORCH_DEFAULTS.RMSprop);
    expect(resolveHyper('rprop')).toEqual(TORCH_DEFAULTS.Rprop);
    expect(resolveHyper('adam')).toEqual(TORCH_DEFAULTS.Adam);
    expect(resolveHyper('adamax')).toEqual(TORCH_DEFAULTS.Adamax);
    expect(resolveHyper('nadam')).toEqual(TORCH_DEFAULTS.NAdam);
  });

  it('has a paper, a description and a torch call for every optimizer', () => {
    for (const name of OPTIMIZER_NAMES) {
      const info = OPTIMIZERS[name];
      expect(info.id).toBe(name);
      expect(info.paper.authors.length).toBeGreaterThan(3);
      expect(info.paper.year).toBeGreaterThanOrEqual(1951);
      expect(info.paper.year).toBeLessThanOrEqual(2016);
      expect(info.paper.venue.length).toBeGreaterThan(3);
      expect(info.description.length).toBeGreaterThan(20);
      expect(info.torch).toMatch(/^torch\.optim\.\w+\(params/);
      if (info.paper.arxiv) expect(info.paper.arxiv).toMatch(/^\d{4}\.\d{4,5}$/);
    }
    expect(OPTIMIZERS.adam.paper.arxiv).toBe('1412.6980');
    expect(OPTIMIZERS.adadelta.paper.arxiv).toBe('1212.5701');
  });

  it('has one control per scalar hyper-parameter, defaults consistent and inside the slider range', () => {
    for (const name of OPTIMIZER_NAMES) {
      const info = OPTIMIZERS[name];
      const covered = new Set<string>();
      for (const c of info.controls) {
        const v = getControlValue(name, {}, c);
        expect(v, `${name}.${c.key}`).toBe(c.default);
        covered.add(c.kind === 'number' && c.index !== undefined ? `${c.key}[${c.index}]` : c.key);
        if (c.kind === 'number') {
          expect(c.min).toBeLessThanOrEqual(c.default);
          expect(c.max).toBeGreaterThanOrEqual(c.default);
          expect(c.step).toBeGreaterThan(0);
          if (c.scale === 'log') expect(c.min).toBeGreaterThan(0);
        }
      }
      const expected = Object.entries(info.defaults).flatMap(([k, v]) =>
        Array.isArray(v) ? [`${k}[0]`, `${k}[1]`] : [k],
      );
      expect([...covered].sort()).toEqual(expected.sort());
    }
  });

  it('sets tuple controls without mutating the input', () => {
    const beta2 = OPTIMIZERS.adam.controls.find((c) => c.key === 'betas' && c.kind === 'number' && c.index === 1) as HyperControl;
    const h0 = { lr: 0.1, betas: [0.8, 0.99] as [number, number] };
    const h1 = setControlValue('adam', h0, beta2, 0.95);
    expect(h1).toEqual({ lr: 0.1, betas: [0.8, 0.95] });
    expect(h0.betas).toEqual([0.8, 0.99]);
    // From defaults: the untouched element keeps torch's value.
    expect(setControlValue('adam', {}, beta2, 0.9)).toEqual({ betas: [0.9, 0.9] });
    const ams = OPTIMIZERS.adam.controls.find((c) => c.key === 'amsgrad') as HyperControl;
    expect(setControlValue('adam', {}, ams, true)).toEqual({ amsgrad: true });
  });
});

describe('resolveHyper validation (as torch constructors)', () => {
  it('rejects what torch rejects', () => {
    expect(() => resolveHyper('sgd', { lr: -1 })).toThrow('Invalid learning rate: -1');
    expect(() => resolveHyper('sgd', { nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => resolveHyper('nesterov', { dampening: 0.1 })).toThrow(/Nesterov/);
    expect(() => resolveHyper('momentum', { momentum: -0.1 })).toThrow('Invalid momentum value: -0.1');
    expect(() => resolveHyper('adam', { betas: [1, 0.999] })).toThrow('Invalid beta parameter at index 0: 1');
    expect(() => resolveHyper('adam', { betas: [0.9, 1.5] })).toThrow('Invalid beta parameter at index 1: 1.5');
    expect(() => resolveHyper('adam', { eps: -1e-8 })).toThrow('Invalid epsilon value');
    expect(() => resolveHyper('rprop', { etas: [1.1, 1.2] })).toThrow('Invalid eta values: 1.1, 1.2');
    expect(() => resolveHyper('adadelta', { rho: 1.5 })).toThrow('Invalid rho value: 1.5');
    expect(() => resolveHyper('adagrad', { lr_decay: -1 })).toThrow('Invalid lr_decay value');
    expect(() => resolveHyper('nadam', { momentum_decay: -1 })).toThrow('Invalid momentum_decay value');
    expect(() => resolveHyper('adam', { lr: NaN })).toThrow(/finite/);
    expect(() => resolveHyper('rprop', { weight_decay: 0.1 } as never)).toThrow("Rprop has no hyper-parameter 'weight_decay'");
    expect(() => resolveHyper('adam', { amsgrad: 1 as unknown as boolean })).toThrow(/boolean/);
    expect(() => resolveHyper('bogus' as 'adam')).toThrow(/unknown optimizer/);
  });

  it('accepts valid settings and keeps given values', () => {
    expect(resolveHyper('nesterov', { lr: 0.05, momentum: 0.5 })).toMatchObject({ lr: 0.05, momentum: 0.5, nesterov: true });
    expect(resolveHyper('rmsprop', { centered: true, momentum: 0.9 })).toMatchObject({ centered: true, momentum: 0.9, alpha: 0.99 });
  });
});
