import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tf } from '../tf';
import { crc32 } from './crc32';
import { loadModel, loadModelManifest, modelDirUrl, MODELS_BASE_URL, type ModelManifest } from './models';
import { fileFetch } from '../../../scripts/mnist-node';
import { writeModelDir } from '../../../scripts/train-models';

// A tiny real model written by the training script's writer into <root>/models/tiny/, then loaded back
// through a file-backed fetch at the site's URL paths; each failure case mutates a copy of that directory.
let tmp: string;
let good: string;
let original: tf.Sequential;
const probe = () => tf.tensor4d(Float32Array.from({ length: 2 * 784 }, (_, i) => ((i * 37) % 255) / 255), [2, 28, 28, 1]);

function tinyModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }), biasInitializer: 'ones' }),
    ],
  });
}

let variants = 0;
/** A copy of the good site root with `mutate` applied to its models/tiny directory; returns its fetch. */
function variant(mutate: (dir: string) => void): typeof fetch {
  const root = path.join(tmp, `v${variants++}`);
  fs.cpSync(good, root, { recursive: true });
  mutate(path.join(root, 'models', 'tiny'));
  return fileFetch(root);
}

function editManifest(dir: string, edit: (m: ModelManifest) => void): void {
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelManifest;
  edit(m);
  fs.writeFileSync(file, JSON.stringify(m));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'models-load-'));
  good = path.join(tmp, 'good');
  original = tinyModel();
  await writeModelDir(original, path.join(good, 'models', 'tiny'), {
    name: 'tiny',
    title: 'test fixture',
    digits: [0, 1, 2],
    training: {} as ModelManifest['training'],
    test: { accuracy: 0, correct: 0, count: 0, subset: 'none' },
  });
});
afterAll(() => {
  original.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const load = (f: typeof fetch, name = 'tiny') => loadModel(name, { baseUrl: MODELS_BASE_URL, fetch: f });

describe('loadModel', () => {
  it('round-trips: same predictions as the saved model, manifest sizes match the files', async () => {
    const before = tf.memory().numTensors;
    const { model, manifest } = await load(fileFetch(good));
    const x = probe();
    const [a, b] = [original.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([x, a, b]);
    expect(manifest.params).toBe(784 * 3 + 3);
    expect(manifest.architecture.map((l) => l.type)).toEqual(['Flatten', 'Dense']);
    const weights = fs.readFileSync(path.join(good, 'models', 'tiny', 'weights.bin'));
    expect(manifest.weightBytes).toBe(4 * (784 * 3 + 3));
    expect(manifest.files.find((f) => f.path === 'weights.bin')).toEqual({ path: 'weights.bin', bytes: weights.length, crc32: crc32(weights) });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports progress by bytes of verified files, ending at 1, with no unhandled rejection when a file is missing', async () => {
    const seen: number[] = [];
    const { model, manifest } = await loadModel('tiny', { baseUrl: MODELS_BASE_URL, fetch: fileFetch(good), onProgress: (f) => seen.push(f) });
    model.dispose();
    // One call per file (model.json, weights.bin), the last being everything.
    expect(seen.length).toBe(manifest.files.length);
    const total = manifest.files.reduce((n, f) => n + f.bytes, 0);
    expect(seen[0]).toBeCloseTo(manifest.files.find((f) => f.path === 'model.json')!.bytes / total, 12);
    expect(seen[seen.length - 1]).toBe(1);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const noWeights = variant((d) => fs.rmSync(path.join(d, 'weights.bin')));
    await expect(loadModel('tiny', { baseUrl: MODELS_BASE_URL, fetch: noWeights, onProgress: () => {} })).rejects.toThrow(/weights\.bin: HTTP 404/);
    await new Promise((r) => setTimeout(r, 50));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it('builds directory URLs with or without a trailing slash', () => {
    expect(modelDirUrl('/models', 'cnn-0to4')).toBe('/models/cnn-0to4/');
    expect(modelDirUrl('https://x.org/a/models/', 'mlp')).toBe('https://x.org/a/models/mlp/');
  });

  const failures: [string, (dir: string) => void, RegExp][] = [
    ['a missing model directory', (d) => fs.rmSync(d, { recursive: true }), /Model "tiny": \/models\/tiny\/manifest\.json: HTTP 404/],
    ['a missing weight file', (d) => fs.rmSync(path.join(d, 'weights.bin')), /Model "tiny": \/models\/tiny\/weights\.bin: HTTP 404/],
    ['a missing model.json', (d) => fs.rmSync(path.join(d, 'model.json')), /Model "tiny": \/models\/tiny\/model\.json: HTTP 404/],
    ['a truncated weight file', (d) => fs.truncateSync(path.join(d, 'weights.bin'), 100), /weights\.bin has 100 bytes, manifest says 9420 \(truncated/],
    [
      'a flipped byte in the weights',
      (d) => {
        const f = path.join(d, 'weights.bin');
        const b = fs.readFileSync(f);
        b[5000] ^= 0x40;
        fs.writeFileSync(f, b);
      },
      /weights\.bin: checksum mismatch, the file is corrupt/,
    ],
    [
      'a corrupt model.json whose manifest entry was updated to match',
      (d) => {
        const bad = Buffer.from('{"modelTopology": nope');
        fs.writeFileSync(path.join(d, 'model.json'), bad);
        editManifest(d, (m) => (m.files[0] = { path: 'model.json', bytes: bad.length, crc32: crc32(bad) }));
      },
      /Model "tiny": loading failed: /,
    ],
    ['a manifest disagreeing with the network', (d) => editManifest(d, (m) => (m.params = 7)), /loaded network has 2355 parameters and 3 classes, manifest says 7 and 3/],
    ['a weight file missing from the manifest', (d) => editManifest(d, (m) => (m.files = m.files.filter((f) => f.path !== 'weights.bin'))), /weights\.bin is not listed in its manifest/],
    ['a manifest of another model', (d) => editManifest(d, (m) => (m.name = 'other')), /manifest\.json is not the manifest of model "tiny"/],
    ['a manifest that is not JSON', (d) => fs.writeFileSync(path.join(d, 'manifest.json'), '<html>'), /manifest\.json is not valid JSON/],
  ];
  for (const [what, mutate, message] of failures) {
    it(`rejects ${what} with a clear error and leaks no tensors`, async () => {
      const f = variant(mutate);
      const before = tf.memory().numTensors;
      await expect(load(f)).rejects.toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('loadModelManifest reads the manifest alone', async () => {
    const m = await loadModelManifest('tiny', { baseUrl: '/models', fetch: fileFetch(good) });
    expect(m.digits).toEqual([0, 1, 2]);
    expect(m.files.map((f) => f.path).sort()).toEqual(['model.json', 'weights.bin']);
  });
});
