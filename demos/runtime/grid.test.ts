import { describe, expect, it } from 'vitest';
import { gridPoints } from './grid';

describe('gridPoints', () => {
  it('spans the box corner to corner, x fastest, row 0 at yMin', () => {
    const g = gridPoints({ xMin: -1, xMax: 2, yMin: 10, yMax: 12 }, 4);
    expect(g.length).toBe(2 * 16);
    expect([g[0], g[1]]).toEqual([-1, 10]); // k = 0: column 0, row 0
    expect([g[2], g[3]]).toEqual([0, 10]); // k = 1: next column, same row
    expect([g[8], g[9]]).toEqual([-1, 10 + 2 / 3].map(Math.fround)); // k = 4: row 1
    expect([g[30], g[31]]).toEqual([2, 12]); // last point: the far corner
    expect(() => gridPoints({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 1)).toThrow(/resolution/);
  });
});
