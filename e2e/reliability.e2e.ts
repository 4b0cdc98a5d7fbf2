import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
// @ts-expect-error: plain ESM script without types
import { SECURITY_HEADERS } from '../scripts/serve.mjs';
import { BAD_VALUES } from './fuzz';
import { builtRoutes, demoRoutes, framesAtLeast, numTensors, OUT, newTab, openPage, setAllMounted, settled, shotPath, startHarness, visit, waitReady, type Harness } from './harness';

// What happens when things go wrong: a lost GPU context, missing files, a backend that cannot start,
// hostile URLs, a strict Content-Security-Policy. Each failure must stay inside the demo's frame, say what
// happened, and leave the rest of the page working. Each kind of failure is tested once, on one demo:
// the behaviour lives in the shared frame and runtime, not in the demos. (Hostile uploads: mnist.e2e.ts.)
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const routes = demoRoutes();
const sel = (id: string) => `[data-demo="${id}"]`;

/** Console errors other than the browser's own line for a response we made fail on purpose. */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e));

describe('a backend that dies or cannot start', () => {
  it('dropout on webgl: the context is lost mid-training, the demo restarts on wasm with its URL parameters and says so', async () => {
    const query = 'backend=webgl&rate=0.3&width=32&seed=7';
    const { page, ctx, log } = await openPage(h, `${routes.dropout}?${query}`);
    const frame = await waitReady(page, 'dropout');
    expect((await frame.locator('.badge').textContent())?.trim(), 'headless Chromium here has WebGL 2 (SwiftShader)').toBe('webgl');
    // While it trains, pull the GPU out from under it.
    await framesAtLeast(page, 'dropout', 1);
    expect(await frame.locator('[data-running]').getAttribute('data-running')).toBe('1');
    await page.evaluate(() => {
      const tf = window.__adl!.tf as { backend(): { gpgpu: { gl: WebGL2RenderingContext } } };
      tf.backend().gpgpu.gl.getExtension('WEBGL_lose_context')!.loseContext();
    });

    await page.waitForSelector(`${sel('dropout')} .badge[data-backend="wasm"]`);
    await waitReady(page, 'dropout');
    expect(await frame.locator('.demo-notes').textContent()).toMatch(
      /webgl stopped working mid-run \(the WebGL context was lost\): the demo restarted on wasm with the same parameters/,
    );
    // The parameters survived: the controls show them and the address still holds them.
    expect(await frame.locator('[name="rate"]').inputValue()).toBe('0.3');
    expect(await frame.locator('[name="width"]').inputValue()).toBe('32');
    expect(await frame.locator('[name="seed"]').inputValue()).toBe('7');
    const url = new URL(page.url());
    for (const [k, v] of new URLSearchParams(query)) expect(url.searchParams.get(k), k).toBe(v);
    // Training runs again from a clean start on the new backend.
    await framesAtLeast(page, 'dropout', 2);
    expect(await frame.locator('.status-line').textContent()).toMatch(/step \d+/);
    await page.screenshot({ path: shotPath('reliability-context-lost'), clip: (await frame.boundingBox()) ?? undefined });

    // Nothing of the dead backend stays behind (its hung read-backs were failed and freed).
    await setAllMounted(page, false);
    await settled(page);
    expect(await numTensors(page)).toBe(0);
    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
    await ctx.close();
  });

  it('a training frame that fails stops the loop and shows the error with a Retry that works', async () => {
    const { page, ctx, log } = await openPage(h, `${routes.optimizers}?backend=wasm`);
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
    await ctx.close();
  });

  it('?backend=wasm with the .wasm binaries missing (404): another backend runs, with a note naming wasm', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.route('**/tfjs-wasm/*.wasm', (r) => r.fulfill({ status: 404, body: 'not found' }));
    const page = await ctx.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${h.url}${routes.optimizers}?backend=wasm`);
    const frame = await waitReady(page, 'optimizers');
    const badge = (await frame.locator('.badge').textContent())?.trim();
    expect(['webgl', 'cpu']).toContain(badge);
    expect(await frame.locator('.demo-notes').textContent()).toMatch(new RegExp(`wasm unavailable, running on ${badge}`));
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });

  it('with WebGL unavailable and no ?backend=: wasm runs, with a note that webgl is unavailable', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
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
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${h.url}${routes.dropout}`);
    expect(await page.evaluate(() => document.createElement('canvas').getContext('webgl2'))).toBeNull();
    const frame = await waitReady(page, 'dropout');
    expect((await frame.locator('.badge').textContent())?.trim()).toBe('wasm');
    expect(await frame.locator('.demo-notes').textContent()).toMatch(/webgl unavailable, running on wasm/);
    await framesAtLeast(page, 'dropout', 1);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});

