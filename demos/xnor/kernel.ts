/**
 * A bit-packed binary convolution in plain JavaScript (XNOR-Net's XNOR + popcount), and the float convolution of the
 * same shape as a plain loop, so the reader's browser can time both. Layouts as in tfjs: input [h, w, c] (HWC),
 * kernel [k, k, c, f] (HWIO); 'valid' padding, stride 1; output [h − k + 1, w − k + 1, f]. No tfjs, no DOM.
 *
 * The ±1 values along the channels of one position (or of one filter tap) are packed 32 to a Uint32 word, bit = 1
 * for +1 (a value ≥ 0). The dot product of two ±1 vectors of length n is then
 *   (number of equal bits) − (number of different bits) = 2·popcount(XNOR(a, b)) − n,
 * where the last word's XNOR is masked to its used bits (padding bits would otherwise count as equal).
 */

/** Number of set bits of a 32-bit word (the SWAR popcount; JavaScript has no popcount instruction). */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Words needed for `channels` bits. */
export const wordsFor = (channels: number) => Math.ceil(channels / 32);

/**
 * The signs of an [h, w, c] input packed along c: word (p·words + i) holds channels 32i … 32i + 31 of position p.
 * `into` may be passed to reuse a buffer of the right size.
 */
export function packInput(values: ArrayLike<number>, positions: number, channels: number, into?: Uint32Array): Uint32Array {
  const words = wordsFor(channels);
  const out = into ?? new Uint32Array(positions * words);
  out.fill(0);
  for (let p = 0; p < positions; p++) {
    const base = p * channels;
    for (let c = 0; c < channels; c++) if (values[base + c] >= 0) out[p * words + (c >>> 5)] |= 1 << (c & 31);
  }
  return out;
}

/** The signs of a [k, k, c, f] kernel packed per filter: word ((f·k·k + tap)·words + i) holds channels 32i … of that tap. */
export function packKernel(kernel: ArrayLike<number>, k: number, channels: number, filters: number): Uint32Array {
  const words = wordsFor(channels);
  const out = new Uint32Array(filters * k * k * words);
  for (let f = 0; f < filters; f++)
    for (let t = 0; t < k * k; t++)
      for (let c = 0; c < channels; c++)
        if (kernel[(t * channels + c) * filters + f] >= 0) out[(f * k * k + t) * words + (c >>> 5)] |= 1 << (c & 31);
  return out;
}

/** The shape of one convolution: input h × w × c, k × k kernel, f filters. */
export interface ConvShape {
  h: number;
  w: number;
  c: number;
  k: number;
  f: number;
}

/** Output height, width and size of a 'valid' convolution. */
export function outputSize(s: ConvShape): { oh: number; ow: number; size: number } {
  const oh = s.h - s.k + 1;
  const ow = s.w - s.k + 1;
  if (!(oh >= 1 && ow >= 1)) throw new RangeError(`a ${s.k}×${s.k} kernel does not fit a ${s.h}×${s.w} input`);
  return { oh, ow, size: oh * ow * s.f };
}

/**
 * sign(I) ⊛ sign(W) by XNOR and popcount on packed words: for every output position and filter, the sum over the
 * k×k taps and the words of 2·popcount(~(a ^ b) & mask) − n, n = k·k·c. Returns integers in [h', w', f] order.
 */
export function xnorConv(input: Uint32Array, kernel: Uint32Array, s: ConvShape, into?: Int32Array): Int32Array {
  const { oh, ow, size } = outputSize(s);
  const words = wordsFor(s.c);
  const last = s.c % 32 === 0 ? 0xffffffff : (1 << (s.c % 32)) - 1;
  const n = s.k * s.k * s.c;
  const out = into ?? new Int32Array(size);
  const rowWords = s.w * words;
  const tapWords = s.k * s.k * words;
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      const o = (y * ow + x) * s.f;
      for (let f = 0; f < s.f; f++) {
        let equal = 0;
        let kw = f * tapWords;
        for (let i = 0; i < s.k; i++) {
          let iw = (y + i) * rowWords + x * words;
          for (let j = 0; j < s.k; j++) {
            for (let q = 0; q < words; q++) {
              const m = q === words - 1 ? last : 0xffffffff;
              equal += popcount32(~(input[iw + q] ^ kernel[kw + q]) & m);
            }
            iw += words;
            kw += words;
          }
        }
        out[o + f] = 2 * equal - n;
      }
    }
  return out;
}

/** The float convolution of the same layouts as a plain loop: Σ input[y+i, x+j, c] · kernel[i, j, c, f]. */
export function floatConv(input: Float32Array, kernel: Float32Array, s: ConvShape, into?: Float32Array): Float32Array {
  const { oh, ow, size } = outputSize(s);
  const out = into ?? new Float32Array(size);
  out.fill(0);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      const o = (y * ow + x) * s.f;
      for (let i = 0; i < s.k; i++)
        for (let j = 0; j < s.k; j++) {
          const ib = ((y + i) * s.w + x + j) * s.c;
          const kb = (i * s.k + j) * s.c * s.f;
          for (let c = 0; c < s.c; c++) {
            const v = input[ib + c];
            const kc = kb + c * s.f;
            for (let f = 0; f < s.f; f++) out[o + f] += v * kernel[kc + f];
          }
        }
    }
  return out;
}
