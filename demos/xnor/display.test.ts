import { describe, expect, it } from 'vitest';
import { accuracyCell, costTable, ms, times, timingRows, xnorStatus } from './display';
import type { XnorFrame } from './model';
import { formatPercent } from '../ui/plots/scale';

const frame = (over: Partial<XnorFrame> = {}): XnorFrame => ({
  steps: 10,
  scores: { full: { correct: 99, count: 100 }, bwn: { correct: 97, count: 100 }, xnor: { correct: 0, count: 0 } },
  scored: 100,
  timing: null,
  done: false,
  ...over,
});
const sweep = (current: number) => ({ medians: [], samples: [], current, done: false, steps: 0 });

describe('xnor display', () => {
  it('writes shares, milliseconds and ratios, with … while not measured', () => {
    expect(formatPercent(0.9912, 2)).toBe('99.12\u00a0%');
    expect([ms(0.5), ms(2), ms(10), ms(NaN)]).toEqual(['0.500', '2.00', '10.0', '…']);
    expect([times(4), times(20), times(Infinity)]).toEqual(['4.0×', '20×', '…']);
  });

  it('reports scoring, then the shape being timed, then the end', () => {
    expect(xnorStatus(null, 1000, 'wasm')).toBe('');
    expect(xnorStatus(frame({ scored: 500 }), 1000, 'wasm')).toBe('scoring test digits on wasm: 500 of 1,000');
    expect(xnorStatus(frame({ scored: 1000, timing: sweep(1) }), 1000, 'cpu')).toBe('timing 64 channels on cpu');
    expect(xnorStatus(frame({ scored: 1000, done: true }), 1000, 'webgl')).toBe('1,000 digits scored and 4 layer shapes timed on webgl');
  });

  it('shows a network’s accuracy once it has scored a digit', () => {
    expect(accuracyCell(frame(), 'full')).toBe('99.00\u00a0%');
    expect(accuracyCell(frame(), 'xnor')).toBe('…');
    expect(accuracyCell(null, 'full')).toBe('…');
  });

  it('counts each layer per digit, and the whole net about 18× smaller binarised (conv2 + fc1 about 28×)', () => {
    const { rows, total } = costTable();
    expect(rows.map((r) => r.name)).toEqual(['conv1 (float)', 'conv2', 'fc1', 'output (float)']);
    // conv1 stays float: 24·24 positions × 16 filters × 25 taps; 32 bits for each of its 400 weights and 16 biases.
    expect(rows[0].cells).toEqual(['230,400', '—', '—', '13,312', '13,312']);
    // conv2: 8·8 × 32 × 400 products, 2,048 outputs × 400 inputs / 32 per word; 1 bit a weight, 32 per α and per bias.
    expect(rows[1].cells).toEqual(['819,200', '819,200', '25,600', '410,624', '14,848']);
    expect(total).toEqual(['1,116,416', '884,736', '', '2,566,464', '143,168 (18× smaller; conv2 + fc1 28×)']);
  });

  it('lists every timed shape, with the medians and ratios once measured', () => {
    const before = timingRows(undefined);
    expect(before.map((r) => r.label)).toEqual(['the CNN’s conv2: 12×12×16, 5×5, 32', '64 channels: 10×10×64, 3×3, 64', '256 channels: 8×8×256, 3×3, 64', '512 channels: 6×6×512, 3×3, 64']);
    expect(before[0].cells).toEqual(['819,200', '…', '…', '…', '…', '…', '55×']); // S = 64·400/(400 + 64)
    const after = timingRows([{ tf: 2, js: 10, xnor: 0.5 }]);
    expect(after[0].cells).toEqual(['819,200', '2.00', '10.0', '0.500', '20×', '4.0×', '55×']);
    expect(after[1].cells.slice(1, 6)).toEqual(['…', '…', '…', '…', '…']);
  });
});
