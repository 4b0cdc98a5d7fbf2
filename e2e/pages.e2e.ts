import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { OUT, builtRoutes, initialScripts, isTfjs, newTab, pageKind, representativeRoutes, shotPath, startHarness, visit, type Harness, type Tab } from './harness';

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
    const tf = fs.readdirSync(path.join(OUT, '_next/static/chunks')).filter((f) => f.endsWith('.js') && isTfjs(`_next/static/chunks/${f}`));
    expect(tf.length).toBeGreaterThan(0); // the lazy chunk exists (else this test could not fail)
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
      await page.screenshot({ path: shotPath(`page${route}`), fullPage: kind !== 'embed' && fullShots.has(route) });
      expect(log.errors).toEqual([]);
      expect(log.offsite).toEqual([]);
      expect(log.failed).toEqual([]);
    });
  }
});
