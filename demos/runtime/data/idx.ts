/**
 * Parser for the IDX format of the original MNIST files (LeCun et al.).
 * Header: two zero bytes, a type byte (0x08 = unsigned byte), a dimension count, then one
 * big-endian uint32 per dimension, then the data. We accept only what MNIST uses:
 * ubyte images (magic 0x00000803, 3-D) and ubyte labels (magic 0x00000801, 1-D).
 */

/** MNIST images: `count` digits of `rows`×`cols` bytes, row-major, 0 = background, 255 = ink. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count·rows·cols bytes; a view into the input buffer (no copy). */
  images: Uint8Array;
}

/** A set of digits with their labels: the common currency of the IDX parser, shards and loader. */
export interface MnistArrays extends IdxImages {
  /** `count` class labels, each 0–9. */
  labels: Uint8Array;
}

/** Magic number of a ubyte 3-D IDX file (images). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of a ubyte 1-D IDX file (labels). */
export const IDX_LABELS_MAGIC = 0x00000801;

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/** Reads the header, checks magic and exact length; returns the dimensions and the data view. */
function parseIdx(bytes: Uint8Array, magic: number, what: string): { dims: number[]; data: Uint8Array } {
  const ndim = magic & 0xff;
  const headerBytes = 4 + 4 * ndim;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Magic first: a labels file passed as images should say so, not "too short".
  const found = bytes.length >= 4 ? view.getUint32(0, false) : -1;
  if (found !== -1 && found !== magic) {
    throw new Error(`IDX ${what}: wrong magic number ${hex(found)}, expected ${hex(magic)}`);
  }
  if (bytes.length < headerBytes) {
    throw new Error(`IDX ${what}: file is ${bytes.length} bytes, shorter than its ${headerBytes}-byte header`);
  }
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d === 0 && i > 0) throw new Error(`IDX ${what}: dimension ${i} is 0`);
    dims.push(d);
    size *= d;
  }
  const expected = headerBytes + size;
  if (bytes.length < expected) {
    throw new Error(`IDX ${what}: truncated data, ${bytes.length} bytes for dims [${dims.join(', ')}] which need ${expected}`);
  }
  if (bytes.length > expected) {
    throw new Error(`IDX ${what}: ${bytes.length - expected} trailing bytes after the data for dims [${dims.join(', ')}]`);
  }
  return { dims, data: bytes.subarray(headerBytes, expected) };
}

/** Parses an IDX ubyte image file (magic 0x00000803); throws a descriptive Error on malformed input. */
export function parseIdxImages(bytes: Uint8Array): IdxImages {
  const { dims, data } = parseIdx(bytes, IDX_IMAGES_MAGIC, 'images');
  return { count: dims[0], rows: dims[1], cols: dims[2], images: data };
}

/** Parses an IDX ubyte label file (magic 0x00000801); throws a descriptive Error on malformed input. */
export function parseIdxLabels(bytes: Uint8Array): Uint8Array {
  return parseIdx(bytes, IDX_LABELS_MAGIC, 'labels').data;
}

/** Parses a matching pair of IDX image and label files; checks equal counts and labels in 0–9. */
export function parseMnistIdx(imageBytes: Uint8Array, labelBytes: Uint8Array): MnistArrays {
  const img = parseIdxImages(imageBytes);
  const labels = parseIdxLabels(labelBytes);
  if (labels.length !== img.count) {
    throw new Error(`IDX pair: ${img.count} images but ${labels.length} labels`);
  }
  checkLabels(labels, 'IDX labels');
  return { ...img, labels };
}

/** Throws if any label is outside 0–9 (`where` names the source in the message). */
export function checkLabels(labels: Uint8Array, where: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > 9) throw new Error(`${where}: label ${labels[i]} at index ${i} is not a digit 0–9`);
  }
}

/** Digits [start, end) of `data` as views (no copy). */
export function sliceDigits(data: MnistArrays, start: number, end: number): MnistArrays {
  const size = data.rows * data.cols;
  return {
    count: end - start,
    rows: data.rows,
    cols: data.cols,
    images: data.images.subarray(start * size, end * size),
    labels: data.labels.subarray(start, end),
  };
}
