/**
 * The byte format of a compressed fully connected network, at each stage of Deep Compression (Han, Mao &
 * Dally 2016): the kept positions of each layer as relative indices (gaps, with zero-weight fillers), the
 * kept weights as float32 values (stage `pruned`), as fixed-width indices into a per-layer codebook
 * (`quantized`), or with both streams Huffman coded (`huffman`, canonical codes stored as code lengths).
 * Biases stay float32. What a ratio is computed from is the length of these bytes, every table included.
 *
 * Layout (little-endian): 'DCMP', version u8, layers u8, mode u8 (0 pruned, 1 quantized, 2 huffman),
 * indexBits u8; then per layer: inputs u32, units u32, entries u32 (stored entries, fillers included),
 * weightBits u8 (0 in mode 0), bias units × f32, codebook (2^weightBits − 1) × f32 (modes 1, 2);
 * mode 0/1: one bit stream (u32 byte length, bytes) of every entry's gap then weight;
 * mode 2: gap code lengths (2^indexBits × u8), weight code lengths (2^weightBits × u8), then the gap
 * stream and the weight stream, each as u32 byte length and bytes.
 * A weight symbol s ≥ 1 stands for codebook[s − 1]; 0 is the zero a filler carries.
 */
import { BitReader, BitWriter, huffmanDecode, huffmanEncode } from './huffman';
import { positionsFromGaps, relativeIndices } from './sparse';

export type CompressionMode = 'pruned' | 'quantized' | 'huffman';
const MODES: CompressionMode[] = ['pruned', 'quantized', 'huffman'];
const MAGIC = [0x44, 0x43, 0x4d, 0x50]; // 'DCMP'
const VERSION = 1;

/** A pruned layer to encode: its kept positions and either float values or a codebook with symbols. */
export interface SparseLayer {
  inputs: number;
  units: number;
  bias: Float32Array;
  /** 1 at kept positions (row-major [inputs, units]). */
  mask: Uint8Array;
  /** The kernel; its kept entries are stored as float32 when there is no codebook. */
  kernel: Float32Array;
  /** The shared values (at most 2^bits − 1), for the quantized and Huffman modes. */
  codebook?: Float32Array;
  /** Per position, the codebook index of the kept weight there (ignored at pruned positions). */
  assignments?: Uint16Array;
  /** Bits of a weight symbol (codebook.length ≤ 2^bits − 1). */
  bits?: number;
}

/** A decoded layer: the dense kernel with zeros at pruned positions. */
export interface DecodedLayer {
  inputs: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
}

class ByteWriter {
  private parts: Uint8Array[] = [];
  u8(v: number) {
    this.parts.push(Uint8Array.of(v));
  }
  u32(v: number) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.parts.push(b);
  }
  f32s(a: Float32Array) {
    const b = new Uint8Array(4 * a.length);
    const dv = new DataView(b.buffer);
    a.forEach((v, i) => dv.setFloat32(4 * i, v, true));
    this.parts.push(b);
  }
  bytes(b: Uint8Array) {
    this.parts.push(b);
  }
  /** A block prefixed by its byte length. */
  block(b: Uint8Array) {
    this.u32(b.length);
    this.bytes(b);
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of this.parts) out.set(p, o), (o += p.length);
    return out;
  }
}

class ByteReader {
  private o = 0;
  private dv: DataView;
  constructor(private readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  private need(n: number) {
    if (this.o + n > this.b.length) throw new RangeError(`compressed network: truncated at byte ${this.o} (needs ${n} more)`);
  }
  u8() {
    this.need(1);
    return this.b[this.o++];
  }
  u32() {
    this.need(4);
    const v = this.dv.getUint32(this.o, true);
    this.o += 4;
    return v;
  }
  f32s(n: number) {
    this.need(4 * n);
    const a = Float32Array.from({ length: n }, (_, i) => this.dv.getFloat32(this.o + 4 * i, true));
    this.o += 4 * n;
    return a;
  }
  bytes(n: number) {
    this.need(n);
    const a = this.b.slice(this.o, this.o + n);
    this.o += n;
    return a;
  }
  block() {
    return this.bytes(this.u32());
  }
  get atEnd() {
    return this.o === this.b.length;
  }
}

const f32Bits = (v: number) => {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, v);
  return dv.getUint32(0);
};
const bitsF32 = (u: number) => {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, u);
  return dv.getFloat32(0);
};

