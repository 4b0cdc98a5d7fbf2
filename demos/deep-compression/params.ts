import { defineParams } from '../runtime/params';

/** The Deep Compression demo's parameters: which stage's shipped bytes to decode and score, on how many test digits. */
export const deepCompressionParams = defineParams({
  stage: {
    kind: 'choice',
    label: 'Decode and score',
    options: [
      { value: 'huffman', label: 'pruned + shared + Huffman' },
      { value: 'quantized', label: 'pruned + shared' },
      { value: 'pruned', label: 'pruned' },
    ],
    default: 'huffman',
  },
  digits: {
    kind: 'choice',
    label: 'Test digits',
    options: [
      { value: '10000', label: 'all 10,000' },
      { value: '1000', label: 'first 1,000' },
    ],
    default: '10000',
  },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [deepCompressionParams];
