import { defineParams } from '../runtime/params';
import { DEFAULT_CONFIG } from './model';

/** The label-smoothing demo's parameters: one table for controls, URL and validation. */
export const smoothParams = defineParams({
  eps: { kind: 'number', label: 'Smoothing ε', min: 0, max: 0.5, step: 0.01, default: DEFAULT_CONFIG.eps },
  lr: { kind: 'number', label: 'Adam learning rate', min: 0.0001, max: 0.02, step: 0.0001, default: DEFAULT_CONFIG.lr, log: true },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [smoothParams];
