/**
 * Steps a full timing sweep takes (./timing.ts): a warm-up and `repeats` timed samples per configuration, `parts` steps
 * each (a split sweep's paths); split, the warm-up takes `warmupRuns` steps, the sum of the paths' warm-up runs (one
 * each by default). Its own module, without tfjs, so that a page whose kernels are timed in a worker can count them.
 */
export const sweepSteps = (configurations: number, repeats = 5, parts = 1, warmupRuns = parts) => configurations * (repeats * parts + warmupRuns);