describe('missing files', () => {
  it('a missing MNIST test shard (404): an error with Retry inside the demo, the page intact, Retry recovers', async () => {
    const { page, ctx, log } = await openPage(h, `${routes['mnist-live']}?backend=wasm`);
    const shard = '**/data/mnist/test-00.adlm';
    await ctx.route(shard, (r) => r.fulfill({ status: 404, body: 'not found' }));
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
    await ctx.unroute(shard);
    await frame.scrollIntoViewIfNeeded();
    await alert.locator('button', { hasText: 'Retry' }).click();
    await waitReady(page, 'mnist-live');
    await frame.locator('.mnist-verdict[data-source="test"][data-index="0"][data-prediction]').waitFor();
    expect(unexpected(log.errors)).toEqual([]);
    await ctx.close();
  });

  it("the model's files missing (404), first model.json then its weights: each is named in the frame, Retry recovers", async () => {
    const { page, ctx, log } = await newTab(h);
    const files = { manifest: '**/models/cnn/model.json', weights: '**/models/cnn/*.bin' };
    await ctx.route(files.manifest, (r) => r.fulfill({ status: 404, body: 'not found' }));
    await page.goto(`${h.url}${routes['mnist-live']}?backend=wasm`);
    const frame = page.locator(sel('mnist-live'));
    await frame.scrollIntoViewIfNeeded();
    await page.waitForSelector(`${sel('mnist-live')}[data-state="error"]`);
    expect(await frame.locator('.demo-error').textContent()).toMatch(/Model "cnn".*model\.json.*404/);
    expect(await page.locator('.prose .katex').count()).toBeGreaterThan(10);
    await waitReady(page, 'dropout');
    // model.json is back, the weights are not.
    await ctx.unroute(files.manifest);
    await ctx.route(files.weights, (r) => r.fulfill({ status: 404, body: 'not found' }));
    await frame.locator('.demo-error button', { hasText: 'Retry' }).click();
    await page.waitForSelector(`${sel('mnist-live')}[data-state="error"]`);
    expect(await frame.locator('.demo-error').textContent()).toMatch(/Model "cnn".*\/models\/cnn\/[\w.-]+\.bin.*404/);
    await ctx.unroute(files.weights);
    await frame.locator('.demo-error button', { hasText: 'Retry' }).click();
    await waitReady(page, 'mnist-live');
    await frame.locator('.mnist-verdict[data-source="test"][data-index="0"][data-prediction]').waitFor();
    expect(unexpected(log.errors)).toEqual([]);
    await ctx.close();
  });
});

// ---- hostile URLs ----

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The URL keys of demo `id`, discovered from the page: the keys its views registered (window.__adl.params,
 * written by useDemoParams) checked against the `name`s of its generated controls.
 */
async function discoverKeys(page: Page, id: string): Promise<string[]> {
  const keys = await page.evaluate((d) => window.__adl?.params?.[d] ?? {}, id);
  const names = await page.locator(`${sel(id)} [name]`).evaluateAll((els) =>
    els.filter((e) => !['radio', 'file'].includes((e as HTMLInputElement).type ?? '')).map((e) => e.getAttribute('name')!),
  );
  // Every control writes one of those keys (a multi-choice checkbox is named key.option).
  for (const n of names) expect(n in keys || n.split('.')[0] in keys, `control ${n} of ${id}`).toBe(true);
  return Object.keys(keys);
}

