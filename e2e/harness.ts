import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type Response } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
// @ts-expect-error: plain ESM script without types
import { serve } from '../scripts/serve.mjs';

export const OUT = path.resolve('out');
export const SHOTS = path.resolve('e2e/screenshots');

/** The static server and browser shared by one test file. */
export interface Harness {
  url: string;
  browser: Browser;
  close: () => Promise<void>;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags for a quiet, self-contained headless Chromium (no network besides the test server). */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** WebGL (and the GPU raster/compositing path) through SwiftShader, the CPU emulation of a GPU. */
export const SWIFTSHADER_FLAGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/** What the run's global setup (e2e/global-setup.ts) shares with every test file. */
export interface SharedRun {
  /** The one Chromium of the run (chromium.launchServer): files connect instead of launching their own. */
  wsEndpoint: string;
  /** out/ served plainly, and with the site's security headers (CSP, COOP/COEP). */
  url: string;
  secureUrl: string;
}

/** The shared browser and servers when running under the browser-test config; undefined elsewhere (bench). */
async function sharedRun(): Promise<SharedRun | undefined> {
  if (!process.env.VITEST) return undefined;
  const { inject } = await import('vitest');
  return inject('e2e' as never) as SharedRun | undefined;
}

/**
 * The static server of out/ and a browser for one test file (or the benchmark). Under the browser-test
 * config this connects to the run's shared Chromium and servers: close() then only disconnects.
 * `headers: true` serves with the site's Content-Security-Policy and cross-origin isolation headers.
 */
export async function startHarness(opts: { headers?: boolean } = {}): Promise<Harness> {
  if (!fs.existsSync(path.join(OUT, 'index.html'))) throw new Error('out/ is missing: run `npm run build` first');
  const shared = await sharedRun();
  if (shared) {
    const browser = await chromium.connect(shared.wsEndpoint);
    return { url: opts.headers ? shared.secureUrl : shared.url, browser, close: () => browser.close() };
  }
  const { server, url } = (await serve({ root: OUT, port: 0, headers: opts.headers ?? false })) as { server: Server; url: string };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, ...SWIFTSHADER_FLAGS] });
  return {
    url,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((r) => server.close(() => r(null)));
    },
  };
}

/** What a page did that a test must check: console errors, failed requests, requests off 127.0.0.1. */
export interface PageLog {
  errors: string[];
  offsite: string[];
  failed: string[];
}

/** A browser context and page with its log: reused across routes (visit) where tests need no isolation. */
export interface Tab {
  page: Page;
  ctx: BrowserContext;
  log: PageLog;
}

/** A fresh context and page that records console errors, failed requests, and blocks anything off-site. */
export async function newTab(h: Harness, viewport = { width: 1280, height: 900 }, options: BrowserContextOptions = {}): Promise<Tab> {
  const ctx = await h.browser.newContext({ viewport, ...options });
  const page = await ctx.newPage();
  const log: PageLog = { errors: [], offsite: [], failed: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  // Nothing may leave the site: requests to any other host are recorded and blocked.
  await ctx.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === '127.0.0.1') return route.continue();
    log.offsite.push(u.toString());
    return route.abort();
  });
  page.on('requestfailed', (r) => {
    // ERR_ABORTED is the page cancelling its own request (a prefetch cut short by navigation), not a failure.
    if (new URL(r.url()).hostname === '127.0.0.1' && r.failure()?.errorText !== 'net::ERR_ABORTED') log.failed.push(r.url());
  });
  return { page, ctx, log };
}

/** Opens `route` in an open tab with its log emptied: same context, so the HTTP cache is warm. */
export async function visit(h: Harness, tab: Tab, route: string): Promise<Response | null> {
  tab.log.errors.length = tab.log.offsite.length = tab.log.failed.length = 0;
  return tab.page.goto(h.url + route, { waitUntil: 'load' });
}

export async function openPage(
  h: Harness,
  route: string,
  viewport = { width: 1280, height: 900 },
  options: BrowserContextOptions = {},
): Promise<Tab> {
  const tab = await newTab(h, viewport, options);
  await visit(h, tab, route);
  return tab;
}

// ---- the DOM contract of a demo frame (components/Demo.tsx, demos/ui) ----

const frameSel = (id: string) => `[data-demo="${id}"]`;

/**
 * Scrolls demo `id`'s frame into view. Not `locator.scrollIntoViewIfNeeded()`: the static frame is replaced by
 * the live one when its island mounts (components/Islands.tsx), and an element replaced during Playwright's
 * scroll action fails it with "Element is not attached to the DOM". The page scrolls to whichever frame is
 * there now; the live one takes the placeholder's place and size.
 */
