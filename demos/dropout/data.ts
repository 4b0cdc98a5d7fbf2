/**
 * The dropout pair's seeds and data, in plain TypeScript (no tfjs): the page draws the training points while the
 * pair starts in the demo's worker, and ./model.ts's createPair trains on the same points.
 */
import { mulberry32 } from '../runtime/random';
import { makeData, type DataOptions, type MoonsData } from '../runtime/data/moons';

/** The decision regions are evaluated at BOUNDARY_RES × BOUNDARY_RES points. */
export const BOUNDARY_RES = 48;

/** The seeds a pair's run draws from its one seed, in this order: the data, the shared initial weights, the masks and batches. */
export function pairSeeds(seed: number): { data: number; init: number; masks: number } {
  const seeds = mulberry32(seed);
  const next = () => Math.floor(seeds() * 2 ** 32);
  const data = next();
  const init = next();
  return { data, init, masks: next() };
}

/** The two-moons data a pair with this seed and these options trains and tests on. */
export function pairData(seed: number, options: Partial<DataOptions> = {}): MoonsData {
  return makeData(pairSeeds(seed).data, options);
}
