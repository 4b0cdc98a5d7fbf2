import { defineParams } from '../runtime/params';
import { DEFAULT_CONFIG } from './model';

/** The ResNet demo's parameters: one table for controls, URL and validation. */
export const resnetParams = defineParams({
  depth: { kind: 'number', label: 'Hidden layers (2 per block)', min: 2, max: 32, step: 2, default: DEFAULT_CONFIG.depth },
  bn: { kind: 'toggle', label: 'Batch norm', default: DEFAULT_CONFIG.batchNorm },
  lr: { kind: 'number', label: 'SGD learning rate (momentum 0.9)', min: 0.001, max: 0.1, step: 0.001, default: DEFAULT_CONFIG.lr, log: true },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [resnetParams];
