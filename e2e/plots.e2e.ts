import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { demoRoutes, openPage, scrollToDemo, startHarness, type Harness, type PageLog } from './harness';

// The plots (demos/ui/plots) in a real browser, on the optimizer race: its chart and contour appear at once (the
// race's start is its first result), so nothing waits for training. Once per kind of feature, not per demo; one
// page at device pixel ratio 2 shared by the tests that only look (each test leaves it in the light theme).
let h: Harness;
let page: Page;
let ctx: BrowserContext;
let log: PageLog;
let frame: Locator;

const route = `${demoRoutes().optimizers}?backend=wasm`;
const DEMO = '[data-demo="optimizers"]';

async function ready(p: Page): Promise<Locator> {
  const f = await scrollToDemo(p, 'optimizers');
  await p.waitForSelector(`${DEMO}[data-state="ready"]`, { timeout: 90_000 });
  await p.waitForSelector(`${DEMO} .chart canvas[role="img"]`);
  return f;
}

beforeAll(async () => {
  h = await startHarness();
  ({ page, ctx, log } = await openPage(h, route, { width: 1280, height: 900 }, { deviceScaleFactor: 2 }));
  frame = await ready(page);
});
afterAll(async () => {
  await ctx?.close();
  await h?.close();
});

/** A fingerprint of a canvas's pixels (changes when anything drawn changes). */
const pixels = (sel: string) => page.evaluate((s) => (document.querySelector(s) as HTMLCanvasElement).toDataURL(), sel);
const legendX = () => frame.locator('.chart .chart-x').textContent();
const setTheme = async (theme: 'light' | 'dark') => {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) await page.locator('.theme-toggle').click();
  // Chart and contour redraw in the commit that renders their data-theme (layout effects): the attribute means "redrawn".
  await page.waitForSelector(`${DEMO} .chart[data-theme="${theme}"]`);
  await page.waitForSelector(`${DEMO} .contour[data-theme="${theme}"]`);
};

describe('plots', () => {
  it('chart and contour are labelled images with HiDPI backing stores', async () => {
    expect(await frame.locator('.chart canvas[role="img"]').getAttribute('aria-label')).toBe('Loss per step of each optimizer');
    expect(await frame.locator('.contour canvas[role="img"]').getAttribute('aria-label')).toMatch(/^Contours of the .* surface/);
    const sizes = await page.evaluate((d) => [...document.querySelectorAll<HTMLCanvasElement>(`${d} .chart canvas, ${d} .contour canvas`)].map((c) => [c.width, c.getBoundingClientRect().width]), DEMO);
    expect(sizes.length).toBe(2);
    for (const [backing, css] of sizes) expect(Math.abs(backing - 2 * css)).toBeLessThanOrEqual(1);
  });

  it('legend: a value per series, the latest or the one under the cursor; stepping redraws the same uPlot', async () => {
    const chart = frame.locator('.chart');
    const keys = chart.locator('.chart-key');
    const n = await keys.count();
    expect(n).toBe(await frame.locator('table.stats tbody tr').count());
    for (const v of await keys.locator('output').allTextContents()) expect(v).toMatch(/\d/);

    await page.evaluate((d) => ((window as unknown as { __chart: Element }).__chart = document.querySelector(`${d} .chart canvas`)!), DEMO);
    const x0 = await legendX();
    await frame.locator('[data-action="step"]').click();
    await page.waitForFunction(([d, x]) => document.querySelector(`${d} .chart-x`)?.textContent !== x, [DEMO, x0]);
    const x1 = await legendX();
    expect(Number(x1!.replace(/\D/g, ''))).toBeGreaterThan(Number(x0!.replace(/\D/g, '')));
    expect(await page.evaluate((d) => (window as unknown as { __chart: Element }).__chart === document.querySelector(`${d} .chart canvas`), DEMO)).toBe(true);

    // Over the plot's left edge: the first point's x; off the plot: the latest again.
    const over = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(over.x + 1, over.y + over.height / 2);
    await page.waitForFunction((d) => document.querySelector(`${d} .chart-x`)?.textContent === 'step 0', DEMO);
    await page.mouse.move(0, 0);
    await page.waitForFunction(([d, x]) => document.querySelector(`${d} .chart-x`)?.textContent === x, [DEMO, x1]);

    await keys.first().click();
    expect(await keys.first().getAttribute('aria-pressed')).toBe('false');
    await keys.first().click();
    expect(await keys.first().getAttribute('aria-pressed')).toBe('true');
  });

  it('data table: a keyboard-reachable disclosure, a column per series, a row per point here (≤ 50)', async () => {
    const chart = frame.locator('.chart');
    const last = (await legendX())!.replace(/\D/g, ''); // the latest step: the race records one loss per step from 0
    await chart.locator('details.chart-data summary').focus();
    await page.keyboard.press('Enter');
    const table = chart.locator('details.chart-data table');
    await table.waitFor(); // rendered on the details' toggle event
    expect(await table.locator('thead th').count()).toBe((await chart.locator('.chart-key').count()) + 1);
    const rows = await table.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(1);
    expect(rows).toBe(Math.min(50, Number(last) + 1));
    expect((await table.locator('tbody tr:last-child th').textContent())!.replace(/\D/g, '')).toBe(last);
  });

  it('a theme switch redraws both canvases in the new colours, keeping the same chart', async () => {
    const chartSel = `${DEMO} .chart canvas`;
    const contourSel = `${DEMO} .contour canvas`;
    await page.evaluate((s) => ((window as unknown as { __chart: Element }).__chart = document.querySelector(s)!), chartSel);
    const before = [await pixels(chartSel), await pixels(contourSel)];
    await setTheme('dark');
    expect(await pixels(chartSel)).not.toBe(before[0]);
    expect(await pixels(contourSel)).not.toBe(before[1]);
    expect(await page.evaluate((s) => (window as unknown as { __chart: Element }).__chart === document.querySelector(s), chartSel)).toBe(true);
    await setTheme('light');
    expect(log.errors).toEqual([]);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`no serious or critical axe violation in the chart and the contour, ${theme}`, async () => {
      await setTheme(theme);
      // The plots only: the page around them is reader.e2e.ts's.
      const res = await new AxeBuilder({ page }).include(`${DEMO} .chart`).include(`${DEMO} .contour`).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((x) => x.target.join(' ')).join(' | ')}`)).toEqual([]);
      await setTheme('light');
    });
  }

  it('at 360 px the chart and the contour fit the screen', async () => {
    const small = await openPage(h, route, { width: 360, height: 740 });
    const f = await ready(small.page);
    const frameBox = (await f.boundingBox())!;
    for (const sel of ['.chart canvas', '.contour canvas']) {
      const box = (await f.locator(sel).first().boundingBox())!;
      expect(box.width).toBeGreaterThan(200);
      expect(box.x + box.width).toBeLessThanOrEqual(frameBox.x + frameBox.width);
    }
    expect(await small.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(small.log.errors).toEqual([]);
    await small.ctx.close();
  });
});
