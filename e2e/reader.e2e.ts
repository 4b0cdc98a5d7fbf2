import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { demos } from '../demos/registry';
import fs from 'node:fs';
import path from 'node:path';
import { builtRoutes, framesAtLeast, newTab, OUT, openPage, overflowX, pageKind, punctuationAfterMathWrapped, representativeRoutes, shotPath, startHarness, visit, waitReady, type Harness, type Tab } from './harness';

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

describe('demo state in the URL', () => {
  // The same hook (useDemoParams) serves every demo: its page side once, on the first registered demo.
  const id = Object.keys(demos)[0];
  it(`${id}: a changed control is written to the URL, and opening that URL restores it`, async () => {
    const tab = await openPage(h, `/embed/${id}/?backend=wasm`, undefined, { reducedMotion: 'reduce' });
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

describe('a parameter changed during play', () => {
  // The kit (useSimulation) re-creates the model; the loop must carry on with the new one. It once stopped,
  // with the transport still showing Pause, when a frame of the old model was in flight.
  const id = 'schedules';
  it(`${id}: restarts the run from step 0 and keeps playing`, async () => {
    // Without reduced motion the demo plays by itself, and a restart keeps it playing.
    const tab = await openPage(h, `/embed/${id}/?backend=wasm`);
    const { page, ctx, log } = tab;
    const frame = await waitReady(page, id);
    await framesAtLeast(page, id, 3);
    // Record the smallest frame count from now on: the restart sets it back to 0.
    await page.evaluate((d) => {
      const el = document.querySelector(`[data-demo="${d}"] [data-frames]`)!;
      const w = window as unknown as { __minFrames: number };
      w.__minFrames = Number(el.getAttribute('data-frames'));
      new MutationObserver(() => (w.__minFrames = Math.min(w.__minFrames, Number(el.getAttribute('data-frames'))))).observe(el, { attributes: true });
    }, id);
    const seed = frame.locator('input[name="seed"]');
    await seed.focus();
    await page.keyboard.press('ArrowRight'); // a new seed: a new model, mid-run
    await page.waitForFunction(() => new URLSearchParams(location.search).get('seed') === '2');
    await page.waitForFunction(
      (d) => {
        const now = Number(document.querySelector(`[data-demo="${d}"] [data-frames]`)?.getAttribute('data-frames'));
        const min = (window as unknown as { __minFrames: number }).__minFrames;
        return min === 0 && now >= 3;
      },
      id,
      { timeout: 30_000 },
    );
    expect(await frame.locator('[data-running]').getAttribute('data-running')).toBe('1');
    expect(log.errors).toEqual([]);
    await ctx.close();
  });
});

describe('dark mode', () => {
  it('follows the system before first paint, toggles, and remembers the choice', async () => {
    const { page, ctx } = await openPage(h, '/references/', undefined, { colorScheme: 'dark' });
    // The inline head script has run by DOMContentLoaded, before any paint: no light flash.
    await page.goto(`${h.url}/`, { waitUntil: 'domcontentloaded' });
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

/**
 * What a page's content (its MDX, not its template) can get wrong for a screen reader, read from the built
 * HTML: the language, a title, one h1 (an embed, a figure for slides, has none), no skipped heading level,
 * images with alt text, links with a name, tables with headers, unique ids. Cheap enough for every page;
 * axe runs on one page per kind.
 */
function markupProblems(html: string, h1 = true): string[] {
  const text = (s: string) => s.replace(/<[^>]*>/g, '').replace(/&[#\w]+;/g, 'x').trim();
  const body = html.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, '');
  const problems: string[] = [];
  if (!/<html[^>]*\slang="[a-z]{2}/i.test(body)) problems.push('no <html lang>');
  if (!text(/<title>([\s\S]*?)<\/title>/i.exec(body)?.[1] ?? '')) problems.push('no <title>');
  const levels = [...body.matchAll(/<h([1-6])\b/gi)].map((m) => Number(m[1]));
  if (levels.filter((l) => l === 1).length !== (h1 ? 1 : 0)) problems.push(`${levels.filter((l) => l === 1).length} <h1>`);
  levels.forEach((l, i) => i > 0 && l > levels[i - 1] + 1 && problems.push(`h${levels[i - 1]} → h${l}`));
  for (const m of body.matchAll(/<img\b[^>]*>/gi)) if (!/\salt="/i.test(m[0])) problems.push(`image without alt: ${m[0].slice(0, 80)}`);
  for (const m of body.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)) {
    if (!text(m[2]) && !/aria-label(ledby)?="[^"]+"|title="[^"]+"/.test(m[1] + m[2])) problems.push(`link without a name: ${m[0].slice(0, 80)}`);
  }
  for (const m of body.matchAll(/<table\b[\s\S]*?<\/table>/gi)) if (!/<th\b/i.test(m[0])) problems.push('table without headers');
  const ids = [...body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  for (const id of new Set(ids.filter((x, i) => ids.indexOf(x) !== i))) problems.push(`duplicate id "${id}"`);
  return problems;
}

describe('accessibility, mobile and no-JavaScript reading', () => {
  it('every page: language, title, headings, alt text, link names, table headers, unique ids (from out/)', () => {
    expect(routes.length).toBeGreaterThan(3);
    for (const route of routes) {
      expect(markupProblems(fs.readFileSync(path.join(OUT, route, 'index.html'), 'utf8'), pageKind(route) !== 'embed'), route).toEqual([]);
    }
    // The checker notices what it looks for.
    const bad = '<html><head><title>t</title></head><body><h1>a</h1><h3>b</h3><img src="x.png"><a href="/"></a><table><tr><td>1</td></tr></table><p id="d"></p><p id="d"></p></body></html>';
    expect(markupProblems(bad)).toEqual(['no <html lang>', 'h1 → h3', 'image without alt: <img src="x.png">', 'link without a name: <a href="/"></a>', 'table without headers', 'duplicate id "d"']);
  });

  // Every page without JavaScript (its notes as served, with no hydration to wait for): at 360 px it fits
  // without horizontal scrolling, and a notes page has its notes, math, navigation and references, and no line
  // that starts with punctuation torn from its formula.
  const noJs = reusedTab({ width: 360, height: 740 }, { javaScriptEnabled: false });
  for (const route of routes) {
    it(`${route}: fits a 360 px wide screen without JavaScript${['notes', 'lecture'].includes(pageKind(route)) ? '; the notes, math and references are all there' : ''}`, async () => {
      const tab = await noJs();
      await visit(h, tab, route);
      const overflow = await overflowX(tab.page);
      expect(overflow).toBeLessThanOrEqual(0);
      const { page } = tab;
      if (pageKind(route) === 'notes' || pageKind(route) === 'lecture') {
        expect(await page.locator('.prose .katex').count()).toBeGreaterThan(0);
        expect(await page.locator('.references li').count()).toBeGreaterThan(0);
        expect(await page.locator('.prose p').count()).toBeGreaterThan(10);
        // No line starts with the comma or full stop of the formula before it (lib/rehype-math-punctuation.ts).
        expect(await punctuationAfterMathWrapped(page)).toEqual([]);
      }
      if (pageKind(route) === 'notes') {
        expect(await page.locator('nav.sidebar a').count()).toBeGreaterThan(2);
        expect(await page.locator('nav.toc a').count()).toBeGreaterThan(3);
      }
    });
  }

  // One page of each kind, hydrated, its demos loading: axe in both themes, and 360 px wide.
  const light = reusedTab(undefined, { colorScheme: 'light', reducedMotion: 'reduce' });
  const dark = reusedTab(undefined, { colorScheme: 'dark', reducedMotion: 'reduce' });
  const phone = reusedTab({ width: 360, height: 740 }, { reducedMotion: 'reduce' });
  for (const route of representativeRoutes(routes)) {
    for (const [theme, tabOf] of [
      ['light', light],
      ['dark', dark],
    ] as const) {
      it(`${route} (${pageKind(route)}): no serious or critical axe violation in the ${theme} theme`, async ({ task }) => {
        task.meta.demos = []; // once per kind of page, however many demos there are
        const tab = await tabOf();
        await visit(h, tab, route);
        expect(await tab.page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        expect(await axe(tab.page)).toEqual([]);
        expect(tab.log.errors).toEqual([]);
      });
    }
    it(`${route} (${pageKind(route)}): with JavaScript, fits a 360 px wide screen`, async ({ task }) => {
      task.meta.demos = [];
      const tab = await phone();
      await visit(h, tab, route);
      await tab.page.evaluate(() => document.fonts.ready);
      const overflow = await overflowX(tab.page);
      expect(overflow).toBeLessThanOrEqual(0);
      await tab.page.screenshot({ path: shotPath(`mobile${route}`) });
      expect(tab.log.errors).toEqual([]);
    });
  }
});
