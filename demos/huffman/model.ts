/**
 * Huffman coding (Huffman 1952) of the symbol streams Deep Compression stores (Han, Mao & Dally 2016, §4):
 * the cluster index of every kept weight and the relative index (gap) of every stored entry. Pure
 * TypeScript: the weights come from the shipped network through runtime/compress/layers.ts.
 */
import type { Simulation } from '../runtime/simulation';
import type { DenseWeights } from '../runtime/compress/layers';
import { clusterCounts, kmeans1d } from '../runtime/compress/kmeans';
import { magnitudeMask, relativeIndices } from '../runtime/compress/sparse';
import { depths, huffmanCodeLengths, huffmanTree, entropyBits, meanLength, type HuffmanTree } from '../runtime/compress/huffman';

export { canonicalCodes, entropyBits, huffmanCodeLengths, huffmanTree, kraftSum, meanLength, type HuffmanTree } from '../runtime/compress/huffman';

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
