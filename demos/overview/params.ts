import { defineParams } from '../runtime/params';
import { LOSS_BOX } from './model';

/** The overview demo's parameters: one table for controls, URL and validation. */
export const overviewParams = defineParams({
  batch: { kind: 'number', label: 'Batch size B', min: 1, max: 512, step: 1, default: 8, log: true, help: 'Examples per mini-batch (N = 512)' },
  theta: {
    kind: 'point',
    label: 'Point θ = (w, b)',
    min: [LOSS_BOX.xMin, LOSS_BOX.yMin],
    max: [LOSS_BOX.xMax, LOSS_BOX.yMax],
    step: 0.01,
    default: [-0.5, 1.5],
  },
  lr: { kind: 'number', label: 'Learning rate γ (GD and SGD)', min: 0.01, max: 1.2, step: 0.01, default: 0.3 },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
  kappa: { kind: 'number', label: 'Condition number κ', min: 1, max: 100, step: 0.1, default: 20, log: true },
  angle: { kind: 'number', label: 'Rotation of the valley (°)', min: 0, max: 180, step: 1, default: 30 },
  qlr: { kind: 'number', label: 'GD learning rate γ (λₘₐₓ = 1)', min: 0.05, max: 2.5, step: 0.01, default: 1.5 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [overviewParams];
