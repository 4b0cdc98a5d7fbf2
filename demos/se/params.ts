import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';

/** Which SE block is shown, and the reduction ratio r of the cost table. */
export const seParams = defineParams({
  block: {
    kind: 'choice',
    label: 'SE block',
    options: [
      { value: 'se1', label: '1 (conv1, 16 maps)' },
      { value: 'se2', label: '2 (conv2, 32 maps)' },
    ],
    default: 'se2',
  },
  r: {
    kind: 'choice',
    label: 'Reduction ratio r (cost table)',
    options: ['1', '2', '4', '8', '16', '32'].map((v) => ({ value: v, label: v })),
    default: '16',
  },
});

/** The digit fed to the network: a test digit, a drawn one or an upload. */
export const digitParams = digitInputParams(0);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [seParams, digitParams];
