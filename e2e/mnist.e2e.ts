import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { demoRoutes, numTensors, OUT, openPage, shotPath, startHarness, type Harness } from './harness';
import { loadMnistNode } from '../scripts/mnist-node';
import type { MnistArrays } from '../demos/runtime/data/idx';
import type { ModelManifest } from '../demos/runtime/data/models';

// The live MNIST demo end to end: real shards, the real shipped CNN, and a reader's three inputs.
const ID = 'mnist-live';
let h: Harness;
let test: MnistArrays;
let route: string;
let manifest: ModelManifest;
beforeAll(async () => {
  h = await startHarness();
  test = loadMnistNode('test');
  route = demoRoutes()[ID];
  manifest = JSON.parse(fs.readFileSync(path.join(OUT, 'models/cnn/manifest.json'), 'utf8')) as ModelManifest;
});
afterAll(async () => h?.close());

async function waitReady(page: Page): Promise<Locator> {
  const frame = page.locator(`[data-demo="${ID}"]`);
  await frame.scrollIntoViewIfNeeded();
  await page.waitForSelector(`[data-demo="${ID}"][data-state="ready"], [data-demo="${ID}"][data-state="error"]`, { timeout: 90_000 });
  if ((await frame.getAttribute('data-state')) === 'error') throw new Error(`demo failed: ${await frame.locator('.demo-error').textContent()}`);
  return frame;
}

/** Waits until the verdict shows a prediction for `source` (and test index), returns the predicted digit. */
async function prediction(frame: Locator, source: string, index?: number): Promise<number> {
  const sel = `.mnist-verdict[data-source="${source}"]${index === undefined ? '' : `[data-index="${index}"]`}[data-prediction]`;
  const v = frame.locator(sel);
  await v.waitFor({ timeout: 30_000 });
  return Number(await v.getAttribute('data-prediction'));
}

/** A vertical stroke down the middle of the pad with the mouse. */
async function drawOne(page: Page, frame: Locator) {
  const box = (await frame.locator('.digit-pad').boundingBox())!;
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + box.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(x + 2, box.y + box.height * 0.85, { steps: 12 });
  await page.mouse.up();
}

/** PNG (or JPEG) bytes of MNIST test digit `index`, drawn in the page black on white, enlarged and off centre. */
async function digitImage(page: Page, index: number, type: 'image/png' | 'image/jpeg'): Promise<Buffer> {
  const px = Array.from(test.images.subarray(index * 784, (index + 1) * 784));
  const url = await page.evaluate(
    ([pixels, mime]) => {
      const small = document.createElement('canvas');
      small.width = small.height = 28;
      const sctx = small.getContext('2d')!;
      const img = sctx.createImageData(28, 28);
      (pixels as number[]).forEach((v, i) => {
        img.data.set([255 - v, 255 - v, 255 - v, 255], 4 * i); // dark ink on white paper
      });
      sctx.putImageData(img, 0, 0);
      const big = document.createElement('canvas');
      big.width = 400;
      big.height = 300;
      const ctx = big.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 400, 300);
      ctx.drawImage(small, 20, 10, 196, 196); // 7× larger, in the top-left corner
      return big.toDataURL(mime as string);
    },
    [px, type] as const,
  );
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

/** A PNG header claiming 10,000 × 10,000 pixels: refused before any decoding. */
function bombHeader(): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(10_000, 16);
  b.writeUInt32BE(10_000, 20);
  return b;
}

