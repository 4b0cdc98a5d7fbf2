/**
 * Figure 3, demo start: for every registered demo, the time from its frame entering the viewport to its
 * first result (`__adl.readyAt[id] − __adl.visibleAt[id]`, stamped by components/Demo.tsx), on wasm and
 * webgl. Cold: a fresh browser context. Warm: the same page loaded again in that context (HTTP cache
 * warm, JavaScript heap fresh). The page is scrolled straight to the demo, as a link to it would.
 */
import type { Page } from 'playwright-core';
import { demos } from '../demos/registry';
import { demoRoutes, scrollToDemo } from '../e2e/harness';
import { mark, median, type BenchContext, type FigureResult } from './util';

const GOAL_MS = 500;
const BACKENDS = ['wasm', 'webgl'] as const;

interface StartTime {
  demo: string;
  backend: string;
  route: string;
  coldMs: number;
  warmMs: number;
  /** The backend the frame reported (a fallback would show here). */
  ran: string;
}

async function timeStart(page: Page, url: string, id: string): Promise<{ ms: number; ran: string }> {
  await page.goto(url, { waitUntil: 'load' });
  const frame = await scrollToDemo(page, id);
  await page.waitForSelector(`[data-demo="${id}"][data-state="ready"], [data-demo="${id}"][data-state="error"]`, { timeout: 90_000 });
  if ((await frame.getAttribute('data-state')) === 'error') throw new Error(`demo ${id} failed: ${await frame.locator('.demo-error').first().textContent()}`);
  const ms = await page.evaluate((d) => window.__adl!.readyAt[d] - window.__adl!.visibleAt[d], id);
  const ran = ((await frame.locator('.badge').first().textContent()) ?? '').trim();
  return { ms, ran };
}

/** Every demo on wasm and webgl, cold then warm. */
export async function demoStart(ctx: BenchContext): Promise<FigureResult> {
  const routes = demoRoutes();
  const results: StartTime[] = [];
  for (const id of Object.keys(demos)) {
    const route = routes[id] ?? `/embed/${id}/`; // a demo no section embeds yet: its embed page
    for (const backend of BACKENDS) {
      const context = await ctx.h.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        const url = `${ctx.h.url}${route}?backend=${backend}`;
        const cold = await timeStart(page, url, id);
        const warm = await timeStart(page, url, id);
        results.push({ demo: id, backend, route, coldMs: cold.ms, warmMs: warm.ms, ran: warm.ran });
        ctx.log(`  start ${id} ${backend}: cold ${cold.ms.toFixed(0)} ms, warm ${warm.ms.toFixed(0)} ms (ran on ${warm.ran})`);
      } finally {
        await context.close();
      }
    }
  }
  const wasm = results.filter((r) => r.backend === 'wasm');
  const worstWarm = wasm.reduce((a, b) => (b.warmMs > a.warmMs ? b : a));
  const met = worstWarm.warmMs <= GOAL_MS;
  const fmt = (r: StartTime) => `${r.demo}/${r.backend} ${r.coldMs.toFixed(0)}/${r.warmMs.toFixed(0)}`;
  const line =
    `start: viewport → first result, cold/warm ms: ${results.map(fmt).join(', ')}; ` +
    `worst warm on wasm ${worstWarm.warmMs.toFixed(0)} ms (${worstWarm.demo}) — goal ≤ ${GOAL_MS} ms warm on wasm ${mark(met)}`;
  const webgl = results.filter((r) => r.backend === 'webgl');
  return {
    line,
    rows: [
      { what: `Demo start, worst warm on wasm (${worstWarm.demo})`, value: `${worstWarm.warmMs.toFixed(0)} ms`, goal: `≤ ${GOAL_MS} ms`, met },
      ...wasm.map((r) => ({ what: `  ${r.demo} on wasm, cold / warm`, value: `${r.coldMs.toFixed(0)} / ${r.warmMs.toFixed(0)} ms`, goal: `warm ≤ ${GOAL_MS} ms`, met: r.warmMs <= GOAL_MS })),
      { what: 'Demo start on webgl (SwiftShader), median cold / warm', value: `${median(webgl.map((r) => r.coldMs)).toFixed(0)} / ${median(webgl.map((r) => r.warmMs)).toFixed(0)} ms`, goal: '—', met: null },
    ],
    data: { goalMs: GOAL_MS, results },
  };
}
