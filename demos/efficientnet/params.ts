import { defineParams } from '../runtime/params';
import { gridCandidates } from './model';
import { LIMITS } from './search';

/** The scaling calculator: φ and the three bases (the paper's by default). */
export const calcParams = defineParams({
  phi: { kind: 'number', label: 'Compound coefficient φ', min: 0, max: 8, step: 0.1, default: 1 },
  alpha: { kind: 'number', label: 'Depth base α', min: 1, max: 2, step: 0.01, default: 1.2 },
  beta: { kind: 'number', label: 'Width base β', min: 1, max: 2, step: 0.01, default: 1.1 },
  gamma: { kind: 'number', label: 'Resolution base γ', min: 1, max: 2, step: 0.01, default: 1.15 },
});

/** The live search's budget and seed. */
export const searchParams = defineParams({
  candidates: { kind: 'number', label: 'Grid candidates at φ = 1', min: LIMITS.candidates[0], max: Math.min(LIMITS.candidates[1], gridCandidates().length), step: 1, default: 6 },
  steps: { kind: 'number', label: 'Training steps per child', min: LIMITS.steps[0], max: LIMITS.steps[1], step: 10, default: 150 },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [calcParams, searchParams];
