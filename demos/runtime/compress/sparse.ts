/**
 * Magnitude pruning and the relative-index storage of Deep Compression (Han, Pool, Tran & Dally 2015;
 * Han, Mao & Dally 2016, §2): the kept weights of a layer, read in row-major order, are stored as the gap
 * from the previous kept position in `indexBits` bits; a gap larger than 2^indexBits is bridged by filler
 * entries whose weight is zero.
 */

/**
 * Keeps the `keep` fraction of `values` with the largest magnitudes (at least one when keep > 0): returns a
 * mask with 1 for kept positions. Ties at the threshold are broken by position, so exactly
 * round(keep · n) positions are kept.
 */
export function magnitudeMask(values: ArrayLike<number>, keep: number): Uint8Array {
  if (!(keep >= 0 && keep <= 1)) throw new RangeError(`keep must be in [0, 1], got ${keep}`);
  const n = values.length;
  const count = keep > 0 ? Math.max(1, Math.round(keep * n)) : 0;
  const mask = new Uint8Array(n);
  if (count === 0) return mask;
  const mags = new Float64Array(n);
  for (let i = 0; i < n; i++) mags[i] = Math.abs(values[i]);
  const threshold = select(mags, n - count); // the count-th largest magnitude
  let left = count;
  for (let i = 0; i < n; i++) if (Math.abs(values[i]) > threshold) (mask[i] = 1), left--;
  for (let i = 0; i < n && left > 0; i++) if (Math.abs(values[i]) === threshold) (mask[i] = 1), left--;
  return mask;
}

/**
 * The k-th smallest entry of `a` (0-based), found in place by quickselect (Hoare's partition, median of
 * three pivots): O(n) on average, against O(n log n) for a sort — the pruning threshold of a 235,200-weight
 * layer in a few milliseconds.
 */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** The relative-index stream of a mask: one symbol per stored entry, gap − 1 ∈ [0, 2^bits − 1]. */
export interface GapStream {
  /** gap − 1 of every stored entry, in storage order (fillers included). */
  symbols: Uint16Array;
  /** Which stored entries are fillers (zero weights inserted to bridge a gap wider than 2^bits). */
  filler: Uint8Array;
  /** Positions (in the flattened layer) of the stored entries. */
  positions: Int32Array;
}

/**
 * Encodes the kept positions of `mask` as relative indices of `bits` bits: the first entry's gap counts from
 * position −1, so position p alone gives gap p + 1. A gap g > 2^bits is written as fillers of gap 2^bits
 * until what remains fits.
 */
export function relativeIndices(mask: ArrayLike<number>, bits: number): GapStream {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new RangeError(`bits must be an integer in [1, 16], got ${bits}`);
  const span = 2 ** bits;
  // At most one entry per kept position plus one filler per span of the layer.
  let kept = 0;
  for (let p = 0; p < mask.length; p++) if (mask[p]) kept++;
  const cap = kept + Math.floor(mask.length / span) + 1;
  const symbols = new Uint16Array(cap);
  const filler = new Uint8Array(cap);
  const positions = new Int32Array(cap);
  let e = 0;
  let prev = -1;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    while (p - prev > span) {
      prev += span;
      symbols[e] = span - 1;
      filler[e] = 1;
      positions[e++] = prev;
    }
    symbols[e] = p - prev - 1;
    positions[e++] = p;
    prev = p;
  }
  return { symbols: symbols.slice(0, e), filler: filler.slice(0, e), positions: positions.slice(0, e) };
}

/** Rebuilds the stored positions from a relative-index stream (the decoder of {@link relativeIndices}). */
export function positionsFromGaps(symbols: ArrayLike<number>): Int32Array {
  const out = new Int32Array(symbols.length);
  let prev = -1;
  for (let i = 0; i < symbols.length; i++) {
    prev += symbols[i] + 1;
    out[i] = prev;
  }
  return out;
}
