import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { demos } from '../demos/registry';
import { builtRoutes, demoRoutes, newTab, openPage, shotPath, startHarness, visit, waitReady, type Harness, type Tab } from './harness';

// What a reader meets on every page: demo state in the URL, dark mode, accessibility, phones, no-JS reading.
// Features shared by every demo (URL state) are tested once here: each demo's parameter tables are
// tested in Node (demos/params.test.ts). Pages are visited in a few reused tabs, one per setting.
let h: Harness;
const tabs: Tab[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const t of tabs) await t.ctx.close();
  await h?.close();
});

/** A tab reused for every page of one setting (viewport, theme, JavaScript). */
function reusedTab(viewport: { width: number; height: number } | undefined, options: BrowserContextOptions): () => Promise<Tab> {
  let tab: Promise<Tab> | undefined;
  return () => {
    tab ??= newTab(h, viewport, options).then((t) => (tabs.push(t), t));
    return tab;
  };
}

const routes = builtRoutes();
const demoPages = demoRoutes();

describe('demo state in the URL', () => {
  // The same hook (useDemoParams) serves every demo: its page side once, on the first registered demo.
  const id = Object.keys(demos)[0];
  it(`${id}: a changed control is written to the URL, and opening that URL restores it`, async () => {
    const tab = await openPage(h, `${demoPages[id]}?backend=wasm`);
    const { page, ctx, log } = tab;
    const frame = await waitReady(page, id);
    // The demo's first generated control, whatever its kind, changed the way a reader would.
    const control = frame.locator('select[name], input[name]:not([type="radio"]):not([type="file"]):not([type="checkbox"])').first();
    const name = await control.getAttribute('name');
    expect(name).toBeTruthy();
    const before = await control.inputValue();
    const kind = await control.evaluate((el) => (el instanceof HTMLSelectElement ? 'select' : (el as HTMLInputElement).type));
    if (kind === 'range') {
      await control.focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    } else if (kind === 'select') {
      const options = await control.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      await control.selectOption(options.find((o) => o !== before)!);
    } else {
      await control.fill(String(Number(before) + 1));
    }
    await page.waitForFunction((k) => new URLSearchParams(location.search).has(k), name!);
    const url = new URL(page.url());
    const value = await control.inputValue();
    expect(value).not.toBe(before);
    expect(url.searchParams.get('backend')).toBe('wasm'); // other keys are kept
    expect(log.errors).toEqual([]);

    await visit(h, tab, url.pathname + url.search);
    const again = await waitReady(page, id);
    expect(await again.locator(`[name="${name}"]`).inputValue()).toBe(value);
    expect(await again.locator('.demo-notes').count()).toBe(0);
    expect(log.errors).toEqual([]);
    await ctx.close();
  });
});

describe('dark mode', () => {
  it('follows the system before first paint, toggles, and remembers the choice', async () => {
    const { page, ctx } = await openPage(h, '/training/dropout/', undefined, { colorScheme: 'dark' });
    // The inline head script has run by DOMContentLoaded, before any paint: no light flash.
    await page.goto(`${h.url}/training/optimizers/`, { waitUntil: 'domcontentloaded' });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(18, 22, 28)');
    await page.waitForLoadState('load');
    await page.locator('.theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.reload({ waitUntil: 'domcontentloaded' });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await ctx.close();
  });
});

/** Serious and critical axe violations of the page as it is now. */
async function axe(page: Page): Promise<string[]> {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

describe('accessibility, mobile and no-JavaScript reading', () => {
  // Every page twice: axe on the desktop layout in the light theme, and at 360 px in the dark theme (the
  // phone layout shows and hides other parts), where it must also fit without horizontal scrolling.
  const desktop = reusedTab(undefined, { colorScheme: 'light' });
  const phone = reusedTab({ width: 360, height: 740 }, { colorScheme: 'dark' });
  const noJs = reusedTab(undefined, { javaScriptEnabled: false });
  for (const route of routes) {
    it(`${route}: no serious or critical axe violation (desktop, light theme)`, async () => {
      const tab = await desktop();
      await visit(h, tab, route);
      expect(await axe(tab.page), route).toEqual([]);
      expect(tab.log.errors).toEqual([]);
    });
    it(`${route}: fits a 360 px wide screen without horizontal scrolling; no axe violation (dark theme)`, async () => {
      const tab = await phone();
      await visit(h, tab, route);
      await tab.page.evaluate(() => document.fonts.ready);
      const overflow = await tab.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await tab.page.screenshot({ path: shotPath(`mobile${route}`) });
      expect(await axe(tab.page), route).toEqual([]);
      expect(tab.log.errors).toEqual([]);
    });
  }
  for (const route of routes.filter((r) => Object.values(demoPages).includes(r))) {
    it(`${route}: with JavaScript off, the notes, math, navigation and references are all there`, async () => {
      const { page } = await noJs();
      await page.goto(h.url + route);
      expect(await page.locator('.prose .katex').count()).toBeGreaterThan(10);
      expect(await page.locator('nav.sidebar a').count()).toBeGreaterThan(2);
      expect(await page.locator('nav.toc a').count()).toBeGreaterThan(3);
      expect(await page.locator('.references li').count()).toBeGreaterThan(2);
      expect(await page.locator('.prose p').count()).toBeGreaterThan(10);
    });
  }
});
