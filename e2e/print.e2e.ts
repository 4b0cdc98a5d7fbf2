import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, scrollToDemo, shotPath, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const ROUTE = '/training/overview/';
/** An A4 sheet at 96 dpi less 15 mm margins: the width the notes are laid out at on paper. */
const PAPER = { width: 680, height: 1000 };

/** Bring every demo of the page to life (they load near the viewport), then go back to the top. */
async function wakeDemos(page: Page) {
  const ids = await page.locator('[data-demo]').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-demo')!));
  for (const id of ids) {
    await scrollToDemo(page, id);
    await page.waitForSelector(`[data-demo="${id}"][data-state="ready"], [data-demo="${id}"][data-state="error"]`, { timeout: 90_000 });
  }
  const pause = page.locator('[data-demo] [data-action="pause"]');
  for (let i = 0; i < (await pause.count()); i++) await pause.nth(i).click();
  await page.evaluate(() => window.scrollTo(0, 0));
  return ids;
}

const visible = (page: Page, sel: string) =>
  page.locator(sel).evaluateAll((els) =>
    els.filter((e) => {
      const r = e.getBoundingClientRect();
      return getComputedStyle(e).visibility !== 'hidden' && r.width > 0 && r.height > 0;
    }).length,
  );

for (const scheme of ['light', 'dark'] as const) {
  describe(`print (${scheme} theme)`, () => {
    it('hides navigation, search and demo controls; keeps math and plots; black on white', async () => {
      const { page, ctx, log } = await openPage(h, ROUTE, undefined, { colorScheme: scheme });
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
      await wakeDemos(page);
      // On screen, the things print must hide are there (else the checks below prove nothing).
      for (const sel of ['nav.sidebar', 'nav.toc', '.header-tools', '[data-demo] button', '[data-demo] input, [data-demo] select']) {
        expect(await visible(page, sel), `screen: ${sel}`).toBeGreaterThan(0);
      }
      const plotsOnScreen = await visible(page, '[data-demo] canvas, [data-demo] svg');

      await page.setViewportSize(PAPER);
      await page.emulateMedia({ media: 'print' });
      for (const sel of ['nav.sidebar', 'nav.toc', '.header-tools', '[data-demo] button:not(.chart-key)', '[data-demo] input, [data-demo] select', 'a.anchor']) {
        expect(await visible(page, sel), `print: ${sel}`).toBe(0);
      }
      // A chart's legend keys are buttons on screen, and the plot's legend on paper.
      expect(await visible(page, '[data-demo] .chart-key')).toBeGreaterThan(0);
      expect(await visible(page, '.katex')).toBeGreaterThan(3);
      expect(await visible(page, '.katex-display')).toBeGreaterThan(0);
      expect(plotsOnScreen).toBeGreaterThan(0);
      expect(await visible(page, '[data-demo] canvas, [data-demo] svg')).toBeGreaterThanOrEqual(plotsOnScreen);
      const colors = await page.evaluate(() => {
        const c = (el: Element) => getComputedStyle(el);
        const p = document.querySelector('.prose p')!;
        return { bg: c(document.body).backgroundColor, fg: c(p).color, katex: c(document.querySelector('.katex')!).color };
      });
      expect(colors).toEqual({ bg: 'rgb(255, 255, 255)', fg: 'rgb(0, 0, 0)', katex: 'rgb(0, 0, 0)' });
      // Notes use the full width of the paper.
      const w = await page.evaluate(() => document.querySelector('main')!.getBoundingClientRect().width / document.documentElement.clientWidth);
      expect(w).toBeGreaterThan(0.9);

      // The first screen: a whole-page capture rasterised the whole tall page (seconds under load); the PDF below has it all.
      await page.screenshot({ path: shotPath(`print-${scheme}`) });
      const demo = page.locator('[data-demo]').first();
      await demo.scrollIntoViewIfNeeded();
      await page.screenshot({ path: shotPath(`print-${scheme}-demo`), clip: (await demo.boundingBox()) ?? undefined });

      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(50_000);
      console.log(`print ${scheme}: ${ROUTE} → PDF ${(pdf.length / 1024).toFixed(0)} KiB`);
      expect(log.errors).toEqual([]);
      await ctx.close();
    });
  });
}
