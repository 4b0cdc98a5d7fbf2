import { defineParams } from '../runtime/params';
import { CARDINALITIES } from './model';

/** The ResNeXt demo's parameters: the cardinality C (the path width d follows from the equal budget) and a seed. */
export const resnextParams = defineParams({
  c: {
    kind: 'choice',
    label: 'Cardinality C',
    options: CARDINALITIES.map((c) => ({ value: String(c), label: String(c) })),
    default: '32',
  },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [resnextParams];
