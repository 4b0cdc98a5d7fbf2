import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { OUT, openPage, shotPath, startHarness, type Harness } from './harness';

// Served with the site's Content-Security-Policy: search must work without 'unsafe-eval'.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ headers: true });
});
afterAll(async () => h?.close());

/** A word of the optimizers notes that no other section uses (checked below against the sources). */
const WORD = 'Adadelta';
const TARGET = '/training/optimizers/';

/** The keyboard shortcuts work once the page is hydrated: the button says so. */
async function keysReady(page: Page) {
  await page.locator('.search-button[data-ready]').waitFor();
}

async function waitHits(page: Page) {
  await page.waitForFunction(() => document.querySelectorAll('.search-hit').length > 0 || /No results/.test(document.querySelector('.search-status')?.textContent ?? ''), undefined, { timeout: 30_000 });
  return page.locator('.search-hit a');
}

describe('search', () => {
  it('the index was built from the notes only, and the word under test occurs in one section only', () => {
    expect(fs.existsSync(path.join(OUT, 'pagefind/pagefind.js'))).toBe(true);
    const dir = path.resolve('content/training');
    const users = fs.readdirSync(dir).filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(WORD));
    expect(users).toEqual(['optimizers.mdx']);
  });

  it('"/" opens an accessible dialog; pagefind loads only then; the word finds its section; arrows move; Escape closes', async () => {
    const { page, ctx, log } = await openPage(h, '/training/overview/');
    const loaded: string[] = [];
    page.on('request', (r) => r.url().includes('/pagefind/') && loaded.push(r.url()));
    await keysReady(page);
    await page.waitForTimeout(300);
    expect(loaded).toEqual([]);
    expect(await page.locator('[role="dialog"]').count()).toBe(0);

    await page.keyboard.press('/');
    const dialog = page.locator('[role="dialog"]');
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    const labelledBy = await dialog.getAttribute('aria-labelledby');
    expect(await page.locator(`[id="${labelledBy}"]`).textContent()).toMatch(/search/i);
    const input = page.getByRole('combobox', { name: /search the notes/i });
    await page.waitForFunction(() => document.activeElement?.classList.contains('search-input'));
    await input.fill(WORD);
    const links = await waitHits(page);
    expect(loaded.some((u) => u.endsWith('/pagefind/pagefind.js'))).toBe(true);
    const n = await links.count();
    expect(n).toBeGreaterThan(0);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs) expect(href.startsWith(TARGET)).toBe(true);
    expect(hrefs.some((u) => /#[\w-]+$/.test(u))).toBe(true); // at least one hit leads to a heading
    expect(await page.locator('.search-hit mark').first().textContent()).toMatch(new RegExp(WORD, 'i'));
    await page.screenshot({ path: shotPath('search-dialog-light') });

    // Arrows move the active option (and the combobox points at it); they wrap around.
    const activeId = () => input.getAttribute('aria-activedescendant');
    const first = await activeId();
    expect(await page.locator(`[id="${first}"]`).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    if (n > 1) expect(await activeId()).not.toBe(first);
    await page.keyboard.press('ArrowUp');
    expect(await activeId()).toBe(first);
    await page.keyboard.press('ArrowUp');
    expect(await page.locator(`[id="${await activeId()}"]`).getAttribute('data-index')).toBe(String(n - 1));

    // Tab never leaves the dialog.
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // The page is interactive again (nothing left inert).
    expect(await page.evaluate(() => [...document.body.children].some((e) => (e as HTMLElement).inert))).toBe(false);
    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
    await ctx.close();
  });

  it('the header button opens it, Escape returns focus to the button; Enter opens the hit at its heading', async () => {
    const { page, ctx, log } = await openPage(h, '/');
    const button = page.locator('.header-tools .search-button');
    await keysReady(page);
    await button.click();
    await page.locator('[role="dialog"]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('search-button'))).toBe(true);

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox').fill(WORD);
    const links = await waitHits(page);
    const href = await links.first().getAttribute('href');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname + u.hash === href, { timeout: 15_000 });
    expect(await page.locator('[role="dialog"]').count()).toBe(0);
    const hash = new URL(page.url()).hash.slice(1);
    if (hash) {
      // The heading exists and was scrolled into view.
      await page.waitForFunction((id) => {
        const r = document.getElementById(id)?.getBoundingClientRect();
        return !!r && r.top >= -2 && r.top < window.innerHeight;
      }, hash, { timeout: 10_000 });
    }
    expect(await page.locator('h1').textContent()).toMatch(/optimizers/i);
    expect(log.errors).toEqual([]);
    await ctx.close();
  });

  it('looks right in the dark theme', async () => {
    const { page, ctx } = await openPage(h, '/training/dropout/', undefined, { colorScheme: 'dark' });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await keysReady(page);
    await page.keyboard.press('/');
    await page.getByRole('combobox').fill('momentum');
    await waitHits(page);
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: shotPath('search-dialog-dark') });
    await ctx.close();
  });
});
