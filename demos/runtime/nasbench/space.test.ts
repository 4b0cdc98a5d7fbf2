import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { buildCell } from './build';
import {
  canonical,
  canonicalCells,
  cellCost,
  decode,
  describe as describeCell,
  encode,
  fromDecisions,
  mutations,
  SPACE_SIZE,
  stageChannels,
  toDecisions,
} from './space';

describe('nasbench space', () => {
  it('encodes and decodes every cell one-to-one', () => {
    expect(SPACE_SIZE).toBe(512);
    const bad: number[] = [];
    for (let i = 0; i < SPACE_SIZE; i++) if (encode(decode(i)) !== i || fromDecisions(toDecisions(i)) !== i) bad.push(i);
    expect(bad).toEqual([]);
    expect(() => decode(512)).toThrow(/\[0, 512\)/);
    expect(() => decode(1.5)).toThrow(RangeError);
    expect(() => encode([{ op: 'conv3', width: 0 }])).toThrow(/3 stages/);
  });

  it('has 343 distinct networks: a skip stage ignores its width', () => {
    const cells = canonicalCells();
    expect(cells.length).toBe(343);
    const skipWide = encode([{ op: 'skip', width: 1 }, { op: 'conv3', width: 1 }, { op: 'sep3', width: 0 }]);
    expect(canonical(skipWide)).toBe(encode([{ op: 'skip', width: 0 }, { op: 'conv3', width: 1 }, { op: 'sep3', width: 0 }]));
    expect(cellCost(skipWide)).toEqual(cellCost(canonical(skipWide)));
    expect(describeCell(skipWide)).toBe('skip | conv3·16 | sep3·8');
    expect(stageChannels(decode(skipWide))).toEqual([8, 16, 8]);
  });

  it('mutates one operation or one width at a time, never to a duplicate of itself', () => {
    const i = encode([{ op: 'sep3', width: 1 }, { op: 'skip', width: 0 }, { op: 'pool', width: 0 }]);
    const m = mutations(i);
    // 3 other ops per stage (9) + the widths of the two non-skip stages (2).
    expect(m.length).toBe(11);
    expect(new Set(m).size).toBe(11);
    for (const j of m) {
      expect(j).not.toBe(i);
      expect(canonical(j)).toBe(j);
      const diff = toDecisions(i).filter((d, k) => d !== toDecisions(j)[k]).length;
      expect(diff === 1 || diff === 2).toBe(true); // op change to/from skip may reset the width too
    }
  });

  it("counts parameters exactly as the built tfjs model's trainable weights", () => {
    const before = tf.memory().numTensors;
    for (const i of [0, 73, 146, 219, 292, 365, 438, 511, 300]) {
      const model = buildCell(i, 1);
      try {
        expect(model.countParams(), describeCell(i)).toBe(cellCost(i).params);
        expect(model.outputs[0].shape).toEqual([null, 10]);
      } finally {
        model.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts multiply–accumulates by hand for one cell', () => {
    // conv3·4 | conv3·8 | conv3·8: stem 14²·9·8, stage 1 14²·9·8·4, stage 2 7²·9·4·8, stage 3 7²·9·8·8, dense 7²·8·10.
    const macs = 196 * 9 * 8 + 196 * 9 * 8 * 4 + 49 * 9 * 4 * 8 + 49 * 9 * 8 * 8 + 49 * 8 * 10;
    expect(cellCost(0).macs).toBe(macs);
  });
});
