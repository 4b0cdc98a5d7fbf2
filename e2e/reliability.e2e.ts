import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { demos } from '../demos/registry';
// @ts-expect-error: plain ESM script without types
import { SECURITY_HEADERS } from '../scripts/serve.mjs';
import { builtRoutes, demoRoutes, numTensors, OUT, openPage, shotPath, startHarness, type Harness } from './harness';

// What happens when things go wrong: a lost GPU context, missing files, a backend that cannot start,
// hostile URLs and uploads, a strict Content-Security-Policy. Each failure must stay inside the demo's
// frame, say what happened, and leave the rest of the page working.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const routes = demoRoutes();
const sel = (id: string) => `[data-demo="${id}"]`;

/** Scrolls to demo `id` and waits until it is ready (or failed: then throws with its message). */
async function waitReady(page: Page, id: string, timeout = 90_000): Promise<Locator> {
  const frame = page.locator(sel(id));
  await frame.scrollIntoViewIfNeeded();
  await page.waitForSelector(`${sel(id)}[data-state="ready"], ${sel(id)}[data-state="error"]`, { timeout });
  if ((await frame.getAttribute('data-state')) === 'error') throw new Error(`demo ${id} failed: ${await frame.locator('.demo-error').textContent()}`);
  return frame;
}

/** Waits until demo `id` has completed at least `n` loop frames. */
async function framesAtLeast(page: Page, id: string, n: number) {
  await page.waitForFunction(
    ([d, k]) => Number(document.querySelector(`[data-demo="${d}"] [data-frames]`)?.getAttribute('data-frames')) >= (k as number),
    [id, n] as const,
    { timeout: 60_000 },
  );
}

/** Console errors other than the browser's own line for a response we made fail on purpose. */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e));

