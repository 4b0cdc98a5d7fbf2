import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { crc32 } from './crc32';

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // CRC-32/ISO-HDLC check value
    expect(crc32(new Uint8Array(0))).toBe(0);
    const bytes = new Uint8Array(10_000).map((_, i) => (i * 7919) & 255);
    expect(crc32(bytes)).toBe(zlib.crc32(bytes));
  });
});
