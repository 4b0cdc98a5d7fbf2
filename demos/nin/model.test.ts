import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { loadModel } from '../runtime/data/models';
import { floatImages } from '../runtime/data/loader';
import { sliceRange } from '../runtime/models/classify';
import type { MnistArrays } from '../runtime/data/idx';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { BODY, classMaps, createHeadRace, DEFAULT_RACE, extractMaps, fcHeadParams, gapHeadParams, mapShape, mix1x1, trunk } from './model';
import { TRAIN_DIGITS, TEST_DIGITS } from './params';

// The shipped CNN and the digits the page uses.
let cnn: tf.LayersModel;
let train: MnistArrays;
let test: MnistArrays;
const digits = (d: MnistArrays) => ({ images: floatImages(d), labels: d.labels, count: d.count });
beforeAll(async () => {
  await useNodeBackend('wasm');
  cnn = (await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
  train = sliceRange(loadMnistNode('train'), 0, TRAIN_DIGITS);
  test = sliceRange(loadMnistNode('test'), 0, TEST_DIGITS);
}, 120_000);
afterAll(() => cnn?.dispose());

describe('head sizes', () => {
  it("counts AlexNet's fully connected head (6×6×256 → 4096 → 4096 → 1000) at 58.6 M against 257 k for a 1×1 convolution and GAP", () => {
    const alex = { side: 6, channels: 256, classes: 1000, hidden: 4096, layers: 2 };
    // By hand: 9216·4096 + 4096 + 4096·4096 + 4096 + 4096·1000 + 1000.
    expect(fcHeadParams(alex)).toBe(9216 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000);
    expect(fcHeadParams(alex)).toBe(58_631_144);
    expect(gapHeadParams(alex)).toBe(257_000);
    expect(gapHeadParams({ ...alex, side: 13 } as never)).toBe(257_000); // no dependence on the side
    expect(fcHeadParams({ ...alex, hidden: 0 })).toBe(9216 * 1000 + 1000);
  });

  it('agrees with tf.layers: a dense head and a 1×1 conv head built as real layers count the same', () => {
    const s = { side: 8, channels: 32, classes: 10, hidden: 64, layers: 1 };
    const fc = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [8, 8, 32] }), tf.layers.dense({ units: 64 }), tf.layers.dense({ units: 10 })] });
    const gap = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 32], filters: 16, kernelSize: 1 }), tf.layers.conv2d({ filters: 10, kernelSize: 1 }), tf.layers.globalAveragePooling2d({})] });
    expect(fcHeadParams(s)).toBe(fc.countParams());
    expect(gapHeadParams(s, 16)).toBe(gap.countParams());
    fc.dispose();
    gap.dispose();
  });
});

describe('the shipped CNN, live', () => {
  it('a 1×1 convolution of its conv1 maps is the weighted sum of the channels at every pixel', async () => {
    const t1 = trunk(cnn, 'conv1');
    const shape = mapShape(t1);
    expect(shape).toEqual([24, 24, 16]);
    const x = await extractMaps(t1, floatImages(test, 0, 1), 1);
    const w = Array.from({ length: 16 }, (_, i) => Math.sin(i + 1));
    const y = await mix1x1(x, shape, w, 0.1, false);
    const r = await mix1x1(x, shape, w, 0.1, true);
    let worst = 0;
    for (let p = 0; p < 24 * 24; p++) {
      let s = 0.1;
      for (let ch = 0; ch < 16; ch++) s += w[ch] * x[p * 16 + ch];
      worst = Math.max(worst, Math.abs(s - y[p]), Math.abs(Math.max(0, s) - r[p]));
    }
    expect(worst).toBeLessThan(1e-4);
    await expect(mix1x1(x, shape, [1, 2], 0, false)).rejects.toThrow(/2 weights for 16 channels/);
  });

  it('its conv2 maps are 8×8×32, and chunked extraction gives the same maps as one batch', async () => {
    const t2 = trunk(cnn, 'conv2');
    expect(mapShape(t2)).toEqual([8, 8, 32]);
    const a = await extractMaps(t2, floatImages(test, 0, 7), 7, 3);
    const b = await extractMaps(t2, floatImages(test, 0, 7), 7, 7);
    expect(Array.from(a)).toEqual(Array.from(b));
    await expect(extractMaps(t2, floatImages(test, 0, 2), 3)).rejects.toThrow(/2 images, asked for 3/);
  });
});

