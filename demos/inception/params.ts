import { defineParams } from '../runtime/params';
import { INCEPTION_3A } from './model';

const width = (label: string, d: number) => ({ kind: 'number' as const, label, min: 1, max: 512, step: 1, default: d });

/** The inception demo's parameters: the module's sizes (default: inception 3a) and the digit it runs on. */
export const inceptionParams = defineParams({
  size: {
    kind: 'choice',
    label: 'Input size',
    options: ['7', '14', '28', '56'].map((v) => ({ value: v, label: `${v}×${v}` })),
    default: String(INCEPTION_3A.size),
  },
  cin: { kind: 'number', label: 'Input channels', min: 1, max: 1024, step: 1, default: INCEPTION_3A.cin },
  n1: width('#1×1', INCEPTION_3A.n1),
  r3: width('#3×3 reduce', INCEPTION_3A.r3),
  n3: width('#3×3', INCEPTION_3A.n3),
  r5: width('#5×5 reduce', INCEPTION_3A.r5),
  n5: width('#5×5', INCEPTION_3A.n5),
  pp: width('pool proj', INCEPTION_3A.pp),
  digit: { kind: 'number', label: 'Test digit', min: 0, max: 4999, step: 1, default: 0 },
  seed: { kind: 'number', label: 'Weights seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [inceptionParams];
