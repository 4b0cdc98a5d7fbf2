import { defineParams } from '../runtime/params';

/**
 * The live classifier's parameters, kept in the URL so a link opens the same test digit. `digit` is an
 * index into the first published test shard (5,000 digits: the only one this demo downloads).
 */
export const liveParams = defineParams({
  input: {
    kind: 'choice',
    label: 'Input',
    options: [
      { value: 'test', label: 'Test digit' },
      { value: 'draw', label: 'Draw' },
      { value: 'upload', label: 'Upload' },
    ],
    default: 'test',
  },
  digit: { kind: 'number', label: 'Test digit no.', min: 0, max: 4999, step: 1, default: 0 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [liveParams];
