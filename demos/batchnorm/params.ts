import { defineParams } from '../runtime/params';
import { DEFAULT_CONFIG } from './model';

/** The batch-normalization demo's parameters: one table for controls, URL and validation. */
export const bnParams = defineParams({
  lr: { kind: 'number', label: 'SGD learning rate (both nets)', min: 0.005, max: 5, step: 0.005, default: DEFAULT_CONFIG.lr, log: true },
  act: {
    kind: 'choice',
    label: 'Non-linearity',
    options: [
      { value: 'relu', label: 'ReLU' },
      { value: 'sigmoid', label: 'sigmoid' },
    ],
    default: DEFAULT_CONFIG.act,
  },
  depth: { kind: 'number', label: 'Hidden layers', min: 2, max: 16, step: 1, default: DEFAULT_CONFIG.depth },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [bnParams];
