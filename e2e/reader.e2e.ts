import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import { demos } from '../demos/registry';
import { builtRoutes, demoRoutes, openPage, shotPath, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const routes = builtRoutes();
const demoPages = demoRoutes();

describe('demo state in the URL', () => {
  for (const id of Object.keys(demos)) {
    it(`${id}: a changed control is written to the URL, and opening that URL restores it`, async () => {
      const { page, ctx, log } = await openPage(h, `${demoPages[id]}?backend=cpu`);
      const frame = page.locator(`[data-demo="${id}"]`);
      await frame.scrollIntoViewIfNeeded();
      await page.waitForSelector(`[data-demo="${id}"][data-state="ready"]`, { timeout: 90_000 });
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
      expect(url.searchParams.get('backend')).toBe('cpu'); // other keys are kept

      const again = await openPage(h, url.pathname + url.search);
      const f2 = again.page.locator(`[data-demo="${id}"]`);
      await f2.scrollIntoViewIfNeeded();
      await again.page.waitForSelector(`[data-demo="${id}"][data-state="ready"]`, { timeout: 90_000 });
      expect(await f2.locator(`[name="${name}"]`).inputValue()).toBe(value);
      expect(await f2.locator('.demo-notes').count()).toBe(0);
      expect([...log.errors, ...again.log.errors]).toEqual([]);
      await again.ctx.close();

      // A malformed and an out-of-range value: clamped or reset, said inside the frame, no crash.
      for (const [bad, message] of [
        ['abc', /is not a number|not one of|default/],
        ['1e9', kind === 'select' ? /not one of/ : /above the maximum/],
      ] as const) {
        const b = await openPage(h, `${url.pathname}?backend=cpu&${name}=${bad}`);
        const f3 = b.page.locator(`[data-demo="${id}"]`);
        await f3.scrollIntoViewIfNeeded();
        await b.page.waitForSelector(`[data-demo="${id}"][data-state="ready"]`, { timeout: 90_000 });
        const notes = await f3.locator('.demo-notes').textContent();
        expect(notes).toContain(name!);
        expect(notes).toMatch(message);
        if (bad === 'abc') await b.page.screenshot({ path: shotPath(`bad-url-${id}`), clip: (await f3.boundingBox()) ?? undefined });
        expect(b.log.errors).toEqual([]);
        await b.ctx.close();
      }
      await ctx.close();
    });
  }
  it('an unknown ?backend= is reported and a backend is chosen anyway', async () => {
    const { page, ctx } = await openPage(h, `${demoPages.optimizers}?backend=tpu`);
    const frame = page.locator('[data-demo="optimizers"]');
    await frame.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-demo="optimizers"][data-state="ready"]', { timeout: 90_000 });
    expect(await frame.locator('.demo-notes').textContent()).toMatch(/backend="tpu" is not one of webgl, wasm, cpu/);
    expect(['webgl', 'wasm', 'cpu']).toContain((await frame.locator('.badge').textContent())?.trim());
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

describe('accessibility, mobile and no-JavaScript reading', () => {
  for (const route of routes) {
    it(`${route}: no serious or critical axe violation in either theme`, async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        const { page, ctx } = await openPage(h, route, undefined, { colorScheme });
        await page.waitForLoadState('networkidle');
        const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
        const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), `${route} ${colorScheme}`).toEqual([]);
        await ctx.close();
      }
    });
    it(`${route}: fits a 360 px wide screen without horizontal scrolling`, async () => {
      const { page, ctx } = await openPage(h, route, { width: 360, height: 740 });
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: shotPath(`mobile${route}`) });
      await ctx.close();
    });
  }
  for (const route of routes.filter((r) => demoPages.overview === r || demoPages.optimizers === r || demoPages.dropout === r)) {
    it(`${route}: with JavaScript off, the notes, math, navigation and references are all there`, async () => {
      const { page, ctx } = await openPage(h, route, undefined, { javaScriptEnabled: false });
      expect(await page.locator('.prose .katex').count()).toBeGreaterThan(10);
      expect(await page.locator('nav.sidebar a').count()).toBeGreaterThan(2);
      expect(await page.locator('nav.toc a').count()).toBeGreaterThan(3);
      expect(await page.locator('.references li').count()).toBeGreaterThan(2);
      expect(await page.locator('.prose p').count()).toBeGreaterThan(10);
      await ctx.close();
    });
  }
});
