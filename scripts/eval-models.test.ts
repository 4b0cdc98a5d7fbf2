import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tf } from '../demos/runtime/tf';
import type { ModelManifest } from '../demos/runtime/data/models';
import { evalShipped, MODEL_NAMES } from './eval-models';
import { useNodeBackend } from './tf-node';
import { prepareMnistShards } from './mnist-node';

// The shipped models, scored exactly as the site loads them (a site root over a file-backed fetch). The
// only accuracy figures used are the ones each model's manifest.json claims. public/data/ is generated,
// not committed (and unit tests run before the build makes it), so the site root here is a temp dir
// holding a link to the committed public/models and freshly prepared test shards.

/** Digits per class in the MNIST test set (LeCun et al.'s published counts). */
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
/** Digits per class in the MNIST training set. */
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const total = (counts: number[], digits: number[]) => digits.reduce((n, d) => n + counts[d], 0);

let site: string;
beforeAll(async () => {
  await useNodeBackend('wasm');
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-site-'));
  fs.symlinkSync(path.resolve('public', 'models'), path.join(site, 'models'));
  prepareMnistShards({ outDir: path.join(site, 'data', 'mnist'), trainCount: 0 });
});
afterAll(() => fs.rmSync(site, { recursive: true, force: true }));

const manifestOf = (name: string) => JSON.parse(fs.readFileSync(path.join('public', 'models', name, 'manifest.json'), 'utf8')) as ModelManifest;

describe.each(MODEL_NAMES)('shipped model %s', (name) => {
  it('manifest agrees with the files and the architecture', () => {
    const m = manifestOf(name);
    expect(m.name).toBe(name);
    for (const f of m.files) expect(fs.statSync(path.join('public', 'models', name, f.path)).size, f.path).toBe(f.bytes);
    expect(m.weightBytes).toBe(4 * m.params); // float32 weights, nothing else in the shards
    expect(m.architecture.reduce((n, l) => n + l.params, 0)).toBe(m.params);
    // A model trained on a range of the training digits (cnn-p1, cnn-p2: one half each) used exactly that range.
    const range = m.training.trainRange;
    expect(m.training.trainExamples + m.training.validationExamples).toBe(range ? range[1] - range[0] : total(TRAIN_COUNTS, m.digits));
  });

  // A dense and a convolutional model on all their test digits checks the browser's loading path end to end; the
  // three larger CNNs are scored on their first 1,000 test digits (`npm run eval -- <name>` scores all of them).
  const full = name === 'mlp' || name === 'cnn-0to4';
  it(full ? 'scores its manifest accuracy (within 0.1 pt) on the test digits of its classes, as the browser loads it' : 'as the browser loads it, makes no more mistakes on its first 1,000 test digits than its manifest counts on all', async () => {
    const m = manifestOf(name);
    const before = tf.memory().numTensors;
    const r = await measured(name, full ? undefined : 1000);
    expect(tf.memory().numTensors).toBe(before);
    if (full) {
      expect(r.count).toBe(total(TEST_COUNTS, m.digits));
      expect(r.count).toBe(m.test.count);
      expect(r.accuracy).toBeGreaterThanOrEqual(m.test.accuracy - 0.001);
    } else {
      expect(r.count).toBe(1000);
      expect(r.count - r.correct).toBeLessThanOrEqual(m.test.count - m.test.correct);
    }
    expect(r.evalSeconds).toBeLessThan(60);
  });
});

const results = new Map<string, ReturnType<typeof evalShipped>>();
/** evalShipped on the site root, once per model and limit. */
function measured(name: string, limit?: number): ReturnType<typeof evalShipped> {
  const key = `${name}:${limit ?? 'all'}`;
  if (!results.has(key)) results.set(key, evalShipped(name, { backend: 'wasm', publicDir: site, limit }));
  return results.get(key)!;
}

describe('npm run eval (scripts/eval.mjs)', () => {
  it('prints the accuracy evalShipped measures on its last line', async () => {
    const out = execFileSync(process.execPath, ['scripts/eval.mjs', 'cnn-0to4', '--root', site], { encoding: 'utf8' });
    const last = out.trim().split('\n').at(-1);
    const r = await measured('cnn-0to4');
    expect(last).toBe(`accuracy: ${r.accuracy.toFixed(4)}`);
  });

  // In-process: the CLI prints evalShipped's message (the usage test below runs the CLI itself).
  it('says to run `npm run data` when the MNIST shards are missing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-empty-'));
    try {
      await expect(evalShipped('mlp', { publicDir: empty })).rejects.toThrow(/no MNIST shards in .*data\/mnist.*run `npm run data` first/);
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  it('rejects an unknown model name with a usage message', () => {
    const r = spawnSync(process.execPath, ['scripts/eval.mjs', 'resnet'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`usage: node scripts/eval.mjs <${MODEL_NAMES.join('|')}>`);
  });
});
