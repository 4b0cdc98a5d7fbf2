import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { ParamTable } from '../demos/runtime/params';
// @ts-expect-error: plain ESM script without types
import { SECURITY_HEADERS } from '../scripts/serve.mjs';
import { BAD_VALUES } from './fuzz';
import {
  builtRoutes,
  demoRoutes,
  framesAtLeast,
  newTab,
  numTensors,
  OUT,
  pageKind,
  representativeRoutes,
  setAllMounted,
  settled,
  shotPath,
  startHarness,
  visit,
  waitReady,
  type Harness,
  type Tab,
} from './harness';

// What happens when things go wrong: a lost GPU context, missing files, a backend that cannot start,
// hostile URLs, a strict Content-Security-Policy. Each failure must stay inside the demo's frame, say what
// happened, and leave the rest of the page working. Each kind of failure is tested once, on one demo:
// the behaviour lives in the shared frame and runtime, not in the demos. (Hostile uploads: mnist.e2e.ts.)
let h: Harness;
/**
 * One tab for the file, reused (a warm HTTP cache: a fresh context costs a cold start of the site's
 * scripts). Reduced motion: nothing autoplays behind a test. The failures a test injects are routes of
 * the page, cleared after it.
 */
let tab: Tab;
beforeAll(async () => {
  h = await startHarness();
  tab = await newTab(h, undefined, { reducedMotion: 'reduce' });
});
afterEach(async () => tab?.page.unrouteAll({ behavior: 'ignoreErrors' }));
afterAll(async () => {
  await tab?.ctx.close();
  await h?.close();
});

const routes = demoRoutes();
const sel = (id: string) => `[data-demo="${id}"]`;

/** Console errors other than the browser's own line for a response we made fail on purpose. */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e));