describe('bad URL values', () => {
  // Every parameter of every demo meets every bad value in Node (demos/params.test.ts); here the page side,
  // once per kind of page: a demo given bad values for all its keys at once (and one two-demo page) still
  // starts, notes each key inside its own frame, writes nothing huge back to the address bar, logs no
  // error. Documents with a long query are served straight from out/ (a 10 kB query line is over many
  // servers' header limit: that is the host's business, not ours).
  for (const [ids, backend] of [
    [['optimizers'], 'wasm'],
    [['dropout', 'mnist-live'], 'tpu'],
  ] as const) {
    it(`${ids.join(' and ')} with every key bad at once${backend === 'tpu' ? ', and ?backend=tpu' : ''}: notes in the frame, no crash`, async ({ task }) => {
      task.meta.demos = [...ids];
      const route = routes[ids[0]];
      expect(ids.every((id) => routes[id] === route)).toBe(true);
      const tab = await newTab(h);
      const { page, ctx, log } = tab;
      await ctx.route(
        (u) => u.search.length > 4000 && !path.extname(u.pathname),
        (r) => r.fulfill({ path: path.join(OUT, new URL(r.request().url()).pathname, 'index.html'), contentType: 'text/html; charset=utf-8' }),
      );
      // Discover the keys on a clean load, then give every key of every demo a bad value, cycling through
      // the list so each value is sent (the 10,000-character one included).
      await visit(h, tab, `${route}?backend=wasm`);
      const keys: string[] = [];
      for (const id of ids) {
        await waitReady(page, id);
        const k = await discoverKeys(page, id);
        expect(k.length).toBeGreaterThan(1);
        keys.push(...k);
      }
      const assigned = keys.map((k, j): [string, string] => [k, BAD_VALUES[(j + (backend === 'tpu' ? 3 : 0)) % BAD_VALUES.length]]);
      const query = new URLSearchParams([['backend', backend], ...assigned]).toString();
      await visit(h, tab, `${route}?${query}`);
      for (const id of ids) {
        const frame = await waitReady(page, id);
        const notes = await frame.locator('.demo-notes li').allTextContents();
        const mine = await page.evaluate((d) => window.__adl?.params?.[d] ?? {}, id);
        for (const [k, v] of assigned.filter(([k]) => k in mine)) {
          const said = notes.some((n) => new RegExp(`^${escapeRe(k)}[=: ]`).test(n));
          expect(said, `${id}: ${k}=${JSON.stringify(v.slice(0, 20))} has no note; notes: ${notes.join(' | ').slice(0, 400)}`).toBe(true);
        }
        expect(notes.every((n) => n.length < 300)).toBe(true);
        if (backend === 'tpu') {
          expect(notes.join('\n')).toMatch(/backend="tpu" is not one of webgl, wasm, cpu/);
          expect(['webgl', 'wasm', 'cpu']).toContain((await frame.locator('.badge').textContent())?.trim());
        }
        if (id === ids[0]) await page.screenshot({ path: shotPath(`bad-url-${id}`), clip: (await frame.boundingBox()) ?? undefined });
      }
      // Nothing the size of the huge value is written back into the address bar.
      expect(page.url().length).toBeLessThan(2000);
      expect(new Set(assigned.map(([, v]) => v)).size).toBe(Math.min(BAD_VALUES.length, assigned.length));
      expect(log.errors).toEqual([]);
      await ctx.close();
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

  // Every demo also starts under these headers, on every backend, in demos.e2e.ts.
  it('every page loads without a violation and is cross-origin isolated', async () => {
    const tab = await newTab(hs);
    await tab.ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    for (const route of builtRoutes()) {
      const res = await visit(hs, tab, `${route}?backend=wasm`);
      expect(res?.headers()['content-security-policy'], route).toBe(SECURITY_HEADERS['Content-Security-Policy']);
      expect(await tab.page.evaluate(() => window.crossOriginIsolated), route).toBe(true);
      // Hydrated: the page's own scripts ran under the policy (a blocked one would leave this unset).
      await tab.page.waitForFunction(() => !!window.__adl || !document.querySelector('[data-demo]'));
      expect(tab.log.errors, route).toEqual([]);
      expect(tab.log.failed, route).toEqual([]);
    }
    await tab.ctx.close();
  });
});
