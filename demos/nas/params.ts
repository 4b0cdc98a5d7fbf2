import { defineParams } from '../runtime/params';
import { REINFORCE_DEFAULTS } from '../runtime/nasbench/search';

/** The NAS demo's parameters (controls, URL, validation). */
export const nasParams = defineParams({
  learningRate: { kind: 'number', label: 'Step size α', min: 0.5, max: 100, step: 0.5, default: REINFORCE_DEFAULTS.learningRate, log: true },
  baselineDecay: { kind: 'number', label: 'Baseline decay β', min: 0, max: 0.99, step: 0.01, default: REINFORCE_DEFAULTS.baselineDecay },
  budget: { kind: 'number', label: 'Budget (trials)', min: 50, max: 1000, step: 10, default: 300 },
  runs: { kind: 'number', label: 'Seeds per method', min: 5, max: 200, step: 5, default: 50 },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [nasParams];
