import { describe, expect, it } from 'vitest';
import { shareTable, trainingStatus, whoDetects } from './display';
import { focalTerm, type CellProbabilities } from './model';
import type { TrainProgress } from './train';
import { formatPercent } from '../ui/plots/scale';

const run = (over: Partial<TrainProgress> = {}): TrainProgress => ({
  steps: 1500, total: 2400, loss: [3, 1], lossAt: [50, 100], map: [0.01, 0.4567], mapAt: [0, 1000], perClass: [], flat: new Float32Array(0),
  trainSeconds: 30.06, seconds: 35, collisions: 0, objects: 100,
  ...over,
});

describe('one-stage display', () => {
  it('reports the run at its last mAP, its loading, or nothing; and which detector draws', () => {
    expect(trainingStatus(run(), false, true)).toBe('step 1,500 of 2,400 · mAP@0.5 0.457 at step 1000 · 30.1 s of training so far');
    expect(trainingStatus(run({ map: [0.1], mapAt: [0] }), true, false)).toBe('step 1,500 of 2,400 · mAP@0.5 0.100 at step 0 · 30.1 s of training');
    expect(trainingStatus(null, false, true)).toBe('loading 10,000 training and 5,000 test digits…');
    expect(trainingStatus(null, false, false)).toBeUndefined();
    expect(whoDetects(run())).toBe('after 1000 steps');
    expect(whoDetects(null)).toBe('untrained (step 0)');
  });

  it('splits the loss over easy negatives, other negatives and positives, under CE and under FL', () => {
    // Two easy negatives (p_t = 0.99), one hard negative (p_t = 0.5), one positive (p_t = 0.2).
    const cells: CellProbabilities = { p: Float32Array.of(0.01, 0.01, 0.5, 0.2), label: Uint8Array.of(0, 0, 0, 1) };
    const t = shareTable(cells, 2, 0.25);
    expect(t.rows.map((r) => r.name)).toEqual(['easy negatives (p_t > 0.9)', 'other negatives', 'positives (an object’s cell)']);
    expect(t.rows.map((r) => r.cells[0])).toEqual(['2', '1', '1']);
    // Cross-entropy: −log p_t per cell, shared in proportion.
    const ce = [2 * focalTerm(0.99, 0), focalTerm(0.5, 0), focalTerm(0.2, 0)];
    const sum = ce[0] + ce[1] + ce[2];
    expect(t.easyCe).toBeCloseTo(ce[0] / sum, 5);
    expect(t.rows[0].cells[1]).toBe(formatPercent(ce[0] / sum));
    // The focal loss all but silences the easy negatives: (1 − 0.99)² scales theirs by 10⁻⁴.
    expect(t.easyFocal).toBeLessThan(t.easyCe / 100);
    expect(t.rows.map((r) => r.cells[2])).toHaveLength(3);
  });
});
