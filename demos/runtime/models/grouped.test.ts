import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { blockDiagonalKernel, channelShuffle, checkGroups, groupedConv2d, groupedMacs, groupedParams, groupLinks, receptiveChannels, shufflePermutation, stackLinks, traceBack } from './grouped';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('grouped convolution', () => {
  it('costs k²·cin·cout/g weights and that times h·w multiply-adds', () => {
    expect(groupedParams({ k: 3, cin: 8, cout: 12, groups: 1 })).toBe(864);
    expect(groupedParams({ k: 3, cin: 8, cout: 12, groups: 4 })).toBe(216);
    expect(groupedMacs({ k: 1, cin: 240, cout: 240, groups: 3, h: 28, w: 28 })).toBe(80 * 240 * 784);
    expect(() => checkGroups(8, 12, 3)).toThrow(/divide/);
  });

  it('split → conv2d per group → concat equals one conv2d with the block-diagonal kernel, and the hand sum', () => {
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([1, 5, 5, 6], 0, 1, 'float32', 3) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 2, 9], 0, 1, 'float32', 4) as tf.Tensor4D; // 3 groups: 2 in, 3 out each
    const split = groupedConv2d(x, w, 3);
    const dense = blockDiagonalKernel(w, 3);
    const one = tf.conv2d(x, dense, 1, 'same');
    expect(split.shape).toEqual([1, 5, 5, 9]);
    expect(maxAbsDiff(split, one)).toBeLessThan(1e-5);
    // Output channel 4 (group 1) at the centre, summed by hand over input channels 2 and 3 only.
    const xv = x.arraySync()[0];
    const wv = w.arraySync();
    let hand = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) for (let i = 0; i < 2; i++) hand += xv[2 + dy][2 + dx][2 + i] * wv[dy + 1][dx + 1][i][4];
    expect(split.arraySync()[0][2][2][4]).toBeCloseTo(hand, 4);
    // The dense kernel is zero outside the diagonal blocks.
    const dv = dense.arraySync();
    expect(dv[1][1][0][5]).toBe(0);
    expect(dv[1][1][5][0]).toBe(0);
    tf.dispose([x, w, split, dense, one]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('channel shuffle', () => {
  it('is the permutation (j mod g)·n + ⌊j/g⌋: g = 3, n = 2 interleaves the groups', () => {
    expect(shufflePermutation(6, 3)).toEqual([0, 2, 4, 1, 3, 5]);
    expect(shufflePermutation(6, 1)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(shufflePermutation(12, 3)).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    const p = shufflePermutation(24, 4);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('reshape → transpose → reshape on a real map moves channels as the permutation says', () => {
    const x = tf.tensor4d(Array.from({ length: 2 * 12 }, (_, i) => i % 12), [1, 1, 2, 12]);
    const y = channelShuffle(x, 4);
    expect(Array.from(y.dataSync().slice(0, 12))).toEqual(shufflePermutation(12, 4));
    tf.dispose([x, y]);
  });
});

describe('connectivity', () => {
  it('a grouped layer links each output to its group’s cin/g inputs only', () => {
    const links = groupLinks(6, 6, 3);
    expect(links).toHaveLength(12);
    expect(links.filter((l) => l.to === 5).map((l) => l.from)).toEqual([4, 5]);
  });

  it('without the shuffle an output of stacked grouped layers sees only its group; with it every input once n ≥ g', () => {
    expect(receptiveChannels(12, 3, 3, false)).toEqual(new Array(12).fill(4));
    expect(receptiveChannels(12, 3, 2, true)).toEqual(new Array(12).fill(12));
    const { sizes, links, labels } = stackLinks(6, 3, 2, true);
    expect(labels).toEqual(['input', 'GConv 1', 'shuffle', 'GConv 2']);
    // n = 2 channels per group cannot carry all g = 3 groups: one shuffle mixes min(g, n) of them.
    expect(traceBack(sizes, links, 0)[0].filter(Boolean)).toHaveLength(4);
    expect(receptiveChannels(6, 3, 3, true)).toEqual(new Array(6).fill(6));
    expect(receptiveChannels(9, 3, 2, true)).toEqual(new Array(9).fill(9));
  });
});
