import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, shotPath, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

// Each demo on its embed route (alone, no site chrome, a link back to its section) on every backend: demo-suite.ts.

describe('lecture view', () => {
  it('steps through headings and demos with the arrow keys, in large type, without the site chrome', async () => {
    const { page, ctx, log } = await openPage(h, '/lecture/training/optimizers/', { width: 1280, height: 800 });
    await page.emulateMedia({ reducedMotion: 'reduce' }); // jumps instead of smooth scrolling
    expect(await page.locator('.site-header, .sidebar').count()).toBe(0);
    const size = await page.locator('.prose p').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(22);
    const ids = await page.locator('.prose h2').evaluateAll((els) => els.map((e) => e.id));
    await page.keyboard.press('ArrowRight'); // h1 → first h2
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.location.hash.length > 1);
    await page.waitForTimeout(300);
    const hash = await page.evaluate(() => window.location.hash.slice(1));
    expect(hash.length).toBeGreaterThan(0);
    const top = await page.locator(`[id="${hash}"]`).evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(top)).toBeLessThan(80);
    await page.keyboard.press('End');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(2000);
    await page.keyboard.press('Home');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.scrollY)).toBeLessThan(100);
    expect(ids.length).toBeGreaterThan(3);
    await page.screenshot({ path: shotPath('lecture-optimizers') });
    expect(log.errors).toEqual([]);
    await ctx.close();
  });
});
