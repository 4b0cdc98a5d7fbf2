/**
 * How many calls a segmented pass (./segmented-grad.ts) takes, in plain TypeScript: a view whose model runs in a
 * worker sizes its run's budget with it without loading tfjs.
 */

/**
 * Calls of `advance(units, backwardCost)` that a pass takes through `forwardUnits` forward units that do work
 * and then `backwardUnits` backward ones (a chain of n segments whose last one keeps no forward result has
 * n − 1 and n), as advance packs them.
 */
export function callsOfPass(forwardUnits: number, backwardUnits: number, units: number, backwardCost = 1): number {
  const want = Math.max(1, Math.floor(units));
  let calls = 0;
  for (let u = 0; u < forwardUnits + backwardUnits; calls++) {
    for (let done = 0; done < want && u < forwardUnits + backwardUnits; u++) done += u < forwardUnits ? 1 : backwardCost;
  }
  return calls;
}
