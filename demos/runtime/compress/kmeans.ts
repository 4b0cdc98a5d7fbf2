/**
 * One-dimensional k-means for weight sharing (Han, Mao & Dally 2016, §3): the weights of one layer are
 * clustered into k shared values, each weight then stored as a log2(k)-bit index into the layer's codebook.
 * Lloyd's algorithm, exact, but fast in one dimension: with the weights sorted once, each cluster is a run
 * of consecutive weights between the midpoints of neighbouring centroids, and its mean comes from prefix sums,
 * so an iteration costs O(k log n) instead of O(nk).
 */

/** Result of {@link kmeans1d}. */
export interface KMeans1d {
  /** The k shared values, ascending. */
  centroids: Float64Array;
  /** Cluster index of each input value (same order as the input). */
  assignments: Uint16Array;
  /** Lloyd iterations run (fewer than asked when the assignment stopped changing). */
  iterations: number;
}

/** How the k centroids start (Han, Mao & Dally 2016, §3.2). */
export type CentroidInit = 'linear' | 'density' | 'random';

/**
 * The starting centroids, ascending, from `sorted` (the values sorted ascending): `linear` evenly spaced
 * between the smallest and the largest value; `density` evenly spaced on the values' cumulative distribution
 * (the quantiles at (j + ½)/k); `random` (Forgy) k distinct positions of the sorted values drawn with `rng`.
 */
export function initialCentroids(sorted: Float64Array, k: number, init: CentroidInit = 'linear', rng: () => number = Math.random): Float64Array {
  const n = sorted.length;
  const lo = n ? sorted[0] : 0;
  const hi = n ? sorted[n - 1] : 0;
  if (init === 'linear' || n === 0) return Float64Array.from({ length: k }, (_, j) => (k === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * j) / (k - 1)));
  if (init === 'density') return Float64Array.from({ length: k }, (_, j) => sorted[Math.min(n - 1, Math.floor(((j + 0.5) / k) * n))]);
  // Forgy: k distinct positions (all of them when k ≥ n), by a partial Fisher–Yates shuffle.
  const pos = Int32Array.from({ length: n }, (_, i) => i);
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [pos[i], pos[j]] = [pos[j], pos[i]];
  }
  const picked = Float64Array.from({ length: k }, (_, j) => sorted[pos[j % m]]);
  return picked.sort();
}

/** Values sorted ascending and their prefix sums (prefix[i] = sum of the i smallest), what every k-means of them needs. */
export interface SortedValues {
  sorted: Float64Array;
  prefix: Float64Array;
}

/** Sorts `values` once for any number of {@link kmeans1d} runs on them (the sort is most of one run's cost). */
export function sortValues(values: ArrayLike<number>): SortedValues {
  const sorted = Float64Array.from(values).sort(); // a typed array sorts numerically, natively
  const prefix = new Float64Array(sorted.length + 1);
  for (let i = 0; i < sorted.length; i++) prefix[i + 1] = prefix[i] + sorted[i];
  return { sorted, prefix };
}

/**
 * Clusters `values` into `k` centroids with Lloyd's algorithm, by default from the paper's linear
 * initialisation: the centroids start evenly spaced between the smallest and the largest value (Han et al.
 * found this keeps the few large weights represented, which density-based starts lose). `start` gives other
 * starting centroids (see {@link initialCentroids}). A centroid whose cluster empties keeps its value. Ties at
 * a midpoint go to the lower centroid. `pre`, from {@link sortValues}, saves the sort when the same values are
 * clustered again. Returns centroids ascending and one index per value.
 */
export function kmeans1d(values: ArrayLike<number>, k: number, maxIterations = 30, start?: ArrayLike<number>, pre?: SortedValues): KMeans1d {
  if (!Number.isInteger(k) || k < 1 || k > 65536) throw new RangeError(`k must be an integer in [1, 65536], got ${k}`);
  if (start && start.length !== k) throw new RangeError(`kmeans1d: ${start.length} starting centroids for k = ${k}`);
  const n = values.length;
  if (pre && pre.sorted.length !== n) throw new RangeError(`kmeans1d: ${pre.sorted.length} sorted values for ${n} values`);
  const { sorted, prefix } = pre ?? sortValues(values);
  const c = start ? Float64Array.from(start).sort() : initialCentroids(sorted, k, 'linear');
  // starts[j]: first sorted position in cluster j (starts[k] = n).
  const starts = new Int32Array(k + 1);
  const boundaries = () => {
    starts[0] = 0;
    for (let j = 1; j < k; j++) {
      const mid = (c[j - 1] + c[j]) / 2;
      let a = starts[j - 1];
      let b = n; // first index with sorted[i] > mid
      while (a < b) {
        const m = (a + b) >> 1;
        if (sorted[m] <= mid) a = m + 1;
        else b = m;
      }
      starts[j] = a;
    }
    starts[k] = n;
  };
  let it = 0;
  boundaries();
  for (; it < maxIterations; it++) {
    for (let j = 0; j < k; j++) {
      const count = starts[j + 1] - starts[j];
      if (count > 0) c[j] = (prefix[starts[j + 1]] - prefix[starts[j]]) / count;
    }
    const before = starts.slice();
    boundaries();
    if (starts.every((s, j) => s === before[j])) {
      it++;
      break;
    }
  }
  // Each value's cluster: the first boundary above it (the same midpoints, so the same runs as sorted).
  const mids = Float64Array.from({ length: k - 1 }, (_, j) => (c[j] + c[j + 1]) / 2);
  const assignments = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let a = 0;
    let b = k - 1;
    while (a < b) {
      const m = (a + b) >> 1;
      if (v <= mids[m]) b = m;
      else a = m + 1;
    }
    assignments[i] = a;
  }
  return { centroids: c, assignments, iterations: it };
}

/** How many values fall in each of the k clusters. */
export function clusterCounts(assignments: ArrayLike<number>, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < assignments.length; i++) counts[assignments[i]]++;
  return counts;
}
