import { describe, expect, it } from 'vitest';
import { toMnistInput } from '@/demos/runtime/data/preprocess';
import { checkFile, checkPixels, fitWithin, imageSize, inputToRgba, MAX_FILE_BYTES, parseIndex, rgbaToGray } from './image';

/** Bytes from a list of numbers and ASCII strings. */
function bytes(...parts: (number | string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else if (Array.isArray(p)) out.push(...p);
    else out.push(p);
  }
  return Uint8Array.from(out);
}
const be32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const be16 = (v: number) => [(v >>> 8) & 255, v & 255];
const le16 = (v: number) => [v & 255, (v >>> 8) & 255];
const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
const zeros = (n: number) => new Array<number>(n).fill(0);

/** RGBA of `n` pixels all of one colour. */
function solid(n: number, rgba: [number, number, number, number]): Uint8ClampedArray {
  const d = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) d.set(rgba, 4 * i);
  return d;
}

describe('rgbaToGray', () => {
  it('gives BT.709 luminance for opaque pixels', () => {
    const d = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 200, 200, 200, 255]);
    const g = rgbaToGray(d, 2, 2);
    // 0.2126·255 = 54.2, 0.7152·255 = 182.4, 0.0722·255 = 18.4; a gray stays itself.
    expect(Array.from(g.data)).toEqual([54, 182, 18, 200]);
    expect([g.width, g.height]).toEqual([2, 2]);
  });

  it('puts dark ink on a transparent ground over white, so the digit survives', () => {
    // 3×1: transparent, opaque black ink, half-transparent black.
    const d = new Uint8ClampedArray([0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128]);
    const g = rgbaToGray(d, 3, 1);
    expect(g.data[0]).toBe(255);
    expect(g.data[1]).toBe(0);
    expect(g.data[2]).toBe(127); // (1 − 128/255)·255 = 127
  });

  it('puts light ink on a transparent ground over black', () => {
    const d = new Uint8ClampedArray([0, 0, 0, 0, 255, 255, 255, 255]);
    expect(Array.from(rgbaToGray(d, 2, 1).data)).toEqual([0, 255]);
  });

  it('feeds toMnistInput so that black-on-transparent and white-on-black give the same digit', () => {
    const W = 40;
    const H = 40;
    const ink = (x: number, y: number) => x >= 18 && x < 22 && y >= 5 && y < 35; // a vertical bar
    const a = new Uint8ClampedArray(4 * W * H); // black ink, transparent elsewhere
    const b = new Uint8ClampedArray(4 * W * H); // white ink on opaque black
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = 4 * (y * W + x);
        if (ink(x, y)) a[i + 3] = 255;
        b.set(ink(x, y) ? [255, 255, 255, 255] : [0, 0, 0, 255], i);
      }
    const ra = toMnistInput(rgbaToGray(a, W, H));
    const rb = toMnistInput(rgbaToGray(b, W, H));
    if (!ra.ok || !rb.ok) throw new Error('expected a digit');
    expect(ra.inverted).toBe(true);
    expect(rb.inverted).toBe(false);
    expect(Array.from(ra.image)).toEqual(Array.from(rb.image));
  });

  it('refuses a buffer of the wrong length', () => {
    expect(() => rgbaToGray(solid(3, [0, 0, 0, 255]), 2, 2)).toThrow(/2×2/);
  });
});

describe('checkFile', () => {
  it('refuses empty, oversized and non-image files with a message', () => {
    expect(checkFile({ size: 0, type: 'image/png' })).toMatch(/empty/);
    expect(checkFile({ size: MAX_FILE_BYTES + 1, type: 'image/png' })).toMatch(/limit is 20\.0 MB/);
    expect(checkFile({ size: 100, type: 'text/plain' })).toMatch(/not an image \(text\/plain\)/);
    expect(checkFile({ size: 100, type: 'application/pdf' })).toMatch(/not an image/);
  });
  it('lets images through, and files of unknown type (decoding decides)', () => {
    expect(checkFile({ size: 100, type: 'image/jpeg' })).toBeNull();
    expect(checkFile({ size: MAX_FILE_BYTES, type: 'image/png' })).toBeNull();
    expect(checkFile({ size: 100, type: '' })).toBeNull();
  });
});

