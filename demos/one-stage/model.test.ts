import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime/tf';
import { iou } from '../runtime/detection';
import type { MnistArrays } from '../runtime/data/idx';
import type { Scene } from '../runtime/data/scenes';
import { sliceDigits } from '../runtime/data/idx';
import { loadMnistNode } from '../../scripts/mnist-node';
import { useNodeBackend } from '../../scripts/tf-node';
import { JobError } from '../runtime/jobs/protocol';
import {
  cellBox,
  createDetector,
  DEFAULT_CONFIG,
  decodeScene,
  detect,
  encodeTargets,
  focalLoss,
  focalTerm,
  GRID,
  heldOutScenes,
  initialFlat,
  lossShares,
  meanAp,
  OUTPUTS,
  parameterCount,
  PRIOR,
  STRIDE,
  TARGET,
} from './model';
import { trainDetector } from './train';

// The detector's convolutions on wasm, as in the worker (the cpu backend's strided-conv gradients are far slower).
beforeAll(() => useNodeBackend('wasm'));

const scene = (objects: { cls: number; box: [number, number, number, number] }[]): Scene => ({
  size: 64,
  image: new Float32Array(64 * 64),
  mask: new Uint8Array(64 * 64),
  objects: objects.map((o, i) => ({ ...o, source: i })),
});

/** The head output a perfect detector would give for a scene: its encoded targets turned back into logits. */
function perfectOutput(s: Scene): Float32Array {
  const { targets } = encodeTargets([s]);
  const out = new Float32Array(GRID * GRID * OUTPUTS).fill(0);
  const logit = (q: number) => Math.log(q / (1 - q));
  for (let cell = 0; cell < GRID * GRID; cell++) {
    const t = targets.subarray(cell * TARGET, (cell + 1) * TARGET);
    const o = cell * OUTPUTS;
    out[o] = t[0] === 1 ? 8 : -8;
    if (t[0] !== 1) continue;
    out[o + 1 + t[1]] = 10;
    out.set([logit(Math.min(0.999, Math.max(0.001, t[2]))), logit(Math.min(0.999, Math.max(0.001, t[3]))), t[4], t[5]], o + 11);
  }
  return out;
}

