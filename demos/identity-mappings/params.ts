import { defineParams } from '../runtime/params';
import { DEFAULT_CONFIG, UNIT_VARIANTS, VARIANT_NAMES } from './model';

/** The identity-mappings demo's parameters: one table for controls, URL and validation. */
export const identityParams = defineParams({
  variants: {
    kind: 'multi',
    label: 'Unit variants',
    options: UNIT_VARIANTS.map((v) => ({ value: v, label: VARIANT_NAMES[v] })),
    default: DEFAULT_CONFIG.variants,
    minCount: 1,
  },
  lambda: { kind: 'number', label: 'Shortcut scale λ', min: 0.5, max: 1.5, step: 0.05, default: DEFAULT_CONFIG.lambda },
  units: { kind: 'number', label: 'Residual units', min: 10, max: 100, step: 10, default: DEFAULT_CONFIG.units },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [identityParams];