describe('a backend that dies or cannot start', () => {
  it('optimizers on webgl: the context is lost mid-run, the demo restarts on wasm with its URL parameters and says so', async () => {
    // The recovery is the frame's, the same for every demo: tested on the one whose WebGL start is cheapest.
    const query = 'backend=webgl&surface=beale&speed=7&opts=sgd%2Cadam';
    const { page, log } = tab;
    await visit(h, tab, `/embed/optimizers/?${query}`);
    const frame = await waitReady(page, 'optimizers');
    expect((await frame.locator('.badge').textContent())?.trim(), 'headless Chromium here has WebGL 2 (SwiftShader)').toBe('webgl');
    // While it runs, pull the GPU out from under it.
    await frame.locator('[data-action="play"]').click();
    await framesAtLeast(page, 'optimizers', 1);
    expect(await frame.locator('[data-running]').getAttribute('data-running')).toBe('1');
    await page.evaluate(() => {
      const tf = window.__adl!.tf as { backend(): { gpgpu: { gl: WebGL2RenderingContext } } };
      tf.backend().gpgpu.gl.getExtension('WEBGL_lose_context')!.loseContext();
    });

    await page.waitForSelector(`${sel('optimizers')} .badge[data-backend="wasm"]`);
    await waitReady(page, 'optimizers');
    expect(await frame.locator('.demo-notes').textContent()).toMatch(
      /webgl stopped working mid-run \(the WebGL context was lost\): the demo restarted on wasm with the same parameters/,
    );
    // The parameters survived: the controls show them and the address still holds them.
    expect(await frame.locator('[name="surface"]').inputValue()).toBe('beale');
    expect(await frame.locator('[name="speed"]').inputValue()).toBe('7');
    const url = new URL(page.url());
    for (const [k, v] of new URLSearchParams(query)) expect(url.searchParams.get(k), k).toBe(v);
    // It runs again from a clean start on the new backend.
    await frame.locator('[data-action="play"]').click();
    await framesAtLeast(page, 'optimizers', 1);
    expect(await frame.locator('.status-line').textContent()).toMatch(/step \d+/);
    await page.screenshot({ path: shotPath('reliability-context-lost'), clip: (await frame.boundingBox()) ?? undefined });

    // Nothing of the dead backend stays behind (its hung read-backs were failed and freed).
    await setAllMounted(page, false);
    await settled(page);
    expect(await numTensors(page)).toBe(0);
    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
  });

  it('a training frame that fails stops the loop and shows the error with a Retry that works', async () => {
    const { page, log } = tab;
    await visit(h, tab, '/embed/optimizers/?backend=wasm');
    const frame = await waitReady(page, 'optimizers');
    // The next read-back fails, as a flaky backend might.
    await page.evaluate(() => {
      const tf = window.__adl!.tf as { backend(): { read: (id: object) => Promise<unknown> } };
      const b = tf.backend();
      const read = b.read.bind(b);
      b.read = () => {
        b.read = read;
        return Promise.reject(new Error('injected read-back failure'));
      };
    });
    await frame.locator('[data-action="step"]').click();
    await page.waitForSelector(`${sel('optimizers')}[data-state="error"]`);
    expect(await frame.locator('.demo-error').textContent()).toMatch(/This demo stopped: injected read-back failure/);
    await frame.locator('.demo-error button', { hasText: 'Retry' }).click();
    await waitReady(page, 'optimizers');
    expect(unexpected(log.errors)).toEqual([]);
  });

  it('WebGL unavailable: with the .wasm binaries missing (404) ?backend=wasm runs on cpu, and without ?backend= wasm runs; notes say so', async () => {
    // Its own context: the WebGL switch-off cannot be undone in the shared one.
    const own = await newTab(h, undefined, { reducedMotion: 'reduce' });
    const { page, ctx, log } = own;
    // As on a browser with WebGL switched off: every WebGL context request fails.
    await ctx.addInitScript(() => {
      for (const C of [HTMLCanvasElement, typeof OffscreenCanvas === 'undefined' ? null : OffscreenCanvas]) {
        if (!C) continue;
        const get = C.prototype.getContext as (this: unknown, type: string, ...rest: unknown[]) => unknown;
        Object.defineProperty(C.prototype, 'getContext', {
          value(this: unknown, type: string, ...rest: unknown[]) {
            return /webgl/i.test(type) ? null : get.call(this, type, ...rest);
          },
        });
      }
    });
    const wasm = '**/tfjs-wasm/*.wasm';
    await ctx.route(wasm, (r) => r.fulfill({ status: 404, body: 'not found' }));
    await visit(h, own, '/embed/optimizers/?backend=wasm');
    expect(await page.evaluate(() => document.createElement('canvas').getContext('webgl2'))).toBeNull();
    let frame = await waitReady(page, 'optimizers');
    expect((await frame.locator('.badge').textContent())?.trim()).toBe('cpu');
    expect(await frame.locator('.demo-notes').textContent()).toMatch(/wasm unavailable, running on cpu/);
    expect(unexpected(log.errors)).toEqual([]);

    await ctx.unroute(wasm);
    // A demo whose tensors are on the page (the init script cannot reach a worker's OffscreenCanvas).
    await visit(h, own, '/embed/schedules/');
    frame = await waitReady(page, 'schedules');
    expect((await frame.locator('.badge').textContent())?.trim()).toBe('wasm');
    expect(await frame.locator('.demo-notes').textContent()).toMatch(/webgl unavailable, running on wasm/);
    expect(log.errors).toEqual([]);
    await ctx.close();
  });
});

