/**
 * Browser side of an image upload: checks, a size-capped decode and the gray raster, with every
 * failure turned into a message for the reader (never a throw). The decisions live in ./image.ts.
 */
import type { GrayImage } from '@/demos/runtime/data/preprocess';
import { checkFile, checkPixels, fitWithin, imageSize, rgbaToGray } from './image';

/** An upload as a gray raster ready for toMnistInput, or the reason it is not one. */
export type DecodedUpload = { ok: true; gray: GrayImage; width: number; height: number } | { ok: false; message: string };

const HEADER_BYTES = 64 * 1024;
const UNDECODABLE = 'This file could not be decoded as an image (damaged, or a format this browser cannot read).';

/** Draws `src` scaled to `w`×`h` on a fresh canvas and returns its gray pixels. */
function rasterize(src: CanvasImageSource, w: number, h: number): GrayImage {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2-D canvas');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(src, 0, 0, w, h);
  return rgbaToGray(ctx.getImageData(0, 0, w, h).data, w, h);
}

/** Decodes with an <img> (SVG and formats createImageBitmap refuses); null if that fails too. */
async function viaImg(file: Blob): Promise<HTMLImageElement | null> {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } catch {
    return null;
  } finally {
    // The decoded image stays usable for drawing after its URL is revoked.
    URL.revokeObjectURL(url);
  }
}

/**
 * Decodes an uploaded file to gray pixels, at most DECODE_SIDE on its longer side. Refuses empty,
 * oversized and non-image files before reading them, and images over MAX_PIXELS before decoding when
 * their header says so (PNG, JPEG, GIF, WebP, BMP), otherwise right after decoding.
 */
export async function decodeUpload(file: Blob): Promise<DecodedUpload> {
  const early = checkFile(file);
  if (early) return { ok: false, message: early };
  let header: ReturnType<typeof imageSize> = null;
  try {
    header = imageSize(new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()));
  } catch {
    return { ok: false, message: 'This file could not be read.' };
  }
  if (header) {
    const bad = checkPixels(header.width, header.height);
    if (bad) return { ok: false, message: bad };
  }

  let bitmap: ImageBitmap | null = null;
  try {
    const size = header ? fitWithin(header.width, header.height) : null;
    bitmap = await createImageBitmap(file, size ? { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' } : {});
  } catch {
    bitmap = null;
  }
  try {
    const src: ImageBitmap | HTMLImageElement | null = bitmap ?? (await viaImg(file));
    if (!src) return { ok: false, message: UNDECODABLE };
    const w0 = src instanceof HTMLImageElement ? src.naturalWidth : src.width;
    const h0 = src instanceof HTMLImageElement ? src.naturalHeight : src.height;
    // With a known header the bitmap is already small; check the true size, not the resized one.
    const bad = checkPixels(header?.width ?? w0, header?.height ?? h0);
    if (bad) return { ok: false, message: bad };
    const { width, height } = fitWithin(w0, h0);
    return { ok: true, gray: rasterize(src, width, height), width: header?.width ?? w0, height: header?.height ?? h0 };
  } catch {
    return { ok: false, message: UNDECODABLE };
  } finally {
    bitmap?.close();
  }
}