describe('This network, live', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`on ${backend}: test digits, a drawn 1, uploads good and bad`, async () => {
      expect(route, 'no page embeds the demo').toBeTruthy();
      const { page, ctx, log } = await openPage(h, `${route}?backend=${backend}`);
      const shardRequests: string[] = [];
      page.on('request', (r) => r.url().includes('/data/mnist/') && shardRequests.push(new URL(r.url()).pathname));
      const frame = await waitReady(page);
      expect((await frame.locator('.badge').textContent())?.trim()).toBe(backend);

      // The preselected first test digit is predicted, and only the first test shard was fetched.
      expect(await prediction(frame, 'test', 0)).toBe(test.labels[0]);
      expect(await frame.locator('[data-true-label]').getAttribute('data-true-label')).toBe(String(test.labels[0]));
      expect(shardRequests.filter((u) => u.endsWith('.adlm'))).toEqual(['/data/mnist/test-00.adlm']);
      // The facts shown are the shipped manifest's.
      const facts = (await frame.locator('.mnist-facts').textContent()) ?? '';
      expect(facts).toContain(`${manifest.params.toLocaleString('en-US')} (`);
      expect(facts).toContain(`${(100 * manifest.test.accuracy).toFixed(2)}\u00a0% of the ${manifest.test.count.toLocaleString('en-US')} MNIST test digits`);

      // Picking test digits by index: the network's answer is the true label.
      for (const k of [1, 2, 3, 4, 77, 1234]) {
        await frame.locator('[data-field="test-index"]').fill(String(k));
        expect(await prediction(frame, 'test', k), `test digit ${k}`).toBe(test.labels[k]);
        expect(await frame.locator('[data-true-label]').getAttribute('data-true-label')).toBe(String(test.labels[k]));
      }
      // The keyboard works: arrow up in the number field steps to the next test digit.
      await frame.locator('[data-field="test-index"]').press('ArrowUp');
      expect(await prediction(frame, 'test', 1235)).toBe(test.labels[1235]);
      // An out-of-range index is flagged, not used.
      await frame.locator('[data-field="test-index"]').fill('99999');
      expect(await frame.locator('[data-field="test-index"]').getAttribute('aria-invalid')).toBe('true');
      expect(await frame.locator('.mnist-verdict').getAttribute('data-index')).toBe('1235');

      // Drawing a vertical stroke is a 1, the most probable bar.
      await frame.locator('label:has([data-mode="draw"])').click();
      await frame.locator('.mnist-verdict', { hasText: 'Draw a digit' }).waitFor();
      await drawOne(page, frame);
      expect(await prediction(frame, 'draw')).toBe(1);
      expect(await frame.locator('svg[data-top]').getAttribute('data-top')).toBe('1');
      await page.screenshot({ path: shotPath(`mnist-live-draw-${backend}`), clip: (await frame.boundingBox()) ?? undefined });
      await frame.locator('[data-action="clear"]').click();
      await frame.locator('.mnist-verdict', { hasText: 'Draw a digit' }).waitFor();

      // Uploads: bad files get a message inside the demo, never a crash.
      await frame.locator('label:has([data-mode="upload"])').click();
      const file = frame.locator('[data-field="upload"]');
      const msg = frame.locator('[data-upload-message]');
      const bad: [string, string, Buffer, RegExp][] = [
        ['notes.txt', 'text/plain', Buffer.from('a shopping list, not a digit'), /not an image/],
        ['empty.png', 'image/png', Buffer.alloc(0), /empty \(0 bytes\)/],
        ['broken.png', 'image/png', Buffer.from('this is not really a PNG file at all'), /could not be decoded/],
        ['bomb.png', 'image/png', bombHeader(), /10000×10000 pixels .*limit is 40 megapixels/],
      ];
      for (const [name, mimeType, buffer, re] of bad) {
        await file.setInputFiles({ name, mimeType, buffer });
        await frame.locator(`[data-upload-message="error"]`, { hasText: re }).waitFor({ timeout: 10_000 });
        expect(await msg.getAttribute('role')).toBe('alert');
      }
      expect(await frame.getAttribute('data-state')).toBe('ready');

      // A real PNG and a JPEG of test digits, dark on white and off centre: inverted, centred, recognised.
      for (const [k, type] of [[3, 'image/png'], [4, 'image/jpeg']] as const) {
        const name = `digit-${k}.${type === 'image/png' ? 'png' : 'jpg'}`;
        const before = Number(await frame.locator('[data-frames]').getAttribute('data-frames'));
        await file.setInputFiles({ name, mimeType: type, buffer: await digitImage(page, k, type) });
        await frame.locator('[data-upload-message="ok"]', { hasText: name }).waitFor({ timeout: 10_000 });
        expect(await msg.textContent()).toMatch(/400×300.*inverted/);
        await page.waitForFunction(
          ([sel, n]) => Number(document.querySelector(sel as string)?.getAttribute('data-frames')) > (n as number),
          [`[data-demo="${ID}"] [data-frames]`, before] as const,
        );
        expect(await prediction(frame, 'upload'), `uploaded test digit ${k}`).toBe(test.labels[k]);
      }
      await page.screenshot({ path: shotPath(`mnist-live-upload-${backend}`), clip: (await frame.boundingBox()) ?? undefined });

      // "Next test digit" (the step button) goes back to the test set and moves on.
      const tensors = await numTensors(page);
      await frame.locator('[data-action="step"]').click();
      expect(await prediction(frame, 'test', 1235)).toBe(test.labels[1235]);
      await frame.locator('[data-action="step"]').click();
      expect(await prediction(frame, 'test', 1236)).toBe(test.labels[1236]);
      expect(await numTensors(page)).toBe(tensors);

      expect(log.errors).toEqual([]);
      expect(log.failed).toEqual([]);
      expect(log.offsite).toEqual([]);
      await ctx.close();
    });
  }

  it('at 360 px (dark theme): fits the width, and a finger draws on the pad', async () => {
    const { page, ctx, log } = await openPage(h, `${route}?backend=wasm`, { width: 360, height: 780 }, { hasTouch: true, isMobile: true, deviceScaleFactor: 2, colorScheme: 'dark' });
    const frame = await waitReady(page);
    expect(await prediction(frame, 'test', 0)).toBe(test.labels[0]);
    await page.screenshot({ path: shotPath('mnist-live-360-test'), clip: (await frame.boundingBox()) ?? undefined });

    const overflow = await page.evaluate((id) => {
      const f = document.querySelector(`[data-demo="${id}"]`)!;
      const wide = [...f.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5);
      return { page: document.documentElement.scrollWidth, wide: wide.map((e) => e.tagName + '.' + e.className).slice(0, 5) };
    }, ID);
    expect(overflow.wide).toEqual([]);
    expect(overflow.page).toBeLessThanOrEqual(360);

    await frame.locator('label:has([data-mode="draw"])').click();
    const pad = frame.locator('.digit-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    expect(box.width).toBeGreaterThan(200);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    // A real touch sequence (touchstart / move / end), which Chromium turns into pointer events.
    const cdp = await ctx.newCDPSession(page);
    const x = Math.round(box.x + box.width / 2);
    const y0 = Math.round(box.y + box.height * 0.15);
    const y1 = Math.round(box.y + box.height * 0.85);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: y0 }] });
    for (let s = 1; s <= 10; s++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: Math.round(y0 + ((y1 - y0) * s) / 10) }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    expect(await prediction(frame, 'draw')).toBe(1);
    expect(await page.evaluate(() => window.scrollX)).toBe(0);
    await frame.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shotPath('mnist-live-360-draw'), fullPage: false });

    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
    await ctx.close();
  });

  it('a missing model file shows an error with a retry inside the frame', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.route('**/models/cnn/model.json', (r) => r.fulfill({ status: 404, body: 'not found' }));
    const page = await ctx.newPage();
    await page.goto(`${h.url}${route}?backend=cpu`);
    const frame = page.locator(`[data-demo="${ID}"]`);
    await frame.scrollIntoViewIfNeeded();
    await page.waitForSelector(`[data-demo="${ID}"][data-state="error"]`, { timeout: 90_000 });
    expect(await frame.locator('.demo-error').textContent()).toMatch(/Model "cnn".*model\.json.*404/);
    // Serve the file again: Retry recovers.
    await ctx.unroute('**/models/cnn/model.json');
    await frame.locator('.demo-error button', { hasText: 'Retry' }).click();
    await waitReady(page);
    expect(await prediction(frame, 'test', 0)).toBe(test.labels[0]);
    await ctx.close();
  });
});