/** Encodes `layers` in `mode` with relative indices of `indexBits` bits. */
export function encodeNetwork(layers: readonly SparseLayer[], mode: CompressionMode, indexBits: number): Uint8Array {
  if (layers.length < 1 || layers.length > 255) throw new RangeError(`encodeNetwork: 1 to 255 layers, got ${layers.length}`);
  const w = new ByteWriter();
  MAGIC.forEach((b) => w.u8(b));
  w.u8(VERSION);
  w.u8(layers.length);
  w.u8(MODES.indexOf(mode));
  w.u8(indexBits);
  for (const l of layers) {
    if (l.kernel.length !== l.inputs * l.units || l.mask.length !== l.kernel.length || l.bias.length !== l.units) throw new RangeError('encodeNetwork: a layer\'s kernel, mask and bias do not match its shape');
    const gaps = relativeIndices(l.mask, indexBits);
    const entries = gaps.symbols.length;
    const bits = mode === 'pruned' ? 0 : (l.bits ?? 0);
    w.u32(l.inputs);
    w.u32(l.units);
    w.u32(entries);
    w.u8(bits);
    w.f32s(l.bias);
    // The weight symbol of each stored entry (0 for a filler).
    const symbols = new Uint16Array(entries);
    if (mode !== 'pruned') {
      if (!l.codebook || !l.assignments || !(bits >= 1 && bits <= 16) || l.codebook.length > 2 ** bits - 1) throw new RangeError(`encodeNetwork: mode ${mode} needs a codebook of at most 2^bits − 1 values and assignments`);
      const book = new Float32Array(2 ** bits - 1);
      book.set(l.codebook);
      w.f32s(book);
      for (let e = 0; e < entries; e++) symbols[e] = gaps.filler[e] ? 0 : l.assignments[gaps.positions[e]] + 1;
    }
    if (mode === 'huffman') {
      const g = huffmanEncode(gaps.symbols, 2 ** indexBits);
      const s = huffmanEncode(symbols, 2 ** bits);
      w.bytes(Uint8Array.from(g.lengths));
      w.bytes(Uint8Array.from(s.lengths));
      w.block(g.bits);
      w.block(s.bits);
    } else {
      const bw = new BitWriter();
      for (let e = 0; e < entries; e++) {
        bw.write(gaps.symbols[e], indexBits);
        if (mode === 'pruned') bw.write(gaps.filler[e] ? 0 : f32Bits(l.kernel[gaps.positions[e]]), 32);
        else bw.write(symbols[e], bits);
      }
      w.block(bw.bytes());
    }
  }
  return w.done();
}

/** Decodes bytes written by {@link encodeNetwork} into dense kernels (zeros at pruned positions) and biases. */
export function decodeNetwork(bytes: Uint8Array): { mode: CompressionMode; indexBits: number; layers: DecodedLayer[] } {
  const r = new ByteReader(bytes);
  if (!MAGIC.every((b) => r.u8() === b)) throw new RangeError('compressed network: not a DCMP stream');
  const version = r.u8();
  if (version !== VERSION) throw new RangeError(`compressed network: version ${version}, expected ${VERSION}`);
  const count = r.u8();
  const mode = MODES[r.u8()];
  if (!mode) throw new RangeError('compressed network: unknown mode');
  const indexBits = r.u8();
  const layers: DecodedLayer[] = [];
  for (let li = 0; li < count; li++) {
    const inputs = r.u32();
    const units = r.u32();
    const entries = r.u32();
    const bits = r.u8();
    const bias = r.f32s(units);
    const book = mode === 'pruned' ? null : r.f32s(2 ** bits - 1);
    let gaps: Uint16Array;
    const values = new Float32Array(entries);
    if (mode === 'huffman') {
      const gl = Array.from(r.bytes(2 ** indexBits));
      const sl = Array.from(r.bytes(2 ** bits));
      gaps = huffmanDecode(r.block(), gl, entries);
      const symbols = huffmanDecode(r.block(), sl, entries);
      symbols.forEach((s, e) => (values[e] = s ? book![s - 1] : 0));
    } else {
      const br = new BitReader(r.block());
      gaps = new Uint16Array(entries);
      for (let e = 0; e < entries; e++) {
        gaps[e] = br.read(indexBits);
        if (mode === 'pruned') values[e] = bitsF32(br.read(32));
        else {
          const s = br.read(bits);
          values[e] = s ? book![s - 1] : 0;
        }
      }
    }
    const kernel = new Float32Array(inputs * units);
    const pos = positionsFromGaps(gaps);
    for (let e = 0; e < entries; e++) {
      if (pos[e] >= kernel.length) throw new RangeError(`compressed network: layer ${li} position ${pos[e]} outside its ${kernel.length} weights`);
      kernel[pos[e]] = values[e];
    }
    layers.push({ inputs, units, kernel, bias });
  }
  if (!r.atEnd) throw new RangeError('compressed network: trailing bytes');
  return { mode, indexBits, layers };
}
