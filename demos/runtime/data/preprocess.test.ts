import { describe, expect, it } from 'vitest';
import { loadMnistNode } from '../../../scripts/mnist-node';
import { toMnistInput, type PreprocessResult } from './preprocess';

/** A w×h Uint8 image, 0 everywhere except `ink(x, y)` (0–255). */
function draw(w: number, h: number, ink: (x: number, y: number) => number): Uint8Array {
  const d = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[y * w + x] = ink(x, y);
  return d;
}

const rect = (x0: number, y0: number, w: number, h: number) => (x: number, y: number) =>
  x >= x0 && x < x0 + w && y >= y0 && y < y0 + h ? 255 : 0;

/** Independent checks on a 28×28 result: bbox of non-zero pixels and centre of mass (indices). */
function measure(r: PreprocessResult) {
  if (!r.ok) throw new Error('expected an image');
  let x0 = 28, x1 = -1, y0 = 28, y1 = -1, m = 0, sx = 0, sy = 0;
  r.image.forEach((v, i) => {
    const x = i % 28, y = Math.floor(i / 28);
    if (v > 0) [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
    m += v; sx += x * v; sy += y * v;
  });
  return { w: x1 - x0 + 1, h: y1 - y0 + 1, cx: sx / m, cy: sy / m, mass: m };
}

describe('toMnistInput', () => {
  it('moves a far off-centre square to a 20×20 block with its centre of mass at (14, 14)', () => {
    const r = toMnistInput({ data: draw(200, 120, rect(150, 5, 30, 30)), width: 200, height: 120 });
    const m = measure(r);
    expect([m.w, m.h]).toEqual([20, 20]);
    // A uniform 20×20 block has its mass centre at index +9.5 from its corner; the integer shift puts it at 13.5 or 14.5.
    expect(Math.abs(m.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.cy - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...r.ok ? r.image : [])).toBeCloseTo(1, 6);
    expect(m.mass).toBeCloseTo(400, 3); // a full square stays fully inked: 20·20 pixels of 1
  });

  it('keeps the aspect ratio: a 10×40 bar becomes 5×20', () => {
    const m = measure(toMnistInput({ data: draw(64, 64, rect(3, 20, 10, 40)), width: 64, height: 64 }));
    expect([m.w, m.h]).toEqual([5, 20]);
    expect(Math.abs(m.cx - 14)).toBeLessThanOrEqual(0.5);
  });

  it('anti-aliases by area averaging: a 1-px checkerboard halved becomes uniform grey 0.5', () => {
    const checker = (x: number, y: number) => (x >= 10 && x < 50 && y >= 10 && y < 50 && (x + y) % 2 === 0 ? 255 : 0);
    const r = toMnistInput({ data: draw(60, 60, checker), width: 60, height: 60 });
    if (!r.ok) throw new Error('expected an image');
    const inked = [...r.image].filter((v) => v > 0);
    expect(inked.length).toBe(400);
    for (const v of inked) expect(v).toBeCloseTo(0.5, 5); // nearest-neighbour would give 0s and 1s
  });

  it('preserves total ink up to the scale factor when downscaling', () => {
    // A lopsided shape: a filled right triangle, 60×30, legs along the left and bottom.
    const tri = (x: number, y: number) => (x >= 2 && x < 62 && y >= 2 && y < 32 && x - 2 <= 2 * (y - 2) + 1 ? 200 : 0); // bottom row spans all 60
    let inkIn = 0;
    const data = draw(70, 40, tri);
    data.forEach((v) => (inkIn += v / 255));
    const m = measure(toMnistInput({ data, width: 70, height: 40 }));
    expect([m.w, m.h]).toEqual([20, 10]);
    expect(m.mass).toBeCloseTo((inkIn * (20 * 10)) / (60 * 30), 3);
    expect(Math.abs(m.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.cy - 14)).toBeLessThanOrEqual(0.5);
  });

  it('detects black-on-white input and gives the same result as white-on-black', () => {
    const white = draw(50, 50, rect(10, 12, 7, 25));
    const f = new Float32Array(white.length).map((_, i) => 1 - white[i] / 255);
    const a = toMnistInput({ data: white, width: 50, height: 50 });
    const b = toMnistInput({ data: f, width: 50, height: 50 });
    if (!a.ok || !b.ok) throw new Error('expected images');
    expect(a.inverted).toBe(false);
    expect(b.inverted).toBe(true);
    expect([...b.image]).toEqual([...a.image]);
  });

  it('says "nothing drawn" for a blank canvas of either polarity, never NaN', () => {
    expect(toMnistInput({ data: new Uint8Array(100 * 80), width: 100, height: 80 })).toEqual({ ok: false, reason: 'nothing drawn' });
    expect(toMnistInput({ data: new Float32Array(40 * 40).fill(1), width: 40, height: 40 })).toEqual({ ok: false, reason: 'nothing drawn' });
    expect(toMnistInput({ data: new Float32Array(9).fill(NaN), width: 3, height: 3 })).toEqual({ ok: false, reason: 'nothing drawn' });
  });

  it('upscales a tiny drawing: a single pixel becomes a 20×20 block', () => {
    const m = measure(toMnistInput({ data: draw(9, 9, rect(4, 4, 1, 1)), width: 9, height: 9 }));
    expect([m.w, m.h]).toEqual([20, 20]);
  });

  it('leaves real MNIST digits (already made this way) essentially unchanged', () => {
    const test = loadMnistNode('test');
    let same = 0;
    const n = 200;
    for (let d = 0; d < n; d++) {
      const digit = test.images.subarray(d * 784, (d + 1) * 784);
      const r = toMnistInput({ data: digit, width: 28, height: 28 }, { inkThreshold: 0 });
      if (!r.ok) throw new Error(`digit ${d} not found`);
      let err = 0;
      for (let i = 0; i < 784; i++) err = Math.max(err, Math.abs(r.image[i] - digit[i] / 255));
      if (err < 1e-6) same++;
    }
    expect(same / n).toBeGreaterThan(0.95);
  });

  it('rejects a data length that does not match the size', () => {
    expect(() => toMnistInput({ data: new Uint8Array(10), width: 3, height: 3 })).toThrow(/10 values for 3×3/);
  });
});
