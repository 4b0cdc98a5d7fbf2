/**
 * Weight sharing by k-means (Han, Mao & Dally 2016, §3) on the shipped LeNet-300-100: each layer's weights
 * are clustered into k = 2^bits shared values, each weight replaced by its centroid, and the network scored
 * on test digits. The clustering is runtime/compress/kmeans (exact 1-D Lloyd); the scoring runs on tfjs.
 */
import type { Simulation } from '../runtime/simulation';
import { mulberry32 } from '../runtime/random';
import { initialCentroids, kmeans1d, sortValues, type CentroidInit, type SortedValues } from '../runtime/compress/kmeans';
import { createMlpScorer, type LayerArrays } from '../runtime/compress/mlp';

/** One layer clustered: its codebook, each weight's index, and the layer with the shared weights in place. */
export interface SharedLayer {
  bits: number;
  /** The 2^bits shared values, ascending. */
  centroids: Float64Array;
  /** Index of each weight's centroid (row-major, as the kernel). */
  assignments: Uint16Array;
  /** The layer with every weight replaced by its centroid (bias unchanged). */
  layer: LayerArrays;
  /** Mean squared difference between the shared and the original weights. */
  mse: number;
}

/**
 * Clusters `layer`'s weights into 2^bits shared values with k-means from the `init` start (`seed` draws the
 * random one). The bias is kept as it is: the paper shares weights, not biases. `sorted` (sortValues of the
 * kernel) saves sorting the weights again when the layer is clustered at several bit widths.
 */
export function shareWeights(layer: LayerArrays, bits: number, init: CentroidInit = 'linear', seed = 1, sorted: SortedValues = sortValues(layer.kernel)): SharedLayer {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new RangeError(`bits must be an integer in [1, 16], got ${bits}`);
  const k = 2 ** bits;
  const km = kmeans1d(layer.kernel, k, 50, initialCentroids(sorted.sorted, k, init, mulberry32(seed)), sorted);
  const kernel = new Float32Array(km.assignments.length);
  let se = 0;
  for (let i = 0; i < kernel.length; i++) {
    kernel[i] = km.centroids[km.assignments[i]];
    se += (kernel[i] - layer.kernel[i]) ** 2;
  }
  return { bits, centroids: km.centroids, assignments: km.assignments, layer: { ...layer, kernel }, mse: se / kernel.length };
}

/** Counts of `values` in `bins` equal bins over [lo, hi] (values outside go to the end bins). */
export function histogram(values: ArrayLike<number>, bins: number, lo: number, hi: number): Uint32Array {
  const out = new Uint32Array(bins);
  const w = (hi - lo) / bins || 1;
  for (let i = 0; i < values.length; i++) out[Math.max(0, Math.min(bins - 1, Math.floor((values[i] - lo) / w)))]++;
  return out;
}

/** The curves of accuracy against bits: one per layer clustered alone, and one with all layers clustered. */
export const SWEEP_SERIES = ['fc1', 'fc2', 'fc3', 'all'] as const;
export type SweepSeries = (typeof SWEEP_SERIES)[number];
/** Bits on the sweep's x axis. */
export const SWEEP_BITS = [1, 2, 3, 4, 5, 6, 7, 8] as const;

/** Which layers a choice clusters. */
export function layersOf(choice: SweepSeries, layerCount: number): number[] {
  return choice === 'all' ? Array.from({ length: layerCount }, (_, i) => i) : [Number(choice.slice(2)) - 1];
}

export interface QuantizationConfig {
  layer: SweepSeries;
  bits: number;
  init: CentroidInit;
  seed: number;
}

/** What the view draws. */
export interface QuantizationFrame {
  /** Units of work done so far (see {@link sweepUnits}): the simulation's steps. */
  steps: number;
  /** Sweep points computed so far (of SWEEP_SERIES.length × SWEEP_BITS.length). */
  points: number;
  /** The shown layer (the first one for 'all'): its original weights, and its clustering at cfg.bits. */
  shown: { name: string; weights: Float32Array; shared: SharedLayer };
  /** Test accuracy of the unclustered network. */
  denseAccuracy: number;
  /** Test accuracy with the chosen layer(s) clustered at cfg.bits (NaN until its unit has run: the first ones). */
  accuracy: number;
  /** sweep[series][b]: accuracy at SWEEP_BITS[b] (NaN while not computed yet). */
  sweep: Record<SweepSeries, Float64Array>;
}

/** Results shared between runs with the same network and scorer (the view keeps one per loaded network). */
export type QuantizationCache = Map<string, unknown>;

