import { defineParams } from '../runtime/params';
import { digitInputParams } from '../ui/digits/params';
import { DEFAULT_CONFIG, LAYERS } from './model';

/** What the next training run uses: the labelled digits per class and the seed (Train starts it). */
export const trainParams = defineParams({
  k: { kind: 'number', label: 'Labelled digits per class k', min: 1, max: 50, step: 1, default: DEFAULT_CONFIG.k },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_CONFIG.seed },
});

/** Which transferred depth the race shows: all depths train together, so changing it retrains nothing. */
export const layerParams = defineParams({
  layers: { kind: 'number', label: 'Layers copied n', min: 1, max: LAYERS.length, step: 1, default: 2 },
});

/** A digit 5–9 (or one the reader draws) for the base network to misread: test digit 8 is a 5. */
export const digitParams = digitInputParams(8);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [trainParams, layerParams, digitParams];
