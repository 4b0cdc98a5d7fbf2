import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistNode } from '../../../scripts/mnist-node';
import type { MnistArrays } from './idx';
import { composeScenes } from './scenes';
import { iou } from '../detection';

let digits: MnistArrays;
beforeAll(() => {
  digits = loadMnistNode('test');
});

describe('composeScenes', () => {
  it('places real digits with tight ink boxes, classes and masks, reproducibly from a seed', () => {
    const opts = { count: 20, size: 64, minDigits: 1, maxDigits: 3, seed: 7 };
    const scenes = composeScenes(digits, opts);
    expect(scenes).toHaveLength(20);
    for (const s of scenes) {
      expect(s.objects.length).toBeGreaterThanOrEqual(1);
      expect(s.objects.length).toBeLessThanOrEqual(3);
      for (const [i, o] of s.objects.entries()) {
        expect(o.cls).toBe(digits.labels[o.source]);
        const [x1, y1, x2, y2] = o.box;
        expect(x1).toBeGreaterThanOrEqual(0);
        expect(y1).toBeGreaterThanOrEqual(0);
        expect(x2).toBeLessThanOrEqual(64);
        expect(y2).toBeLessThanOrEqual(64);
        // Tight: ink on each edge row and column of the box.
        const ink = (x: number, y: number) => s.image[y * 64 + x] > 0.3;
        const col = (x: number) => Array.from({ length: y2 - y1 }, (_, k) => ink(x, y1 + k)).some(Boolean);
        const row = (y: number) => Array.from({ length: x2 - x1 }, (_, k) => ink(x1 + k, y)).some(Boolean);
        expect(col(x1) && col(x2 - 1) && row(y1) && row(y2 - 1)).toBe(true);
        for (const other of s.objects.slice(0, i)) expect(iou(other.box, o.box)).toBeLessThanOrEqual(0.1);
        // The class mask marks this digit's ink inside its box.
        let marked = 0;
        for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) if (s.mask[y * 64 + x] === o.cls + 1) marked++;
        expect(marked).toBeGreaterThan(10);
      }
      for (let p = 0; p < s.mask.length; p++) if (s.mask[p] > 0) expect(s.image[p]).toBeGreaterThan(0.3);
    }
    const again = composeScenes(digits, opts);
    expect(again[5].objects).toEqual(scenes[5].objects);
    expect(Array.from(again[5].image)).toEqual(Array.from(scenes[5].image));
    expect(composeScenes(digits, { ...opts, seed: 8 })[5].objects).not.toEqual(scenes[5].objects);
  });
  it('draws only from the pool it is given and rejects impossible sizes', () => {
    const pool = Array.from({ length: 500 }, (_, i) => i).filter((i) => digits.labels[i] === 3);
    const scenes = composeScenes(digits, { count: 5, size: 48, seed: 1, pool });
    expect(scenes.flatMap((s) => s.objects).every((o) => o.cls === 3)).toBe(true);
    expect(() => composeScenes(digits, { count: 1, size: 16, seed: 1 })).toThrow(/minScale/);
  });
});
