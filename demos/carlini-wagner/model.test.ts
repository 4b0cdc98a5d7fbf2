import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tf } from '../runtime/tf';
import { loadModel } from '../runtime/data/models';
import { floatImages } from '../runtime/data/loader';
import { fileFetch, loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { createCwDigit, targetMargin } from './model';

let cnn: tf.LayersModel;
const test = loadMnistNode('test');
const x = floatImages(test, 0, 1); // a 7
const TARGET = 3;

beforeAll(async () => {
  await useNodeBackend('wasm');
  cnn = (await loadModel('cnn', { baseUrl: '/', fetch: fileFetch(path.resolve('public/models')) })).model;
});
afterAll(() => cnn?.dispose());

async function attack(kappa: number) {
  const sim = createCwDigit(cnn, x, TARGET, { kappa, iterations: 20, searchSteps: 1, initialC: 10, learningRate: 0.3 });
  const f0 = await sim.step(0);
  const f = await sim.step(20);
  sim.dispose();
  return { f0, f };
}

describe('C&W on one digit', () => {
  it('drives the target past every other logit, and a margin κ costs a larger distortion; no tensor left', async () => {
    expect(test.labels[0]).toBe(7);
    const before = tf.memory().numTensors;
    const a = await attack(0);
    const b = await attack(5);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.f0.margin).toBeLessThan(0); // the network says 7 at the start
    expect(a.f0.l2).toBeLessThan(1e-3);
    expect(a.f.margin).toBeGreaterThan(0); // … and the target wins at the end
    expect(Number.isFinite(a.f.bestL2)).toBe(true);
    expect(Number.isFinite(b.f.bestL2)).toBe(true); // a success counts only with Z_t ahead by κ = 5
    expect(b.f.bestL2).toBeGreaterThan(a.f.bestL2);
    expect(targetMargin(a.f.logits, TARGET)).toBeCloseTo(a.f.margin, 6);
  });
});
