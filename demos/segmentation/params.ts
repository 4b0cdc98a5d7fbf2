import { defineParams } from '../runtime/params';
import { FLAT_MODELS } from '../runtime/models/zoo';

const RECIPE = FLAT_MODELS['unet-digits'].recipe;
/** The training run's defaults, shared by the page, `npm run reproduce -- segmentation` and the shipped `unet-digits`. */
export const SEGMENTATION_DEFAULTS = { seed: RECIPE.seed, steps: RECIPE.steps, skips: true } as const;

/** The convolution visualiser: which input pixels feed the output pixel the reader picks. */
export const convParams = defineParams({
  kind: {
    kind: 'choice',
    label: 'Operation',
    options: [
      { value: 'transposed', label: 'transposed convolution (upsampling)' },
      { value: 'dilated', label: 'dilated (atrous) convolution' },
    ],
    default: 'transposed',
  },
  kernel: { kind: 'number', label: 'Kernel k', min: 1, max: 7, step: 1, default: 3 },
  stride: { kind: 'number', label: 'Stride s', min: 1, max: 4, step: 1, default: 2 },
  dilation: { kind: 'number', label: 'Dilation d', min: 1, max: 4, step: 1, default: 1 },
  padding: { kind: 'number', label: 'Padding p', min: 0, max: 4, step: 1, default: 0 },
  pick: { kind: 'point', label: 'Output pixel (column, row)', min: [0, 0], max: [39, 39], step: 1, default: [6, 6] },
});

/** The U-Net's training run (in a worker). */
export const unetParams = defineParams({
  steps: {
    kind: 'choice',
    label: 'Training steps',
    options: [
      { value: '200', label: '200' },
      { value: '400', label: '400' },
      { value: '800', label: '800' },
      { value: '1600', label: '1,600' },
    ],
    default: String(SEGMENTATION_DEFAULTS.steps),
  },
  skips: { kind: 'toggle', label: 'Skip connections', default: SEGMENTATION_DEFAULTS.skips },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: SEGMENTATION_DEFAULTS.seed },
});

export const paramTables = [convParams, unetParams];