describe('imageSize reads dimensions from file headers', () => {
  it('PNG: IHDR width and height, big-endian', () => {
    const png = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, be32(13), 'IHDR', be32(10000), be32(7000), 8, 0, 0, 0, 0);
    expect(imageSize(png)).toEqual({ format: 'png', width: 10000, height: 7000 });
  });
  it('GIF: logical screen size, little-endian', () => {
    expect(imageSize(bytes('GIF89a', le16(640), le16(480), 0, 0, 0))).toEqual({ format: 'gif', width: 640, height: 480 });
    expect(imageSize(bytes('GIF87a', le16(1), le16(2), 0, 0, 0))).toEqual({ format: 'gif', width: 1, height: 2 });
  });
  it('BMP: BITMAPINFOHEADER, negative height for top-down rows', () => {
    const bmp = bytes('BM', le32(0), le32(0), le32(54), le32(40), le32(300), le32(-200), le16(1), le16(24));
    expect(imageSize(bmp)).toEqual({ format: 'bmp', width: 300, height: 200 });
  });
  it('JPEG: skips APP segments and fill bytes to the start of frame', () => {
    const app0 = [0xff, 0xe0, ...be16(16), ...bytes('JFIF', 0), 1, 1, 0, 0, 1, 0, 1, 0, 0];
    const dqt = [0xff, 0xdb, ...be16(4), 0, 0];
    const sof2 = [0xff, 0xff, 0xff, 0xc2, ...be16(17), 8, ...be16(1080), ...be16(1920), 3, ...zeros(9)];
    expect(imageSize(bytes(0xff, 0xd8, app0, dqt, sof2))).toEqual({ format: 'jpeg', width: 1920, height: 1080 });
  });
  it('JPEG: a DHT (0xC4) segment is not mistaken for a frame', () => {
    const dht = [0xff, 0xc4, ...be16(5), 0, 0, 0];
    const sof0 = [0xff, 0xc0, ...be16(17), 8, ...be16(28), ...be16(56), 1, ...zeros(9)];
    expect(imageSize(bytes(0xff, 0xd8, dht, sof0))).toEqual({ format: 'jpeg', width: 56, height: 28 });
  });
  it('WebP: lossy (VP8), lossless (VP8L) and extended (VP8X) headers', () => {
    const riff = (chunk: number[]) => bytes('RIFF', le32(100), 'WEBP', chunk);
    // VP8: frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
    const vp8 = [...bytes('VP8 '), ...le32(50), 0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(400), ...le16(300)];
    expect(imageSize(riff(vp8))).toEqual({ format: 'webp', width: 400, height: 300 });
    // VP8L: signature 0x2f, then (width−1) in 14 bits and (height−1) in the next 14.
    const bits = (800 - 1) | ((600 - 1) << 14);
    const vp8l = [...bytes('VP8L'), ...le32(50), 0x2f, ...le32(bits), 0];
    expect(imageSize(riff(vp8l))).toEqual({ format: 'webp', width: 800, height: 600 });
    // VP8X: flags + 3 reserved, then (width−1) and (height−1) in 24 bits each.
    const vp8x = [...bytes('VP8X'), ...le32(10), 0, 0, 0, 0, 0x0f, 0x27, 0x00, 0x9f, 0x0f, 0x00];
    expect(imageSize(riff(vp8x))).toEqual({ format: 'webp', width: 10000, height: 4000 });
  });
  it('returns null for other data and cut-short headers', () => {
    expect(imageSize(bytes('hello, world, this is not an image at all'))).toBeNull();
    expect(imageSize(new Uint8Array(0))).toBeNull();
    expect(imageSize(bytes(0x89, 'PNG', 0x0d, 0x0a))).toBeNull();
    expect(imageSize(bytes(0xff, 0xd8, 0xff, 0xe0, ...be16(16)))).toBeNull();
    expect(imageSize(bytes('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'))).toBeNull();
  });
});

describe('checkPixels and fitWithin', () => {
  it('allows up to 40 megapixels and refuses more, or none', () => {
    expect(checkPixels(8000, 5000)).toBeNull(); // exactly 40,000,000
    expect(checkPixels(8000, 5001)).toMatch(/8000×5001 pixels .*limit is 40 megapixels/);
    expect(checkPixels(0, 10)).toMatch(/no pixels/);
  });
  it('scales the longer side down to the cap, keeping the aspect ratio, never up', () => {
    expect(fitWithin(4000, 3000, 512)).toEqual({ width: 512, height: 384 });
    expect(fitWithin(100, 2000, 500)).toEqual({ width: 25, height: 500 });
    expect(fitWithin(28, 28, 512)).toEqual({ width: 28, height: 28 });
    expect(fitWithin(10000, 1, 100)).toEqual({ width: 100, height: 1 }); // never 0 pixels
  });
});

describe('parseIndex', () => {
  it('accepts whole numbers in [0, count)', () => {
    expect(parseIndex('0', 5000)).toBe(0);
    expect(parseIndex(' 4999 ', 5000)).toBe(4999);
  });
  it('rejects empty, negative, fractional, out-of-range and non-numeric text', () => {
    for (const t of ['', '-1', '2.5', '5000', '1e3', 'abc']) expect(parseIndex(t, 5000)).toBeNull();
  });
});

describe('inputToRgba', () => {
  it('maps [0, 1] to opaque gray 0–255, clamping out-of-range values and NaN', () => {
    const px = inputToRgba(new Float32Array([0, 0.5, 1, 2, -1, NaN]));
    expect(Array.from(px)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
  });
});
