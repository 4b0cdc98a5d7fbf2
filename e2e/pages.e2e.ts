import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { OUT, builtRoutes, initialScripts, isTfjs, newTab, pageKind, representativeRoutes, shotPath, startHarness, visit, waitReady, type Harness, type Tab } from './harness';

// One tab for every page (a warm HTTP cache; a fresh context would start the site's scripts cold each time).
let h: Harness;
let tab: Tab;
beforeAll(async () => {
  h = await startHarness();
  tab = await newTab(h);
});
afterAll(async () => {
  await tab?.ctx.close();
  await h?.close();
});

const routes = builtRoutes();
/** Whole-page screenshots (slow for long notes) of one page per kind; the others show their first screen. */
const fullShots = new Set(representativeRoutes(routes));
/**
 * Loaded here: every notes page (each has its own notes and demos), and one page of each other kind.
 * Not loaded here, because a test that loads them anyway checks the same: every embed (demo-suite.ts, once
 * per backend, with console errors, off-site and failed requests), and the other lecture views (they run
 * the lecture view's one script over the same notes, which reader.e2e.ts reads on every page without
 * JavaScript at 360 px).
 */
const covered = (r: string) => pageKind(r) === 'embed' || (pageKind(r) === 'lecture' && !fullShots.has(r));
const inBrowser = routes.filter((r) => !covered(r) || fullShots.has(r));

describe('every page', () => {
  it('the build has the home page and at least the three training sections', () => {
    expect(routes).toContain('/');
    for (const s of ['overview', 'optimizers', 'dropout']) expect(routes).toContain(`/training/${s}/`);
  });

  it('no page loads tfjs up front: it is fetched only as a demo nears the viewport', () => {
    // The lazy chunks exist, Next's (lecture views, embeds) and the island client's (site pages): else this test could not fail.
    for (const dir of ['_next/static/chunks', '_islands/c']) {
      const tf = fs.readdirSync(path.join(OUT, dir)).filter((f) => f.endsWith('.js') && isTfjs(`${dir}/${f}`));
      expect(tf.length, dir).toBeGreaterThan(0);
    }
    const sizes: string[] = [];
    for (const route of routes) {
      const scripts = initialScripts(route);
      expect(scripts.length).toBeGreaterThan(0);
      for (const s of scripts) expect(isTfjs(s), `${route} loads ${s}`).toBe(false);
      const bytes = scripts.reduce((n, s) => n + fs.statSync(path.join(OUT, s)).size, 0);
      sizes.push(`  ${route}: ${scripts.length} scripts, ${(bytes / 1024).toFixed(0)} KiB`);
    }
    console.log(`initial JavaScript per page (uncompressed):\n${sizes.join('\n')}`);
  });

  for (const route of inBrowser) {
    const kind = pageKind(route);
    it(`${route} (${kind}) renders with no errors and nothing off-site`, async () => {
      await visit(h, tab, route);
      const { page, log } = tab;
      if (kind === 'embed') {
        // One demo, no site chrome.
        expect(await page.locator('figure.demo[data-demo]').count()).toBe(1);
        expect(await page.locator('.site-header').count()).toBe(0);
      } else {
        const h1 = await page.locator('h1').first().textContent();
        expect(h1?.trim().length).toBeGreaterThan(0);
      }
      if (kind === 'notes' || kind === 'lecture') {
        // Math is KaTeX HTML from the build: present without any client-side rendering.
        expect(await page.locator('.prose .katex').count()).toBeGreaterThan(3);
        expect(await page.locator('.katex-error').count()).toBe(0);
        const headings = page.locator('.prose h2[id], .prose h3[id]');
        const n = await headings.count();
        expect(n).toBeGreaterThan(2);
        for (let i = 0; i < n; i++) {
          const id = await headings.nth(i).getAttribute('id');
          expect(await headings.nth(i).locator(`a.anchor[href="#${id}"]`).count()).toBe(1);
        }
        expect(await page.locator('.references li').count()).toBeGreaterThan(0);
      }
      if (kind === 'notes') {
        // Table of contents, previous/next navigation, and the lecture view link.
        expect(await page.locator('nav.toc a').count()).toBeGreaterThan(2);
        expect(await page.locator('nav.prev-next a').count()).toBeGreaterThan(0);
        expect(await page.locator(`a[href="/lecture${route}"]`).count()).toBe(1);
      }
      const full = kind !== 'embed' && fullShots.has(route);
      // The notes' parts are laid out only near the screen (globals.css): a whole-page capture shows them all first.
      if (full) await page.addStyleTag({ content: '.notes-part { content-visibility: visible !important; }' });
      await page.screenshot({ path: shotPath(`page${route}`), fullPage: full });
      expect(log.errors).toEqual([]);
      expect(log.offsite).toEqual([]);
      expect(log.failed).toEqual([]);
    });
  }
});

