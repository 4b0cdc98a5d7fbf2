import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { demoRoutes, frames, openPage, startHarness, type Harness, type PageLog } from './harness';

// The detection-metrics page on a phone (Lighthouse's 412 × 823): the demo's frame loads with the page (it starts
// within the frame's margin), but only the IoU playground, its first result, mounts then. The detector's output and
// the NMS stepper load as the reader nears them; the mAP line is computed and the precision–recall curve mounted as
// the reader nears them, and the curve builds only while the reader sees it. With the numbers the notes quote.
let h: Harness;
let page: Page;
let ctx: BrowserContext;
let log: PageLog;
const DEMO = '[data-demo="detection-metrics"]';
const fetched: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  ({ page, ctx, log } = await openPage(h, demoRoutes()['detection-metrics'], { width: 412, height: 823 }, { deviceScaleFactor: 1.75, isMobile: true, hasTouch: true }));
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
});
afterAll(async () => {
  await ctx?.close();
  await h?.close();
});

/** Scrolls the page so that the top of `sel` is `below` px under the viewport's bottom edge (negative: above it). */
const placeTop = (sel: string, below: number) =>
  page.evaluate(([s, b]) => window.scrollBy(0, document.querySelector(s as string)!.getBoundingClientRect().top - window.innerHeight - (b as number)), [sel, below] as const);

describe('detection metrics on a phone', () => {
  it('mounts the IoU playground at load and the rest as the reader nears it; the curve builds while seen', async () => {
    await page.waitForSelector(`${DEMO}[data-state="ready"]`, { timeout: 60_000 });
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    // IoU of the default boxes A = [12, 18, 56, 58] and B = [34, 34, 84, 78]: 22 · 24 / (1760 + 2200 − 528).
    expect(Number(await page.locator(`${DEMO} [data-iou]`).getAttribute('data-iou'))).toBeCloseTo(528 / 3432, 4);
    expect(await page.locator(`${DEMO} [data-nms-step], ${DEMO} [data-map], ${DEMO} [data-frames]`).count()).toBe(0);
    expect(fetched.filter((p) => p.endsWith('/detections.json'))).toEqual([]);

    // Nearing part 2: the detector's output loads and the stepper shows the scene before suppression.
    await placeTop(`${DEMO} .detection-metrics-demo > div[aria-hidden="true"]`, 300);
    await page.waitForSelector(`${DEMO} [data-nms-step="0"]`);
    expect(fetched.filter((p) => p.endsWith('/detections.json'))).toHaveLength(1);
    await page.locator(`${DEMO} [data-nms="next"]`).dispatchEvent('click'); // a click() would scroll part 3 near
    await page.waitForSelector(`${DEMO} [data-nms-step="1"]`);

    // Nearing part 3, still below the screen: the mAP line is computed (the notes' 951 kept, 60.1 %), the curve waits.
    await placeTop(`${DEMO} .detection-metrics-demo div[aria-hidden="true"]`, 300);
    await page.waitForSelector(`${DEMO} [data-map="0.6012"]`);
    expect(await page.locator(`${DEMO} [data-map]`).textContent()).toContain('951');
    expect(await frames(page, 'detection-metrics')).toBe(0);
    expect(await page.locator(`${DEMO} [data-running]`).getAttribute('data-running')).toBe('1');

    // Seen: the curve builds detection by detection to its end (141 detections of digit 2) and stops by itself.
    await placeTop(`${DEMO} [data-map]`, -400);
    await page.waitForSelector(`${DEMO} [data-running="0"]`, { timeout: 30_000 });
    expect(await frames(page, 'detection-metrics')).toBeGreaterThan(1);
    expect(await page.locator(`${DEMO} .status-line`).last().textContent()).toMatch(/^Converged\. 141 of 141 detections of digit 2/);
    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
  });
});