describe('a backend that dies or cannot start', () => {
  it('dropout on webgl: the context is lost mid-training, the demo restarts on wasm with its URL parameters and says so', async () => {
    const query = 'backend=webgl&rate=0.3&width=32&seed=7';
    const { page, ctx, log } = await openPage(h, `${routes.dropout}?${query}`);
    const frame = await waitReady(page, 'dropout');
    expect((await frame.locator('.badge').textContent())?.trim(), 'headless Chromium here has WebGL 2 (SwiftShader)').toBe('webgl');
    // Let it train a few frames, then pull the GPU out from under it.
    await framesAtLeast(page, 'dropout', 3);
    expect(await frame.locator('[data-running]').getAttribute('data-running')).toBe('1');
    await page.evaluate(() => {
      const tf = window.__adl!.tf as { backend(): { gpgpu: { gl: WebGL2RenderingContext } } };
      tf.backend().gpgpu.gl.getExtension('WEBGL_lose_context')!.loseContext();
    });

    await page.waitForSelector(`${sel('dropout')} .badge[data-backend="wasm"]`, { timeout: 60_000 });
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
    await framesAtLeast(page, 'dropout', 3);
    expect(await frame.locator('.status-line').textContent()).toMatch(/step \d+/);
    await page.screenshot({ path: shotPath('reliability-context-lost'), clip: (await frame.boundingBox()) ?? undefined });

    // Nothing of the dead backend stays behind (its hung read-backs were failed and freed).
    const ids = await page.evaluate(() => Object.keys(window.__adl!.setMounted));
    await page.evaluate((all) => all.forEach((d) => window.__adl!.setMounted[d](false)), ids);
    await page.waitForTimeout(500);
    expect(await numTensors(page)).toBe(0);
    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
    await ctx.close();
  });

  it('a training frame that fails stops the loop and shows the error with a Retry that works', async () => {
    const { page, ctx, log } = await openPage(h, `${routes.optimizers}?backend=cpu`);
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
    await page.waitForSelector(`${sel('optimizers')}[data-state="error"]`, { timeout: 30_000 });
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
    await framesAtLeast(page, 'optimizers', 0);
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
    await framesAtLeast(page, 'dropout', 2);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});

describe('missing files', () => {
  it('a missing MNIST test shard (404): an error with Retry inside the demo, the page intact, Retry recovers', async () => {
    const { page, ctx, log } = await openPage(h, `${routes['mnist-live']}?backend=wasm`);
    // (mnist.e2e.ts covers a missing model.json; here the data shard and the model's weights.)
    const shard = '**/data/mnist/test-00.adlm';
    await ctx.route(shard, (r) => r.fulfill({ status: 404, body: 'not found' }));
    const frame = page.locator(sel('mnist-live'));
    await frame.scrollIntoViewIfNeeded();
    const alert = frame.locator('[role="alert"]', { hasText: 'Could not load the test digits' });
    await alert.waitFor({ timeout: 60_000 });
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
    await frame.locator('.mnist-verdict[data-source="test"][data-index="0"][data-prediction]').waitFor({ timeout: 30_000 });
    expect(unexpected(log.errors)).toEqual([]);
    await ctx.close();
  });

  it("the model's weight file missing (404): the frame shows the error and a Retry that recovers", async () => {
    const { page, ctx, log } = await openPage(h, `${routes['mnist-live']}?backend=wasm`);
    const weights = '**/models/cnn/*.bin';
    await ctx.route(weights, (r) => r.fulfill({ status: 404, body: 'not found' }));
    const frame = page.locator(sel('mnist-live'));
    await frame.scrollIntoViewIfNeeded();
    await page.waitForSelector(`${sel('mnist-live')}[data-state="error"]`, { timeout: 90_000 });
    expect(await frame.locator('.demo-error').textContent()).toMatch(/Model "cnn".*\/models\/cnn\/[\w.-]+\.bin.*404/);
    expect(await page.locator('.prose .katex').count()).toBeGreaterThan(10);
    await waitReady(page, 'dropout');
    await ctx.unroute(weights);
    await frame.locator('.demo-error button', { hasText: 'Retry' }).click();
    await waitReady(page, 'mnist-live');
    expect(unexpected(log.errors)).toEqual([]);
    await ctx.close();
  });
});

// ---- hostile URLs ----

const HUGE = '1234567890'.repeat(1000); // 10,000 characters (and, read as a number, Infinity)
/** Raw query-string values (already URL-encoded where needed: %00 reaches the page as a NUL character). */
const BAD: readonly string[] = ['1e308', '-1e308', 'abc', '%5B%5D', '%00', 'NaN', 'Infinity', '1%2C2%2C3', HUGE];
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The URL keys of demo `id`, discovered from the page: the keys its views registered (window.__adl.params,
 * written by useDemoParams) checked against the `name`s of its generated controls.
 */
async function discoverKeys(page: Page, id: string): Promise<Record<string, string>> {
  const keys = await page.evaluate((d) => window.__adl?.params?.[d] ?? {}, id);
  const names = await page.locator(`${sel(id)} [name]`).evaluateAll((els) =>
    els.filter((e) => !['radio', 'file'].includes((e as HTMLInputElement).type ?? '')).map((e) => e.getAttribute('name')!),
  );
  // Every control writes one of those keys (a multi-choice checkbox is named key.option).
  for (const n of names) expect(n in keys || n.split('.')[0] in keys, `control ${n} of ${id}`).toBe(true);
  return keys;
}

describe('bad URL values for every parameter of every demo', () => {
  it('out of range, wrong type and huge values: every demo still starts, notes each key, no error', async () => {
    // One context, navigating between URLs. Each demo gets |BAD| loads; in load i key k gets BAD[(i + k) mod
    // |BAD|], so every key sees every value once. Documents with a long query are served straight from
    // out/ (a 10 kB query line is over many servers' header limit: that is the host's business, not ours).
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.route(
      (u) => u.search.length > 4000 && !path.extname(u.pathname),
      (r) => r.fulfill({ path: path.join(OUT, new URL(r.request().url()).pathname, 'index.html'), contentType: 'text/html; charset=utf-8' }),
    );
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    let loads = 0;
    const covered: string[] = [];
    for (const id of Object.keys(demos)) {
      await page.goto(`${h.url}${routes[id]}?backend=wasm`);
      await waitReady(page, id);
      const keys = Object.keys(await discoverKeys(page, id));
      expect(keys.length).toBeGreaterThan(1);
      for (let i = 0; i < BAD.length; i++) {
        const assigned = keys.map((k, j) => [k, BAD[(i + j) % BAD.length]] as const);
        const query = assigned.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
        await page.goto(`${h.url}${routes[id]}?backend=wasm&${query}`);
        loads++;
        const frame = await waitReady(page, id);
        const notes = await frame.locator('.demo-notes li').allTextContents();
        for (const [k, v] of assigned) {
          const said = notes.some((n) => new RegExp(`^${escapeRe(k)}[=: ]`).test(n));
          expect(said, `${id}: ${k}=${v.slice(0, 20)} has no note; notes: ${notes.join(' | ').slice(0, 400)}`).toBe(true);
        }
        // Nothing the size of the huge value is written back into the address bar or the notes.
        expect(page.url().length).toBeLessThan(2000);
        expect(notes.every((n) => n.length < 300)).toBe(true);
        expect(errors, `${id} load ${i}`).toEqual([]);
        covered.push(...assigned.map(([k, v]) => `${id}:${k}:${v}`));
      }
    }
    expect(new Set(covered).size).toBe(covered.length);
    expect(loads).toBeLessThanOrEqual(60);
    console.log(`URL fuzz: ${loads} page loads, ${covered.length} (key, value) pairs`);
    await ctx.close();
  });
});

describe('hostile uploads', () => {
  it('a real 8000×6250 image, the same as SVG, and a 21 MB file: a clear message, no crash', async () => {
    const { page, ctx, log } = await openPage(h, `${routes['mnist-live']}?backend=wasm&input=upload`);
    const frame = page.locator(sel('mnist-live'));
    await frame.scrollIntoViewIfNeeded();
    await frame.locator('[data-field="upload"]').waitFor({ state: 'attached', timeout: 60_000 });
    // (mnist.e2e.ts covers a text file, a 0-byte file, a broken PNG and a header-only 10000×10000 PNG.)
    const cases: [string, string, RegExp][] = [
      ['png', 'big.png', /8000×6250 pixels \(50 megapixels\); the limit is 40 megapixels/],
      ['svg', 'big.svg', /8000×6250 pixels \(50 megapixels\); the limit is 40 megapixels/],
      ['bytes', 'big.jpg', /the limit is 20/],
    ];
    for (const [kind, name, re] of cases) {
      const bytes = await page.evaluate(
        async ([k, n]) => {
          let blob: Blob;
          if (k === 'png') {
            // A real, fully decodable 50-megapixel PNG made in the page.
            const c = new OffscreenCanvas(8000, 6250);
            const g = c.getContext('2d')!;
            g.fillStyle = '#fff';
            g.fillRect(0, 0, 8000, 6250);
            g.fillStyle = '#000';
            g.fillRect(3500, 1000, 1000, 4000);
            blob = await c.convertToBlob({ type: 'image/png' });
          } else if (k === 'svg') {
            blob = new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="8000" height="6250"><rect x="3500" y="1000" width="1000" height="4000"/></svg>'], { type: 'image/svg+xml' });
          } else {
            blob = new Blob([new Uint8Array(21 * 1024 * 1024)], { type: 'image/jpeg' });
          }
          const input = document.querySelector('[data-demo="mnist-live"] [data-field="upload"]') as HTMLInputElement;
          const dt = new DataTransfer();
          dt.items.add(new File([blob], n as string, { type: blob.type }));
          input.files = dt.files;
          input.dispatchEvent(new Event('change', { bubbles: true }));
          return blob.size;
        },
        [kind, name] as const,
      );
      expect(bytes).toBeGreaterThan(0);
      const msg = frame.locator('[data-upload-message="error"]', { hasText: re });
      await msg.waitFor({ timeout: 30_000 });
      expect(await msg.getAttribute('role')).toBe('alert');
    }
    expect(await frame.getAttribute('data-state')).not.toBe('error');
    await page.screenshot({ path: shotPath('reliability-upload-50mp'), clip: (await frame.boundingBox()) ?? undefined });
    expect(log.errors).toEqual([]);
    await ctx.close();
  });
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

  it('every page loads without a violation, is cross-origin isolated, and every demo on it starts on wasm', async () => {
    const ctx = await hs.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    const started: string[] = [];
    for (const route of builtRoutes()) {
      const res = await page.goto(`${hs.url}${route}?backend=wasm`);
      expect(res?.headers()['content-security-policy'], route).toBe(SECURITY_HEADERS['Content-Security-Policy']);
      expect(await page.evaluate(() => window.crossOriginIsolated), route).toBe(true);
      const ids = await page.locator('[data-demo]').evaluateAll((els) => els.map((e) => e.getAttribute('data-demo')!));
      for (const id of ids) {
        const frame = await waitReady(page, id);
        expect((await frame.locator('.badge').textContent())?.trim(), `${route} ${id}`).toBe('wasm');
        started.push(`${route}#${id}`);
      }
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), route).toEqual([]);
      expect(errors, route).toEqual([]);
    }
    // Every registered demo started at least once under the policy.
    for (const id of Object.keys(demos)) expect(started.some((s) => s.endsWith(`#${id}`)), id).toBe(true);
    await ctx.close();
  });
});
