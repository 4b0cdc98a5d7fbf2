import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openPage, scrollToDemo, startHarness, type Harness } from './harness';

// How the runtime starts its backend (demos/runtime/tf.ts, initBackend): a start that hangs is given
// up after BACKEND_START_TIMEOUT_MS (20 s) for the next backend; WASM runs threaded on a
// cross-origin-isolated page with enough cores, single-threaded SIMD elsewhere, and says which.
let plain: Harness;
let isolated: Harness;
beforeAll(async () => {
  [plain, isolated] = await Promise.all([startHarness(), startHarness({ headers: true })]);
});
afterAll(async () => Promise.all([plain?.close(), isolated?.close()]));

const ROUTE = '/training/optimizers/';
const frame = (page: Page) => page.locator('[data-demo="optimizers"]');

/** Opens a page of the site without scripts, lets `prepare` set up the context, then loads the demo's page. */
async function demoPage(h: Harness, query: string, prepare: (ctx: BrowserContext) => Promise<unknown>) {
  const opened = await openPage(h, '/icon.svg');
  await prepare(opened.ctx);
  await opened.page.goto(`${h.url}${ROUTE}?${query}`);
  await scrollToDemo(opened.page, 'optimizers');
  return opened;
}

/** Waits for the demo's first result; throws with its message if it failed instead. */
async function started(page: Page) {
  await page.waitForSelector('[data-demo="optimizers"][data-state="ready"], [data-demo="optimizers"][data-state="error"]', { timeout: 60_000 });
  if ((await frame(page).getAttribute('data-state')) === 'error') throw new Error(await frame(page).locator('.demo-error').innerText());
}

/** Presses Step and waits until the demo has completed that loop frame. */
async function step(page: Page) {
  await frame(page).locator('[data-action="step"]').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-demo="optimizers"] [data-frames]')?.getAttribute('data-frames')) >= 1, null, { timeout: 30_000 });
}

/** The reader's 8-core laptop: this machine has 2 cores, where tfjs would give WASM a single thread. */
const eightCores = (ctx: BrowserContext) =>
  ctx.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 8 }));

describe('a backend whose start hangs', () => {
  it('?backend=wasm with the .wasm download never answered: the demo starts on another backend, with a note naming wasm and the timeout', async () => {
    const t0 = Date.now();
    const { page, ctx, log } = await demoPage(plain, 'backend=wasm', (c) => c.route('**/tfjs-wasm/*.wasm', () => {})); // never answered
    // The frame gives up on wasm and starts the view on the next backend: its badge appears. (That view's
    // first result on each backend is demo-suite.ts's business; on SwiftShader it takes long under load.)
    const badgeEl = frame(page).locator('.badge');
    await badgeEl.waitFor({ timeout: 60_000 });
    const seconds = (Date.now() - t0) / 1000;
    expect(await frame(page).locator('.demo-placeholder').count()).toBe(0); // not "Loading…" any more
    const badge = (await badgeEl.textContent())?.trim();
    expect(['webgl', 'cpu']).toContain(badge);
    const notes = await frame(page).locator('.demo-notes li').allTextContents();
    expect(notes).toContain('wasm did not start within 20 s');
    expect(notes).toContain(`wasm unavailable, running on ${badge}`);
    console.log(`hung wasm → ${badge}: view started after ${seconds.toFixed(1)} s`);
    expect(log.errors).toEqual([]);
    await ctx.close();
  });
});

describe('WASM threads', () => {
  it('on a cross-origin-isolated page (COOP/COEP, CSP) with 8 cores: 4 threads start, the demo runs, computes right, no violation', async () => {
    const { page, ctx, log } = await demoPage(isolated, 'backend=wasm', async (c) => {
      await eightCores(c);
      await c.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
    });
    await started(page);
    await step(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect((await frame(page).locator('.badge').textContent())?.trim()).toBe('wasm');
    expect(await frame(page).locator('.badge').getAttribute('title')).toMatch(/\(wasm: 4 threads, SIMD\)/);
    const threads = await page.evaluate(async () => {
      const tf = window.__adl!.tf as typeof import('@tensorflow/tfjs');
      const wasm = (tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } }).wasm;
      // A product big enough for XNNPACK to split over the threads: every entry of 1·1ᵀ products is 512.
      const p = tf.tidy(() => tf.sum(tf.matMul(tf.ones([512, 512]), tf.ones([512, 512]))));
      const sum = (await p.data())[0];
      p.dispose();
      return { flag: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'), count: wasm.tfjs.getThreadsCount(), sum };
    });
    expect(threads).toEqual({ flag: true, count: 4, sum: 512 ** 3 });
    expect(await frame(page).locator('.demo-notes').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(log.errors).toEqual([]);
    await ctx.close();
  });

  it('without cross-origin isolation: single-threaded SIMD, and the badge says why', async () => {
    const { page, ctx, log } = await demoPage(plain, 'backend=wasm', eightCores);
    await started(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await frame(page).locator('.badge').getAttribute('title')).toMatch(/\(wasm: single-threaded, SIMD \(threads need a cross-origin-isolated page\)\)/);
    expect(log.errors).toEqual([]);
    await ctx.close();
  });
});