export async function scrollToDemo(page: Page, id: string): Promise<Locator> {
  const sel = frameSel(id);
  await page.waitForSelector(sel, { state: 'attached' });
  await page.evaluate((s) => document.querySelector(s)?.scrollIntoView({ block: 'center' }), sel);
  return page.locator(sel);
}

/** Scrolls to demo `id` and waits until it shows its first result; throws with its message if it failed. */
export async function waitReady(page: Page, id: string, timeout = 60_000): Promise<Locator> {
  const frame = await scrollToDemo(page, id);
  await page.waitForSelector(`${frameSel(id)}[data-state="ready"], ${frameSel(id)}[data-state="error"]`, { timeout });
  if ((await frame.getAttribute('data-state')) === 'error') throw new Error(`demo ${id} failed: ${await frame.locator('.demo-error').textContent()}`);
  return frame;
}

/** Completed frames of demo `id` (steps, or predictions for an inference demo). */
export async function frames(page: Page, id: string): Promise<number> {
  return Number(await page.locator(`${frameSel(id)} [data-frames]`).first().getAttribute('data-frames'));
}

/** Waits until demo `id` has completed at least `n` frames. */
export async function framesAtLeast(page: Page, id: string, n: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    ([d, k]) => Number(document.querySelector(`[data-demo="${d}"] [data-frames]`)?.getAttribute('data-frames')) >= (k as number),
    [id, n] as const,
    { timeout },
  );
}

/**
 * Waits until no demo of the page has a step or read-back in flight (`__adl.inflight`, kept by the demo
 * kit; absent means none): a tensor count taken then is exact, not a race with a frame finishing.
 */
export async function settled(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => (window.__adl?.inflight ?? 0) === 0, undefined, { timeout });
}

/**
 * Mounts or unmounts every demo of the page through the frame's test hook; returns their ids. Unmounting
 * resolves once React has committed it (every frame shows its placeholder), so the views' cleanups have
 * queued their disposals and a following `settled` really waits for them.
 */
export async function setAllMounted(page: Page, on: boolean): Promise<string[]> {
  const ids = await page.evaluate((v) => {
    const ids = Object.keys(window.__adl?.setMounted ?? {});
    ids.forEach((d) => window.__adl!.setMounted[d](v));
    return ids;
  }, on);
  if (!on) await page.waitForFunction((n) => document.querySelectorAll('[data-unmounted]').length >= n, ids.length);
  return ids;
}

/** Every page of the built site: index.html files under out/, as routes. */
export function builtRoutes(): string[] {
  const routes: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        // bench-floor is the benchmark's empty reference page (app/bench-floor), not part of the site.
        if (!e.name.startsWith('_') && !['tfjs-wasm', 'data', 'models', '404', 'bench-floor'].includes(e.name)) walk(p);
      } else if (e.name === 'index.html') {
        routes.push('/' + path.relative(OUT, dir).split(path.sep).filter(Boolean).map((s) => s + '/').join(''));
      }
    }
  };
  walk(OUT);
  return routes.sort();
}

/** What a route is: the home page, a section's notes, its lecture view, a demo's embed, or another page. */
export type PageKind = 'home' | 'notes' | 'lecture' | 'embed' | 'other';
export function pageKind(route: string): PageKind {
  if (route === '/') return 'home';
  if (route.startsWith('/embed/')) return 'embed';
  if (route.startsWith('/lecture/')) return 'lecture';
  return /^\/[\w-]+\/[\w-]+\/$/.test(route) ? 'notes' : 'other';
}

/**
 * One page of each kind, the smallest (the cheapest to load and check), and every page of no common kind
 * (references): pages of one kind share their template, so what the template decides is tested once.
 */
export function representativeRoutes(routes = builtRoutes()): string[] {
  const size = (r: string) => fs.statSync(path.join(OUT, r, 'index.html')).size;
  const best = new Map<string, string>();
  for (const r of routes) {
    const k = pageKind(r) === 'other' ? r : pageKind(r);
    const cur = best.get(k);
    if (!cur || size(r) < size(cur)) best.set(k, r);
  }
  return routes.filter((r) => [...best.values()].includes(r));
}

export function shotPath(name: string): string {
  fs.mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, name.replace(/[^a-z0-9.-]+/gi, '_').replace(/^_+|_+$/g, '') + '.png');
}

/** Which page shows each demo: read from the content's <Demo id> tags. */
export function demoRoutes(): Record<string, string> {
  const map: Record<string, string> = {};
  const root = path.resolve('content');
  for (const part of fs.readdirSync(root, { withFileTypes: true })) {
    if (!part.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(root, part.name))) {
      if (!f.endsWith('.mdx')) continue;
      const src = fs.readFileSync(path.join(root, part.name, f), 'utf8');
      for (const m of src.matchAll(/<Demo\s+[^>]*id="([^"]+)"/g)) map[m[1]] ??= `/${part.name}/${f.replace(/\.mdx$/, '')}/`;
    }
  }
  return map;
}