describe('missing files', () => {
  it('a missing MNIST test shard (404): an error with Retry inside the demo, the page intact, Retry recovers', async () => {
    const { page, log } = tab;
    const shard = '**/data/mnist/test-00.adlm';
    await page.route(shard, (r) => r.fulfill({ status: 404, body: 'not found' }));
    await visit(h, tab, `${routes['mnist-live']}?backend=wasm`);
    const frame = page.locator(sel('mnist-live'));
    await frame.scrollIntoViewIfNeeded();
    const alert = frame.locator('[role="alert"]', { hasText: 'Could not load the test digits' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/MNIST shard test-00\.adlm \(\/data\/mnist\/test-00\.adlm\): HTTP 404/);
    await page.screenshot({ path: shotPath('reliability-shard-404'), clip: (await frame.boundingBox()) ?? undefined });
    // The rest of the page: notes, math, and the other demo on it all work.
    expect(await page.locator('.prose .katex').count()).toBeGreaterThan(10);
    expect(await page.locator('.prose p').count()).toBeGreaterThan(10);
    await waitReady(page, 'dropout');
    // Serve it again: Retry loads it and the network classifies test digit 0.
    await page.unroute(shard);
    await frame.scrollIntoViewIfNeeded();
    await alert.locator('button', { hasText: 'Retry' }).click();
    await waitReady(page, 'mnist-live');
    await frame.locator('.mnist-verdict[data-source="test"][data-index="0"][data-prediction]').waitFor();
    expect(unexpected(log.errors)).toEqual([]);
  });

  it("the model's files missing (404), first model.json then its weights: each is named in the frame, Retry recovers", async () => {
    const { page, log } = tab;
    const files = { manifest: '**/models/cnn/model.json', weights: '**/models/cnn/*.bin' };
    await page.route(files.manifest, (r) => r.fulfill({ status: 404, body: 'not found' }));
    await visit(h, tab, '/embed/mnist-live/?backend=wasm');
    const frame = page.locator(sel('mnist-live'));
    await page.waitForSelector(`${sel('mnist-live')}[data-state="error"]`);
    expect(await frame.locator('.demo-error').textContent()).toMatch(/Model "cnn".*model\.json.*404/);
    // model.json is back, the weights are not.
    await page.unroute(files.manifest);
    await page.route(files.weights, (r) => r.fulfill({ status: 404, body: 'not found' }));
    await frame.locator('.demo-error button', { hasText: 'Retry' }).click();
    await page.waitForSelector(`${sel('mnist-live')}[data-state="error"]`);
    expect(await frame.locator('.demo-error').textContent()).toMatch(/Model "cnn".*\/models\/cnn\/[\w.-]+\.bin.*404/);
    await page.unroute(files.weights);
    await frame.locator('.demo-error button', { hasText: 'Retry' }).click();
    await waitReady(page, 'mnist-live');
    await frame.locator('.mnist-verdict[data-source="test"][data-index="0"][data-prediction]').waitFor();
    expect(unexpected(log.errors)).toEqual([]);
  });
});

// ---- hostile URLs ----

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The URL keys demo `id` reads: its parameter tables' (demo-suite.ts checks the running view reads exactly these). */
async function urlKeys(id: string): Promise<string[]> {
  const { paramTables } = (await import(`../demos/${id}/params.ts`)) as { paramTables: readonly ParamTable[] };
  return [...new Set(paramTables.flatMap((t) => Object.keys(t)))];
}

describe('bad URL values', () => {
  // Every parameter of every demo meets every bad value in Node (demos/params.test.ts); here the page side,
  // once per kind of page: a demo alone (its embed) and a page of two demos, every key bad at once. Each
  // demo still starts, notes each of its keys inside its own frame, writes nothing huge back to the address
  // bar, logs no error. Documents with a long query are served straight from out/ (a 10 kB query line is
  // over many servers' header limit: that is the host's business, not ours).
  for (const [route, ids, backend, offset] of [
    ['/embed/optimizers/', ['optimizers'], 'tpu', 0],
    [routes.dropout, ['dropout', 'mnist-live'], 'wasm', 3],
  ] as const) {
    it(`${route} with every key of ${ids.join(' and ')} bad at once${backend === 'tpu' ? ', and ?backend=tpu' : ''}: notes in the frame, no crash`, async ({ task }) => {
      task.meta.demos = []; // once, whatever the number of demos
      const { page, log } = tab;
      await page.route(
        (u) => u.search.length > 4000 && !path.extname(u.pathname),
        (r) => r.fulfill({ path: path.join(OUT, new URL(r.request().url()).pathname, 'index.html'), contentType: 'text/html; charset=utf-8' }),
      );
      // Every key of every demo gets a bad value, cycling through the list so each is sent (the
      // 10,000-character one included).
      const keys = new Map<string, string[]>();
      for (const id of ids) keys.set(id, await urlKeys(id));
      const assigned = [...keys.values()].flat().map((k, j): [string, string] => [k, BAD_VALUES[(j + offset) % BAD_VALUES.length]]);
      expect(new Set(assigned.map(([, v]) => v)).size).toBe(Math.min(BAD_VALUES.length, assigned.length));
      await visit(h, tab, `${route}?${new URLSearchParams([['backend', backend], ...assigned])}`);
      for (const id of ids) {
        const frame = await waitReady(page, id);
        const notes = await frame.locator('.demo-notes li').allTextContents();
        for (const [k, v] of assigned.filter(([k]) => keys.get(id)!.includes(k))) {
          const said = notes.some((n) => new RegExp(`^${escapeRe(k)}[=: ]`).test(n));
          expect(said, `${id}: ${k}=${JSON.stringify(v.slice(0, 20))} has no note; notes: ${notes.join(' | ').slice(0, 400)}`).toBe(true);
        }
        expect(notes.every((n) => n.length < 300)).toBe(true);
        if (backend === 'tpu') {
          expect(notes.join('\n')).toMatch(/backend="tpu" is not one of webgl, wasm, cpu/);
          expect(['webgl', 'wasm', 'cpu']).toContain((await frame.locator('.badge').textContent())?.trim());
        }
        await page.screenshot({ path: shotPath(`bad-url-${id}`), clip: (await frame.boundingBox()) ?? undefined });
      }
      // Nothing the size of the huge value is written back into the address bar.
      expect(page.url().length).toBeLessThan(2000);
      expect(log.errors).toEqual([]);
    });
  }
});

describe('Content-Security-Policy and cross-origin isolation (scripts/serve.mjs --headers)', () => {
  let hs: Harness;
  beforeAll(async () => {
    hs = await startHarness({ headers: true });
  });
  afterAll(async () => hs?.close());

  it('the policy allows WASM compilation but never eval', () => {
    const csp: string = SECURITY_HEADERS['Content-Security-Policy'];
    const tokens = csp.split(/[;\s]+/);
    expect(tokens).not.toContain("'unsafe-eval'");
    expect(tokens).toContain("'wasm-unsafe-eval'");
    expect(SECURITY_HEADERS['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(SECURITY_HEADERS['Cross-Origin-Embedder-Policy']).toBe('require-corp');
  });

  it("no page's markup loads anything from another origin (every page, read from out/)", () => {
    // What the policy would block, found without a browser: resources (not links) with an absolute address.
    const routes = builtRoutes();
    expect(routes.length).toBeGreaterThan(3);
    for (const route of routes) {
      const html = fs.readFileSync(path.join(OUT, route, 'index.html'), 'utf8');
      const tags = [...html.matchAll(/<(?:script|img|iframe|frame|source|video|audio|embed|object|link|track|input)\b[^>]*>/gi)].map((m) => m[0]);
      const refs = [
        ...tags.flatMap((t) => [...t.matchAll(/\s(?:src|srcset|href|poster|data)="([^"]*)"/gi)].flatMap((m) => m[1].split(/,\s+/).map((u) => u.trim().split(/\s+/)[0]))),
        ...[...html.matchAll(/url\(\s*['"]?([^'")]+)/gi)].map((m) => m[1]),
        // the scripts the site script loads later (scripts/islands.mjs lists them)
        ...[...html.matchAll(/<meta name="adl-scripts" content="([^"]*)"/g)].flatMap((m) => m[1].split(' ')),
      ];
      expect(refs.filter((u) => /^(https?:)?\/\//i.test(u)), route).toEqual([]);
    }
  });

  // One page of each kind in the browser (the markup of all of them is checked above); every demo also starts
  // under these headers, on every backend, in demo-suite.ts.
  let sweep: Tab | undefined;
  afterAll(async () => sweep?.ctx.close());
  for (const route of representativeRoutes()) {
    it(`${route} (${pageKind(route)}) loads without a violation and is cross-origin isolated`, async ({ task }) => {
      task.meta.demos = []; // once per kind of page
      if (!sweep) {
        sweep = await newTab(hs, undefined, { reducedMotion: 'reduce' });
        await sweep.ctx.addInitScript(() => {
          document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
        });
      }
      const res = await visit(hs, sweep, `${route}?backend=wasm`);
      expect(res?.headers()['content-security-policy']).toBe(SECURITY_HEADERS['Content-Security-Policy']);
      expect(await sweep.page.evaluate(() => window.crossOriginIsolated)).toBe(true);
      // Hydrated: the page's own scripts ran under the policy; a demo on it loads tfjs and starts.
      for (const id of await sweep.page.locator('[data-demo]').evaluateAll((els) => els.map((e) => e.getAttribute('data-demo')!))) {
        await waitReady(sweep.page, id);
      }
      expect(sweep.log.errors).toEqual([]);
      expect(sweep.log.failed).toEqual([]);
    });
  }
});
