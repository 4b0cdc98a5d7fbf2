/**
 * Node-only helpers for the photo the augmentation demo uses: decode the Mandrill ("baboon") test image that
 * the `baboon-image-uri` npm package ships as a PNG data URI, and write it for the site as raw RGB bytes with
 * a manifest (public/data/images/). The PNG decoder handles what that file is: 8-bit RGB or RGBA,
 * non-interlaced, any of the five row filters.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { crc32 } from '../demos/runtime/data/crc32';
import { IMAGE_MANIFEST_FORMAT, type ImageManifest, type RgbImage } from '../demos/runtime/data/images';

/** Decodes an 8-bit, non-interlaced RGB (colour type 2) or RGBA (6) PNG to RGB bytes, row-major. */
export function decodePng(png: Uint8Array): RgbImage {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('decodePng: not a PNG file');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let o = 8; o < buf.length; ) {
    const n = buf.readUInt32BE(o);
    const type = buf.toString('ascii', o + 4, o + 8);
    const data = buf.subarray(o + 8, o + 8 + n);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0)
        throw new Error(`decodePng: only 8-bit non-interlaced RGB/RGBA, got depth ${depth}, colour type ${colour}, interlace ${interlace}`);
      channels = colour === 2 ? 3 : 4;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    o += 12 + n;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[y * stride + i - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= channels ? out[(y - 1) * stride + i - channels] : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`decodePng: bad filter ${filter} on row ${y}`);
      out[y * stride + i] = (row[i] + pred) & 0xff;
    }
  }
  if (channels === 3) return { width, height, pixels: out };
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.set(out.subarray(4 * i, 4 * i + 3), 3 * i);
  return { width, height, pixels: rgb };
}

/** The Mandrill image of the `baboon-image-uri` package (128×128 RGB), decoded. */
export function loadMandrillNode(): RgbImage {
  const req = createRequire(path.join(process.cwd(), 'package.json'));
  const uri: string = req('baboon-image-uri');
  const comma = uri.indexOf(',');
  if (!uri.startsWith('data:image/png;base64,')) throw new Error('baboon-image-uri: expected a base64 PNG data URI');
  return decodePng(new Uint8Array(Buffer.from(uri.slice(comma + 1), 'base64')));
}

/** Writes the Mandrill image as `mandrill.rgb` (raw bytes) and manifest.json into `outDir`; returns the manifest. */
export function prepareImages(outDir: string): ImageManifest {
  const img = loadMandrillNode();
  fs.mkdirSync(outDir, { recursive: true });
  const file = 'mandrill.rgb';
  fs.writeFileSync(path.join(outDir, file), img.pixels);
  const manifest: ImageManifest = {
    format: IMAGE_MANIFEST_FORMAT,
    images: [
      {
        name: 'mandrill',
        file,
        width: img.width,
        height: img.height,
        bytes: img.pixels.length,
        crc32: crc32(img.pixels),
        source: 'The Mandrill ("baboon") test image of the USC-SIPI collection, 128×128, from the npm package baboon-image-uri 1.0.1 (PNG data URI)',
        licence: 'image: public domain, as the package states; package: MIT (Matt DesLauriers)',
      },
    ],
  };
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}
