import { defineParams } from '../runtime/params';

/**
 * The pruning demo's parameters: the share of weights each layer of the shipped LeNet-300-100 keeps
 * (defaults: Han et al. 2015's 8 %, 9 % and 26 %) and the seed of the retraining's digit order.
 */
export const pruningParams = defineParams({
  keep1: { kind: 'number', label: 'fc1 kept (%)', min: 1, max: 100, step: 1, default: 8 },
  keep2: { kind: 'number', label: 'fc2 kept (%)', min: 1, max: 100, step: 1, default: 9 },
  keep3: { kind: 'number', label: 'output kept (%)', min: 1, max: 100, step: 1, default: 26 },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [pruningParams];
