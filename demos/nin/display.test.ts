import { describe, expect, it } from 'vitest';
import { headSizeTable, raceStatus } from './display';
import type { HeadFrame } from './model';

const frame = (over: Partial<HeadFrame>): HeadFrame => ({ steps: 3, extracted: 1, trained: 0, accuracy: null, measuredAt: 0, loss: null, ...over });

describe('nin display', () => {
  it('reports extraction, then the Adam steps', () => {
    expect(raceStatus(null, 300, 5000)).toBe('loading the shipped CNN and 5,000 training digits…');
    expect(raceStatus(frame({ extracted: 0.426 }), 300, 5000)).toBe('extracting the frozen pool2 maps: 43 %');
    expect(raceStatus(frame({ trained: 120 }), 300, 5000)).toBe('Adam step 120 of 300 on 5,000 digits');
  });

  it('counts an AlexNet-sized FC head against NiN’s: about 228× the parameters', () => {
    // 6×6×256 maps, two hidden layers of 4,096, 1,000 classes: 9,216·4,096 + 4,096·4,096 + 4,096·1,000 weights and their biases.
    const t = headSizeTable({ side: 6, channels: 256, hidden: 4096, layers: 2, classes: 1000 });
    expect(t.caption).toBe('Last maps 6×6×256, 1,000 classes');
    expect(t.rows).toEqual([
      ['fully connected: flatten → 2 × 4,096 → 1,000', '58,631,144'],
      ['NiN: 1×1 conv 256 → 1,000, global average pooling', '257,000'],
      ['ratio', '228×'],
    ]);
  });

  it('drops the hidden layers at width 0, and gives a small ratio one decimal', () => {
    const t = headSizeTable({ side: 1, channels: 32, hidden: 0, layers: 2, classes: 10 });
    expect(t.rows[0]).toEqual(['fully connected: flatten → 10', '330']); // 32·10 + 10, the same as NiN's 1×1 conv
    expect(t.rows[2]).toEqual(['ratio', '1.0×']);
  });
});
