/**
 * Small photos the site serves under /data/images/ (made by scripts/prepare-data.mjs from npm packages): raw
 * RGB bytes, row-major, with a manifest giving each image's size, CRC-32, source and licence.
 */
import { crc32 } from './crc32';

/** Tag of the images manifest. */
export const IMAGE_MANIFEST_FORMAT = 'adl-images';
/** Where the site serves them. */
export const IMAGES_BASE_URL = '/data/images/';

/** An RGB image: width·height·3 bytes, row-major, channels interleaved. */
export interface RgbImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** One image of the manifest. */
export interface ImageEntry {
  name: string;
  file: string;
  width: number;
  height: number;
  bytes: number;
  crc32: number;
  source: string;
  licence: string;
}

export interface ImageManifest {
  format: typeof IMAGE_MANIFEST_FORMAT;
  images: ImageEntry[];
}

/**
 * Loads image `name` from `<baseUrl>` (manifest.json, then the raw file) with the `fetch` given (Node's cannot
 * read files: pass scripts/mnist-node.ts fileFetch(dir)); checks its size and CRC-32 against the manifest.
 */
export async function loadRgbImage(name: string, opts: { baseUrl?: string; fetch?: typeof fetch; signal?: AbortSignal } = {}): Promise<RgbImage> {
  const base = opts.baseUrl ?? IMAGES_BASE_URL;
  const fetchFn = opts.fetch ?? fetch;
  const get = async (file: string) => {
    const res = await fetchFn(base + file, { signal: opts.signal });
    if (!res.ok) throw new Error(`Image "${name}": ${base + file} answered ${res.status} (run npm run data)`);
    return res;
  };
  const manifest = (await (await get('manifest.json')).json()) as ImageManifest;
  if (manifest.format !== IMAGE_MANIFEST_FORMAT) throw new Error(`Image "${name}": ${base}manifest.json is not an images manifest`);
  const entry = manifest.images.find((e) => e.name === name);
  if (!entry) throw new Error(`Image "${name}": not in ${base}manifest.json`);
  const pixels = new Uint8Array(await (await get(entry.file)).arrayBuffer());
  if (pixels.length !== entry.bytes || pixels.length !== entry.width * entry.height * 3) {
    throw new Error(`Image "${name}": ${entry.file} has ${pixels.length} bytes, manifest says ${entry.bytes}`);
  }
  if (crc32(pixels) !== entry.crc32) throw new Error(`Image "${name}": ${entry.file} fails its CRC-32 check`);
  return { width: entry.width, height: entry.height, pixels };
}
