/**
 * Weight sharing by k-means (Han, Mao & Dally 2016, §3) on the shipped LeNet-300-100: each layer's weights
 * are clustered into k = 2^bits shared values, each weight replaced by its centroid, and the network scored
 * on test digits. The clustering is runtime/compress/kmeans (exact 1-D Lloyd); the scoring runs on tfjs.
 */
import type { Simulation } from '../runtime/simulation';
import { mulberry32 } from '../runtime/random';
import { initialCentroids, kmeans1d, type CentroidInit } from '../runtime/compress/kmeans';
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
 * random one). The bias is kept as it is: the paper shares weights, not biases.
 */
export function shareWeights(layer: LayerArrays, bits: number, init: CentroidInit = 'linear', seed = 1): SharedLayer {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new RangeError(`bits must be an integer in [1, 16], got ${bits}`);
  const k = 2 ** bits;
  const sorted = Float64Array.from(layer.kernel).sort();
  const km = kmeans1d(layer.kernel, k, 50, initialCentroids(sorted, k, init, mulberry32(seed)));
  const kernel = Float32Array.from(km.assignments, (a) => km.centroids[a]);
  let se = 0;
  for (let i = 0; i < kernel.length; i++) se += (kernel[i] - layer.kernel[i]) ** 2;
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
  /** Sweep points computed so far (of SWEEP_SERIES.length × SWEEP_BITS.length). */
  steps: number;
  /** The shown layer (the first one for 'all'): its original weights, and its clustering at cfg.bits. */
  shown: { name: string; weights: Float32Array; shared: SharedLayer };
  /** Test accuracy of the unclustered network. */
  denseAccuracy: number;
  /** Test accuracy with the chosen layer(s) clustered at cfg.bits. */
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
 * The demo's simulation: step(0) clusters the chosen layer(s) and scores the network on `test`; each further
 * step scores one more point of the accuracy-against-bits sweep. Results go into `cache` (keyed by layer,
 * bits, start and seed), so a run with other parameters but the same cache, network and digits reuses them.
 * dispose() frees the uploaded digits.
 */
export function createQuantization(layers: readonly (LayerArrays & { name: string })[], test: TestDigits, cfg: QuantizationConfig, cache: QuantizationCache = new Map()): Simulation<QuantizationFrame> {
  const scorer = createMlpScorer(layers, test.images, test.labels, test.count);
  const memo = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  const shared = (l: number, bits: number) => memo(`share:${l}:${bits}:${cfg.init}:${cfg.seed}`, () => shareWeights(layers[l], bits, cfg.init, cfg.seed));
  const score = (series: SweepSeries | 'dense', bits: number): Promise<number> =>
    memo(`acc:${series}:${bits}:${cfg.init}:${cfg.seed}`, () =>
      scorer.accuracy(series === 'dense' ? new Map() : new Map(layersOf(series, layers.length).map((l) => [l, shared(l, bits).layer]))),
    );
  const points = SWEEP_BITS.flatMap((b) => SWEEP_SERIES.map((s) => [s, b] as const));
  const sweep = Object.fromEntries(SWEEP_SERIES.map((s) => [s, new Float64Array(SWEEP_BITS.length).fill(NaN)])) as Record<SweepSeries, Float64Array>;
  const shownLayer = layersOf(cfg.layer, layers.length)[0];
  let done = 0;
  let disposed = false;
  return {
    async step(k: number) {
      if (disposed) throw new Error('quantization: stepped after dispose');
      for (let i = 0; i < k && done < points.length; i++, done++) {
        const [s, b] = points[done];
        sweep[s][b - SWEEP_BITS[0]] = await score(s, b);
      }
      const [denseAccuracy, accuracy] = await Promise.all([score('dense', 0), score(cfg.layer, cfg.bits)]);
      return {
        steps: done,
        shown: { name: layers[shownLayer].name, weights: layers[shownLayer].kernel, shared: shared(shownLayer, cfg.bits) },
        denseAccuracy,
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

/** Sweep points in all (the demo's step budget). */
export const SWEEP_POINTS = SWEEP_SERIES.length * SWEEP_BITS.length;
