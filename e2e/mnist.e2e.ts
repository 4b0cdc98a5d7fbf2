import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { demoRoutes, newTab, numTensors, OUT, openPage, shotPath, startHarness, visit, waitReady as waitDemo, type Harness } from './harness';
import { loadMnistNode } from '../scripts/mnist-node';
import type { MnistArrays } from '../demos/runtime/data/idx';
import type { ModelManifest } from '../demos/runtime/data/models';

// The live MNIST demo end to end: real shards, the real shipped CNN, and a reader's three inputs, with every
// kind of bad upload. Once, on wasm: its mount and steps on every backend are in demo-suite.ts, and its
// missing files in reliability.e2e.ts.
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

const waitReady = (page: Page) => waitDemo(page, ID);

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

/**
 * A real, fully decodable `width`×`height` grayscale PNG: white with a black bar. Made here rather than in
 * the page, where encoding 50 megapixels takes most of a minute on a busy machine.
 */
function realPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (gray), compression, filter, interlace all 0
  const white = Buffer.alloc(width + 1, 255);
  white[0] = 0; // each row starts with its filter type: none
  const bar = Buffer.from(white).fill(0, 1 + Math.floor(width * 0.44), 1 + Math.floor(width * 0.56));
  const raw = Buffer.alloc(white.length * height);
  for (let y = 0; y < height; y++) (y > height * 0.16 && y < height * 0.8 ? bar : white).copy(raw, y * white.length);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

describe('This network, live', () => {
  it('on wasm: test digits, a drawn 1, uploads good, bad and hostile', async () => {
  const backend = 'wasm';
    expect(route, 'no page embeds the demo').toBeTruthy();
    const tab = await newTab(h);
    const { page, ctx, log } = tab;
    const shardRequests: string[] = [];
    page.on('request', (r) => r.url().includes('/data/mnist/') && shardRequests.push(new URL(r.url()).pathname));
    // Alone on its embed page (the 360 px test below shows it within its section).
    await visit(h, tab, `/embed/${ID}/?backend=${backend}`);
    const frame = await waitReady(page);
    expect((await frame.locator('.badge').textContent())?.trim()).toBe(backend);

    // The preselected first test digit is predicted, and only the shards of the first 5,000 test digits were fetched.
    expect(await prediction(frame, 'test', 0)).toBe(test.labels[0]);
    expect(await frame.locator('[data-true-label]').getAttribute('data-true-label')).toBe(String(test.labels[0]));
    expect(shardRequests.filter((u) => u.endsWith('.adlm')).sort()).toEqual(['/data/mnist/test-00.adlm', '/data/mnist/test-01.adlm']);
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
      // Hostile: a real 50-megapixel PNG, the same size as SVG (no header size: checked after decoding).
      ['big.png', 'image/png', realPng(8000, 6250), /8000×6250 pixels \(50 megapixels\); the limit is 40 megapixels/],
      [
        'big.svg',
        'image/svg+xml',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8000" height="6250"><rect x="3500" y="1000" width="1000" height="4000"/></svg>'),
        /8000×6250 pixels \(50 megapixels\); the limit is 40 megapixels/,
      ],
    ];
    for (const [name, mimeType, buffer, re] of bad) {
      await file.setInputFiles({ name, mimeType, buffer });
      await frame.locator(`[data-upload-message="error"]`, { hasText: re }).waitFor({ timeout: 10_000 });
      expect(await msg.getAttribute('role')).toBe('alert');
    }
    // A 21 MB file, made in the page (cheaper than sending it to the browser): refused by its size.
    await page.evaluate(() => {
      const input = document.querySelector('[data-demo="mnist-live"] [data-field="upload"]') as HTMLInputElement;
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(21 * 1024 * 1024)], 'big.jpg', { type: 'image/jpeg' }));
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await frame.locator('[data-upload-message="error"]', { hasText: /the limit is 20/ }).waitFor();
    await page.screenshot({ path: shotPath('mnist-live-upload-refused'), clip: (await frame.boundingBox()) ?? undefined });
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

  it('at 360 px (dark theme): fits the width, and a finger draws on the pad', async () => {
    const { page, ctx, log } = await openPage(h, `${route}?backend=wasm`, { width: 360, height: 780 }, {
      hasTouch: true,
      isMobile: true,
      deviceScaleFactor: 2,
      colorScheme: 'dark',
      reducedMotion: 'reduce', // the dropout demo above it stays still
    });
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
});
