import { defineParams } from '../runtime/params';

/** The XNOR-Net demo's parameters: which conv2 filter (and which of its input channels) is shown binarised. */
export const xnorParams = defineParams({
  filter: { kind: 'number', label: 'conv2 filter', min: 0, max: 31, step: 1, default: 0 },
  channel: { kind: 'number', label: 'Its input channel', min: 0, max: 15, step: 1, default: 0 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [xnorParams];
