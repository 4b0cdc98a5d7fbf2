/**
 * Figure 2, training speed against ConvNetJS: bench/page/convnet.ts is bundled (ConvNetJS + our tfjs
 * runtime) into out/__bench/ and opened twice in the shared browser: served plainly (as most static
 * hosts do: no COOP/COEP, so no WASM threads) and with `--headers` (cross-origin isolated: the runtime
 * starts WASM threads). Methods run in interleaved rounds, so every ratio compares numbers measured
 * seconds apart. The site itself (Next's build, not this esbuild bundle) is checked to start its
 * threads too, on a demo page served with the headers.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
// @ts-expect-error: plain ESM script without types
import { serve } from '../scripts/serve.mjs';
import { OUT, scrollToDemo } from '../e2e/harness';
import { mark, median, num, type BenchContext, type FigureResult } from './util';

const GOAL = 10;
/** Training time per measurement, ms; rounds of all methods, interleaved. */
const RUN_MS = 1000;
const ROUNDS = 5;
const DIGITS = 2000;

/** The bench page served next to the site (out/ is git-ignored, and rebuilt by every bench run). */
async function buildPage(): Promise<void> {
  const dir = path.join(OUT, '__bench');
  fs.mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: ['bench/page/convnet.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outfile: path.join(dir, 'convnet.js'),
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>bench</title><script type="module" src="convnet.js"></script>\n',
  );
}

interface Setup {
  digits: number;
  backends: Record<string, boolean>;
  /** How the runtime started wasm (BackendChoice.detail), and its thread count. */
  wasm: string;
  threads: number;
  simd: boolean;
  webglRenderer: string;
}
interface Run {
  examples: number;
  ms: number;
  examplesPerSecond: number;
  loss: number;
}

/** One method of the comparison: which page, which trainer. */
interface Method {
  key: string;
  label: string;
  page: 'plain' | 'isolated';
  run: (p: Page) => Promise<Run>;
}

const tfjs = (backend: string, variant: string, readEvery = 10) => (p: Page) =>
  p.evaluate(([b, v, r, ms]) => window.__bench!.runTfjs(b as 'wasm', ms as number, v as 'flat', r as number), [backend, variant, readEvery, RUN_MS] as const);

const METHODS: Method[] = [
  { key: 'convnetjs', label: 'ConvNetJS 0.3.0', page: 'plain', run: (p) => p.evaluate((ms) => window.__bench!.runConvnet(ms), RUN_MS) },
  { key: 'wasm-layers', label: 'tfjs wasm, tf.layers + tf.train.adadelta (before)', page: 'plain', run: tfjs('wasm', 'layers') },
  { key: 'wasm', label: 'tfjs wasm, runtime flat trainer', page: 'plain', run: tfjs('wasm', 'flat') },
  { key: 'wasm-threads', label: 'tfjs wasm + threads (COOP/COEP, as the site runtime starts them), flat trainer', page: 'isolated', run: tfjs('wasm', 'flat') },
  { key: 'cpu', label: 'tfjs cpu, flat trainer', page: 'plain', run: tfjs('cpu', 'flat', 2) },
  { key: 'webgl-layers', label: 'tfjs webgl (SwiftShader), tf.layers (before)', page: 'plain', run: tfjs('webgl', 'layers', 2) },
  { key: 'webgl', label: 'tfjs webgl (SwiftShader), flat trainer', page: 'plain', run: tfjs('webgl', 'flat', 2) },
];

/**
 * The runtime gives WASM threads where tfjs would use two or more: tfjs takes half the logical cores
 * (at most 4). On a machine with fewer than 4, the isolated page reports 4, so that tfjs runs 2 threads
 * on this machine's 2 cores and the figure shows what threads give here.
 */
const REPORTED_CORES = Math.max(4, os.cpus().length);

/** A browser context for `url`; on the isolated server it reports {@link REPORTED_CORES} cores. */
async function contextFor(ctx: BenchContext, isolatedPage: boolean) {
  const context = await ctx.h.browser.newContext();
  if (isolatedPage) {
    await context.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }), REPORTED_CORES);
  }
  return context;
}

async function openBench(ctx: BenchContext, url: string, isolatedPage: boolean): Promise<{ page: Page; setup: Setup; close: () => Promise<void> }> {
  const context = await contextFor(ctx, isolatedPage);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + '/__bench/');
  await page.waitForFunction(() => document.title === 'bench ready' || document.title === 'bench failed', null, { timeout: 60_000 });
  if (errors.length) throw new Error(`bench page: ${errors.join('; ')}`);
  const setup = (await page.evaluate((n) => window.__bench!.setup(n), DIGITS)) as Setup;
  return { page, setup, close: () => context.close() };
}

