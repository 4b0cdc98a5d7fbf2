/**
 * Figure 1, page weight: the JavaScript each page transfers from load until the network is idle, with the
 * viewport at the top and no scrolling (so before any demo nears it), against the framework floor
 * (app/bench-floor: the root layout and a heading). Every JavaScript file is checked for tfjs.
 */
import type { Response } from 'playwright-core';
import { builtRoutes, isTfjs } from '../e2e/harness';
import { kB, mark, type BenchContext, type FigureResult } from './util';

const GOAL = 1.15;
const FLOOR = '/bench-floor/';
/** components/Demo.tsx's rootMargin for starting to load a demo. */
const WARM_MARGIN = 600;

interface PageWeight {
  route: string;
  /** Response bodies as the page received them (decoded): the figure. */
  jsBytes: number;
  /** The same responses on the wire (gzip, as scripts/serve.mjs and static hosts send them). */
  jsWireBytes: number;
  jsFiles: number;
  /** Demos that reported entering the viewport during the load (none, for the figure to be valid). */
  demosSeen: string[];
  /**
   * Demos whose frame starts within the loading margin at load (components/Demo.tsx warms a demo 600 px
   * before it is on screen): such a page loads its demo, and tfjs, by design (a lecture's first slide).
   */
  demosNear: string[];
  /** JavaScript files of the page that are (part of) tfjs. */
  tfjsFiles: string[];
}

/** isTfjs on a served path; a path that is not a file of out/ (a 404) is not tfjs. */
function tfjsFile(pathname: string): boolean {
  try {
    return isTfjs(pathname);
  } catch {
    return false;
  }
}

async function measure(ctx: BenchContext, route: string): Promise<PageWeight> {
  const context = await ctx.h.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const bodies: Promise<[string, number, number]>[] = [];
    page.on('response', (res: Response) => {
      const url = new URL(res.url());
      if (url.hostname !== '127.0.0.1' || !url.pathname.endsWith('.js')) return;
      const wire = res.request().sizes().then((s) => s.responseBodySize, () => 0);
      bodies.push(Promise.all([res.body().then((b) => b.length, () => 0), wire]).then(([b, w]) => [url.pathname, b, w]));
    });
    await page.goto(ctx.h.url + route, { waitUntil: 'networkidle' });
    const got = await Promise.all(bodies);
    const files = new Map(got.map(([f, b]) => [f, b]));
    const demosSeen = await page.evaluate(() => Object.keys(window.__adl?.visibleAt ?? {}));
    const demosNear = await page.evaluate((margin) =>
      [...document.querySelectorAll('[data-demo]')].filter((e) => e.getBoundingClientRect().top < innerHeight + margin).map((e) => e.getAttribute('data-demo')!),
    WARM_MARGIN);
    return {
      route,
      jsBytes: [...files.values()].reduce((a, b) => a + b, 0),
      jsWireBytes: got.reduce((a, [, , w]) => a + w, 0),
      jsFiles: files.size,
      demosSeen,
      demosNear,
      tfjsFiles: [...files.keys()].filter(tfjsFile),
    };
  } finally {
    await context.close();
  }
}

/** Page weight of every page (embeds excluded: their demo is the page) against the floor. */
export async function pageWeight(ctx: BenchContext): Promise<FigureResult> {
  const floor = await measure(ctx, FLOOR);
  const routes = builtRoutes().filter((r) => !r.startsWith('/embed/'));
  const pages: (PageWeight & { ratio: number })[] = [];
  for (const route of routes) {
    const w = await measure(ctx, route);
    pages.push({ ...w, ratio: w.jsBytes / floor.jsBytes });
    ctx.log(`  weight ${route}: ${kB(w.jsBytes)} (${kB(w.jsWireBytes)} gzip) in ${w.jsFiles} files (${(w.jsBytes / floor.jsBytes).toFixed(3)}× floor)`);
  }
  // A page whose demo is within the loading margin at load is meant to load it: measured, not judged.
  const near = pages.filter((p) => p.demosNear.length > 0);
  const judged = pages.filter((p) => p.demosNear.length === 0);
  const worst = judged.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const tfjs = judged.filter((p) => p.tfjsFiles.length > 0);
  const seen = pages.filter((p) => p.demosSeen.length > 0);
  const met = worst.ratio <= GOAL && tfjs.length === 0;
  const line =
    `weight: first-load JS of ${judged.length} pages (${near.length} more with a demo within ${WARM_MARGIN} px at load: ${near.map((p) => p.route).join(' ') || 'none'}) vs the floor (${kB(floor.jsBytes)}, ${kB(floor.jsWireBytes)} gzip, ${floor.jsFiles} files): ` +
    `max ${worst.ratio.toFixed(3)}× (${worst.route}, ${kB(worst.jsBytes)}), min ${Math.min(...judged.map((p) => p.ratio)).toFixed(3)}×; ` +
    `tfjs files loaded: ${tfjs.length === 0 ? 'none' : tfjs.map((p) => `${p.route}: ${p.tfjsFiles.join(' ')}`).join('; ')}` +
    `${seen.length ? `; demos in view at load: ${seen.map((p) => p.route).join(' ')}` : ''} — goal ≤ ${GOAL}× ${mark(met)}`;
  return {
    line,
    rows: [
      { what: `First-load JS, worst page (${worst.route}) / floor`, value: `${worst.ratio.toFixed(3)}× (${kB(worst.jsBytes)} vs ${kB(floor.jsBytes)}; gzip ${kB(worst.jsWireBytes)} vs ${kB(floor.jsWireBytes)})`, goal: `≤ ${GOAL}×`, met: worst.ratio <= GOAL },
      { what: 'tfjs bytes before any demo nears the viewport', value: tfjs.length === 0 ? `none (${judged.length} pages checked; ${near.length} pages open with a demo within ${WARM_MARGIN} px)` : `${tfjs.length} pages`, goal: 'none', met: tfjs.length === 0 },
    ],
    data: { goal: GOAL, floor, pages },
  };
}
