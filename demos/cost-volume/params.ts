import { defineParams } from '../runtime/params';
import { HEIGHT, WIDTH } from './model';

/** The cost volume's parameters: the search range, the patch, the cost, the frames' seed and the inspected pixel. */
export const costVolumeParams = defineParams({
  maxD: { kind: 'number', label: 'Search range D (px)', min: 1, max: 6, step: 1, default: 4 },
  radius: { kind: 'number', label: 'Patch radius r (patch 2r + 1 px)', min: 0, max: 3, step: 1, default: 1 },
  cost: {
    kind: 'choice',
    label: 'Matching cost',
    options: [
      { value: 'ssd', label: 'squared differences (SSD)' },
      { value: 'corr', label: 'correlation (FlowNet)' },
    ],
    default: 'ssd',
  },
  seed: { kind: 'number', label: 'Seed (digits and shifts)', min: 1, max: 9999, step: 1, default: 1 },
  pixel: { kind: 'point', label: 'Inspected pixel (x, y)', min: [0, 0], max: [WIDTH - 1, HEIGHT - 1], step: 1, default: [32, 38] },
});

export const paramTables = [costVolumeParams];
