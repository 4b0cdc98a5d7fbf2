import { beforeAll, describe, expect, it } from 'vitest';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { HEIGHT, makeFrames, matchFrames, WIDTH, type CostVolumeResult, type Frames } from './model';
import { flowSamples, fmt, matchQuality, pixelAt, readPixel } from './display';

describe('cost-volume display', () => {
  let frames: Frames;
  let result: CostVolumeResult;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    frames = makeFrames(sliceDigits(loadMnistNode('test'), 0, 1000), 1);
    result = await matchFrames(frames, 4, 1, 'ssd');
  });

  it('shows a missing error as a dash', () => {
    expect(fmt(NaN)).toBe('–');
    expect(fmt(0.125)).toBe('0.13');
  });

  it('reads a pixel: its 81 costs, the truth, and a winner that is the cheapest displacement', () => {
    // A pixel inside the rectangle: it moves by the rectangle's shift.
    const [x, y] = [32, 40];
    const at = readPixel(result, frames, 4, x, y);
    expect(at.costs.length).toBe(81);
    expect(at.truth).toEqual([frames.shifts[2].dx, frames.shifts[2].dy]);
    const k = (at.win[1] + 4) * 9 + at.win[0] + 4;
    expect(at.costs[k]).toBeCloseTo(Math.min(...at.costs), 5);
    expect(at.ties).toBe(result.flow.ties[y * WIDTH + x]);
    expect(at.evidence).toBe(at.ties === 1 ? 'unique' : at.ties === 81 ? 'textureless' : 'aperture');
    // The background far from every object matches everything equally: all 81 tie.
    const corner = readPixel(result, frames, 4, 0, 0);
    expect([corner.ties, corner.evidence]).toEqual([81, 'textureless']);
  });

  it('rates matches 0…1, the best 1 whatever the cost (low SSD, high correlation)', () => {
    const costs = new Float32Array([4, 1, 3]);
    expect(Array.from(matchQuality(costs, 'ssd'))).toEqual([0, 1, 1 / 3].map(Math.fround));
    expect(Array.from(matchQuality(costs, 'corr'))).toEqual([1, 0, 2 / 3].map(Math.fround));
    expect(Array.from(matchQuality(new Float32Array([2, 2]), 'ssd'))).toEqual([1, 1]);
  });

  it('samples the flow on a grid every 4 px, starting 2 px in', () => {
    const s = flowSamples(result.flow, 4, 4);
    expect(s.length).toBe((WIDTH / 4) * (HEIGHT / 4));
    expect(s[0]).toMatchObject({ x: 2, y: 2 });
    for (const q of s) expect([q.dx, q.dy]).toEqual([result.flow.dx[q.y * WIDTH + q.x], result.flow.dy[q.y * WIDTH + q.x]]);
  });

  it('maps a click to a pixel of the frame, and outside it to none', () => {
    const rect = { left: 10, top: 20, width: 320, height: 260 }; // 5 px a pixel
    expect(pixelAt(rect, 10, 20)).toEqual([0, 0]);
    expect(pixelAt(rect, 10 + 5 * 32 + 2, 20 + 5 * 38 + 4)).toEqual([32, 38]);
    expect(pixelAt(rect, 9, 30)).toBeNull();
    expect(pixelAt(rect, 10 + 320, 30)).toBeNull();
  });
});
