import { describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { buildStack, effectiveField, fieldInterval, PRESETS, inputSide, nonlinearities, receptiveFields, stackParams, type LayerSpec } from './model';

const conv = (kernel: number, dilation = 1, stride = 1): LayerSpec => ({ kind: 'conv', kernel, stride, dilation });
const vgg16 = PRESETS.vgg16.layers;

/** Rows and columns where the gradient is non-zero, as [first, last] per axis. */
function support(values: Float32Array, side: number): [number, number, number, number] {
  let [r0, r1, c0, c1] = [side, -1, side, -1];
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++)
      if (values[i * side + j] > 0) {
        r0 = Math.min(r0, i);
        r1 = Math.max(r1, i);
        c0 = Math.min(c0, j);
        c1 = Math.max(c1, j);
      }
  return [r0, r1, c0, c1];
}

describe('receptive fields and parameters', () => {
  it('three 3×3 convolutions see 7×7 like one 7×7, with 27C² weights against 49C² and three ReLUs against one (VGG, section 2.3)', () => {
    const three = buildStack({ kernel: 3, layers: 3, dilation: 1, poolEvery: 0 });
    const one = [conv(7)];
    expect(receptiveFields(three).map((s) => s.field)).toEqual([3, 5, 7]);
    expect(receptiveFields(one)[0].field).toBe(7);
    const C = 256;
    expect(stackParams(three, C, false)).toBe(27 * C * C);
    expect(stackParams(one, C, false)).toBe(49 * C * C);
    expect(stackParams(one, C, false) / stackParams(three, C, false) - 1).toBeCloseTo(0.815, 3); // "81 % more"
    expect([nonlinearities(three), nonlinearities(one)]).toEqual([3, 1]);
  });

  it("VGG-16's conv5_3 sees 196×196 pixels with a jump of 16; dilations 1, 2, 4, 8 reach 31 in four layers", () => {
    const f = receptiveFields(vgg16);
    expect(vgg16.filter((l) => l.kind === 'conv')).toHaveLength(13);
    expect(f.at(-1)).toEqual({ field: 196, jump: 16 });
    const [a, b] = fieldInterval(vgg16, 225);
    expect(b - a + 1).toBe(196);
    expect(receptiveFields(PRESETS.dilated.layers).map((s) => s.field)).toEqual([3, 7, 15, 31]);
    expect(receptiveFields(PRESETS.vgg.layers).at(-1)!.field).toBe(receptiveFields(PRESETS.seven.layers).at(-1)!.field);
    expect(() => buildStack({ kernel: 0, layers: 1, dilation: 1, poolEvery: 0 })).toThrow(/kernel/);
  });
});

describe('the effective receptive field, by tf.grad through real convolutions', () => {
  it('with uniform weights and no ReLU, the gradient is non-zero exactly on the theoretical field, and peaks at its centre', async () => {
    for (const layers of [buildStack({ kernel: 3, layers: 3, dilation: 1, poolEvery: 0 }), [conv(5), conv(3, 2)], [conv(7)]]) {
      const before = tf.memory().numTensors;
      const e = await effectiveField(layers, { weights: 'uniform', relu: false, channels: 1, seed: 1, batch: 2 });
      expect(tf.memory().numTensors).toBe(before);
      const [r0, r1, c0, c1] = support(e.values, e.side);
      expect([r0, r1 - r0 + 1, c0, c1 - c0 + 1]).toEqual([e.box.y, e.box.size, e.box.x, e.box.size]);
      const [a, b] = fieldInterval(layers, e.side);
      expect(b - a + 1).toBe(receptiveFields(layers).at(-1)!.field);
      const c = (a + b) / 2;
      expect(e.values[c * e.side + c]).toBeCloseTo(1, 5);
    }
  });

  it('with pooling the gradient stays inside the theoretical field; with random weights and ReLU, most of it sits in the central quarter', async () => {
    const layers = buildStack({ kernel: 3, layers: 6, dilation: 1, poolEvery: 2 });
    const e = await effectiveField(layers, { weights: 'random', relu: true, channels: 8, seed: 3, batch: 8 });
    expect(e.box.size).toBe(receptiveFields(layers).at(-1)!.field);
    const [r0, r1, c0, c1] = support(e.values, e.side);
    expect(r0).toBeGreaterThanOrEqual(e.box.y);
    expect(r1).toBeLessThan(e.box.y + e.box.size);
    expect(c0).toBeGreaterThanOrEqual(e.box.x);
    expect(c1).toBeLessThan(e.box.x + e.box.size);
    // The central square of half the side is a quarter of the field's area but holds much more of the gradient.
    expect(e.centralShare).toBeGreaterThan(0.4);
    expect(inputSide(layers)).toBeGreaterThanOrEqual(e.box.size);
    await expect(effectiveField([conv(3, 2, 2)], { weights: 'uniform', relu: false, channels: 1, seed: 1, batch: 1 })).rejects.toThrow(/stride and a dilation/);
  });
});
