import { defineParams } from '../runtime/params';
import { DEFAULT_CONFIG, SCHEDULES, SCHEDULE_NAMES } from './model';

/**
 * The schedules demo's parameters: one table for controls, URL and validation. The warmup's largest value
 * stays below the shortest run, so every pair of values is a valid schedule.
 */
export const scheduleParams = defineParams({
  schedules: {
    kind: 'multi',
    label: 'Schedules',
    options: SCHEDULE_NAMES.map((s) => ({ value: s, label: SCHEDULES[s].name })),
    default: DEFAULT_CONFIG.schedules,
    minCount: 1,
  },
  optimizer: {
    kind: 'choice',
    label: 'Optimizer',
    options: [
      { value: 'sgd', label: 'SGD, momentum 0.9' },
      { value: 'adam', label: 'Adam' },
    ],
    default: DEFAULT_CONFIG.optimizer,
  },
  base: { kind: 'number', label: 'Base rate γ', min: 0.001, max: 1, step: 0.001, default: DEFAULT_CONFIG.base, log: true },
  total: { kind: 'number', label: 'Steps T', min: 200, max: 2000, step: 100, default: DEFAULT_CONFIG.total },
  warmup: { kind: 'number', label: 'Warmup steps W', min: 0, max: 180, step: 10, default: DEFAULT_CONFIG.warmup },
  batch: {
    kind: 'choice',
    label: 'Mini-batch',
    options: ['4', '16', '64', '200'].map((b) => ({ value: b, label: b === '200' ? 'all 200' : b })),
    default: String(DEFAULT_CONFIG.batchSize),
  },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [scheduleParams];
