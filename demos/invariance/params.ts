import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';

/** What the curves sweep, and the motion of the digit shown (and of the sweep's other coordinates). */
export const motionParams = defineParams({
  sweep: {
    kind: 'choice',
    label: 'Curve against',
    options: [
      { value: 'x', label: 'horizontal shift' },
      { value: 'y', label: 'vertical shift' },
      { value: 'rotate', label: 'rotation' },
    ],
    default: 'x',
  },
  dx: { kind: 'number', label: 'Shift right (px)', min: -8, max: 8, step: 1, default: 3 },
  dy: { kind: 'number', label: 'Shift down (px)', min: -8, max: 8, step: 1, default: 0 },
  degrees: { kind: 'number', label: 'Rotate (°, counter-clockwise)', min: -90, max: 90, step: 5, default: 0 },
});

/** The digit moved: a test digit, a drawn one or an upload. */
export const digitParams = digitInputParams(0);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [motionParams, digitParams];