/**
 * How far the page is wider than its viewport (px; ≤ 0 fits), with every notes part laid out and unclipped.
 * A part has `content-visibility: auto` (app/globals.css), which contains its paint: what is too wide
 * inside it is cut off instead of widening the page, so the page as served would always measure 0.
 * Works with JavaScript disabled too (the style is added from outside the page).
 */
export async function overflowX(page: Page): Promise<number> {
  return page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = '.notes-part { content-visibility: visible !important; contain: none !important; }';
    document.head.append(style);
    const { scrollWidth, clientWidth } = document.documentElement;
    style.remove();
    return scrollWidth - clientWidth;
  });
}

/**
 * Inline math whose following punctuation starts the next line (", where" at a line's start), as the formula's end
 * and a few characters after it; laid out with the notes' parts unclipped, as in {@link overflowX}.
 */
export async function punctuationAfterMathWrapped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = '.notes-part { content-visibility: visible !important; contain: none !important; }';
    document.head.append(style);
    const out: string[] = [];
    for (const k of document.querySelectorAll('.prose .katex')) {
      if (k.closest('.katex-display')) continue;
      // The punctuation after the formula: its next text, or, once glued, the glue's text after it.
      const t = k.nextSibling;
      if (!t || t.nodeType !== Node.TEXT_NODE || !/^[,.;:!?)]/.test(t.textContent ?? '')) continue;
      const range = document.createRange();
      range.setStart(t, 0);
      range.setEnd(t, 1);
      const rects = k.getClientRects();
      if (range.getBoundingClientRect().top > rects[rects.length - 1].bottom - 2) out.push(`${(k.textContent ?? '').slice(-20)}|${(t.textContent ?? '').slice(0, 8)}`);
    }
    style.remove();
    return out;
  });
}

/** The page's live tensor count (tfjs engine), read through the demo frame's test hook. */
export async function numTensors(page: Page): Promise<number> {
  return page.evaluate(() => (window.__adl?.tf as { memory(): { numTensors: number } }).memory().numTensors);
}

/** A worker demo's workers (registry `tensors: 'worker'`): how many run, and the tensor count its worker reported last. */
export async function workersOf(page: Page, id: string): Promise<{ live: number; tensors: number }> {
  return page.evaluate((d) => window.__adl?.workers[d] ?? { live: 0, tensors: 0 }, id);
}

/**
 * The JavaScript files a built page loads before any demo: every chunk its HTML names (on notes, home
 * and references pages that includes the scripts the site script loads only when a demo nears or search opens).
 */
export function initialScripts(route: string): string[] {
  const html = fs.readFileSync(path.join(OUT, route, 'index.html'), 'utf8');
  const next = [...html.matchAll(/\/_next\/static\/chunks\/[\w.-]+\.js/g)].map((m) => m[0]);
  // A site page's island client (scripts/islands.mjs names it in a meta tag), with the modules it imports statically.
  const todo = /<meta name="adl-scripts" content="([^"]+)"/.exec(html)?.[1].split(' ') ?? [];
  const modules = new Set<string>();
  while (todo.length) {
    const file = todo.pop()!;
    if (modules.has(file)) continue;
    modules.add(file);
    const src = fs.readFileSync(path.join(OUT, file), 'utf8');
    for (const m of src.matchAll(/(?:\bfrom|\bimport)\s*"(\.{1,2}\/[\w./-]+\.js)"/g)) todo.push(path.posix.join(path.posix.dirname(file), m[1]));
  }
  return [...new Set([...next, ...modules])];
}

/** True when a file is (part of) TensorFlow.js: kernel names no other code of ours contains. */
export function isTfjs(file: string): boolean {
  const src = fs.readFileSync(path.join(OUT, file), 'utf8');
  return src.includes('Conv2DBackpropFilter') && src.includes('BatchMatMul');
}

/**
 * Whether TensorFlow.js is on the page: its engine global (tfjs-core creates `_tfengine` when it is evaluated),
 * the frame's `__adl.tf` hook, and the tfjs chunks the page fetched (by its resource timing entries).
 */
export async function tfjsOnPage(page: Page): Promise<{ engine: boolean; hook: boolean; files: string[] }> {
  const { engine, hook, scripts } = await page.evaluate(() => ({
    engine: '_tfengine' in globalThis,
    hook: window.__adl?.tf !== undefined,
    scripts: performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => (p.startsWith('/_next/') || p.startsWith('/_islands/')) && p.endsWith('.js')),
  }));
  return { engine, hook, files: [...new Set(scripts)].filter((f) => isTfjs(f.slice(1))) };
}
