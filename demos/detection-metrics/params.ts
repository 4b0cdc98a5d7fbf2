import { defineParams } from '../runtime/params';

/** Side of the IoU playground, in its own units. */
export const FIELD = 100;

/**
 * The detection-metrics demo's parameters: the two boxes of the IoU playground (top-left corner and size), the
 * scene and NMS rule shown step by step, and the class and IoU threshold of the precision–recall curve.
 */
export const metricsParams = defineParams({
  a: { kind: 'point', label: 'Box A corner', min: [0, 0], max: [FIELD - 4, FIELD - 4], step: 1, default: [12, 18] },
  aSize: { kind: 'point', label: 'Box A size', min: [4, 4], max: [FIELD, FIELD], step: 1, default: [44, 40] },
  b: { kind: 'point', label: 'Box B corner', min: [0, 0], max: [FIELD - 4, FIELD - 4], step: 1, default: [34, 34] },
  bSize: { kind: 'point', label: 'Box B size', min: [4, 4], max: [FIELD, FIELD], step: 1, default: [50, 44] },
  scene: { kind: 'number', label: 'Scene', min: 1, max: 24, step: 1, default: 1 },
  method: {
    kind: 'choice',
    label: 'Suppression',
    options: [
      { value: 'greedy', label: 'greedy NMS' },
      { value: 'linear', label: 'Soft-NMS, linear' },
      { value: 'gaussian', label: 'Soft-NMS, Gaussian σ = 0.5' },
    ],
    default: 'greedy',
  },
  nmsIou: { kind: 'number', label: 'NMS IoU threshold', min: 0.1, max: 0.9, step: 0.05, default: 0.5 },
  cls: { kind: 'choice', label: 'Class (digit)', options: Array.from({ length: 10 }, (_, d) => ({ value: String(d), label: String(d) })), default: '2' },
  matchIou: { kind: 'number', label: 'Match IoU threshold', min: 0.5, max: 0.95, step: 0.05, default: 0.5 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [metricsParams];
