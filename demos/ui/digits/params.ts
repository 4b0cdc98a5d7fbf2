import { defineParams } from '../../runtime/params';

/**
 * The parameters of a DigitInput, kept in the URL so a link opens the same digit: how the digit is given and
 * which test digit (an index into the first published test shard, 5,000 digits: the one useTestDigits loads).
 */
export function digitInputParams(defaultDigit = 0) {
  return defineParams({
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
    digit: { kind: 'number', label: 'Test digit no.', min: 0, max: 4999, step: 1, default: defaultDigit },
  });
}
