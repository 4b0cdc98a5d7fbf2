import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import type { MnistArrays } from '../runtime/data/idx';
import { JobError } from '../runtime/jobs/protocol';
import { fileFetch } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { baseWeights, createTransferRun, forward, kShot, layerParams, LAYERS, NETS, netIndex, randomLayer, SHAPES, targetDigits, trainedParams, type BaseWeights } from './model';
import manifest from '../../public/models/cnn-0to4/manifest.json';
import { curveOf, latest, PAGE_DATA, train, type TrainProgress } from './train';
import { mulberry32 } from '../runtime/random';

// The real shipped cnn-0to4 and real digits (public/), on wasm as the worker runs them; tiny runs only.
const fetchFn = fileFetch('public');
const DATA = { train: 400, test: 60 };
let base: BaseWeights;
let head: { w: Float32Array; b: Float32Array };
let model: tf.LayersModel;
let trainSet: MnistArrays;
let testSet: MnistArrays;

beforeAll(async () => {
  await useNodeBackend('wasm');
  [model, trainSet, testSet] = await Promise.all([
    loadModel('cnn-0to4', { baseUrl: MODELS_BASE_URL, fetch: fetchFn }).then((m) => m.model),
    loadMnist({ split: 'train', count: DATA.train, baseUrl: MNIST_BASE_URL, fetch: fetchFn }),
    loadMnist({ split: 'test', count: DATA.test, baseUrl: MNIST_BASE_URL, fetch: fetchFn }),
  ]);
  base = baseWeights(model);
  const [w, b] = model.getLayer('output').getWeights();
  head = { w: w.dataSync() as Float32Array, b: b.dataSync() as Float32Array };
  return () => model.dispose();
});

describe('the seven networks', () => {
  it('are scratch, then frozen and fine-tuned copies of the first 1, 2, 3 layers, indexed by netIndex', () => {
    expect(NETS.map((n) => n.key)).toEqual(['scratch', 'frozen-1', 'frozen-2', 'frozen-3', 'fine-1', 'fine-2', 'fine-3']);
    for (let n = 1; n <= LAYERS.length; n++) {
      expect(NETS[netIndex(n, true)]).toMatchObject({ copied: n, frozen: true });
      expect(NETS[netIndex(n, false)]).toMatchObject({ copied: n, frozen: false });
    }
    expect(netIndex(0, true)).toBe(0);
    expect(() => netIndex(4, true)).toThrow(RangeError);
  });

  it('forward() with the base layers and its own 0–4 head is the shipped network: the same class probabilities', () => {
    const t = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(testSet.images.subarray(0, 8 * 784), (v) => v / 255), [8, 28, 28, 1]);
      const p = Object.fromEntries([...LAYERS.map((l) => [l, base[l]]), ['head', head]].map(([l, v]) => {
        const name = l as keyof typeof SHAPES;
        const lw = v as { w: Float32Array; b: Float32Array };
        return [name, { w: tf.tensor(lw.w, SHAPES[name].w), b: tf.tensor(lw.b, SHAPES[name].b) }];
      }));
      const ours = tf.softmax(forward(p as Parameters<typeof forward>[0], x));
      const shipped = model.predict(x) as tf.Tensor; // dropout is off at inference
      return tf.max(tf.abs(tf.sub(ours, shipped)));
    });
    expect(t.dataSync()[0]).toBeLessThan(1e-5);
    t.dispose();
  });

  it('train as many parameters as the notes say: the whole 79,557-parameter network less the frozen layers', () => {
    // Each transferable layer's count is the shipped manifest's; the new head has 128·5 + 5.
    for (const l of LAYERS) expect(layerParams(l)).toBe(manifest.architecture.find((a) => a.name === l)!.params);
    expect(layerParams('head')).toBe(645);
    const full = trainedParams(NETS[0]);
    expect(full).toBe(manifest.params);
    expect(NETS.slice(4).every((n) => trainedParams(n) === full)).toBe(true);
    expect([1, 2, 3].map((n) => trainedParams(NETS[netIndex(n, true)]))).toEqual([79_141, 66_309, 645]);
  });

  it('draws seeded random layers with He or Glorot scale', () => {
    const a = randomLayer('fc1', mulberry32(3));
    expect(Array.from(randomLayer('fc1', mulberry32(3)).w.subarray(0, 5))).toEqual(Array.from(a.w.subarray(0, 5)));
    const sd = Math.sqrt(a.w.reduce((s, v) => s + v * v, 0) / a.w.length);
    expect(sd).toBeCloseTo(Math.sqrt(2 / 512), 2);
    const h = randomLayer('head', mulberry32(3));
    const lim = Math.sqrt(6 / (128 + 5));
    expect(Math.max(...h.w.map(Math.abs))).toBeLessThanOrEqual(lim);
    expect(Math.max(...h.w.map(Math.abs))).toBeGreaterThan(0.9 * lim);
  });
});

