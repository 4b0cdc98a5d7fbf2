import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { costVolume, displacements, endPointError, evidenceOf, HEIGHT, makeFrames, matchFrames, MAX_SHIFT, pixelCosts, RECT, WIDTH, winnerTakeAll } from './model';

beforeAll(() => useNodeBackend('wasm'));

/** The cost volume straight from its definition, one pixel and displacement at a time (zeros outside the frames). */
function naive(f1: Float32Array, f2: Float32Array, w: number, h: number, maxD: number, r: number, kind: 'ssd' | 'corr'): Float32Array {
  const at = (f: Float32Array, x: number, y: number) => (x >= 0 && y >= 0 && x < w && y < h ? f[y * w + x] : 0);
  const ds = displacements(maxD);
  const out = new Float32Array(ds.length * w * h);
  ds.forEach(({ dx, dy }, k) => {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let oy = -r; oy <= r; oy++) {
          for (let ox = -r; ox <= r; ox++) {
            // Outside frame 1 the patch counts nothing (the box filter's zero padding).
            if (x + ox < 0 || y + oy < 0 || x + ox >= w || y + oy >= h) continue;
            const a = at(f1, x + ox, y + oy);
            const b = at(f2, x + ox + dx, y + oy + dy);
            s += kind === 'ssd' ? (a - b) ** 2 : a * b;
          }
        }
        out[k * w * h + y * w + x] = s;
      }
    }
  });
  return out;
}

describe('the cost volume', () => {
  let digits: MnistArrays;
  beforeAll(() => {
    digits = sliceDigits(loadMnistNode('test'), 0, 50);
  });

  it('equals Σ over the patch of (f1(x + o) − f2(x + d + o))² and of f1(x + o)·f2(x + d + o), computed by tfjs ops, without leaking tensors', async () => {
    const w = 9;
    const h = 7;
    const rand = (s: number) => Float32Array.from({ length: w * h }, (_, i) => ((i * 37 + s * 11) % 17) / 17);
    const f1 = rand(1);
    const f2 = rand(2);
    const before = tf.memory().numTensors;
    for (const kind of ['ssd', 'corr'] as const) {
      for (const [maxD, r] of [
        [2, 1],
        [1, 0],
      ]) {
        const got = await costVolume(f1, f2, w, h, maxD, r, kind);
        const want = naive(f1, f2, w, h, maxD, r, kind);
        expect(got.length).toBe(want.length);
        for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 4);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(costVolume(f1, f2, w, h, 2, 1, 'l1' as 'ssd')).rejects.toThrow(/cost/);
    await expect(costVolume(f1, f2, w, h, -1, 1, 'ssd')).rejects.toThrow(/D/);
  });

  it('SSD recovers every textured pixel’s true shift exactly; the rectangle’s inside is textureless and its long edges suffer the aperture problem', async () => {
    const frames = makeFrames(digits, 3);
    for (const s of frames.shifts) {
      expect(Math.abs(s.dx)).toBeLessThanOrEqual(MAX_SHIFT);
      expect(Math.abs(s.dy)).toBeLessThanOrEqual(MAX_SHIFT);
    }
    expect(Math.abs(frames.shifts[2].dx)).toBeGreaterThanOrEqual(2);
    const maxD = 4;
    const { flow, report, volume } = await matchFrames(frames, maxD, 1, 'ssd');
    // Uniquely matched moving pixels are all right.
    expect(report.byEvidence.unique.count).toBeGreaterThan(100);
    expect(report.byEvidence.unique.epe).toBe(0);
    // The rectangle's centre: every displacement that keeps the patch inside the rectangle fits, and the tie goes to the smallest.
    const cx = RECT.x + RECT.w / 2;
    const cy = RECT.y + RECT.h / 2;
    const p = cy * WIDTH + cx;
    expect(evidenceOf(flow.ties[p], maxD)).not.toBe('unique');
    expect(flow.ties[p]).toBeGreaterThan(1);
    // Its top edge, mid-way: the vertical shift is found, the horizontal one is not (it ties all along the edge).
    const q = RECT.y * WIDTH + cx;
    expect(flow.dy[q]).toBe(frames.shifts[2].dy);
    expect(flow.dx[q]).not.toBe(frames.shifts[2].dx);
    expect(evidenceOf(flow.ties[q], maxD)).toBe('aperture');
    const costs = pixelCosts(volume, WIDTH, HEIGHT, maxD, cx, RECT.y);
    const ds = displacements(maxD);
    const truth = ds.findIndex((d) => d.dx === frames.shifts[2].dx && d.dy === frames.shifts[2].dy);
    const zero = ds.findIndex((d) => d.dx === 0 && d.dy === frames.shifts[2].dy);
    expect(costs[truth]).toBeCloseTo(0, 5);
    expect(costs[zero]).toBeCloseTo(0, 5);
    // The static background far from everything matches nothing in particular: no texture at all.
    expect(evidenceOf(flow.ties[0], maxD)).toBe('textureless');
    expect(report.byEvidence.aperture.epe).toBeGreaterThan(0.5);
  });

  it('a search range below the true shift cannot find it: the error grows', async () => {
    const frames = makeFrames(digits, 3);
    const biggest = Math.max(...frames.shifts.map((s) => Math.max(Math.abs(s.dx), Math.abs(s.dy))));
    const full = await matchFrames(frames, biggest, 1, 'ssd');
    const short = await matchFrames(frames, biggest - 1, 1, 'ssd');
    expect(short.report.epeMoving).toBeGreaterThan(full.report.epeMoving);
  });

  it('raw correlation favours bright patches: on the same frames it makes more errors than SSD', async () => {
    const frames = makeFrames(digits, 3);
    const ssd = await matchFrames(frames, 4, 1, 'ssd');
    const corr = await matchFrames(frames, 4, 1, 'corr');
    expect(corr.report.epeMoving).toBeGreaterThan(ssd.report.epeMoving);
  });

  it('winner-take-all breaks ties toward the smallest displacement and reports the end-point error', () => {
    // One pixel, D = 1: costs equal at (0, 0) and (1, 1), higher elsewhere.
    const vol = Float32Array.from({ length: 9 }, (_, k) => (k === 4 || k === 8 ? 0 : 1));
    const f = winnerTakeAll(vol, 1, 1, 1, 'ssd');
    expect([f.dx[0], f.dy[0], f.ties[0]]).toEqual([0, 0, 2]);
    const c = winnerTakeAll(vol, 1, 1, 1, 'corr'); // the highest correlation wins: 7 ties at 1, the smallest is (0, −1)
    expect(c.ties[0]).toBe(7);
    expect(Math.abs(c.dx[0]) + Math.abs(c.dy[0])).toBe(1);
    expect(endPointError({ dx: Int8Array.of(0, 3), dy: Int8Array.of(0, 4) }, { trueDx: Int8Array.of(0, 0), trueDy: Int8Array.of(0, 0) })).toBe(2.5);
    expect(evidenceOf(1, 2)).toBe('unique');
    expect(evidenceOf(25, 2)).toBe('textureless');
    expect(evidenceOf(5, 2)).toBe('aperture');
  });
});
