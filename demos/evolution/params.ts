import { defineParams } from '../runtime/params';

/** The evolution demo's parameters (controls, URL, validation). S > P is refused with a message in the frame. */
export const evolutionParams = defineParams({
  population: { kind: 'number', label: 'Population P', min: 4, max: 100, step: 1, default: 20 },
  sample: { kind: 'number', label: 'Tournament S', min: 1, max: 50, step: 1, default: 5 },
  budget: { kind: 'number', label: 'Budget (trials)', min: 50, max: 1000, step: 10, default: 300 },
  runs: { kind: 'number', label: 'Seeds per method', min: 5, max: 200, step: 5, default: 50 },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [evolutionParams];
