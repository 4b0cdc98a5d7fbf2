import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileFetch, loadMnistNode, prepareMnistShards } from './mnist-node';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-node-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const readAll = (d: string) => Object.fromEntries(fs.readdirSync(d).sort().map((f) => [f, fs.readFileSync(path.join(d, f))]));

describe('loadMnistNode', () => {
  it('reads the full training set with the known MNIST label counts', () => {
    const train = loadMnistNode('train');
    expect(train).toMatchObject({ count: 60_000, rows: 28, cols: 28 });
    expect(train.images.length).toBe(60_000 * 784);
    const hist = new Array(10).fill(0);
    for (const l of train.labels) hist[l]++;
    expect(hist).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });
});

describe('prepare-data', () => {
  it('npm run data (the .mjs via esbuild) writes the default shards, identical to a second run of the TS function', () => {
    const a = path.join(dir, 'cli');
    const out = execFileSync(process.execPath, ['scripts/prepare-data.mjs', a], { encoding: 'utf8' });
    expect(out).toMatch(/mnist test: 10000 digits, 3 shards/);
    expect(out).toMatch(/mnist train: 30000 digits, 7 shards/);
    const b = path.join(dir, 'fn');
    prepareMnistShards({ outDir: b });
    const filesA = readAll(a);
    const filesB = readAll(b);
    expect(Object.keys(filesA)).toEqual(['manifest.json', 'test-00.adlm', 'test-01.adlm', 'test-02.adlm', ...[0, 1, 2, 3, 4, 5, 6].map((i) => `train-0${i}.adlm`)]);
    // Each split's first 1,000 digits are a shard of their own (a first state's download), then 5,000-digit shards.
    const m = JSON.parse(filesA['manifest.json'].toString()) as { shards: { file: string; start: number; count: number }[] };
    expect(m.shards.filter((s) => s.file.startsWith('test')).map((s) => [s.start, s.count])).toEqual([[0, 1000], [1000, 4000], [5000, 5000]]);
    for (const f of Object.keys(filesA)) expect(Buffer.compare(filesA[f], filesB[f]), f).toBe(0);
  });

  it('removes shards left over from a larger earlier run', () => {
    const d = path.join(dir, 'stale');
    prepareMnistShards({ outDir: d, trainCount: 3_000, testCount: 2_000, shardSize: 1_000 });
    expect(fs.existsSync(path.join(d, 'train-02.adlm'))).toBe(true);
    fs.writeFileSync(path.join(d, 'notes.txt'), 'keep me');
    const m = prepareMnistShards({ outDir: d, trainCount: 1_500, testCount: 1_000, shardSize: 1_000 });
    expect(m.shards.map((s) => `${s.file}:${s.start}+${s.count}`)).toEqual(['test-00.adlm:0+1000', 'train-00.adlm:0+1000', 'train-01.adlm:1000+500']);
    expect(fs.readdirSync(d).sort()).toEqual(['manifest.json', 'notes.txt', 'test-00.adlm', 'train-00.adlm', 'train-01.adlm']);
  });
});

describe('fileFetch', () => {
  it('serves files under its root, 404 otherwise, and never outside the root', async () => {
    const root = path.join(dir, 'root');
    fs.mkdirSync(path.join(root, 'a'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'x.txt'), 'hello');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'no');
    const f = fileFetch(root);
    expect(await (await f('/a/x.txt')).text()).toBe('hello');
    expect(await (await f(new URL('http://example.test/a/x.txt'))).text()).toBe('hello');
    expect((await f('/a/missing.txt')).status).toBe(404);
    expect((await f('/a')).status).toBe(404);
    expect((await f('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await f('/%2E%2E%2Fsecret.txt')).status).toBe(404); // decodes to /../secret.txt
  });
});
