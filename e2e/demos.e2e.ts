import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demos } from '../demos/registry';
import { demoRoutes, numTensors, openPage, shotPath, startHarness, type Harness } from './harness';

let h: Harness;
let webgl2 = false;
beforeAll(async () => {
  h = await startHarness();
  const { page, ctx } = await openPage(h, '/');
  webgl2 = await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
  await ctx.close();
  console.log(`headless Chromium WebGL 2: ${webgl2 ? 'yes (SwiftShader)' : 'no'}`);
});
afterAll(async () => h?.close());

const routes = demoRoutes();
const timings: string[] = [];
afterAll(() => console.log(`demo start (viewport → first result):\n${timings.join('\n')}`));

async function waitReady(page: Page, id: string) {
  const frame = page.locator(`[data-demo="${id}"]`);
  await frame.scrollIntoViewIfNeeded();
  await page.waitForSelector(`[data-demo="${id}"][data-state="ready"], [data-demo="${id}"][data-state="error"]`, { timeout: 90_000 });
  const state = await frame.getAttribute('data-state');
  if (state === 'error') throw new Error(`demo ${id} failed: ${await frame.locator('.demo-error').textContent()}`);
  return frame;
}

async function frames(page: Page, id: string): Promise<number> {
  return Number(await page.locator(`[data-demo="${id}"] [data-frames]`).first().getAttribute('data-frames'));
}

describe('every registered demo', () => {
  for (const [id, entry] of Object.entries(demos)) {
    for (const backend of entry.backends) {
      it(`${id} on ${backend}: mounts, shows its first result, steps and unmounts without leaking tensors`, async () => {
        const route = routes[id];
        expect(route, `no page uses demo ${id}`).toBeTruthy();
        const { page, ctx, log } = await openPage(h, `${route}?backend=${backend}`);
        const frame = await waitReady(page, id);
        const badge = (await frame.locator('.badge').textContent())?.trim();
        if (backend === 'webgl' && !webgl2) {
          // No WebGL here: the demo must fall back and say so inside its frame.
          expect(badge).not.toBe('webgl');
          expect(await frame.locator('.demo-notes').textContent()).toMatch(/webgl/i);
        } else {
          expect(badge).toBe(backend);
        }
        const t = await page.evaluate((d) => (window.__adl!.readyAt[d] ?? NaN) - (window.__adl!.visibleAt[d] ?? NaN), id);
        timings.push(`  ${id} ${backend}: ${t.toFixed(0)} ms`);

        // Pause whatever autoplays, then step by hand: the tensor count must not grow.
        const pause = frame.locator('[data-action="pause"]');
        if (await pause.count()) await pause.click();
        await page.waitForSelector(`[data-demo="${id}"] [data-running="0"]`);
        // One warm-up step (optimizer state may be allocated lazily on the first step), then a frame
        // still in flight after Pause: wait until the frame count settles.
        await frame.locator('[data-action="step"]').click();
        let f0 = await frames(page, id);
        for (;;) {
          await page.waitForTimeout(400);
          const f = await frames(page, id);
          if (f === f0) break;
          f0 = f;
        }
        const before = await numTensors(page);
        for (let i = 1; i <= 3; i++) {
          await frame.locator('[data-action="step"]').click();
          await page.waitForFunction(([d, n]) => Number(document.querySelector(`[data-demo="${d}"] [data-frames]`)?.getAttribute('data-frames')) >= n, [id, f0 + i] as const, { timeout: 60_000 });
        }
        expect(await frames(page, id)).toBe(f0 + 3);
        expect(await numTensors(page)).toBe(before);
        await page.screenshot({ path: shotPath(`demo-${id}-${backend}`), clip: (await frame.boundingBox()) ?? undefined });

        // Unmount every demo on the page: nothing may stay behind. Remount: same count as before.
        const ids = await page.evaluate(() => Object.keys(window.__adl!.setMounted));
        await page.evaluate((all) => all.forEach((d) => window.__adl!.setMounted[d](false)), ids);
        await page.waitForTimeout(300);
        expect(await numTensors(page)).toBe(0);
        await page.evaluate((all) => all.forEach((d) => window.__adl!.setMounted[d](true)), ids);
        await waitReady(page, id);
        if (await pause.count()) await pause.click();
        await page.waitForTimeout(300);

        expect(log.errors).toEqual([]);
        expect(log.offsite).toEqual([]);
        expect(log.failed).toEqual([]);
        await ctx.close();
      });
    }
  }
});
