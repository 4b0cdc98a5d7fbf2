import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tf } from '../demos/runtime/tf';
import type { MnistArrays } from '../demos/runtime/data/idx';
import { loadModel } from '../demos/runtime/data/models';
import { accuracy, selectDigits, sliceRange } from '../demos/runtime/models/classify';
import { MODEL_SPECS } from '../demos/runtime/models/zoo';
import { binaryAccuracy, cnnWeights } from '../demos/runtime/models/binary';
import { fileFetch, loadMnistNode } from './mnist-node';
import { MODEL_NAMES, trainModel } from './train-models';
import { useNodeBackend } from './tf-node';

// Each model trains from scratch for a few steps (the --quick path, validated on 100 digits and tested on the
// first 200) on the WASM backend, as the real runs do; what it writes must load back through the browser's loader
// and score what it claims.
let tmp: string;
let data: { train: MnistArrays; test: MnistArrays };
let full: MnistArrays;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quickDigits = { validation: 100, test: 200 };

beforeAll(async () => {
  await useNodeBackend('wasm');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'train-models-'));
  // The first 6,000 training digits: plenty for 20 steps of 64, and selecting a model's classes copies less.
  full = loadMnistNode('train');
  data = { train: sliceRange(full, 0, 6000), test: loadMnistNode('test') };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each(MODEL_NAMES)('quick training of %s', (name) => {
  it('lowers the loss, writes a loadable model that scores what its manifest says, leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const root = path.join(tmp, 'a');
    // The GAP network starts slowly: every class score is an average over 64 positions, so early gradients are small.
    // The binarised networks fine-tune from the shipped cnn (a step costs more): a few steps check the path.
    const binary = MODEL_SPECS[name].recipe.binary;
    const steps = binary ? 4 : name === 'cnn-gap' ? 30 : 20;
    // A network trained on its own range of the training digits (cnn-p1, mlp-p2) gets the whole set to slice.
    const own = MODEL_SPECS[name].recipe.trainRange ? { ...data, train: full } : data;
    const { manifest, losses } = await trainModel(name, { quick: true, quickDigits, steps, outRoot: path.join(root, 'models'), data: own });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses).toHaveLength(steps);
    if (binary) {
      // Fine-tuned from the shipped cnn, the loss starts well below an untrained network's ln 10 (BWN: near the cnn's).
      expect(mean(losses.slice(0, 2))).toBeLessThan(binary.mode === 'bwn' ? 0.5 : Math.log(10));
      expect(losses.every(Number.isFinite)).toBe(true);
    } else {
    // Cross-entropy starts near ln(classes) and must have fallen clearly within 20 Adam steps (30 for GAP).
    expect(mean(losses.slice(0, 5))).toBeGreaterThan(0.8 * Math.log(manifest.digits.length));
    // The adversarially trained CNN's loss is half on FGSM images made at ε = 0.25, which fall more slowly.
    // The augmented invariance networks see every digit shifted by up to ±6 px and turned by up to ±30°: after 30
    // steps their loss has fallen by about a tenth (2.31 → 2.10–2.16 measured).
    const drop = name === 'cnn-gap' ? 0.95 : name === 'cnn-adv' ? 0.85 : MODEL_SPECS[name].recipe.augment ? 0.97 : 0.7;
    expect(mean(losses.slice(-5))).toBeLessThan(drop * mean(losses.slice(0, 5)));
    }
    expect(manifest.training.steps).toBe(steps);
    expect(manifest.digits).toEqual([...MODEL_SPECS[name].digits]);
    expect(manifest.test.count).toBe(200);

    const { model } = await loadModel(name, { baseUrl: '/models/', fetch: fileFetch(root) });
    const test = sliceRange(selectDigits(data.test, manifest.digits), 0, manifest.test.count);
    const r = binary ? await binaryAccuracy(cnnWeights(model), binary.mode, test) : await accuracy(model, test);
    model.dispose();
    expect(r.correct).toBe(manifest.test.correct);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('reproducibility', () => {
  it('two runs from the same seed write identical weights', async () => {
    const run = async (dir: string) => {
      await trainModel('cnn-0to4', { quick: true, quickDigits, steps: 3, outRoot: path.join(tmp, dir), data });
      return fs.readFileSync(path.join(tmp, dir, 'cnn-0to4', 'weights.bin'));
    };
    const a = await run('r1');
    const b = await run('r2');
    expect(Buffer.compare(a, b)).toBe(0);
  });
});

describe('npm run train (scripts/train.mjs)', () => {
  it('--quick --steps writes the model directory and prints its accuracy last', () => {
    const out = execFileSync(process.execPath, ['scripts/train.mjs', 'mlp', '--quick', '--steps', '3', '--out', path.join(tmp, 'cli')], { encoding: 'utf8' });
    const m = JSON.parse(fs.readFileSync(path.join(tmp, 'cli', 'mlp', 'manifest.json'), 'utf8'));
    expect(m.training.steps).toBe(3);
    expect(fs.readdirSync(path.join(tmp, 'cli', 'mlp')).sort()).toEqual(['manifest.json', 'model.json', 'weights.bin']);
    expect(out.trim().split('\n').at(-1)).toBe(`accuracy: ${m.test.accuracy.toFixed(4)}`);
  });
});
