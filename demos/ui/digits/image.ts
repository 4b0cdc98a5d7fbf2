/**
 * Pure helpers of the digit input (demos/ui/digits/DigitInput.tsx): RGBA → gray with transparency
 * handled, image-file checks before decoding (size, type, and the pixel count read from the file's
 * header, so a decompression bomb is refused before the browser allocates it), and the decode size
 * cap. No DOM, no tfjs: tested in Node.
 */
import type { GrayImage } from '@/demos/runtime/data/preprocess';

/** Files larger than this are refused before reading them. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Images with more pixels than this are refused before decoding. */
export const MAX_PIXELS = 40_000_000;
/** Longer side of the raster an upload is decoded to: ample for a 20-px digit, cheap to scan. */
export const DECODE_SIDE = 512;

/** Relative luminance weights of sRGB (ITU-R BT.709), applied to the 0–255 values as they are. */
const LUMA = [0.2126, 0.7152, 0.0722] as const;

/**
 * RGBA pixels (as from getImageData: not premultiplied) to one gray channel, 0–255, as a
 * {@link GrayImage} for toMnistInput. Opaque images keep their luminance. Where pixels are
 * (partly) transparent, they are composited over a backdrop chosen to contrast with the ink: the
 * mean luminance of the mostly-opaque pixels says whether the ink is dark (then the backdrop is white)
 * or light (black backdrop); a dark digit on a transparent PNG would otherwise vanish into black.
 */
export function rgbaToGray(rgba: ArrayLike<number>, width: number, height: number): GrayImage {
  const n = width * height;
  if (rgba.length !== 4 * n || width < 1 || height < 1) throw new Error(`rgbaToGray: ${rgba.length} values for ${width}×${height} RGBA`);
  const out = new Uint8ClampedArray(n);
  let transparent = false;
  let inkSum = 0;
  let inkCount = 0;
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3];
    const y = LUMA[0] * rgba[4 * i] + LUMA[1] * rgba[4 * i + 1] + LUMA[2] * rgba[4 * i + 2];
    out[i] = y;
    if (a < 255) transparent = true;
    if (a >= 128) {
      inkSum += y;
      inkCount++;
    }
  }
  if (!transparent) return { data: out, width, height };
  // The opaque pixels are the drawing; none opaque at all → treat as dark ink (alpha is the drawing).
  const backdrop = inkCount > 0 && inkSum / inkCount >= 128 ? 0 : 255;
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3] / 255;
    const y = LUMA[0] * rgba[4 * i] + LUMA[1] * rgba[4 * i + 1] + LUMA[2] * rgba[4 * i + 2];
    out[i] = a * y + (1 - a) * backdrop;
  }
  return { data: out, width, height };
}

/** What we know about a file before reading it (a File or Blob fits). */
export interface FileFacts {
  size: number;
  /** MIME type as the browser guessed it; '' when unknown. */
  type: string;
}

/** Megabytes with one decimal, for messages. */
function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Reasons to refuse a file before reading it, as a message for the reader, or null to go on.
 * An empty type is allowed (some systems send none); decoding will tell.
 */
export function checkFile(f: FileFacts): string | null {
  if (f.size === 0) return 'This file is empty (0 bytes). Choose an image of a digit.';
  if (f.size > MAX_FILE_BYTES) return `This file is ${mb(f.size)}; the limit is ${mb(MAX_FILE_BYTES)}. Choose a smaller image.`;
  if (f.type !== '' && !f.type.startsWith('image/')) return `This is not an image (${f.type.slice(0, 60)}). Choose a PNG, JPEG, GIF, WebP or BMP file.`;
  return null;
}

/** Image formats whose size {@link imageSize} reads from the header. */
export type SniffedFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';

/**
 * Width and height from the first bytes of a PNG, JPEG, GIF, WebP or BMP file (64 KiB is plenty for
 * JPEGs with large metadata), or null if the format is not one of these or the header is cut short.
 * Lets the pixel limit be checked before decoding and the decode be asked for a small size.
 */
export function imageSize(bytes: Uint8Array): { format: SniffedFormat; width: number; height: number } | null {
  const b = bytes;
  const u16be = (i: number) => (b[i] << 8) | b[i + 1];
  const u16le = (i: number) => b[i] | (b[i + 1] << 8);
  const u32be = (i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
  const i32le = (i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
  const ascii = (i: number, s: string) => b.length >= i + s.length && [...s].every((c, k) => b[i + k] === c.charCodeAt(0));

  if (b.length >= 24 && b[0] === 0x89 && ascii(1, 'PNG') && ascii(12, 'IHDR')) {
    return { format: 'png', width: u32be(16), height: u32be(20) };
  }
  if (b.length >= 10 && (ascii(0, 'GIF87a') || ascii(0, 'GIF89a'))) {
    return { format: 'gif', width: u16le(6), height: u16le(8) };
  }
  if (b.length >= 26 && ascii(0, 'BM')) {
    return { format: 'bmp', width: Math.abs(i32le(18)), height: Math.abs(i32le(22)) }; // negative height: top-down rows
  }
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) {
    if (ascii(12, 'VP8 ') && b.length >= 30) return { format: 'webp', width: u16le(26) & 0x3fff, height: u16le(28) & 0x3fff };
    if (ascii(12, 'VP8L') && b.length >= 25) {
      const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
      return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (ascii(12, 'VP8X') && b.length >= 30) {
      const w = (b[24] | (b[25] << 8) | (b[26] << 16)) + 1;
      const h = (b[27] | (b[28] << 8) | (b[29] << 16)) + 1;
      return { format: 'webp', width: w, height: h };
    }
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // Walk the marker segments to the first start-of-frame (SOF0–SOF15 except DHT, JPG, DAC).
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const m = b[i + 1];
      if (m === 0xff) {
        i++; // fill byte
        continue;
      }
      if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
        i += 2; // markers without a length
        continue;
      }
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
        return { format: 'jpeg', height: u16be(i + 5), width: u16be(i + 7) };
      }
      i += 2 + u16be(i + 2);
    }
    return null;
  }
  return null;
}

/** A message if `width`×`height` pixels is empty or over {@link MAX_PIXELS}, else null. */
export function checkPixels(width: number, height: number): string | null {
  if (!(width >= 1 && height >= 1)) return 'This image has no pixels.';
  if (width * height > MAX_PIXELS) {
    return `This image is ${width}×${height} pixels (${((width * height) / 1e6).toFixed(0)} megapixels); the limit is ${MAX_PIXELS / 1e6} megapixels.`;
  }
  return null;
}

/**
 * The size to decode or draw a `width`×`height` image at: scaled down (never up) so its longer side
 * is at most `maxSide`, aspect ratio kept, each side at least 1 pixel.
 */
export function fitWithin(width: number, height: number, maxSide: number = DECODE_SIDE): { width: number; height: number } {
  const s = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/**
 * A test-set index typed by the reader: an integer in [0, count), or null if the text is not one
 * (empty, fractional, out of range). No clamping: the field shows what is wrong instead.
 */
export function parseIndex(text: string, count: number): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const i = Number(t);
  return i < count ? i : null;
}

/** Pixels of a 28×28 input in [0, 1] as opaque RGBA gray (white ink on black), for the preview canvas. */
export function inputToRgba(input: ArrayLike<number>): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(4 * input.length);
  for (let i = 0; i < input.length; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, input[i] || 0)));
    out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = v;
    out[4 * i + 3] = 255;
  }
  return out;
}
