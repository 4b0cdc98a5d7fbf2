import { defineParams } from '../runtime/params';

/** SqueezeNet's metaparameters (the paper's defaults) and one fire module to cost. */
export const squeezeParams = defineParams({
  sr: { kind: 'number', label: 'Squeeze ratio SR', min: 0.125, max: 1, step: 0.125, default: 0.125 },
  pct3x3: { kind: 'number', label: '3×3 share of the expand filters', min: 0, max: 1, step: 0.125, default: 0.5 },
  baseE: { kind: 'number', label: 'base_e (expand filters of fire2)', min: 16, max: 256, step: 16, default: 128 },
  incrE: { kind: 'number', label: 'incr_e (added every freq modules)', min: 0, max: 256, step: 16, default: 128 },
  build: { kind: 'toggle', label: 'Build it in tfjs and run a 64×64 image through it', default: true },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [squeezeParams];
