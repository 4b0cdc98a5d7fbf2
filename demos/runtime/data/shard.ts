/**
 * The ADLM shard: a block of MNIST digits, small on the wire and decoded with no dependency by the
 * same code in the browser and in Node (both have `DecompressionStream('deflate')`).
 *
 * Layout (little-endian), 32-byte header then payload:
 *   0  'ADLM'            4 bytes magic
 *   4  u16 version (1)   6  u16 header length (32)
 *   8  u32 count        12  u16 rows   14 u16 cols
 *  16  u32 payload bytes (compressed)
 *  20  u32 raw bytes = count·(rows·cols + 1)
 *  24  u32 CRC-32 of the raw bytes
 *  28  u32 CRC-32 of header bytes 0–27 (so a damaged header is reported as such, not as nonsense sizes)
 *  32  payload: zlib/deflate (RFC 1950) of [all pixels, count·rows·cols bytes][all labels, count bytes]
 * Lossless: plain deflate of the raw bytes beat a PNG sprite and byte transposition on size, and
 * unlike 4-bit quantisation it keeps the digits byte-identical to the IDX source.
 */
import { crc32 } from './crc32';
import { checkLabels, type MnistArrays } from './idx';

/** Four-byte magic at the start of every shard. */
export const SHARD_MAGIC = 'ADLM';
/** Format version written and accepted. */
export const SHARD_VERSION = 1;
/** Header length in bytes. */
export const SHARD_HEADER_BYTES = 32;

/** The fields of a shard header. */
export interface ShardHeader {
  version: number;
  count: number;
  rows: number;
  cols: number;
  payloadBytes: number;
  rawBytes: number;
  rawCrc32: number;
}

/** Builds a shard from digits; `deflate` must produce zlib-wrapped deflate (Node: zlib.deflateSync). */
export function encodeShard(data: MnistArrays, deflate: (raw: Uint8Array) => Uint8Array): Uint8Array {
  const { count, rows, cols } = data;
  const pixelBytes = count * rows * cols;
  if (data.images.length !== pixelBytes || data.labels.length !== count) {
    throw new Error(`encodeShard: ${data.images.length} pixel bytes and ${data.labels.length} labels do not match ${count}×${rows}×${cols}`);
  }
  const raw = new Uint8Array(pixelBytes + count);
  raw.set(data.images, 0);
  raw.set(data.labels, pixelBytes);
  const payload = deflate(raw);
  const out = new Uint8Array(SHARD_HEADER_BYTES + payload.length);
  const v = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = SHARD_MAGIC.charCodeAt(i);
  v.setUint16(4, SHARD_VERSION, true);
  v.setUint16(6, SHARD_HEADER_BYTES, true);
  v.setUint32(8, count, true);
  v.setUint16(12, rows, true);
  v.setUint16(14, cols, true);
  v.setUint32(16, payload.length, true);
  v.setUint32(20, raw.length, true);
  v.setUint32(24, crc32(raw), true);
  v.setUint32(28, crc32(out.subarray(0, 28)), true);
  out.set(payload, SHARD_HEADER_BYTES);
  return out;
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * Reads and checks a shard header against the buffer length; `name` labels every error.
 * Throws on a short file, wrong magic/version, damaged header or a size that does not add up.
 */
export function readShardHeader(bytes: Uint8Array, name: string): ShardHeader {
  if (bytes.length < SHARD_HEADER_BYTES) {
    throw new Error(`shard ${name}: ${bytes.length} bytes, shorter than the ${SHARD_HEADER_BYTES}-byte header (truncated?)`);
  }
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== SHARD_MAGIC) throw new Error(`shard ${name}: not an ADLM shard (magic ${JSON.stringify(magic)})`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, SHARD_HEADER_BYTES);
  const headerCrc = crc32(bytes.subarray(0, 28));
  if (headerCrc !== v.getUint32(28, true)) throw new Error(`shard ${name}: header checksum mismatch (corrupt header)`);
  const version = v.getUint16(4, true);
  if (version !== SHARD_VERSION || v.getUint16(6, true) !== SHARD_HEADER_BYTES) {
    throw new Error(`shard ${name}: unsupported format version ${version} (this code reads ${SHARD_VERSION})`);
  }
  const h: ShardHeader = {
    version,
    count: v.getUint32(8, true),
    rows: v.getUint16(12, true),
    cols: v.getUint16(14, true),
    payloadBytes: v.getUint32(16, true),
    rawBytes: v.getUint32(20, true),
    rawCrc32: v.getUint32(24, true),
  };
  if (h.rawBytes !== h.count * (h.rows * h.cols + 1)) {
    throw new Error(`shard ${name}: header sizes disagree (${h.rawBytes} raw bytes for ${h.count}×${h.rows}×${h.cols})`);
  }
  const expected = SHARD_HEADER_BYTES + h.payloadBytes;
  if (bytes.length !== expected) {
    const how = bytes.length < expected ? 'truncated' : 'has trailing bytes';
    throw new Error(`shard ${name}: ${how}: ${bytes.length} bytes, header says ${expected}`);
  }
  return h;
}

/** Inflates zlib data into a buffer of exactly `size` bytes; more or less output is an error. */
async function inflateExact(payload: Uint8Array, size: number, name: string): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let at = 0;
  const source = new Blob([payload as Uint8Array<ArrayBuffer>]).stream();
  const reader = source.pipeThrough(new DecompressionStream('deflate')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > size) throw new Error(`shard ${name}: payload inflates to more than the ${size} bytes in its header`);
      out.set(value, at);
      at += value.length;
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    if (e instanceof Error && e.message.startsWith(`shard ${name}:`)) throw e;
    throw new Error(`shard ${name}: compressed payload is corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  if (at !== size) throw new Error(`shard ${name}: payload inflates to ${at} bytes, header says ${size}`);
  return out;
}

/** Decodes and fully validates a shard (header, length, inflate, CRC-32, label range). */
export async function decodeShard(bytes: Uint8Array, name = 'shard'): Promise<MnistArrays> {
  const h = readShardHeader(bytes, name);
  const raw = await inflateExact(bytes.subarray(SHARD_HEADER_BYTES), h.rawBytes, name);
  const crc = crc32(raw);
  if (crc !== h.rawCrc32) throw new Error(`shard ${name}: data checksum mismatch (crc32 ${hex(crc)}, header says ${hex(h.rawCrc32)})`);
  const pixelBytes = h.count * h.rows * h.cols;
  const labels = raw.subarray(pixelBytes);
  checkLabels(labels, `shard ${name}`);
  return { count: h.count, rows: h.rows, cols: h.cols, images: raw.subarray(0, pixelBytes), labels };
}