describe('YOLO-style targets and decoding on hand-built scenes', () => {
  it('puts each object in the cell of its box centre, with the offset in the cell and √ of its relative size', () => {
    const s = scene([{ cls: 7, box: [10, 20, 30, 52] }]); // centre (20, 36): column 2, row 4
    const { targets, collisions, objects } = encodeTargets([s]);
    expect([collisions, objects]).toEqual([0, 1]);
    const cell = 4 * GRID + 2;
    expect(Array.from(targets.subarray(cell * TARGET, (cell + 1) * TARGET))).toEqual([1, 7, 20 / STRIDE - 2, 36 / STRIDE - 4, Math.fround(Math.sqrt(20 / 64)), Math.fround(Math.sqrt(32 / 64))]);
    // Every other cell is background.
    let positives = 0;
    for (let c = 0; c < GRID * GRID; c++) positives += targets[c * TARGET];
    expect(positives).toBe(1);
    // cellBox inverts the encoding.
    const back = cellBox(4, 2, targets[cell * TARGET + 2], targets[cell * TARGET + 3], targets[cell * TARGET + 4], targets[cell * TARGET + 5]);
    back.forEach((v, i) => expect(v).toBeCloseTo([10, 20, 30, 52][i], 4));
  });

  it('keeps the larger of two objects whose centres share a cell, and counts the collision', () => {
    const s = scene([
      { cls: 1, box: [1, 1, 7, 7] }, // centre (4, 4): cell 0, small
      { cls: 2, box: [0, 0, 10, 10] }, // centre (5, 5): cell 0, larger
    ]);
    const { targets, collisions } = encodeTargets([s]);
    expect(collisions).toBe(1);
    expect(targets[1]).toBe(2);
  });

  it('decodes a perfect output to the true boxes and classes (mAP@0.5 = 1), and NMS removes a neighbour’s duplicate', () => {
    const scenes = [scene([{ cls: 3, box: [4, 6, 26, 34] }, { cls: 8, box: [36, 30, 60, 60] }]), scene([{ cls: 3, box: [20, 20, 44, 50] }])];
    const dets = scenes.map((s) => decodeScene(perfectOutput(s)));
    for (const [i, s] of scenes.entries()) {
      const top = dets[i].filter((d) => d.score > 0.5);
      expect(top.map((d) => d.cls).sort()).toEqual(s.objects.map((o) => o.cls).sort());
      for (const d of top) expect(Math.max(...s.objects.map((o) => iou(o.box, d.box)))).toBeGreaterThan(0.99);
    }
    expect(meanAp(dets, scenes).map).toBe(1);
    // A second cell claiming the same object with a lower score: suppressed by NMS at IoU 0.5.
    const out = perfectOutput(scenes[1]);
    const centre = 4 * GRID + 4;
    const next = centre + 1;
    out.set(out.subarray(centre * OUTPUTS, (centre + 1) * OUTPUTS), next * OUTPUTS);
    out[next * OUTPUTS] = 2; // less sure
    out[next * OUTPUTS + 11] -= 4; // its offset pulls the box a cell-width to the left: same box, seen from the right
    const again = decodeScene(out).filter((d) => d.cls === 3);
    expect(again).toHaveLength(1);
    expect(again[0].score).toBeGreaterThan(0.99);
    // Without NMS both would be kept: the duplicate overlaps the object.
    expect(decodeScene(out, { minScore: 0.01, nmsIou: 1, maxPerScene: 20 }).filter((d) => d.cls === 3)).toHaveLength(2);
  });

  it('a detector that swaps the classes scores mAP 0; one that misses half the objects scores 0.5 on them', () => {
    const scenes = [scene([{ cls: 0, box: [4, 4, 28, 30] }]), scene([{ cls: 1, box: [30, 30, 58, 60] }])];
    const swapped = scenes.map((s) => decodeScene(perfectOutput(s)).map((d) => ({ ...d, cls: 1 - d.cls })));
    expect(meanAp(swapped, scenes).map).toBe(0);
    const half = [decodeScene(perfectOutput(scenes[0])), []];
    const m = meanAp(half, scenes);
    expect(m.perClass[0]).toBe(1);
    expect(m.perClass[1]).toBe(0);
    expect(m.map).toBe(0.5);
  });
});

describe('the focal loss', () => {
  it('is −α_t (1 − p_t)^γ log p_t, element-wise, as a tensor and pointwise; γ = 0 is α-balanced cross-entropy', () => {
    const z = [-3, -0.5, 0, 1, 4];
    const y = [0, 1, 1, 0, 1];
    for (const gamma of [0, 2]) {
      const got = tf.tidy(() => focalLoss(tf.tensor1d(z), tf.tensor1d(y), gamma, 0.25).arraySync() as number[]);
      z.forEach((zi, i) => {
        const p = 1 / (1 + Math.exp(-zi));
        const pt = y[i] ? p : 1 - p;
        expect(got[i]).toBeCloseTo(focalTerm(pt, gamma, y[i] ? 0.25 : 0.75), 5);
      });
    }
    // Lin et al.: with γ = 2 an example at p_t = 0.9 has 100× less loss than under CE, and ~1000× less at p_t ≈ 0.968.
    expect(focalTerm(0.9, 0) / focalTerm(0.9, 2)).toBeCloseTo(100, 6);
    expect(focalTerm(0.968, 0) / focalTerm(0.968, 2)).toBeGreaterThan(970);
    expect(focalTerm(0.968, 0) / focalTerm(0.968, 2)).toBeLessThan(1000);
  });

  it('moves the loss off the easy negatives: on 1 positive at p_t 0.3 and 1,000 easy negatives at p_t 0.99, CE is mostly negatives, FL mostly the positive', () => {
    const n = 1000;
    const p = new Float32Array(n + 1).fill(0.01);
    p[n] = 0.3;
    const label = new Uint8Array(n + 1);
    label[n] = 1;
    const ce = lossShares({ p, label }, 0, 0.5);
    const fl = lossShares({ p, label }, 2, 0.25);
    expect(ce.counts).toEqual({ easyNegatives: n, hardNegatives: 0, positives: 1 });
    // CE: 1000·(−log 0.99) ≈ 10.05 against −log 0.3 ≈ 1.20.
    expect(ce.easyNegatives).toBeCloseTo((n * -Math.log(0.99)) / (n * -Math.log(0.99) - Math.log(0.3)), 4);
    expect(ce.easyNegatives).toBeGreaterThan(0.85);
    expect(fl.easyNegatives).toBeLessThan(0.01);
    expect(fl.easyNegatives + fl.hardNegatives + fl.positives).toBeCloseTo(1, 12);
  });
});

