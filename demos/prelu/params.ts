import { defineParams } from '../runtime/params';
import { DEFAULT_CONFIG } from './model';

/** The slope drawn in the function chart: changing it restarts nothing. */
export const shapeParams = defineParams({
  a: { kind: 'number', label: 'Slope a (chart)', min: -0.5, max: 1.5, step: 0.01, default: 0.25 },
});

/** The training run's parameters: changing one restarts the three nets. */
export const trainParams = defineParams({
  mode: {
    kind: 'choice',
    label: 'PReLU slopes',
    options: [
      { value: 'channel', label: 'per unit' },
      { value: 'shared', label: 'per layer' },
    ],
    default: DEFAULT_CONFIG.mode,
  },
  init: { kind: 'number', label: 'Initial slope', min: 0, max: 1, step: 0.05, default: DEFAULT_CONFIG.init },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [shapeParams, trainParams];
