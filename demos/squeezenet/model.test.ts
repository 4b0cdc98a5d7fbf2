import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { buildSqueezenet, fireCost, fireModules, liveCheck, megabytes, plainCost, SQUEEZENET, squeezenetCost } from './model';

describe('the fire module', () => {
  it('costs s·(c + 1) + e₁·(s + 1) + e₃·(9s + 1) parameters: fire2 of SqueezeNet by hand', () => {
    const fire2 = { cin: 96, s: 16, e1: 64, e3: 64 };
    expect(fireCost(fire2, 54).params).toBe(96 * 16 + 16 + 16 * 64 + 64 + 9 * 16 * 64 + 64);
    expect(fireCost(fire2, 54).macs).toBe(54 * 54 * (96 * 16 + 16 * 64 + 9 * 16 * 64));
    // A plain 3×3 convolution to the same 128 outputs needs 9·96·128 weights: 9× more than the fire module.
    expect(plainCost(fire2, 54).params / fireCost(fire2, 54).params).toBeGreaterThan(9);
  });
});

describe('SqueezeNet from its metaparameters', () => {
  it('gives the paper’s modules: e = 128, 128, 256, 256, 384, 384, 512, 512 with s = e/8', () => {
    const f = fireModules(SQUEEZENET);
    expect(f.map((x) => x.e1 + x.e3)).toEqual([128, 128, 256, 256, 384, 384, 512, 512]);
    expect(f.map((x) => x.s)).toEqual([16, 16, 32, 32, 48, 48, 64, 64]);
    expect(f.map((x) => x.cin)).toEqual([96, 128, 128, 256, 256, 384, 384, 512]);
  });
  it('counts torchvision’s squeezenet1_0: 1,248,424 parameters and 0.82 G multiply-adds at 224, the paper’s 4.8 MB', () => {
    const c = squeezenetCost();
    expect(c.params).toBe(1_248_424);
    expect(c.macs / 1e9).toBeCloseTo(0.82, 2);
    expect(megabytes(c.params)).toBeCloseTo(4.8, 1);
    expect(c.layers.map((l) => l.side)).toEqual([109, 54, 54, 54, 27, 27, 27, 27, 13, 13]);
  });
  it('grows to the sizes of the paper’s design-space sweeps: 13 MB at SR = 0.5 and about 19 MB at SR = 0.75', () => {
    expect(megabytes(squeezenetCost({ ...SQUEEZENET, sr: 0.5 }).params)).toBeCloseTo(13, 0);
    expect(megabytes(squeezenetCost({ ...SQUEEZENET, sr: 0.75 }).params)).toBeCloseTo(18.5, 1);
  });
  it('builds as a real tf model with exactly the counted parameters, and the live check leaks nothing', async () => {
    const small = { ...SQUEEZENET, baseE: 32, incrE: 16, sr: 0.25, pct3x3: 0.25 };
    const model = buildSqueezenet(small, 32, 10);
    expect(model.countParams()).toBe(squeezenetCost(small, 32, 10).params);
    model.dispose();
    const before = tf.memory().numTensors;
    const live = await liveCheck(small, 32);
    expect(live.params).toBe(squeezenetCost(small).params);
    expect(live.output).toEqual([1, 1000]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
