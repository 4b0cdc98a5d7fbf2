/**
 * Huffman coding (Huffman 1952) of the symbol streams Deep Compression stores (Han, Mao & Dally 2016, §4):
 * the cluster index of every kept weight and the relative index (gap) of every stored entry. Pure
 * TypeScript: the weights come from the shipped network through runtime/compress/layers.ts.
 */
import type { Simulation } from '../runtime/simulation';
import type { DenseWeights } from '../runtime/compress/layers';
import { clusterCounts, kmeans1d } from '../runtime/compress/kmeans';
import { magnitudeMask, relativeIndices } from '../runtime/compress/sparse';

/** A Huffman tree: nodes 0…m−1 are the leaves (symbols with a nonzero count), node m + j is merge j. */
export interface HuffmanTree {
  /** The symbol of each leaf. */
  symbols: number[];
  /** The count (weight) of every node, leaves first. */
  weights: number[];
  /** Merge j joined nodes merges[j][0] and merges[j][1] (lighter first) into node m + j. */
  merges: [number, number][];
}

function checkCounts(counts: readonly number[]) {
  counts.forEach((c, i) => {
    if (!(Number.isFinite(c) && c >= 0)) throw new RangeError(`count ${i} must be a finite number ≥ 0, got ${c}`);
  });
}

/**
 * Huffman's algorithm with two queues: the leaves sorted by count (ties by symbol), and the merged nodes,
 * which come out already sorted because each merge is at least as heavy as the one before. Each step joins
 * the two lightest nodes; on equal weights a leaf goes before a merged node, which among optimal codes gives
 * the one with the shortest longest code. O(n log n) for the sort, O(n) after.
 */
export function huffmanTree(counts: readonly number[]): HuffmanTree {
  checkCounts(counts);
  const symbols = counts.map((_, i) => i).filter((i) => counts[i] > 0).sort((a, b) => counts[a] - counts[b] || a - b);
  const m = symbols.length;
  const weights = symbols.map((s) => counts[s]);
  const merges: [number, number][] = [];
  let leaf = 0;
  let inner = m;
  const take = () => (leaf < m && (inner >= weights.length || weights[leaf] <= weights[inner]) ? leaf++ : inner++);
  for (let j = 0; j + 1 < m; j++) {
    const a = take();
    const b = take();
    merges.push([a, b]);
    weights.push(weights[a] + weights[b]);
  }
  return { symbols, weights, merges };
}

/** Depth of every node of `tree` after its first `done` merges (a root of the forest has depth 0). */
function depths(tree: HuffmanTree, done = tree.merges.length): number[] {
  const m = tree.symbols.length;
  const parent = new Array<number>(m + done).fill(-1);
  for (let j = 0; j < done; j++) for (const c of tree.merges[j]) parent[c] = m + j;
  const depth = new Array<number>(m + done).fill(0);
  for (let v = m + done - 1; v >= 0; v--) if (parent[v] >= 0) depth[v] = depth[parent[v]] + 1;
  return depth;
}

/**
 * The code length of every symbol in an optimal prefix code for `counts` (Huffman's), 0 for symbols that
 * never occur. A lone symbol still needs one bit per occurrence (a code of length 0 would write nothing),
 * so it gets length 1. Throws a RangeError for a negative or non-finite count.
 */
export function huffmanCodeLengths(counts: number[]): number[] {
  const tree = huffmanTree(counts);
  const out = new Array<number>(counts.length).fill(0);
  if (tree.symbols.length === 1) out[tree.symbols[0]] = 1;
  const depth = depths(tree);
  tree.symbols.forEach((s, i) => {
    if (tree.symbols.length > 1) out[s] = depth[i];
  });
  return out;
}

/** Shannon entropy H = −Σ p log2 p of the distribution the counts give, in bits per symbol (0 if all zero). */
export function entropyBits(counts: readonly number[]): number {
  checkCounts(counts);
  const total = counts.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log2(c / total);
  return total > 0 ? h : 0;
}

/** Mean code length Σ p_i ℓ_i in bits per symbol (0 if all counts are zero). */
export function meanLength(counts: readonly number[], lengths: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 ? counts.reduce((s, c, i) => s + c * lengths[i], 0) / total : 0;
}

/** Kraft sum Σ 2^−ℓ over the symbols with a code (= 1 for a complete prefix code). */
export function kraftSum(lengths: readonly number[]): number {
  return lengths.reduce((s, l) => s + (l > 0 ? 2 ** -l : 0), 0);
}

/**
 * The canonical prefix code with these lengths (as DEFLATE writes it): symbols sorted by length then index get
 * consecutive binary numbers, shifted left whenever the length grows. '' for symbols without a code. The
 * decoder needs only the lengths, which is why a codebook of lengths is all a Huffman stream must carry.
 */
export function canonicalCodes(lengths: readonly number[]): string[] {
  const order = lengths.map((l, i) => [l, i]).filter(([l]) => l > 0).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = lengths.map(() => '');
  let code = 0;
  let len = order.length ? order[0][0] : 0;
  for (const [l, i] of order) {
    code <<= l - len;
    len = l;
    out[i] = code.toString(2).padStart(l, '0');
    code++;
  }
  return out;
}

// ————— The two symbol streams of a real layer —————

