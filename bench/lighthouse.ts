/**
 * Figure 5, Lighthouse 12 (Node API, desktop preset: simulated throttling of a fast desktop connection and
 * CPU) on every site page: performance, accessibility and best-practices scores, Debian's Chromium
 * launched by chrome-launcher. Lecture views and embeds are variants of the notes and are left out.
 */
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';
import { builtRoutes, CHROMIUM } from '../e2e/harness';
import { mark, type BenchContext, type FigureResult } from './util';

const GOAL = 95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;

interface PageScores {
  route: string;
  scores: Record<(typeof CATEGORIES)[number], number>;
  /** Audits that cost points (score < 1 with a weight), worst first: what to fix. */
  failing: string[];
}

export async function lighthouseScores(ctx: BenchContext): Promise<FigureResult> {
  const routes = builtRoutes().filter((r) => !r.startsWith('/embed/') && !r.startsWith('/lecture/'));
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const pages: PageScores[] = [];
  try {
    for (const route of routes) {
      const result = await lighthouse(
        ctx.h.url + route,
        { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] },
        desktopConfig,
      );
      if (!result) throw new Error(`lighthouse returned nothing for ${route}`);
      const { lhr } = result;
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)])) as PageScores['scores'];
      const failing = CATEGORIES.flatMap((c) =>
        (lhr.categories[c]?.auditRefs ?? [])
          .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
          .map((ref) => `${c}: ${lhr.audits[ref.id].title} (${Math.round((lhr.audits[ref.id].score ?? 0) * 100)})`),
      );
      pages.push({ route, scores, failing });
      ctx.log(`  lighthouse ${route}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')}${failing.length ? `; losing points: ${failing.slice(0, 4).join('; ')}` : ''}`);
    }
  } finally {
    await chrome.kill();
  }
  const min = (c: (typeof CATEGORIES)[number]) => Math.min(...pages.map((p) => p.scores[c]));
  const met = CATEGORIES.every((c) => min(c) >= GOAL);
  const line =
    `lighthouse (desktop preset, ${pages.length} pages): ${pages.map((p) => `${p.route} ${CATEGORIES.map((c) => p.scores[c]).join('/')}`).join(', ')} ` +
    `(performance/accessibility/best-practices) — goal ≥ ${GOAL} each ${mark(met)}`;
  return {
    line,
    rows: CATEGORIES.map((c) => {
      const worst = pages.reduce((a, b) => (b.scores[c] < a.scores[c] ? b : a));
      return { what: `Lighthouse ${c}, lowest page (${worst.route})`, value: String(worst.scores[c]), goal: `≥ ${GOAL}`, met: worst.scores[c] >= GOAL };
    }),
    data: { goal: GOAL, preset: 'desktop', pages },
  };
}
