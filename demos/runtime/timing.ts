/**
 * Timing real tfjs kernels on the current backend, one sample (or, split, one path of a sample) per step, so a demo
 * can spread a sweep over animation frames and the page never freezes. Used by the MobileNet, ResNeXt, ShuffleNet
 * and XNOR-Net demos. No React, no DOM.
 */
import { tf } from './tf';
import type { Simulation } from './simulation';

/** The median of some numbers; NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** A timed sample repeats its kernel until this many milliseconds have passed (browsers round performance.now to
 * 0.1 ms or coarser), at most MAX_RUNS times. */
const MIN_MS = 1;
const MAX_RUNS = 32;

/**
 * The mean wall-clock milliseconds of one run of `run`, from dispatch to its result read back, repeated until
 * a millisecond has passed (at most 32 runs). Each result is disposed; `run` must free its intermediates (tf.tidy).
 */
export async function timeKernel(run: () => tf.Tensor, now: () => number = () => performance.now()): Promise<number> {
  const t0 = now();
  let runs = 0;
  let elapsed = 0;
  do {
    const y = run();
    try {
      await y.data();
    } finally {
      y.dispose();
    }
    runs++;
    elapsed = now() - t0;
  } while (elapsed < MIN_MS && runs < MAX_RUNS);
  return elapsed / runs;
}

/** One configuration of a sweep: the paths to time (each returns a fresh tensor) and the tensors they read. */
export interface SweepCase<P extends string> {
  paths: Record<P, () => tf.Tensor>;
  /** Freed when the sweep moves on to the next configuration, or on dispose. */
  tensors: tf.Tensor[];
}

export interface SweepOptions<P extends string> {
  /** Number of configurations. */
  size: number;
  /** The paths, in the order each sample times them. */
  paths: readonly P[];
  /** Makes configuration i's inputs and weights; called once per configuration, just before its warm-up. */
  make(i: number): SweepCase<P>;
  /** Timed samples per configuration, after one untimed warm-up (5 by default). */
  repeats?: number;
  /**
   * Untimed runs of a path at each configuration's warm-up (1 by default): a JavaScript kernel needs a few for the
   * JIT. Split, each run is a step of its own (see {@link sweepSteps}).
   */
  warmups?: Partial<Record<P, number>>;
  /**
   * Take the samples round-robin over the configurations (all made at creation and warmed up first, all their
   * tensors alive until dispose) instead of one configuration after the other: a change of load on the machine then hits every row
   * alike, where in order it would favour some rows over others. Off by default.
   */
  interleave?: boolean;
  /**
   * One path per step instead of every path of a sample in one: a step then costs one kernel's time, not the sum
   * of all paths' (a sample's paths run in consecutive steps, so {@link sweepSteps} counts paths × samples, and each
   * warm-up run is a step too). Off by default.
   */
  split?: boolean;
  /** The clock; performance.now by default. */
  now?: () => number;
}

export interface SweepFrame<P extends string> {
  /** Per configuration, the median milliseconds of each path over its samples so far (NaN before the first). */
  medians: Record<P, number>[];
  /** Per configuration, the samples taken. */
  samples: number[];
  /** Index of the configuration the next step times, `size` when all are done. */
  current: number;
  done: boolean;
  steps: number;
}

/**
 * A sweep of kernel timings as a Simulation: each step takes one sample of one configuration. A configuration's
 * first step runs every path once untimed (kernel compilation, uploads); each later step times every path with
 * {@link timeKernel}. In order (the default), a configuration's tensors are made at its first step and live until the
 * next one replaces them; interleaved, all are made at creation and live until dispose. Either way the tensor count
 * is the same after every step; dispose() frees them.
 */
export function createTimingSweep<P extends string>(o: SweepOptions<P>): Simulation<SweepFrame<P>> {
  if (!(Number.isInteger(o.size) && o.size >= 1)) throw new RangeError(`a sweep needs at least one configuration, got ${o.size}`);
  if (o.paths.length === 0) throw new RangeError('a sweep needs at least one path to time');
  const repeats = o.repeats ?? 5;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new RangeError(`repeats must be a whole number ≥ 1, got ${repeats}`);
  const now = o.now ?? (() => performance.now());
  const samples = Array.from({ length: o.size }, () => Object.fromEntries(o.paths.map((p) => [p, [] as number[]])) as Record<P, number[]>);
  const live: (SweepCase<P> | null)[] = new Array(o.size).fill(null);
  const warmRuns = (p: P) => Math.max(1, Math.floor(o.warmups?.[p] ?? 1));
  // The plan, one entry per step: the configuration, the paths it runs, and whether untimed (a warm-up). Unsplit, a
  // warm-up step runs every path's warm-up runs and a sample step every path; split, one run of one path per step.
  type Slot = { index: number; paths: readonly P[]; warmup: boolean };
  const warmupSlots = (index: number): Slot[] =>
    o.split ? o.paths.flatMap((p) => Array.from({ length: warmRuns(p) }, () => ({ index, paths: [p], warmup: true }))) : [{ index, paths: o.paths, warmup: true }];
  const sampleSlots = (index: number): Slot[] => (o.split ? o.paths.map((p) => ({ index, paths: [p], warmup: false })) : [{ index, paths: o.paths, warmup: false }]);
  const configurations = Array.from({ length: o.size }, (_, i) => i);
  const rounds = Array.from({ length: repeats }, () => configurations);
  const plan: Slot[] = o.interleave
    ? [...configurations.flatMap(warmupSlots), ...rounds.flatMap((r) => r.flatMap(sampleSlots))]
    : configurations.flatMap((i) => [...warmupSlots(i), ...Array.from({ length: repeats }, () => sampleSlots(i)).flat()]);
  const total = plan.length;
  let steps = 0;
  let disposed = false;

  const free = (i: number) => {
    const c = live[i];
    if (c) tf.dispose(c.tensors);
    live[i] = null;
  };
  // Interleaved, every configuration is made at once, so the tensor count is flat from the start.
  if (o.interleave) for (let i = 0; i < o.size; i++) live[i] = o.make(i);

  async function sampleOnce(): Promise<void> {
    const { index, paths, warmup } = plan[steps];
    if (!live[index]) {
      // In order: a configuration is made at its first warm-up step, replacing the one before.
      if (index > 0) free(index - 1);
      live[index] = o.make(index);
    }
    const c = live[index]!;
    const times: number[] = [];
    for (const p of paths) {
      if (warmup && !o.split) for (let r = 1; r < warmRuns(p); r++) await timeKernel(c.paths[p], now);
      times.push(await timeKernel(c.paths[p], now));
    }
    if (!warmup) paths.forEach((p, i) => samples[index][p].push(times[i]));
  }

  const frame = (): SweepFrame<P> => ({
    medians: samples.map((s) => Object.fromEntries(o.paths.map((p) => [p, median(s[p])])) as Record<P, number>),
    samples: samples.map((s) => s[o.paths[o.paths.length - 1]].length), // complete samples: every path's
    current: steps < total ? plan[steps].index : o.size,
    done: steps >= total,
    steps,
  });

  return {
    async step(k: number) {
      if (disposed) throw new Error('the kernel timer was disposed');
      for (let i = 0; i < k && steps < total; i++) {
        await sampleOnce();
        steps++;
      }
      return frame();
    },
    dispose() {
      disposed = true;
      for (let i = 0; i < o.size; i++) free(i);
    },
  };
}

export { sweepSteps } from './sweep-steps';