/** Test digits to score on: `images` [count × 784] scaled to [0, 1] and their labels. */
export interface TestDigits {
  images: Float32Array;
  labels: ArrayLike<number>;
  count: number;
}

/**
 * Units of work of a whole sweep from an empty cache, the most steps a run takes: sorting each layer's weights
 * once, clustering each layer at each bit width, and scoring each point.
 */
export const sweepUnits = (layerCount: number) => layerCount + SWEEP_BITS.length * (layerCount + SWEEP_SERIES.length);

/**
 * The demo's simulation: step(0) clusters the shown layer at cfg.bits and scores the unclustered network; each
 * further step runs one unit of work (sorting a layer's weights, clustering one layer at one bit width, or scoring
 * one point on `test`), the chosen setting's first, then the accuracy-against-bits sweep's points in order, so one
 * frame never carries a whole point (fc1's k-means and the scoring through fc1 are each a frame's work). Results go
 * into `cache` (keyed by layer, bits, start and seed): a run with other parameters but the same cache, network and
 * digits reuses them, and a point already there costs no step. dispose() frees the uploaded digits.
 */
export function createQuantization(layers: readonly (LayerArrays & { name: string })[], test: TestDigits, cfg: QuantizationConfig, cache: QuantizationCache = new Map()): Simulation<QuantizationFrame> {
  const scorer = createMlpScorer(layers, test.images, test.labels, test.count);
  const memo = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  const sortedKey = (l: number) => `sorted:${l}`;
  const shareKey = (l: number, bits: number) => `share:${l}:${bits}:${cfg.init}:${cfg.seed}`;
  const accKey = (series: SweepSeries | 'dense', bits: number) => `acc:${series}:${bits}:${cfg.init}:${cfg.seed}`;
  const sorted = (l: number) => memo(sortedKey(l), () => sortValues(layers[l].kernel));
  const shared = (l: number, bits: number) => memo(shareKey(l, bits), () => shareWeights(layers[l], bits, cfg.init, cfg.seed, sorted(l)));
  const score = async (series: SweepSeries | 'dense', bits: number): Promise<number> => {
    const key = accKey(series, bits);
    if (!cache.has(key)) {
      const replaced = series === 'dense' ? new Map() : new Map(layersOf(series, layers.length).map((l) => [l, shared(l, bits).layer]));
      cache.set(key, await scorer.accuracy(replaced));
    }
    return cache.get(key) as number;
  };
  /** The next unit of work a point needs, or null when it is done. */
  const nextUnit = (series: SweepSeries, bits: number): (() => unknown) | null => {
    if (cache.has(accKey(series, bits))) return null;
    for (const l of layersOf(series, layers.length)) {
      if (cache.has(shareKey(l, bits))) continue;
      return cache.has(sortedKey(l)) ? () => shared(l, bits) : () => sorted(l);
    }
    return () => score(series, bits);
  };
  const points = SWEEP_BITS.flatMap((b) => SWEEP_SERIES.map((s) => [s, b] as const));
  const order = [[cfg.layer, cfg.bits] as const, ...points]; // the chosen setting first
  const sweep = Object.fromEntries(SWEEP_SERIES.map((s) => [s, new Float64Array(SWEEP_BITS.length).fill(NaN)])) as Record<SweepSeries, Float64Array>;
  const shownLayer = layersOf(cfg.layer, layers.length)[0];
  let units = 0;
  let disposed = false;
  return {
    async step(k: number) {
      if (disposed) throw new Error('quantization: stepped after dispose');
      for (let i = 0; i < k; i++) {
        let unit: (() => unknown) | null = null;
        for (const [s, b] of order) if ((unit = nextUnit(s, b))) break;
        if (!unit) break;
        await unit();
        units++;
      }
      let done = 0;
      for (const [s, b] of points) {
        const key = accKey(s, b);
        if (!cache.has(key)) continue;
        sweep[s][b - SWEEP_BITS[0]] = cache.get(key) as number;
        done++;
      }
      const accuracy = cache.has(accKey(cfg.layer, cfg.bits)) ? (cache.get(accKey(cfg.layer, cfg.bits)) as number) : NaN;
      return {
        steps: units,
        points: done,
        shown: { name: layers[shownLayer].name, weights: layers[shownLayer].kernel, shared: shared(shownLayer, cfg.bits) },
        denseAccuracy: await score('dense', 0), // only the last layer runs: cheap
        accuracy,
        sweep,
      };
    },
    dispose() {
      disposed = true;
      scorer.dispose();
    },
  };
}

/** Sweep points in all. */
export const SWEEP_POINTS = SWEEP_SERIES.length * SWEEP_BITS.length;
