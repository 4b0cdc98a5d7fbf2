import { defineParams } from '../runtime/params';
import { DEFAULT_CONFIG } from './counts';

/** The depths 6N + 4 the explorer offers, N = 1 … 16. */
export const DEPTHS = Array.from({ length: 16 }, (_, i) => 10 + 6 * i);

/** The Wide ResNet demo's parameters: the explorer's WRN-n-k and the live comparison's two nets. */
export const wideParams = defineParams({
  n: { kind: 'choice', label: 'Depth n of WRN-n-k (6N + 4)', options: DEPTHS.map((d) => ({ value: String(d), label: String(d) })), default: '28' },
  k: { kind: 'number', label: 'Widening factor k', min: 1, max: 16, step: 1, default: 10 },
  thinWidth: { kind: 'choice', label: 'Deep-thin net: width', options: [{ value: '16', label: '16' }, { value: '32', label: '32' }, { value: '48', label: '48' }], default: String(DEFAULT_CONFIG.thinWidth) },
  thinBlocks: { kind: 'number', label: 'Deep-thin net: residual blocks', min: 2, max: 16, step: 1, default: DEFAULT_CONFIG.thinBlocks },
  wideBlocks: { kind: 'number', label: 'Shallow-wide net: residual blocks', min: 1, max: 4, step: 1, default: DEFAULT_CONFIG.wideBlocks },
  lr: { kind: 'number', label: 'SGD learning rate (momentum 0.9)', min: 0.001, max: 0.1, step: 0.001, default: DEFAULT_CONFIG.lr, log: true },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [wideParams];
