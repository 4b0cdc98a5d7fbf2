import { describe, expect, it } from 'vitest';
import { parseIdxImages, parseIdxLabels, parseMnistIdx, sliceDigits } from './idx';

/** Big-endian IDX file: magic, dims, then the data bytes. */
function idx(magic: number, dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, magic, false);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe('IDX parser', () => {
  it('parses a 2×2×3 image file in row-major order', () => {
    const data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const img = parseIdxImages(idx(0x803, [2, 2, 3], data));
    expect(img).toMatchObject({ count: 2, rows: 2, cols: 3 });
    expect([...img.images]).toEqual(data);
  });

  it('parses labels, and a matching pair', () => {
    expect([...parseIdxLabels(idx(0x801, [3], [7, 0, 9]))]).toEqual([7, 0, 9]);
    const pair = parseMnistIdx(idx(0x803, [3, 1, 2], [1, 2, 3, 4, 5, 6]), idx(0x801, [3], [7, 0, 9]));
    expect(pair.count).toBe(3);
    expect([...sliceDigits(pair, 1, 3).images]).toEqual([3, 4, 5, 6]);
    expect([...sliceDigits(pair, 1, 3).labels]).toEqual([0, 9]);
  });

  it('rejects a wrong magic number (labels file given as images, and vice versa)', () => {
    expect(() => parseIdxImages(idx(0x801, [3], [1, 2, 3]))).toThrow(/wrong magic number 0x00000801, expected 0x00000803/);
    expect(() => parseIdxLabels(idx(0x803, [1, 1, 1], [1]))).toThrow(/wrong magic/);
    expect(() => parseIdxImages(idx(0x0d03, [1, 1, 1], [1]))).toThrow(/wrong magic/); // float data type
  });

  it('rejects truncated data, trailing garbage and a short header', () => {
    expect(() => parseIdxImages(idx(0x803, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7]))).toThrow(/truncated data, 23 bytes .* need 24/);
    expect(() => parseIdxLabels(idx(0x801, [2], [1, 2, 3]))).toThrow(/1 trailing bytes/);
    expect(() => parseIdxImages(new Uint8Array([0, 0, 8, 3, 0, 0]))).toThrow(/shorter than its 16-byte header/);
  });

  it('rejects zero-sized digit dimensions, mismatched pairs and labels beyond 9', () => {
    expect(() => parseIdxImages(idx(0x803, [1, 0, 4], []))).toThrow(/dimension 1 is 0/);
    expect(() => parseMnistIdx(idx(0x803, [2, 1, 1], [1, 2]), idx(0x801, [3], [1, 2, 3]))).toThrow(/2 images but 3 labels/);
    expect(() => parseMnistIdx(idx(0x803, [2, 1, 1], [1, 2]), idx(0x801, [2], [1, 10]))).toThrow(/label 10 at index 1/);
  });

  it('reads views into a buffer that starts at an offset', () => {
    const file = idx(0x801, [2], [4, 5]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    expect([...parseIdxLabels(padded.subarray(3))]).toEqual([4, 5]);
  });
});
