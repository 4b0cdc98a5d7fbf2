import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { mulberry32 } from '../random';
import type { MnistArrays } from '../data/idx';
import { trainClassifier } from './train';
import type { TrainRecipe } from './zoo';

/**
 * Two separable classes of 4×4 "digits": class 0 has ink in the left half, class 1 in the right half,
 * with seeded noise elsewhere.
 */
function leftRight(count: number, seed: number): MnistArrays {
  const rng = mulberry32(seed);
  const images = new Uint8Array(count * 16);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    labels[i] = label;
    for (let p = 0; p < 16; p++) {
      const right = p % 4 >= 2;
      images[i * 16 + p] = (right === (label === 1) ? 150 : 0) + Math.floor(rng() * 100);
    }
  }
  return { count, rows: 4, cols: 4, images, labels };
}

function smallNet(seed: number, dropout = 0): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [4, 4, 1] }),
      tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dropout({ rate: dropout, seed: 7 }),
      tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}

const recipe: TrainRecipe = { epochs: 3, batchSize: 16, optimizer: 'adam', learningRate: 0.02, lrDecayPerEpoch: 0.5, seed: 3, validationCount: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainClassifier', () => {
  it('learns a separable problem; loss falls; epochs, steps and learning-rate decay are reported', async () => {
    const model = smallNet(1);
    const r = await trainClassifier(model, leftRight(160, 1), { recipe, validation: leftRight(40, 2) });
    model.dispose();
    expect(r.steps).toBe(3 * 10);
    expect(r.losses).toHaveLength(30);
    expect(r.epochs.map((e) => e.steps)).toEqual([10, 10, 10]);
    expect(r.epochs.map((e) => e.learningRate)).toEqual([0.02, 0.01, 0.005]);
    expect(r.losses[29]).toBeLessThan(r.losses[0] / 3);
    expect(r.validationAccuracy).toBe(1);
  });

  it('is reproducible from the seeds, and the shuffle seed matters', async () => {
    const run = async (seed: number) => {
      const model = smallNet(5, 0.3);
      const r = await trainClassifier(model, leftRight(64, 4), { recipe: { ...recipe, seed } });
      model.dispose();
      return r.losses;
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect(await run(4)).not.toEqual(a);
  });

  it('draws a fresh dropout mask each step (a fixed tfjs seed would repeat one)', async () => {
    // Learning rate 0 and one batch of identical digits: the weights and inputs never change, so two
    // steps differ in loss only through the dropout mask.
    const one = leftRight(1, 9);
    const same: MnistArrays = { ...one, count: 16, images: new Uint8Array(16 * 16).map((_, k) => one.images[k % 16]), labels: new Uint8Array(16) };
    const model = smallNet(2, 0.5);
    const r = await trainClassifier(model, same, { recipe: { ...recipe, learningRate: 0, epochs: 4 } });
    model.dispose();
    expect(new Set(r.losses).size).toBeGreaterThan(1);
  });

  it('stops after maxSteps mid-epoch and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const model = smallNet(1, 0.2);
    const r = await trainClassifier(model, leftRight(160, 1), { recipe, maxSteps: 13, validation: leftRight(20, 2) });
    model.dispose();
    expect(r.steps).toBe(13);
    expect(r.epochs.map((e) => e.steps)).toEqual([10, 3]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
