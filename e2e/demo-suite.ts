import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demos, type DemoEntry } from '../demos/registry';
import type { BackendName } from '../demos/runtime/tf';
import type { ParamTable } from '../demos/runtime/params';
import { demoRoutes, frames, framesAtLeast, newTab, numTensors, setAllMounted, settled, shotPath, startHarness, tfjsOnPage, visit, waitReady, workersOf, type Harness, type Tab } from './harness';

/**
 * Once per demo on one backend: mount → first result → a few steps → unmount, with the tensor count and
 * the console checked (for a demo without tensors, registry `tensors: false`: that tfjs never loads). One file per backend (demos-<backend>.e2e.ts), so that the two workers of the
 * browser tests share the per-demo work. Served with the site's security headers (CSP, COOP/COEP), so
 * every demo also starts under the policy a real host sends. One tab, reused across demos (a warm HTTP
 * cache). Everything that is the same for every demo (URL state, bad values, themes) is tested once
 * elsewhere; parameter tables are tested in Node (demos/params.test.ts).
 */
export function demoSuite(backend: BackendName) {
  let h: Harness;
  let tab: Tab | undefined;
  let webgl2 = false;
  beforeAll(async () => {
    h = await startHarness({ headers: true });
  });
  afterAll(async () => {
    await tab?.ctx.close();
    await h?.close();
  });

  /** The tab, which also records Content-Security-Policy violations on every page it opens. */
  async function tabFor(): Promise<Tab> {
    if (!tab) {
      // Reduced motion: no demo autoplays, so nothing trains behind the test's back (and that path is tested).
      tab = await newTab(h, undefined, { reducedMotion: 'reduce' });
      // A click waits for the page's main thread, which a shader compile can hold (Playwright's default: 30 s).
      tab.page.setDefaultTimeout(wait);
      await tab.ctx.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
      });
      if (backend === 'webgl') {
        webgl2 = await tab.page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
        console.log(`headless Chromium WebGL 2: ${webgl2 ? 'yes (SwiftShader)' : 'no'}`);
      }
    }
    return tab;
  }

  const routes = demoRoutes();
  // WebGL here is SwiftShader, a GPU emulated on the CPU: compiling a demo's shaders alone can take tens of
  // seconds (intriguing compiles about 130 programs), so that backend gets twice the time. The waits inside
  // a test share its timeout, so only the test's own timeout (which the timing report checks) can bind.
  const timeout = backend === 'webgl' ? 240_000 : 120_000;
  const wait = timeout - 10_000;

  describe(`every registered demo on ${backend}`, () => {
    // Every demo that declares this backend (demos/registry.ts).
    for (const [id, entry] of Object.entries(demos).filter(([, d]) => (d.backends as readonly string[]).includes(backend))) {
      // A demo without tensors (registry `tensors: false`) loads no tfjs: checked where others count tensors. One
      // whose tensors live in a worker (`tensors: 'worker'`) loads none on the page either; its worker's are counted.
      const mode = (entry as DemoEntry).tensors;
      const tensors = mode !== false;
      const noTfjs = async () => expect(await tfjsOnPage(tab!.page)).toEqual({ engine: false, hook: false, files: [] });
      // A demo may also run its loop's model in a worker while the page keeps tfjs for the rest: both counts add up.
      const count = async () => (mode === 'worker' ? 0 : await numTensors(tab!.page)) + (await workersOf(tab!.page, id)).tensors;
      // On wasm, the reference backend, also: remount, Play and Pause, and a screenshot.
      const full = backend === 'wasm';
      it(`${id} on ${backend}: mounts, shows its first result, steps and unmounts without leaking tensors`, async ({ task }) => {
        task.meta.demos = [id];
        // The demo alone on its embed page: the same frame as in the notes, without loading their page.
        const tab = await tabFor();
        await visit(h, tab, `/embed/${id}/?backend=${backend}`);
        const { page, log } = tab;
        expect(await page.locator('.site-header, .sidebar, .toc').count()).toBe(0);
        expect(await page.locator('.embed-source a').getAttribute('href'), `no section shows demo ${id}`).toBe(routes[id]);
        expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
        const frame = await waitReady(page, id, wait);
        const badge = (await frame.locator('.badge').textContent())?.trim();
        if (!tensors) {
          // Nothing to choose: the badge says what runs it, and a note that ?backend= changed nothing.
          expect(badge).toBe('JavaScript');
          expect(await frame.locator('.badge').getAttribute('data-backend')).toBe('none');
          expect(await frame.locator('.demo-notes').textContent()).toContain(`backend="${backend}" changes nothing here`);
          await noTfjs();
        } else if (backend === 'webgl' && !webgl2) {
          // No WebGL here: the demo must fall back and say so inside its frame.
          expect(badge).not.toBe('webgl');
          expect(await frame.locator('.demo-notes').textContent()).toMatch(/webgl/i);
        } else {
          expect(badge).toBe(backend);
        }
        const ms = await page.evaluate((d) => (window.__adl!.readyAt[d] ?? NaN) - (window.__adl!.visibleAt[d] ?? NaN), id);
        task.meta.start = { demo: id, backend, ms };

        // The URL keys the running view reads are exactly those of the tables Node tests (params.test.ts).
        const { paramTables } = (await import(`../demos/${id}/params.ts`)) as { paramTables: readonly ParamTable[] };
        const declared = Object.fromEntries(paramTables.flatMap((t) => Object.entries(t).map(([k, s]) => [k, s.kind])));
        expect(await page.evaluate((d) => window.__adl?.params?.[d], id)).toEqual(declared);
        // Every control writes one of those keys (a multi-choice checkbox is named key.option).
        const names = await frame.locator('[name]').evaluateAll((els) =>
          els.filter((e) => !['radio', 'file'].includes((e as HTMLInputElement).type ?? '')).map((e) => e.getAttribute('name')!),
        );
        for (const n of names) expect(n in declared || n.split('.')[0] in declared, `control ${n}`).toBe(true);

        // Nothing plays by itself for a reader who asks for reduced motion. Step by hand. On wasm, the
        // reference backend: one warm-up step (optimizer state may be allocated lazily on the first step),
        // then three more, and the tensor count must not grow. On the slower backends one step proves their
        // kernels run; a leak per step would still show below, as tensors left after the unmount.
        expect(await frame.locator('[data-running]').getAttribute('data-running')).toBe('0');
        const step = frame.locator('[data-action="step"]');
        // Counted from the frames before the click: a demo whose first result is a frame already has one.
        const fw = await frames(page, id);
        await step.click();
        await framesAtLeast(page, id, fw + 1, wait);
        await settled(page, wait);
        if (full) {
          const f0 = await frames(page, id);
          const before = tensors ? await count() : 0;
          for (let i = 1; i <= 3; i++) {
            await step.click();
            await framesAtLeast(page, id, f0 + i, wait);
          }
          await settled(page, wait);
          expect(await frames(page, id)).toBe(f0 + 3);
          if (tensors) expect(await count()).toBe(before);
          if (mode !== undefined) await noTfjs();
        } else {
          expect(await frames(page, id)).toBe(fw + 1);
        }
        if (full) await page.screenshot({ path: shotPath(`demo-${id}`), clip: (await frame.boundingBox()) ?? undefined });

        // Unmount: nothing may stay behind. Remount: it starts again.
        await setAllMounted(page, false);
        await settled(page, wait);
        if (mode === undefined) expect(await numTensors(page)).toBe(0);
        else await noTfjs();
        // The view's workers are terminated with it, and their tensors with them.
        if (mode !== false) expect((await workersOf(page, id)).live).toBe(0);
        if (full) {
          await setAllMounted(page, true);
          await waitReady(page, id, wait);
        }

        // Play runs frames and Pause stops them (the transport; the inference demo has neither).
        const play = frame.locator('[data-action="play"]');
        if (full && (await play.count())) {
          const f = await frames(page, id);
          await play.click();
          await framesAtLeast(page, id, f + 1, wait);
          await frame.locator('[data-action="pause"]').click();
          await frame.locator('[data-running="0"]').waitFor();
        }
        await settled(page, wait);

        if (mode !== undefined) await noTfjs(); // not even after a remount, Play and Pause
        expect(log.errors).toEqual([]);
        expect(log.offsite).toEqual([]);
        expect(log.failed).toEqual([]);
      }, timeout);
    }
  });
}
