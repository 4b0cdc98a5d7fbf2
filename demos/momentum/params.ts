import { defineParams } from '../runtime/params';
import { DEFAULT_RUN, METHODS, METHOD_NAMES } from './model';

/**
 * The momentum demo's parameters: the quadratic's spectrum and rotation, the point (γ, μ) of the plane that
 * the heavy ball and Nesterov run at, which method's plane is drawn, Adam's rate, the optimizers shown and
 * the step budget. The start is fixed (error 1 along every eigen-direction), so there is no seed.
 */
export const momentumParams = defineParams({
  kappa: { kind: 'number', label: 'Condition number κ = λ_max/λ_min', min: 1, max: 10000, step: 1, default: 100, log: true },
  lmax: { kind: 'number', label: 'Largest eigenvalue λ_max', min: 0.1, max: 10, step: 0.01, default: 1, log: true },
  count: { kind: 'number', label: 'Eigen-directions n', min: 2, max: 6, step: 1, default: DEFAULT_RUN.lambdas.length },
  angle: { kind: 'number', label: 'Rotation of the eigenbasis (degrees)', min: 0, max: 45, step: 1, default: 0 },
  plane: {
    kind: 'choice',
    label: 'Plane of',
    options: [
      { value: 'heavy', label: 'heavy ball' },
      { value: 'nesterov', label: 'Nesterov' },
    ],
    default: 'heavy',
  },
  gamma: { kind: 'number', label: 'Learning rate γ', min: 0.001, max: 45, step: 0.001, default: DEFAULT_RUN.gamma, log: true },
  mu: { kind: 'number', label: 'Momentum μ', min: 0, max: 0.99, step: 0.001, default: DEFAULT_RUN.mu },
  methods: {
    kind: 'multi',
    label: 'Optimizers',
    options: METHODS.map((m) => ({ value: m, label: METHOD_NAMES[m] })),
    default: DEFAULT_RUN.methods,
    minCount: 1,
  },
  adamLr: { kind: 'number', label: "Adam's learning rate", min: 0.001, max: 1, step: 0.001, default: DEFAULT_RUN.adamLr, log: true },
  steps: { kind: 'number', label: 'Step budget', min: 100, max: 3000, step: 50, default: 400 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [momentumParams];