describe('notes pages: static notes, React only for the islands (scripts/islands.mjs)', () => {
  const notes = routes.filter((r) => pageKind(r) === 'notes');
  /** The page's inline scripts (the site script and the RSC payload), as one string. */
  const inline = (html: string) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');

  it('each notes page and lecture view carries its notes once, as HTML: none of its math or prose is in the RSC payload', () => {
    expect(notes.length).toBeGreaterThan(2);
    for (const route of [...notes, ...notes.map((r) => `/lecture${r}`)]) {
      const html = fs.readFileSync(path.join(OUT, route, 'index.html'), 'utf8');
      const article = /<article class="prose" data-notes="[^"]+">([\s\S]*?)<\/article>/.exec(html)?.[1] ?? '';
      expect(article.split('class="katex"').length - 1, route).toBeGreaterThan(0);
      expect(inline(html), route).not.toContain('katex');
      // A sentence of the notes (the longest run of plain text in a paragraph) occurs once in the page, not again in a payload.
      const paras = [...article.matchAll(/<p>[^]*?<\/p>/g)].flatMap((m) => m[0].match(/(?<=>)[^<>&]{60,}(?=[<&])/g) ?? []).sort((a, b) => b.length - a.length);
      expect(paras.length, route).toBeGreaterThan(0);
      expect(html.split(paras[0].slice(0, 60)).length - 1, route).toBe(1);
    }
  });

  it("notes, home and references pages name no script to run at load, only the island client, without Next's; lecture views and embeds keep Next's", () => {
    for (const route of routes) {
      const html = fs.readFileSync(path.join(OUT, route, 'index.html'), 'utf8');
      const loaded = [...html.matchAll(/<script\b(?![^>]*noModule)[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
      const deferred = /<meta name="adl-scripts" content="([^"]+)"/.exec(html)?.[1].split(' ') ?? [];
      if (['notes', 'home', 'other'].includes(pageKind(route))) {
        expect(loaded, route).toEqual([]);
        expect(deferred, route).toEqual([expect.stringMatching(/^\/_islands\/island-\w+\.js$/)]);
        for (const s of deferred) expect(fs.existsSync(path.join(OUT, s)), `${route}: ${s}`).toBe(true);
        // Nothing of Next's client: its runtime's chunk list and the RSC payload are gone with its scripts.
        expect(html, route).not.toMatch(/__next_f|TURBOPACK/);
      } else {
        expect(loaded.length, route).toBeGreaterThan(0);
        expect(deferred, route).toEqual([]);
      }
    }
  });

  it('a notes page loads no JavaScript file until its demo nears; then React mounts the demo and leaves the notes as they were', async () => {
    const route = notes.find((r) => r.endsWith('/optimizers/')) ?? notes[0];
    const scripts: string[] = [];
    const onRequest = (r: { url(): string }) => /\.m?js(\?|$)/.test(r.url()) && scripts.push(r.url());
    tab.page.on('request', onRequest);
    try {
      await visit(h, tab, `${route}?backend=wasm`);
      await tab.page.waitForLoadState('networkidle');
      expect(scripts).toEqual([]);
      const before = await tab.page.locator('.prose').evaluate((el) => ({ katex: el.querySelectorAll('.katex').length, text: el.textContent?.length ?? 0 }));
      const id = await tab.page.locator('[data-island="demo"]').first().getAttribute('data-id');
      expect(id).toBeTruthy();
      // "Copy link" works before the island mounts: the site script copies the page's address with the demo's anchor.
      // The system clipboard answers only the focused page, and the run's test files share one browser: what the
      // script hands to navigator.clipboard.writeText is recorded instead (the one stand-in in this file).
      await tab.page.evaluate(() => {
        const w = window as unknown as { __copied: string[] };
        w.__copied = [];
        Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: (t: string) => (w.__copied.push(t), Promise.resolve()) } });
      });
      // A click event without scrolling there first: the island stays static (scrolling would mount it).
      await tab.page.locator(`[data-island="demo"] [data-demo="${id}"] [data-action="copy-link"][data-static]`).dispatchEvent('click');
      await tab.page.locator('.toast', { hasText: 'Link to this demo copied' }).waitFor();
      expect(await tab.page.evaluate(() => (window as unknown as { __copied: string[] }).__copied)).toEqual([`${h.url}${route}?backend=wasm#demo-${id}`]);
      await waitReady(tab.page, id!);
      expect(scripts.length).toBeGreaterThan(0);
      expect(await tab.page.locator('.prose').evaluate((el) => el.querySelectorAll('.katex').length)).toBe(before.katex);
      expect(await tab.page.locator(`[data-island="demo"] figure.demo[data-demo="${id}"]`).count()).toBe(1);
      expect(tab.log.errors).toEqual([]);
    } finally {
      tab.page.off('request', onRequest);
    }
  });
});