/** What the site's own build says about its wasm backend on a demo page served with the headers. */
async function siteWasm(ctx: BenchContext, url: string): Promise<{ title: string; threads: number }> {
  const context = await contextFor(ctx, true);
  try {
    const page = await context.newPage();
    await page.goto(`${url}/training/optimizers/?backend=wasm`);
    await scrollToDemo(page, 'optimizers');
    const badge = page.locator('[data-demo="optimizers"] .badge[data-backend="wasm"]');
    await badge.waitFor({ timeout: 90_000 });
    const title = (await badge.getAttribute('title')) ?? '';
    const threads = await page.evaluate(() => (window.__adl!.tf as { backend(): { wasm: { tfjs: { getThreadsCount(): number } } } }).backend().wasm.tfjs.getThreadsCount());
    return { title: title.replace(/^[^(]*\((.*)\)$/, '$1'), threads };
  } finally {
    await context.close();
  }
}

/** ConvNetJS vs our runtime on every backend, with the limits we found (kernels per step, where time goes). */
export async function convnetSpeed(ctx: BenchContext): Promise<FigureResult> {
  await buildPage();
  const isolated = (await serve({ root: OUT, port: 0, headers: true })) as { server: Server; url: string };
  const plain = await openBench(ctx, ctx.h.url, false);
  const iso = await openBench(ctx, isolated.url, true);
  try {
    const site = await siteWasm(ctx, isolated.url);
    ctx.log(`  convnet: plain page "${plain.setup.wasm}"; isolated page (${REPORTED_CORES} cores reported) "${iso.setup.wasm}"; site's build there: "${site.title}"; webgl: ${plain.setup.webglRenderer}`);
    const kernels = {
      layers: (await plain.page.evaluate(() => window.__bench!.profileStep('wasm', 'layers'))).kernels,
      flat: (await plain.page.evaluate(() => window.__bench!.profileStep('wasm', 'flat'))).kernels,
    };
    const split = await plain.page.evaluate(() => window.__bench!.breakdown('wasm', 20));
    ctx.log(`  convnet: kernels per step on wasm: layers ${kernels.layers}, flat ${kernels.flat}; ms per batch: forward ${num(split.forwardMs)}, +backward ${num(split.gradientsMs)}, whole step ${num(split.stepMs)}`);

    const runs: Record<string, Run[]> = Object.fromEntries(METHODS.map((m) => [m.key, []]));
    for (let r = 0; r < ROUNDS; r++) {
      // Each round starts with a different method, so no method always runs right after the same other.
      for (const m of [...METHODS.slice(r % METHODS.length), ...METHODS.slice(0, r % METHODS.length)]) {
        const res = await m.run(m.page === 'plain' ? plain.page : iso.page);
        runs[m.key].push(res);
        ctx.log(`  convnet round ${r + 1} ${m.key}: ${num(res.examplesPerSecond)} examples/s (loss ${res.loss.toFixed(3)})`);
      }
    }
    const eps = (key: string) => median(runs[key].map((x) => x.examplesPerSecond));
    // Ratios per round (side by side), then the median over rounds.
    const ratio = (key: string) => median(runs[key].map((x, i) => x.examplesPerSecond / runs.convnetjs[i].examplesPerSecond));
    const summary = METHODS.map((m) => ({
      key: m.key,
      label: m.label,
      examplesPerSecond: eps(m.key),
      ratioToConvnetjs: ratio(m.key),
      lastLoss: runs[m.key][runs[m.key].length - 1].loss,
    }));
    const best = Math.max(ratio('wasm'), ratio('wasm-threads'));
    // What threads give: threaded over single-threaded wasm, round by round.
    const threadGain = median(runs['wasm-threads'].map((x, i) => x.examplesPerSecond / runs.wasm[i].examplesPerSecond));
    const met = ratio('wasm') >= GOAL;
    const line =
      `convnet: examples/s (× ConvNetJS, same page, median of ${ROUNDS} rounds): ConvNetJS ${num(eps('convnetjs'))}; ` +
      summary
        .filter((s) => s.key !== 'convnetjs')
        .map((s) => `${s.key} ${num(s.examplesPerSecond)} (${num(s.ratioToConvnetjs)}×)`)
        .join(', ') +
      `; wasm-threads ran "${iso.setup.wasm}" (${num(threadGain)}× single-threaded); the site's build started "${site.title}"` +
      `; webgl is SwiftShader (CPU); kernels/step ${kernels.layers} → ${kernels.flat} — goal ≥ ${GOAL}× on wasm ${mark(met)}`;
    return {
      line,
      rows: [
        { what: 'Training speed, tfjs wasm (no threads) / ConvNetJS', value: `${num(ratio('wasm'))}× (${num(eps('wasm'))} vs ${num(eps('convnetjs'))} examples/s)`, goal: `≥ ${GOAL}×`, met },
        {
          what: `Training speed, tfjs wasm + threads (COOP/COEP, ${REPORTED_CORES} cores reported on ${os.cpus().length}: "${iso.setup.wasm}") / ConvNetJS`,
          value: `${num(ratio('wasm-threads'))}× (${num(eps('wasm-threads'))} examples/s; ${num(threadGain)}× single-threaded wasm)`,
          goal: '—',
          met: null,
        },
        {
          what: "WASM threads start in the site's own build (Next; /training/optimizers/?backend=wasm with COOP/COEP + CSP)",
          value: `"${site.title}" (tfjs getThreadsCount ${site.threads})`,
          goal: '> 1 thread',
          met: site.threads > 1,
        },
        { what: 'Before: tf.layers + tf.train.adadelta on wasm / ConvNetJS', value: `${num(ratio('wasm-layers'))}×`, goal: '—', met: null },
        { what: 'tfjs cpu / ConvNetJS', value: `${num(ratio('cpu'))}×`, goal: '—', met: null },
        { what: 'tfjs webgl on SwiftShader / ConvNetJS (before → after)', value: `${num(ratio('webgl-layers'))}× → ${num(ratio('webgl'))}×`, goal: '—', met: null },
        { what: 'Kernels per training step on wasm (tf.layers → flat trainer)', value: `${kernels.layers} → ${kernels.flat}`, goal: '—', met: null },
      ],
      data: { goal: GOAL, runMs: RUN_MS, rounds: ROUNDS, setup: { plain: plain.setup, isolated: iso.setup, reportedCores: REPORTED_CORES }, site, threadGain, kernels, breakdownWasm: split, summary, runs, bestRatio: best },
    };
  } finally {
    await plain.close();
    await iso.close();
    await new Promise((r) => isolated.server.close(() => r(null)));
  }
}
