/**
 * Huffman coding (Huffman 1952): optimal prefix codes from symbol counts, their canonical codewords, and
 * bit-packed encoding and decoding of a symbol stream with them. Pure TypeScript, shared by the Huffman and
 * Deep Compression demos (demos/huffman re-exports the public functions its page names).
 */

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
export function depths(tree: HuffmanTree, done = tree.merges.length): number[] {
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


// ————— Bit streams —————

/** Appends bits most-significant first into a growing byte array. */
export class BitWriter {
  private buf = new Uint8Array(256);
  private bits = 0;
  /** Writes the low `n` bits of `value` (n ≤ 32), most significant first. */
  write(value: number, n: number): void {
    for (let b = n - 1; b >= 0; b--) {
      if (this.bits >> 3 >= this.buf.length) {
        const bigger = new Uint8Array(this.buf.length * 2);
        bigger.set(this.buf);
        this.buf = bigger;
      }
      if ((value >>> b) & 1) this.buf[this.bits >> 3] |= 0x80 >> (this.bits & 7);
      this.bits++;
    }
  }
  /** Bits written so far. */
  get length(): number {
    return this.bits;
  }
  /** The bytes written, the last one padded with zeros. */
  bytes(): Uint8Array {
    return this.buf.slice(0, (this.bits + 7) >> 3);
  }
}

/** Reads bits most-significant first from bytes a BitWriter wrote. */
export class BitReader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}
  /** The next bit (0 or 1); throws past the end. */
  bit(): number {
    if (this.pos >= this.bytes.length * 8) throw new RangeError('BitReader: read past the end of the stream');
    const b = (this.bytes[this.pos >> 3] >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return b;
  }
  /** The next `n` bits as an unsigned number. */
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }
}

/**
 * Encodes `symbols` with the canonical Huffman code of their own counts over an alphabet of `alphabet`
 * symbols. Returns the code lengths (the codebook the decoder needs) and the packed bits.
 */
export function huffmanEncode(symbols: ArrayLike<number>, alphabet: number): { lengths: number[]; bits: Uint8Array; bitLength: number } {
  const counts = new Array<number>(alphabet).fill(0);
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i];
    if (!(Number.isInteger(s) && s >= 0 && s < alphabet)) throw new RangeError(`symbol ${i} is ${s}, outside [0, ${alphabet})`);
    counts[s]++;
  }
  const lengths = huffmanCodeLengths(counts);
  const codes = canonicalCodes(lengths);
  const w = new BitWriter();
  for (let i = 0; i < symbols.length; i++) {
    const c = codes[symbols[i]];
    w.write(parseInt(c, 2), c.length);
  }
  return { lengths, bits: w.bytes(), bitLength: w.length };
}

/** Decodes `count` symbols from `bits` with the canonical code of these `lengths` (inverse of huffmanEncode). */
export function huffmanDecode(bits: Uint8Array, lengths: readonly number[], count: number): Uint16Array {
  const codes = canonicalCodes(lengths);
  const table = new Map<string, number>();
  codes.forEach((c, s) => c && table.set(c, s));
  const maxLen = Math.max(0, ...lengths);
  const r = new BitReader(bits);
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    let code = '';
    let s: number | undefined;
    while (s === undefined) {
      code += r.bit();
      if (code.length > maxLen) throw new RangeError(`huffmanDecode: no codeword matches ${code} at symbol ${i}`);
      s = table.get(code);
    }
    out[i] = s;
  }
  return out;
}