describe('the k-shot set and the test digits', () => {
  it('picks k digits of each of 5–9, interleaved by class, a larger k keeping the smaller k’s picks', () => {
    const two = kShot(trainSet, 2, 7);
    const five = kShot(trainSet, 5, 7);
    expect(Array.from(two.labels)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    two.index.forEach((d, j) => expect(trainSet.labels[d]).toBe(5 + two.labels[j]));
    expect(new Set(five.index).size).toBe(25);
    for (const d of two.index) expect(Array.from(five.index)).toContain(d);
    expect(Array.from(kShot(trainSet, 2, 8).index)).not.toEqual(Array.from(two.index));
    expect(() => kShot(trainSet, 1000, 1)).toThrow(/asked for 1000/);
  });

  it('finds the 456 test digits 5–9 the notes quote among the page’s first 1,000', async () => {
    const first = await loadMnist({ split: 'test', count: PAGE_DATA.test, baseUrl: MNIST_BASE_URL, fetch: fetchFn });
    expect(first.count).toBe(1000);
    expect(targetDigits(first).index.length).toBe(456);
  });

  it('scores only the digits 5–9', () => {
    const t = targetDigits(testSet);
    const expected = Array.from(testSet.labels).filter((l) => l >= 5).length;
    expect(t.index.length).toBe(expected);
    t.index.forEach((d, j) => expect(testSet.labels[d]).toBe(t.labels[j] + 5));
  });
});

describe('a run', () => {
  it('starts every copy with the same weights (frozen n = fine-tuned n), trains them apart, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const run = createTransferRun({ k: 1, seed: 2, total: 4, every: 2 }, { base, train: trainSet, test: testSet });
    const f0 = await run.step(0);
    expect(f0).toMatchObject({ steps: 0, trainCount: 5, testCount: targetDigits(testSet).index.length, measured: true });
    for (let n = 1; n <= 3; n++) expect(f0.accuracy[netIndex(n, true)]).toBe(f0.accuracy[netIndex(n, false)]);
    const mid = tf.memory().numTensors;
    const f1 = await run.step(2);
    const f2 = await run.step(2);
    expect(tf.memory().numTensors).toBe(mid);
    expect(f2.steps).toBe(4);
    // On its five examples, every network's training loss falls from steps 1–2 to steps 3–4.
    for (let j = 0; j < NETS.length; j++) expect(f2.loss[j], NETS[j].key).toBeLessThan(f1.loss[j]);
    expect((await run.step(5)).steps).toBe(4); // the budget is spent: it stops by itself
    run.dispose();
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(run.step(1)).rejects.toThrow(/after dispose/);
  });
});

describe('train (the job behind the page’s Train button)', () => {
  it('yields the curves from step 0 to the budget and frees everything', async () => {
    const before = tf.memory().numTensors;
    const gen = train({ k: 1, seed: 1, config: { total: 2, every: 1 }, data: DATA }, { signal: new AbortController().signal }, fetchFn);
    const seen: number[] = [];
    let last: TrainProgress | undefined;
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        last = r.value;
        break;
      }
      seen.push(r.value.fraction);
    }
    expect(seen).toEqual([0, 0.5, 1]);
    expect(last.steps).toEqual([0, 1, 2]);
    expect(curveOf(last, 0)).toHaveLength(3);
    expect(Array.from(latest(last))).toEqual(NETS.map((_, j) => curveOf(last!, j)[2]));
    for (const a of last.accuracy) expect(a >= 0 && a <= 1).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a bad k with a message for the reader', async () => {
    const gen = train({ k: 0, seed: 1 }, { signal: new AbortController().signal }, fetchFn);
    await expect(gen.next()).rejects.toBeInstanceOf(JobError);
  });
});