/** What to code: the layer, the fraction of weights kept, and the bits of the fixed-length codes. */
export interface StreamOptions {
  /** Fraction of the layer's weights kept by magnitude pruning, in (0, 1]. */
  keep: number;
  /** Bits of a cluster index: 2^bits shared weights (k-means, linear initialisation). */
  bits: number;
  /** Bits of a relative index: gaps up to 2^indexBits, fillers beyond. */
  indexBits: number;
}

/** The symbol counts of one layer's two streams, and what a fixed-length code spends on them. */
export interface LayerStreams {
  layer: string;
  weights: number;
  kept: number;
  /** Cluster index counts (2^bits symbols) of the kept weights, and the shared values. */
  weightCounts: number[];
  centroids: number[];
  /** Relative-index counts (2^indexBits symbols: symbol s is a gap of s + 1) over all stored entries. */
  gapCounts: number[];
  /** Stored entries that are fillers. */
  fillers: number;
}

/**
 * Prunes `layer`'s kernel by magnitude to `keep`, clusters the kept weights into 2^bits shared values and
 * writes the kept positions as relative indices of `indexBits` bits: the two streams Huffman codes in
 * Deep Compression, counted. Fillers carry weight 0, which needs no cluster: they appear in the index stream only.
 */
export function layerStreams(layer: DenseWeights, o: StreamOptions): LayerStreams {
  const w = layer.kernel;
  const mask = magnitudeMask(w, o.keep);
  let count = 0;
  for (let i = 0; i < w.length; i++) count += mask[i];
  const kept = new Float64Array(count);
  for (let i = 0, j = 0; i < w.length; i++) if (mask[i]) kept[j++] = w[i];
  const k = 2 ** o.bits;
  const km = kmeans1d(kept, k);
  const gaps = relativeIndices(mask, o.indexBits);
  return {
    layer: layer.name,
    weights: w.length,
    kept: kept.length,
    weightCounts: clusterCounts(km.assignments, k),
    centroids: Array.from(km.centroids),
    gapCounts: clusterCounts(gaps.symbols, 2 ** o.indexBits),
    fillers: gaps.filler.reduce((a, b) => a + b, 0),
  };
}

/** Bits per symbol of one stream under the fixed-length code, Huffman's code, and the entropy bound. */
export interface StreamBits {
  symbols: number;
  fixed: number;
  huffman: number;
  entropy: number;
}

/** {@link StreamBits} of a stream with these counts and a fixed code of `bits` bits. */
export function streamBits(counts: readonly number[], bits: number): StreamBits {
  return { symbols: counts.reduce((a, b) => a + b, 0), fixed: bits, huffman: meanLength(counts, huffmanCodeLengths([...counts])), entropy: entropyBits(counts) };
}

// ————— The demo: the tree built merge by merge —————

/** Where to draw each node: leaves in the order of a walk that visits the heavier child first. */
export interface TreeLayout {
  /** x of every node in leaf slots (leaves at 0, 1, …, m − 1; a merge midway between its children). */
  x: number[];
  /** The leaf shown at each slot. */
  slots: number[];
}

/**
 * Lays out the finished tree for a drawing with no crossing edges: a depth-first walk from the root, heavier
 * child first, gives the leaves' order, so every subtree's leaves are a run of neighbouring slots.
 */
export function treeLayout(tree: HuffmanTree): TreeLayout {
  const m = tree.symbols.length;
  const x = new Array<number>(tree.weights.length).fill(0);
  const slots: number[] = [];
  const childrenOf = (v: number) => tree.merges[v - m];
  const visit = (v: number) => {
    if (v < m) {
      x[v] = slots.length;
      slots.push(v);
      return;
    }
    const [a, b] = childrenOf(v);
    const [first, second] = tree.weights[b] >= tree.weights[a] ? [b, a] : [a, b];
    visit(first);
    visit(second);
    x[v] = (x[first] + x[second]) / 2;
  };
  if (m > 0) visit(tree.weights.length - 1);
  return { x, slots };
}

/** What the view draws after some merges. */
export interface HuffmanFrame {
  tree: HuffmanTree;
  layout: TreeLayout;
  /** Merges shown so far (0 … m − 1). */
  done: number;
  /** Depth of every leaf in the forest so far: its code length once done = m − 1. */
  leafDepth: number[];
  /** Mean code length if the forest stopped here: Σ p·depth (reaches the Huffman length at the end). */
  partialBits: number;
}

/**
 * The Huffman tree of `counts` revealed one merge per step: a Simulation for the demo kit. Pure arithmetic,
 * no tensors; dispose() is a no-op kept for the interface.
 */
export function createHuffmanBuild(counts: readonly number[]): Simulation<HuffmanFrame> {
  const tree = huffmanTree(counts);
  const layout = treeLayout(tree);
  const m = tree.symbols.length;
  const total = tree.weights.slice(0, m).reduce((a, b) => a + b, 0);
  let done = 0;
  const frame = (): HuffmanFrame => {
    const depth = depths(tree, done).slice(0, m);
    const partialBits = total > 0 ? depth.reduce((s, d, i) => s + d * tree.weights[i], 0) / total : 0;
    return { tree, layout, done, leafDepth: depth, partialBits };
  };
  return {
    async step(k: number) {
      done = Math.min(Math.max(m - 1, 0), done + k);
      return frame();
    },
    dispose() {},
  };
}