describe('the detector', () => {
  let train: MnistArrays;
  let test: MnistArrays;
  beforeAll(() => {
    // The test digits only (loading the training file costs more than these tests): mechanics, not accuracy.
    test = sliceDigits(loadMnistNode('test'), 0, 200);
    train = sliceDigits(test, 100, 200);
  });

  it('starts at RetinaNet’s prior: every cell says object with p ≈ 0.01; the flat vector is what the trainer starts from', async () => {
    const flat = initialFlat(1);
    expect(flat.length).toBe(parameterCount());
    expect(parameterCount()).toBe(45_975); // the notes' count
    const held = heldOutScenes(test, 4, 1);
    // The page composes only the scenes it shows: the first k of the worker's held-out set, the same scenes.
    expect(heldOutScenes(test, 12, 1).slice(0, 4).map((s) => s.objects)).toEqual(held.map((s) => s.objects));
    const before = tf.memory().numTensors;
    const { detections, cells } = await detect(flat, held);
    expect(tf.memory().numTensors).toBe(before);
    expect(cells.p.length).toBe(4 * GRID * GRID);
    for (const q of cells.p) expect(Math.abs(q - PRIOR)).toBeLessThan(0.005);
    expect(cells.label.reduce((a, b) => a + b, 0)).toBe(held.reduce((a, s) => a + s.objects.length, 0) - encodeTargets(held).collisions);
    // Untrained, nothing reaches a score of 0.01 · 1/10 > minScore: no detections.
    expect(detections.flat()).toEqual([]);
  });

  it('trains a few steps without leaking tensors, its loss finite; same seed, same loss', async () => {
    const cfg = { ...DEFAULT_CONFIG, batchSize: 2, trainScenes: 8 };
    const before = tf.memory().numTensors;
    const a = createDetector(train, cfg);
    const afterCreate = tf.memory().numTensors;
    const la = await a.train(2);
    expect(a.steps).toBe(2);
    expect(tf.memory().numTensors).toBe(afterCreate);
    await a.detect(heldOutScenes(test, 2, 1));
    expect(tf.memory().numTensors).toBe(afterCreate);
    const flat = await a.read();
    expect(flat.length).toBe(parameterCount());
    a.dispose();
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(la)).toBe(true);
    const b = createDetector(train, cfg);
    expect(await b.train(2)).toBeCloseTo(la, 5);
    b.dispose();
    expect(() => createDetector(train, { ...cfg, alpha: 1 })).toThrow(/α/);
  });

  it('the training job refuses a budget or γ it cannot run, as a message for the view', async () => {
    for (const input of [{ seed: 1, steps: 0, gamma: 2 }, { seed: 1, steps: 100, gamma: -1 }]) {
      const err = await trainDetector(input, { signal: new AbortController().signal }).next().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JobError);
    }
  });
});
