import { defineParams, type ParamValues } from '../runtime/params';

/**
 * The two-stage demo's parameters: the scene, Faster R-CNN's anchors (stride, scales, ratios) and the RPN's IoU
 * thresholds; then which digit's box is pooled, into how many bins, for RoI pooling against RoIAlign.
 */
export const twoStageParams = defineParams({
  scene: { kind: 'number', label: 'Scene', min: 1, max: 24, step: 1, default: 2 },
  stride: {
    kind: 'choice',
    label: 'Anchor stride',
    options: ['4', '8', '16'].map((s) => ({ value: s, label: `${s} px` })),
    default: '8',
  },
  scales: {
    kind: 'multi',
    label: 'Anchor scales (side)',
    options: ['8', '16', '24', '32'].map((s) => ({ value: s, label: `${s} px` })),
    default: ['16', '24'],
    minCount: 1,
  },
  ratios: {
    kind: 'multi',
    label: 'Aspect ratios h : w',
    options: [
      { value: '0.5', label: '1 : 2' },
      { value: '1', label: '1 : 1' },
      { value: '2', label: '2 : 1' },
    ],
    default: ['0.5', '1', '2'],
    minCount: 1,
  },
  positive: { kind: 'number', label: 'Positive IoU ≥', min: 0.5, max: 0.9, step: 0.05, default: 0.7 },
  negative: { kind: 'number', label: 'Negative IoU <', min: 0.05, max: 0.5, step: 0.05, default: 0.3 },
  digit: { kind: 'number', label: 'Pooled digit (in the scene)', min: 1, max: 4, step: 1, default: 1 },
  bins: {
    kind: 'choice',
    label: 'Output bins k × k',
    options: ['2', '3', '4', '7'].map((k) => ({ value: k, label: `${k} × ${k}` })),
    default: '3',
  },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [twoStageParams];

/** The demo's values, and the setter its parts share. */
export type Values = ParamValues<typeof twoStageParams>;
export type SetParam = <K extends keyof Values>(key: K, value: Values[K]) => void;
