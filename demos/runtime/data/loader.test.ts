import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MnistArrays } from './idx';
import { floatImages, loadMnist, oneHot, type MnistManifest } from './loader';
import { fileFetch, loadMnistNode, prepareMnistShards } from '../../../scripts/mnist-node';

// Real data: shards are prepared from the installed IDX files into a temp dir, then loaded through
// the same loader the browser uses, with a fetch that serves that directory.
let dir: string;
let testIdx: MnistArrays;
let trainIdx: MnistArrays;
const TRAIN = 12_000; // 1,000 (the head) + 4,000 + 5,000 + 2,000: exercises a short last shard

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-shards-'));
  prepareMnistShards({ outDir: path.join(dir, 'ok'), trainCount: TRAIN, shardSize: 5_000 });
  testIdx = loadMnistNode('test');
  trainIdx = loadMnistNode('train');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the good shard directory, damaged by `damage`. */
function damagedCopy(name: string, damage: (d: string) => void): string {
  const d = path.join(dir, name);
  fs.cpSync(path.join(dir, 'ok'), d, { recursive: true });
  damage(d);
  return d;
}

function manifest(): MnistManifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'ok', 'manifest.json'), 'utf8')) as MnistManifest;
}

describe('loadMnist on real MNIST shards', () => {
  it('loads the full test set byte-identical to the IDX source, with byte progress up to the total', async () => {
    const calls: [number, number][] = [];
    const data = await loadMnist({
      split: 'test',
      baseUrl: '/',
      fetch: fileFetch(path.join(dir, 'ok')),
      onProgress: (l, t) => calls.push([l, t]),
    });
    expect(data).toMatchObject({ count: 10_000, rows: 28, cols: 28 });
    expect(Buffer.compare(data.images, testIdx.images)).toBe(0);
    expect(Buffer.compare(data.labels, testIdx.labels)).toBe(0);

    const total = ['test-00.adlm', 'test-01.adlm', 'test-02.adlm'].reduce((n, f) => n + fs.statSync(path.join(dir, 'ok', f)).size, 0);
    expect(calls[0]).toEqual([0, total]);
    expect(calls.at(-1)).toEqual([total, total]);
    expect(calls.length).toBeGreaterThan(10); // streamed in 64 KiB chunks, not one lump
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
  });

  it('has the known MNIST test-set label histogram', async () => {
    const data = await loadMnist({ split: 'test', baseUrl: '/', fetch: fileFetch(path.join(dir, 'ok')) });
    const hist = new Array(10).fill(0);
    for (const l of data.labels) hist[l]++;
    expect(hist).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('fetches only the shards a count needs and returns exactly that prefix', async () => {
    const files = fileFetch(dir); // served from the parent, under /ok (no trailing slash)
    const asked: string[] = [];
    const spy: typeof fetch = (input, init) => {
      asked.push(String(input));
      return files(input, init);
    };
    const data = await loadMnist({ split: 'train', count: 7_321, baseUrl: '/ok', fetch: spy });
    expect(asked.sort()).toEqual(['/ok/manifest.json', '/ok/train-00.adlm', '/ok/train-01.adlm', '/ok/train-02.adlm']);
    expect(data.count).toBe(7_321);
    expect(Buffer.compare(data.images, trainIdx.images.subarray(0, 7_321 * 784))).toBe(0);
    expect(Buffer.compare(data.labels, trainIdx.labels.subarray(0, 7_321))).toBe(0);
    // A first state's handful of digits: the 1,000-digit head shard alone.
    asked.length = 0;
    const few = await loadMnist({ split: 'train', count: 1_000, baseUrl: '/ok', fetch: spy });
    expect(asked.sort()).toEqual(['/ok/manifest.json', '/ok/train-00.adlm']);
    expect(Buffer.compare(few.labels, trainIdx.labels.subarray(0, 1_000))).toBe(0);
  });

  it('loads the whole published training subset, and refuses more than is published', async () => {
    const f = fileFetch(path.join(dir, 'ok'));
    const data = await loadMnist({ split: 'train', baseUrl: '/', fetch: f });
    expect(data.count).toBe(TRAIN);
    expect(Buffer.compare(data.labels, trainIdx.labels.subarray(0, TRAIN))).toBe(0);
    expect(Buffer.compare(data.images.subarray(-784), trainIdx.images.subarray((TRAIN - 1) * 784, TRAIN * 784))).toBe(0);
    await expect(loadMnist({ split: 'train', count: TRAIN + 1, baseUrl: '/', fetch: f })).rejects.toThrow(
      `MNIST train: asked for ${TRAIN + 1} digits, ${TRAIN} are published`,
    );
  });

  it('names a missing shard (HTTP 404)', async () => {
    const d = damagedCopy('missing', (d) => fs.rmSync(path.join(d, 'test-01.adlm')));
    await expect(loadMnist({ split: 'test', baseUrl: '/', fetch: fileFetch(d) })).rejects.toThrow(/MNIST shard test-01\.adlm .*HTTP 404/);
  });

  it('names a truncated shard', async () => {
    const d = damagedCopy('truncated', (d) => {
      const f = path.join(d, 'test-01.adlm');
      fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 100_000));
    });
    await expect(loadMnist({ split: 'test', baseUrl: '/', fetch: fileFetch(d) })).rejects.toThrow(
      new RegExp(`MNIST shard test-01\\.adlm .*got 100000 bytes, manifest says ${manifest().shards.find((s) => s.file === 'test-01.adlm')!.bytes}`),
    );
  });

  it('names a shard with one flipped byte', async () => {
    const d = damagedCopy('flipped', (d) => {
      const f = path.join(d, 'test-00.adlm');
      const b = fs.readFileSync(f);
      b[100_000] ^= 0x10;
      fs.writeFileSync(f, b);
    });
    await expect(loadMnist({ split: 'test', baseUrl: '/', fetch: fileFetch(d) })).rejects.toThrow(/MNIST shard test-00\.adlm .*checksum mismatch/);
  });

  it('stops when the caller aborts', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(loadMnist({ split: 'test', baseUrl: '/', fetch: fileFetch(path.join(dir, 'ok')), signal: ctl.signal })).rejects.toThrow(/abort/i);
  });
});

