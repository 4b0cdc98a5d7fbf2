import { describe, expect, it } from 'vitest';
import { answers, attackCaption, curvesStatus } from './display';
import type { DigitAttack } from './model';

const probs = (k: number, p: number) => Float32Array.from({ length: 10 }, (_, i) => (i === k ? p : (1 - p) / 9));
const attack = (after: number): DigitAttack => ({
  target: 7, clean: probs(7, 0.98), adversarial: probs(after, 0.6), image: new Float32Array(784), delta: new Float32Array(784),
  lossClean: 0.02, lossAdversarial: 2, logitClean: 12.34, logitAdversarial: 3.21, linearPrediction: -10.5,
});

describe('fgsm display', () => {
  it('tells a fooled network from one still right', () => {
    expect(answers(attack(3))).toEqual({ before: 7, after: 3, fooled: true });
    expect(answers(attack(7))).toEqual({ before: 7, after: 7, fooled: false });
    expect(answers(null)).toEqual({ before: -1, after: -1, fooled: false });
  });

  it('writes the answers and the attacked logit against the linear prediction', () => {
    // Linear around x: Z_7 would be 12.34 − 10.5 = 1.84.
    expect(attackCaption(attack(3))).toBe('Before: 7 (98.0\u00a0%). After: 3 (60.0\u00a0%), fooled. Logit Z_7: 12.3 → 3.2; a network linear around x would give 1.8 (∇ₓZᵀδ = -10.5).');
    expect(attackCaption(attack(7))).toMatch(/After: 7 \(60\.0\u00a0%\), still right\./);
    expect(attackCaption(null)).toBe('Loading the network…');
  });

  it('counts the digits through every attack: the fewest of any cell', () => {
    const shown = { epsilons: [0.1, 0.2], counts: Uint32Array.of(1200, 1000, 1500, 1000, 1000, 1000, 1000, 1000), wrong: new Uint32Array(8), total: 2000 };
    expect(curvesStatus(shown, false, true)).toBe('1,000 of 2,000 digits through every attack so far');
    expect(curvesStatus(shown, true, false)).toBe('1,000 of 2,000 digits through every attack');
    expect(curvesStatus(null, false, true)).toBe('loading the networks and digits…');
    expect(curvesStatus(null, false, false)).toBeUndefined();
  });
});
