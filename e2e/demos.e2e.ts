import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demos } from '../demos/registry';
import type { ParamTable } from '../demos/runtime/params';
import { demoRoutes, frames, framesAtLeast, newTab, numTensors, setAllMounted, settled, shotPath, startHarness, visit, waitReady, type Harness, type Tab } from './harness';

// Once per demo and backend: mount → first result → a few steps → unmount, with the tensor count and the
// console checked. Served with the site's security headers (CSP, COOP/COEP), so every demo also starts
// under the policy a real host sends. One tab per backend, reused across demos (a warm HTTP cache).
// Everything that is the same for every demo (URL state, bad values, themes) is tested once elsewhere;
// parameter tables are tested in Node (demos/params.test.ts).
let h: Harness;
let webgl2 = false;
const tabs = new Map<string, Tab>();
beforeAll(async () => {
  h = await startHarness({ headers: true });
  const probe = await newTab(h);
  await visit(h, probe, '/');
  webgl2 = await probe.page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
  await probe.ctx.close();
  console.log(`headless Chromium WebGL 2: ${webgl2 ? 'yes (SwiftShader)' : 'no'}`);
});
afterAll(async () => {
  for (const t of tabs.values()) await t.ctx.close();
  await h?.close();
});

/** This backend's tab, which also records Content-Security-Policy violations on every page it opens. */
async function tabFor(backend: string): Promise<Tab> {
  let t = tabs.get(backend);
  if (!t) {
    t = await newTab(h);
    await t.ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    tabs.set(backend, t);
  }
  return t;
}

const routes = demoRoutes();

describe('every registered demo', () => {
  for (const [id, entry] of Object.entries(demos)) {
    for (const backend of entry.backends) {
      it(`${id} on ${backend}: mounts, shows its first result, steps and unmounts without leaking tensors`, async ({ task }) => {
        task.meta.demos = [id];
        const route = routes[id];
        expect(route, `no page uses demo ${id}`).toBeTruthy();
        const tab = await tabFor(backend);
        await visit(h, tab, `${route}?backend=${backend}`);
        const { page, log } = tab;
        expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
        const frame = await waitReady(page, id);
        const badge = (await frame.locator('.badge').textContent())?.trim();
        if (backend === 'webgl' && !webgl2) {
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

        // Pause whatever autoplays, then step by hand: the tensor count must not grow. One warm-up step
        // first (optimizer state may be allocated lazily on the first step).
        const pause = frame.locator('[data-action="pause"]');
        if (await pause.count()) await pause.click();
        await frame.locator('[data-running="0"]').waitFor();
        await frame.locator('[data-action="step"]').click();
        await settled(page);
        const f0 = await frames(page, id);
        const before = await numTensors(page);
        for (let i = 1; i <= 3; i++) {
          await frame.locator('[data-action="step"]').click();
          await framesAtLeast(page, id, f0 + i);
        }
        await settled(page);
        expect(await frames(page, id)).toBe(f0 + 3);
        expect(await numTensors(page)).toBe(before);
        await page.screenshot({ path: shotPath(`demo-${id}-${backend}`), clip: (await frame.boundingBox()) ?? undefined });

        // Unmount every demo on the page: nothing may stay behind. Remount: it starts again.
        await setAllMounted(page, false);
        await settled(page);
        expect(await numTensors(page)).toBe(0);
        await setAllMounted(page, true);
        await waitReady(page, id);
        if (await pause.count()) await pause.click();
        await settled(page);

        expect(log.errors).toEqual([]);
        expect(log.offsite).toEqual([]);
        expect(log.failed).toEqual([]);
      });
    }
  }
});
