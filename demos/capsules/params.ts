import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';

/** The CapsNet panel: which routing iteration the maps and bars show. */
export const routingParams = defineParams({
  iteration: { kind: 'number', label: 'Routing iteration', min: 1, max: 5, step: 1, default: 3 },
});

/** The digit routed: a test digit, a drawn one or an upload. */
export const digitParams = digitInputParams(0);

/** The parts-and-wholes panel: which part the reader moves, by how much, and how many routing iterations run. */
export const partsParams = defineParams({
  part: {
    kind: 'choice',
    label: 'Move the',
    options: [
      { value: 'triangle', label: 'triangle' },
      { value: 'rectangle', label: 'rectangle' },
    ],
    default: 'triangle',
  },
  dx: { kind: 'number', label: 'Right', min: -1, max: 1, step: 0.05, default: 0 },
  dy: { kind: 'number', label: 'Up', min: -1, max: 1, step: 0.05, default: 0 },
  turn: { kind: 'number', label: 'Turn (°, counter-clockwise)', min: -180, max: 180, step: 5, default: 0 },
  rounds: { kind: 'number', label: 'Iterations', min: 1, max: 5, step: 1, default: 3 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [routingParams, digitParams, partsParams];
