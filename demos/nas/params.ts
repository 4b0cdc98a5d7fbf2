import { defineParams } from '../runtime/params';
import { CONTROLLER_DEFAULTS } from '../runtime/nasbench/controller';

/** The NAS demo's parameters (controls, URL, validation). */
export const nasParams = defineParams({
  learningRate: { kind: 'number', label: 'Adam step size α', min: 0.001, max: 0.5, step: 0.001, default: CONTROLLER_DEFAULTS.learningRate, log: true },
  baselineDecay: { kind: 'number', label: 'Baseline decay β', min: 0, max: 0.99, step: 0.01, default: CONTROLLER_DEFAULTS.baselineDecay },
  budget: { kind: 'number', label: 'Budget (trials)', min: 50, max: 1000, step: 10, default: 300 },
  runs: { kind: 'number', label: 'Seeds per method', min: 5, max: 200, step: 5, default: 20 },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Which child "Train this child live" trains: a cell of the benchmark, or −1 for the first REINFORCE seed's best so far. */
export const childParams = defineParams({
  child: { kind: 'number', label: 'Child to train live (−1: the first seed’s best so far)', min: -1, max: 511, step: 1, default: -1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [nasParams, childParams];