describe('float helpers', () => {
  const data: MnistArrays = { count: 2, rows: 1, cols: 2, images: new Uint8Array([0, 255, 51, 102]), labels: new Uint8Array([3, 0]) };

  it('scales pixels to [0, 1] for a range of digits', () => {
    expect([...floatImages(data)]).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
    expect([...floatImages(data, 1, 2)]).toEqual([0.2, 0.4].map(Math.fround));
  });

  it('one-hot encodes labels', () => {
    const y = oneHot(data, 0, 2, 4);
    expect([...y]).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
  });
});

describe('loadManifest with the global fetch', () => {
  /** A real HTTP server over the shard directory that counts manifest requests; `fail` answers them with 500. */
  async function server(fail = { on: false }) {
    const http = await import('node:http');
    let requests = 0;
    const s = http.createServer((req, res) => {
      if (req.url?.endsWith('/manifest.json')) requests++;
      if (fail.on) return void res.writeHead(500).end();
      const file = path.join(dir, 'ok', path.basename(req.url ?? ''));
      fs.existsSync(file) ? res.writeHead(200).end(fs.readFileSync(file)) : res.writeHead(404).end();
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as { port: number };
    return { base: `http://127.0.0.1:${port}/mnist/`, requests: () => requests, close: () => new Promise<void>((r) => s.close(() => r())) };
  }

  it('asks once for callers at the same moment, and one caller aborting stops only its own wait', async () => {
    const { loadManifest } = await import('./loader');
    const srv = await server();
    try {
      const ctl = new AbortController();
      const aborted = expect(loadManifest(srv.base, fetch, ctl.signal)).rejects.toThrow(/abort/i);
      ctl.abort();
      const [a, b] = await Promise.all([loadManifest(srv.base), loadManifest(srv.base, fetch)]);
      await aborted;
      expect(a).toBe(b);
      expect(a.shards).toEqual(manifest().shards);
      expect(srv.requests()).toBe(1);
      // A fetch of the caller's own is not shared.
      await loadManifest(srv.base, (u, init) => fetch(u, init));
      expect(srv.requests()).toBe(2);
    } finally {
      await srv.close();
    }
  });

  it('forgets a failed request, so that the next call asks again', async () => {
    const { loadManifest } = await import('./loader');
    const fail = { on: true };
    const srv = await server(fail);
    try {
      await expect(loadManifest(srv.base)).rejects.toThrow(/HTTP 500/);
      fail.on = false;
      expect((await loadManifest(srv.base)).format).toBe('ADLM');
      expect(srv.requests()).toBe(2);
    } finally {
      await srv.close();
    }
  });
});