describe('GAP head against FC head on the frozen pool2 maps of the shipped CNN', () => {
  it('extracts the maps step by step, then trains both heads (330 against 5,130 parameters): the GAP head trails well behind', async () => {
    const before = tf.memory().numTensors;
    const race = createHeadRace(trunk(cnn, BODY), digits(train), digits(test), { seed: 1 });
    expect(race.params).toEqual({ gap: gapHeadParams({ channels: 32, classes: 10 }), fc: fcHeadParams({ side: 4, channels: 32, classes: 10, hidden: 0, layers: 1 }) });
    expect(race.params).toEqual({ gap: 330, fc: 5_130 });
    const extract = (TRAIN_DIGITS + TEST_DIGITS) / DEFAULT_RACE.chunk;
    expect(race.length).toBe(extract + DEFAULT_RACE.total);
    const f0 = await race.step(0);
    expect(f0).toMatchObject({ steps: 0, extracted: 0, trained: 0, accuracy: null, loss: null });
    const allocated = tf.memory().numTensors;
    const f1 = await race.step(3);
    expect(f1).toMatchObject({ steps: 3, trained: 0, accuracy: null });
    expect(f1.extracted).toBeCloseTo((3 * DEFAULT_RACE.chunk) / (TRAIN_DIGITS + TEST_DIGITS), 10);
    expect(tf.memory().numTensors).toBe(allocated); // the maps land in tensors made at creation
    let f = await race.step(extract); // the rest of the extraction, then 3 Adam steps
    expect(f).toMatchObject({ extracted: 1, trained: 3, steps: extract + 3, measuredAt: 3 });
    const start = f.accuracy!;
    while (f.trained < DEFAULT_RACE.total) f = await race.step(100);
    expect(f).toMatchObject({ trained: DEFAULT_RACE.total, measuredAt: DEFAULT_RACE.total });
    const [gap, fc] = f.accuracy!;
    console.log(`NiN heads after ${DEFAULT_RACE.total} steps on ${TRAIN_DIGITS} digits: GAP ${(100 * gap).toFixed(1)} %, FC ${(100 * fc).toFixed(1)} % on ${TEST_DIGITS} test digits`);
    expect(fc).toBeGreaterThan(0.95);
    expect(gap).toBeGreaterThan(start[0] + 0.2);
    // Maps trained for a fully connected head keep the digit's layout in where they fire: averaged away, much is lost.
    expect(fc - gap).toBeGreaterThan(0.05);
    const n = tf.memory().numTensors;
    expect((await race.step(10)).trained).toBe(DEFAULT_RACE.total); // past the budget: nothing more
    expect(tf.memory().numTensors).toBe(n);
    race.dispose();
    race.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(race.step(1)).rejects.toThrow(/after dispose/);
  }, 90_000);

  it('a micro network (32 → 16 → 10) in the GAP head has 698 parameters; a bad learning rate is refused', () => {
    const before = tf.memory().numTensors;
    const race = createHeadRace(trunk(cnn, BODY), digits(sliceRange(train, 0, 10)), digits(sliceRange(test, 0, 10)), { micro: 16 });
    expect(race.params.gap).toBe(32 * 16 + 16 + 16 * 10 + 10);
    expect(race.params.gap).toBe(gapHeadParams({ channels: 32, classes: 10 }, 16));
    race.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => createHeadRace(trunk(cnn, BODY), digits(train), digits(test), { lr: 0 })).toThrow(/learning rate/);
  });
});

describe('cnn-gap, trained end to end with the GAP head', () => {
  it('its probabilities are the softmax of its class maps\' means, and the true class\'s map is the brightest on most digits', async () => {
    const { model, manifest } = await loadModel('cnn-gap', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) });
    expect(manifest.architecture.some((l) => l.type === 'Dense')).toBe(false);
    const before = tf.memory().numTensors;
    let right = 0;
    for (let d = 0; d < 20; d++) {
      const { maps, probs, shape } = await classMaps(model, floatImages(test, d, d + 1));
      expect(shape).toEqual([8, 8, 10]);
      const means = Array.from({ length: 10 }, (_, k) => maps.filter((_, i) => i % 10 === k).reduce((a, v) => a + v, 0) / 64);
      const z = Math.max(...means);
      const e = means.map((v) => Math.exp(v - z));
      const sum = e.reduce((a, v) => a + v, 0);
      e.forEach((v, k) => expect(v / sum).toBeCloseTo(probs[k], 5));
      if (means.indexOf(z) === test.labels[d]) right++;
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(right).toBeGreaterThanOrEqual(18);
    model.dispose();
  });
});
