import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import type { MnistArrays } from './idx';
import { decodeShard, encodeShard, readShardHeader, SHARD_HEADER_BYTES } from './shard';

const deflate = (raw: Uint8Array) => zlib.deflateSync(raw);

/** Three 2×3 "digits" with distinct bytes, labels 3, 1, 4. */
function tiny(): MnistArrays {
  return { count: 3, rows: 2, cols: 3, images: new Uint8Array(18).map((_, i) => i * 13), labels: new Uint8Array([3, 1, 4]) };
}

describe('ADLM shard', () => {
  it('round-trips digits and labels byte for byte', async () => {
    const shard = encodeShard(tiny(), deflate);
    expect(String.fromCharCode(...shard.subarray(0, 4))).toBe('ADLM');
    const back = await decodeShard(shard, 'tiny');
    expect(back).toMatchObject({ count: 3, rows: 2, cols: 3 });
    expect([...back.images]).toEqual([...tiny().images]);
    expect([...back.labels]).toEqual([3, 1, 4]);
  });

  it('the payload is the zlib of pixels then labels, after a 32-byte header', () => {
    const shard = encodeShard(tiny(), deflate);
    const raw = zlib.inflateSync(shard.subarray(SHARD_HEADER_BYTES));
    expect([...raw]).toEqual([...tiny().images, 3, 1, 4]);
    const h = readShardHeader(shard, 'tiny');
    expect(h.rawBytes).toBe(3 * (6 + 1));
    expect(h.rawCrc32).toBe(zlib.crc32(raw));
  });

  it('names the shard and the problem for truncation, trailing bytes and a wrong magic', async () => {
    const shard = encodeShard(tiny(), deflate);
    await expect(decodeShard(shard.subarray(0, shard.length - 1), 'x.adlm')).rejects.toThrow(/shard x\.adlm: truncated/);
    await expect(decodeShard(shard.subarray(0, 10), 'x.adlm')).rejects.toThrow(/shard x\.adlm: 10 bytes, shorter than the 32-byte header/);
    const longer = new Uint8Array(shard.length + 2);
    longer.set(shard);
    await expect(decodeShard(longer, 'x.adlm')).rejects.toThrow(/trailing bytes/);
    const png = shard.slice();
    png.set([0x89, 0x50, 0x4e, 0x47]);
    await expect(decodeShard(png, 'x.adlm')).rejects.toThrow(/not an ADLM shard/);
  });

  it('detects a flipped byte in the header and in the compressed payload', async () => {
    const shard = encodeShard(tiny(), deflate);
    const badHeader = shard.slice();
    badHeader[9] ^= 0x01; // count
    await expect(decodeShard(badHeader, 'h')).rejects.toThrow(/shard h: header checksum mismatch/);
    const badPayload = shard.slice();
    badPayload[shard.length - 6] ^= 0x40; // inside the deflate data or its Adler-32
    await expect(decodeShard(badPayload, 'p')).rejects.toThrow(/shard p: (compressed payload is corrupt|data checksum mismatch)/);
  });

  it('detects data that inflates fine but does not match the CRC in the header', async () => {
    const good = tiny();
    // The deflater lies: it compresses different bytes of the same length, so only the CRC can tell.
    const shard = encodeShard(good, (raw) => {
      const other = raw.slice();
      other[0] ^= 1;
      return zlib.deflateSync(other);
    });
    await expect(decodeShard(shard, 'c')).rejects.toThrow(/shard c: data checksum mismatch/);
  });

  it('rejects a payload that inflates to the wrong length', async () => {
    const shard = encodeShard(tiny(), (raw) => zlib.deflateSync(raw.subarray(0, raw.length - 1)));
    await expect(decodeShard(shard, 'l')).rejects.toThrow(/shard l: payload inflates to 20 bytes, header says 21/);
  });

  it('refuses to encode inconsistent arrays', () => {
    expect(() => encodeShard({ ...tiny(), labels: new Uint8Array(2) }, deflate)).toThrow(/do not match/);
  });
});
