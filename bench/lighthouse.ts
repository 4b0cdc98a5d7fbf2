/**
 * Figure 5, Lighthouse 12 (Node API) on every site page, twice: Lighthouse's default mobile settings
 * (a mid-range phone: 4× CPU slowdown, slow 4G, simulated) and its desktop preset: performance,
 * accessibility, best-practices and SEO scores, Debian's Chromium launched by chrome-launcher. Lecture
 * views are the notes again and are left out; embeds are measured on mobile and reported without a goal
 * (their demo trains as it loads, which is what they are for).
 */
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';
import { builtRoutes, CHROMIUM } from '../e2e/harness';
import { mark, type BenchContext, type FigureResult, type GoalRow } from './util';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type Category = (typeof CATEGORIES)[number];
/** Performance ≥ 95; the others have no reason to lose a point. */
const GOAL: Record<Category, number> = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 100 };
const PRESETS = ['mobile', 'desktop'] as const;
type Preset = (typeof PRESETS)[number];

interface PageScores {
  route: string;
  preset: Preset;
  scores: Record<Category, number>;
  /** Total blocking time and largest contentful paint (ms), the two that cost the notes points before. */
  tbtMs: number;
  lcpMs: number;
  /** Audits that cost points (score < 1 with a weight), worst first: what to fix. */
  failing: string[];
  /** Performance of every run of this page (one, or the reruns' too when the first was below the goal). */
  runs: number[];
}

/** Extra runs of a graded page whose first run is below the goal (the median of all runs is kept). */
const RERUNS = 2;
const graded = (p: { route: string }) => !p.route.startsWith('/embed/');

export async function lighthouseScores(ctx: BenchContext): Promise<FigureResult> {
  const all = builtRoutes().filter((r) => !r.startsWith('/lecture/'));
  const site = all.filter((r) => !r.startsWith('/embed/'));
  const embeds = all.filter((r) => r.startsWith('/embed/'));
  // While tuning: `ADL_BENCH_PRESETS=mobile` runs one preset, `ADL_BENCH_EMBEDS=0` leaves the embeds out,
  // `ADL_BENCH_ROUTES=/training/,/` only routes starting with one of these.
  const env = process.env;
  const presets = PRESETS.filter((p) => !env.ADL_BENCH_PRESETS || env.ADL_BENCH_PRESETS.split(',').includes(p));
  const only = env.ADL_BENCH_ROUTES?.split(',').filter(Boolean);
  const chosen = (r: string) => !only || only.some((o) => (o === '/' ? r === '/' : r.startsWith(o)));
  const runs: { route: string; preset: Preset }[] = [
    ...presets.flatMap((preset) => site.filter(chosen).map((route) => ({ route, preset }))),
    ...(env.ADL_BENCH_EMBEDS === '0' || !presets.includes('mobile') ? [] : embeds.filter(chosen).map((route) => ({ route, preset: 'mobile' as const }))),
  ];
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const pages: PageScores[] = [];
  try {
    const once = async (route: string, preset: Preset): Promise<PageScores> => {
      const result = await lighthouse(
        ctx.h.url + route,
        { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] },
        preset === 'desktop' ? desktopConfig : undefined,
      );
      if (!result) throw new Error(`lighthouse returned nothing for ${route}`);
      const { lhr } = result;
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)])) as PageScores['scores'];
      const failing = CATEGORIES.flatMap((c) =>
        (lhr.categories[c]?.auditRefs ?? [])
          .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
          .map((ref) => `${c}: ${lhr.audits[ref.id].title} (${Math.round((lhr.audits[ref.id].score ?? 0) * 100)})`),
      );
      const tbtMs = Math.round(lhr.audits['total-blocking-time']?.numericValue ?? NaN);
      const lcpMs = Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? NaN);
      return { route, preset, scores, tbtMs, lcpMs, failing, runs: [scores.performance] };
    };
    for (const { route, preset } of runs) {
      let page = await once(route, preset);
      // Lighthouse's own advice on variability: a score near the line is the median of several runs. A graded page
      // below the goal is run RERUNS more times and its median run (by performance) kept; the runs are reported.
      if (graded(page) && page.scores.performance < GOAL.performance) {
        const tries = [page];
        for (let i = 0; i < RERUNS; i++) tries.push(await once(route, preset));
        tries.sort((a, b) => a.scores.performance - b.scores.performance);
        page = { ...tries[Math.floor(tries.length / 2)], runs: tries.map((t) => t.scores.performance) };
      }
      pages.push(page);
      const { scores, tbtMs, lcpMs, failing } = page;
      ctx.log(
        `  lighthouse ${preset} ${route}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')} (TBT ${tbtMs} ms, LCP ${lcpMs} ms)` +
          `${page.runs.length > 1 ? ` [median of runs ${page.runs.join(', ')}]` : ''}` +
          `${failing.length ? `; losing points: ${failing.slice(0, 4).join('; ')}` : ''}`,
      );
    }
  } finally {
    await chrome.kill();
  }
  const rows: GoalRow[] = presets.flatMap((preset) => [
    ...CATEGORIES.map((c) => {
      const of = pages.filter((p) => p.preset === preset && graded(p));
      const worst = of.reduce((a, b) => (b.scores[c] < a.scores[c] ? b : a));
      return {
        what: `Lighthouse ${preset} ${c}, lowest page (${worst.route})`,
        value: String(worst.scores[c]),
        goal: GOAL[c] === 100 ? '100' : `≥ ${GOAL[c]}`,
        met: worst.scores[c] >= GOAL[c],
      };
    }),
    ...(() => {
      const of = pages.filter((p) => p.preset === preset && graded(p));
      const at = of.filter((p) => CATEGORIES.every((c) => p.scores[c] >= GOAL[c]));
      const below = of.filter((p) => p.scores.performance < GOAL.performance);
      return [
        { what: `Lighthouse ${preset}: pages meeting every goal`, value: `${at.length} of ${of.length}`, goal: `${of.length} of ${of.length}`, met: at.length === of.length },
        ...below.map((p) => ({
          what: `Lighthouse ${preset} performance, ${p.route} (TBT ${p.tbtMs} ms)`,
          value: `${p.scores.performance}${p.runs.length > 1 ? ` (median of ${p.runs.join(', ')})` : ''}`,
          goal: `≥ ${GOAL.performance}`,
          met: false,
        })),
      ];
    })(),
  ]);
  for (const p of pages.filter((q) => !graded(q))) {
    rows.push({ what: `Lighthouse mobile performance, ${p.route} (its demo trains at load)`, value: String(p.scores.performance), goal: '', met: null });
  }
  const met = rows.every((r) => r.met !== false);
  const list = (preset: Preset) =>
    pages
      .filter((p) => p.preset === preset)
      .map((p) => `${p.route} ${CATEGORIES.map((c) => p.scores[c]).join('/')}`)
      .join(', ');
  const line =
    `lighthouse (performance/accessibility/best-practices/seo) mobile: ${list('mobile')}; desktop: ${list('desktop')} — ` +
    `goal performance ≥ ${GOAL.performance}, the rest 100, on every site page in both ${mark(met)}`;
  return { line, rows, data: { goal: GOAL, presets: PRESETS, pages } };
}
