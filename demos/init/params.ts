import { defineParams } from '../runtime/params';
import { DEFAULT_CONFIG, INITS, INIT_NAMES } from './model';

/** The initialisation demo's parameters: one table for controls, URL and validation. */
export const initParams = defineParams({
  inits: {
    kind: 'multi',
    label: 'Initialisations',
    options: INIT_NAMES.map((n) => ({ value: n, label: INITS[n].name })),
    default: DEFAULT_CONFIG.inits,
    minCount: 1,
  },
  act: {
    kind: 'choice',
    label: 'Non-linearity',
    options: [
      { value: 'relu', label: 'ReLU' },
      { value: 'tanh', label: 'tanh' },
    ],
    default: DEFAULT_CONFIG.act,
  },
  depth: { kind: 'number', label: 'Hidden layers', min: 2, max: 50, step: 1, default: DEFAULT_CONFIG.depth },
  width: {
    kind: 'choice',
    label: 'Units per layer',
    options: ['32', '64', '128', '256'].map((w) => ({ value: w, label: w })),
    default: String(DEFAULT_CONFIG.width),
  },
  lr: { kind: 'number', label: 'SGD learning rate', min: 0.001, max: 0.5, step: 0.001, default: DEFAULT_CONFIG.lr, log: true },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [initParams];
