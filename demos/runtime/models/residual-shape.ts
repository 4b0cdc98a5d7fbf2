/** A residual stack of dense layers described by its sizes alone: plain numbers, no tfjs (./residual.ts builds it). */
/** Sizes of a residual stack: `inputs` → stem of `width` → `blocks` blocks of two `width`×`width` layers → `classes`. */
export interface ResidualShape {
  inputs: number;
  width: number;
  blocks: number;
  classes: number;
  /** Batch normalization after each hidden layer's matMul (before its ReLU or the addition), as the paper does. */
  batchNorm: boolean;
}

/** Layer sizes of the whole stack, input first: [inputs, width, (2·blocks times) width, classes]. */
export function residualSizes(s: ResidualShape): number[] {
  return [s.inputs, s.width, ...Array.from({ length: 2 * s.blocks }, () => s.width), s.classes];
}

/** Number of weighted layers (stem, 2 per block, head): the "depth" that the paper counts. */
export function weightedLayers(s: ResidualShape): number {
  return 2 * s.blocks + 2;
}
