import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { floatImages } from '../runtime/data/loader';
import { loadModel } from '../runtime/data/models';
import { buildCnnSe, seBlock } from '../runtime/models/zoo';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { classExcitations, classSurvey, CNN_SE_STAGES, exciteDigits, hiddenUnits, rankChannels, RESNET50, RESNET50_STAGES, rescaledMap, seCost } from './model';

const test = loadMnistNode('test');
let shipped: tf.LayersModel;
let plainParams: number;
let shippedAccuracy: number;

beforeAll(async () => {
  await useNodeBackend('wasm');
  const fetch = fileFetch(path.resolve('public/models'));
  const se = await loadModel('cnn-se', { baseUrl: '/', fetch });
  shipped = se.model;
  shippedAccuracy = se.manifest.test.accuracy;
  plainParams = (await loadModel('inv-pool', { baseUrl: '/', fetch })).manifest.params;
});
afterAll(() => shipped?.dispose());

describe('the cost of SE blocks', () => {
  it('SE-ResNet-50 with r = 16: (2/r) Σ N C² ≈ 2.5 M extra parameters, 28.1 M in all (the paper: 28.1 M); ~0.3 % more multiply-adds', () => {
    const c = seCost(RESNET50_STAGES, 16);
    expect(c.formula).toBe((2 / 16) * (3 * 256 ** 2 + 4 * 512 ** 2 + 6 * 1024 ** 2 + 3 * 2048 ** 2));
    expect(c.formula).toBe(2_514_944);
    expect(c.params).toBe(2_530_992);
    expect((RESNET50.params + c.params) / 1e6).toBeCloseTo(28.1, 1);
    expect(c.params / RESNET50.params).toBeCloseTo(0.099, 3);
    // The paper: 3.86 → 3.87 GFLOPs. Our count: the two FC layers and one multiply per rescaled value.
    expect(c.macs / RESNET50.macs).toBeGreaterThan(0.001);
    expect(c.macs / RESNET50.macs).toBeLessThan(0.003);
    // Halving r doubles the weights of the FC layers.
    expect(seCost(RESNET50_STAGES, 8).formula).toBe(2 * c.formula);
    expect(() => hiddenUnits(16, 0.5)).toThrow(/≥ 1/);
  });

  it("the exact count is what tfjs counts for a real SE block, and cnn-se's two blocks add 700 parameters to inv-pool's", () => {
    for (const r of [1, 4, 16]) {
      const input = tf.input({ shape: [7, 7, 64] });
      const m = tf.model({ inputs: input, outputs: seBlock(input, 'b', r, () => 1) });
      expect(m.countParams()).toBe(seCost([{ blocks: 1, channels: 64, side: 7 }], r).params);
      m.dispose();
    }
    const ours = seCost(CNN_SE_STAGES, 4);
    expect(ours.params).toBe(700);
    expect(shipped.countParams()).toBe(plainParams + ours.params);
  });
});

describe('a live SE block', () => {
  it('squeeze, excitation and rescaling as layers give what model.predict gives; z is the mean of u; no tensor is left', async () => {
    const net = buildCnnSe(3);
    const before = tf.memory().numTensors;
    const x = floatImages(test, 0, 3);
    const r = await exciteDigits(net, x, { maps: true });
    expect(tf.memory().numTensors).toBe(before);
    const pred = tf.tidy(() => net.predict(tf.tensor4d(x, [3, 28, 28, 1])) as tf.Tensor);
    const expected = await pred.data();
    pred.dispose();
    for (let i = 0; i < 30; i++) expect(r.probs[i]).toBeCloseTo(expected[i], 5);
    for (const b of r.blocks) {
      const { channels: C, side } = b.info;
      for (const v of b.s) expect(v > 0 && v < 1).toBe(true);
      // z_c of digit 1 = mean over positions of u_c.
      for (let c = 0; c < C; c++) {
        let sum = 0;
        for (let i = 0; i < side * side; i++) sum += b.u![(side * side + i) * C + c];
        expect(b.z[C + c]).toBeCloseTo(sum / (side * side), 4);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
    await expect(exciteDigits(shipped, new Float32Array(100))).rejects.toThrow(/whole number/);
  });

  it('class means and their spread, on hand-made excitations', () => {
    // Two channels, four digits: channel 0 follows the class, channel 1 does not.
    const s = [0.9, 0.5, 0.9, 0.5, 0.1, 0.5, 0.1, 0.5];
    const e = classExcitations(s, [3, 3, 7, 7], 2);
    expect(Array.from(e.mean.subarray(6, 8))).toEqual([expect.closeTo(0.9, 6), 0.5]);
    expect(Array.from(e.mean.subarray(14, 16))).toEqual([expect.closeTo(0.1, 6), 0.5]);
    // Std across the two present classes: 0.4 for channel 0, 0 for channel 1 → mean 0.2.
    expect(e.classSpread).toBeCloseTo(0.2, 6);
    expect(rankChannels([0.2, 0.7, 0.7, 0.1])).toEqual([1, 2, 0, 3]);
    expect(() => classExcitations([0.1], [12], 1)).toThrow(/not a class/);
  });
});

describe('what the view shows of the block', () => {
  it('rescaledMap is channel c of the interleaved maps times s', () => {
    const u = Float32Array.from([1, 10, 2, 20, 3, 30]); // 3 positions × 2 channels
    expect(Array.from(rescaledMap(u, 0.5, 1, 2))).toEqual([5, 10, 15]);
    expect(Array.from(rescaledMap(u, 2, 0, 2))).toEqual([2, 4, 6]);
  });

  it("classSurvey counts the network's right answers and averages each block's excitations by class", async () => {
    const n = 40;
    const survey = await classSurvey(shipped, test, n);
    const r = await exciteDigits(shipped, floatImages(test, 0, n));
    const labels = test.labels.subarray(0, n);
    const predicted = Array.from({ length: n }, (_, i) => tf.tidy(() => tf.tensor1d(r.probs.subarray(10 * i, 10 * i + 10)).argMax().dataSync()[0]));
    expect(survey.n).toBe(n);
    expect(survey.correct).toBe(predicted.filter((k, i) => k === labels[i]).length);
    expect(survey.correct).toBeGreaterThan(0.9 * n);
    survey.blocks.forEach((b, i) => expect(b.classSpread).toBeCloseTo(classExcitations(r.blocks[i].s, labels, r.blocks[i].info.channels).classSpread, 6));
    expect((await classSurvey(shipped, { ...test, count: 3 }, n)).n).toBe(3);
  });
});

describe('the shipped cnn-se (the notes quote these)', () => {
  it('excitations depend more on the class in the later block than in the early one (Fig. 6 in miniature)', async () => {
    const n = 200;
    const r = await exciteDigits(shipped, floatImages(test, 0, n));
    const labels = test.labels.subarray(0, n);
    const [early, late] = r.blocks.map((b) => classExcitations(b.s, labels, b.info.channels).classSpread);
    // Measured: 0.0137 and 0.0201 (standard deviation of the class means, averaged over channels).
    expect(early).toBeCloseTo(0.0137, 3);
    expect(late).toBeCloseTo(0.0201, 3);
    expect(late).toBeGreaterThan(1.3 * early);
    expect(shippedAccuracy).toBeGreaterThan(0.98);
  });
});
