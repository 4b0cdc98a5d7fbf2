import { describe as suite, expect, it } from 'vitest';
import { defaults } from '../runtime/params';
import { describe, mapRows, request } from './display';
import type { Checked, Explanation } from './model';
import { explainParams } from './params';

const base = defaults(explainParams);
const explanation = (target: Explanation['target']) => ({ target }) as Explanation;

suite('saliency display', () => {
  it('asks for a class score, the prediction or a digit', () => {
    expect(request({ ...base, target: 'class', cls: 'top' }).opts.target).toEqual({ kind: 'class', cls: 'top' });
    expect(request({ ...base, target: 'class', cls: '4' }).opts.target).toEqual({ kind: 'class', cls: 4 });
    expect(request(base).note).toBeNull();
  });

  it('reads a conv1 channel past its 16 as the last one, and says so; conv2 has 32', () => {
    const r = request({ ...base, target: 'conv1', unit: 20 });
    expect(r.opts.target).toEqual({ kind: 'unit', layer: 'conv1', channel: 15 });
    expect(r.note).toBe('conv1 has channels 0–15: showing channel 15.');
    const r2 = request({ ...base, target: 'conv2', unit: 20, steps: 32, randomize: 'fc1', seed: 3 });
    expect(r2).toEqual({ opts: { target: { kind: 'unit', layer: 'conv2', channel: 20 }, igSteps: 32, randomize: 'fc1', seed: 3 }, note: null });
  });

  it('names the target and titles the re-drawn row by what was re-drawn', () => {
    expect(describe({ kind: 'class', cls: 7 } as Explanation['target'])).toBe('the score of class 7');
    expect(describe({ kind: 'unit', layer: 'conv2', channel: 3 } as Explanation['target'])).toBe('the strongest activation of conv2 channel 3');
    const trained = explanation({ kind: 'class', cls: 7 } as Explanation['target']);
    const checked = { trained, randomized: trained, similarity: {} } as Checked;
    expect(mapRows(checked, 'fc1').map((r) => r.title)).toEqual(['Trained network', 'Re-drawn: fc1 and above']);
    expect(mapRows({ ...checked, randomized: null }, 'none').map((r) => r.title)).toEqual(['Trained network']);
    expect(mapRows(null, 'none')).toEqual([]);
  });
});
