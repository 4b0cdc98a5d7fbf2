import { defineParams } from '../runtime/params';

/** The Xception demo's parameters: which test digit's feature maps go through the module, and the weights' seed. */
export const xceptionParams = defineParams({
  digit: { kind: 'number', label: 'Test digit #', min: 0, max: 99, step: 1, default: 0 },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: 1 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [xceptionParams];
