// Main-thread CPU of animated demos while they play, which a machine loaded by other jobs changes much less than
// frame times:
//   node scripts/frame-cpu.mjs [id …] [--backend wasm] [--seconds 5] [--root out] [--trace DIR] [--tasks] [--detail 8] [--profile N]
// For each demo (default: every demo whose page has one), on Chromium with --disable-gpu (software raster and
// compositing, as the benchmark's smoothness figure is judged): open its page with ?backend=…, scroll to it, pause it
// if it autoplays, press Play and for a few seconds trace it, with long tasks (PerformanceObserver), rAF deltas and the
// demo's own counters (data-frames, "step N"). Prints per demo: the main thread's CPU time (the trace's thread time,
// not wall time) per loop frame (a step call and its drawing) and by kind of work (rAF callbacks, React's tasks,
// layout, paint), the CPU of the longest task, rAF p95, long tasks (wall), steps/s, and how long a fixed JavaScript
// loop took in the page (how fast the machine was then). Demos without a Play button are skipped.
// --root: another build (main's out/, for a before/after). --tasks: the main-thread tasks over --detail ms of CPU,
// each with the kinds of work inside it. --profile N: the N functions with the most self time (CDP CPU profile).
// --trace DIR: keep the traces (DIR/<id>.json, for DevTools).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : d;
};
const valued = new Set(['--backend', '--seconds', '--trace', '--profile', '--detail', '--root']);
const ids = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && valued.has(args[i - 1])));
const backend = opt('backend', 'wasm');
const seconds = Number(opt('seconds', 5));
const traceDir = opt('trace') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'frame-cpu-'));
const detailMs = Number(opt('detail', 8));
const profileTop = Number(opt('profile', 0));

/** The page of each demo, from the notes' <Demo id="…"> tags (the first page that shows it). */
function demoRoutes() {
  const map = {};
  for (const part of fs.readdirSync('content', { withFileTypes: true })) {
    if (!part.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join('content', part.name)).filter((n) => n.endsWith('.mdx'))) {
      const src = fs.readFileSync(path.join('content', part.name, f), 'utf8');
      for (const m of src.matchAll(/<Demo\s+[^>]*id="([^"]+)"/g)) map[m[1]] ??= `/${part.name}/${f.replace(/\.mdx$/, '')}/`;
    }
  }
  return map;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));

/**
 * From a trace: the renderer main thread's tasks (wall and CPU time: a loaded machine stretches the first, hardly
 * the second), the CPU of the renderer's other threads and of the GPU process (compositing, raster), and the kinds
 * of work inside each task whose CPU time is over `overMs`.
 */
function traceSummary(trace, overMs) {
  const events = trace.traceEvents ?? trace;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const threads = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}/${e.tid}`, e.args.name]));
  const tops = events.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.tdur >= 0);
  const cpuOf = {};
  for (const e of tops) {
    const name = threads.get(`${e.pid}/${e.tid}`) ?? '?';
    if (e.pid === main.pid && e.tid === main.tid) continue;
    const group = /Compositor|Viz|TileWorker|ThreadPoolForeground/.test(name) ? (e.pid === main.pid ? 'renderer other threads' : 'GPU process') : null;
    if (group) cpuOf[group] = (cpuOf[group] ?? 0) + e.tdur / 1000;
  }
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = mine.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const KINDS = ['FireAnimationFrame', 'FunctionCall', 'TimerFire', 'EventDispatch', 'RunMicrotasks', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MinorGC', 'MajorGC', 'V8.GC_MC_BACKGROUND_MARKING'];
  const kindsOf = (t) => {
    const inside = mine.filter((e) => e !== t && KINDS.includes(e.name) && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
    // Only the outermost event of these kinds (a FunctionCall inside FireAnimationFrame counts once).
    const outer = inside.filter((e) => !inside.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur));
    const kinds = {};
    for (const e of outer) kinds[e.name] = (kinds[e.name] ?? 0) + (e.tdur ?? e.dur) / 1000;
    return kinds;
  };
  const show = (kinds, scale = 1) =>
    Object.entries(kinds)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, v]) => `${k} ${f1(v / scale)}`)
      .join(', ');
  const all = {};
  for (const t of tasks) for (const [k, v] of Object.entries(kindsOf(t))) all[k] = (all[k] ?? 0) + v;
  const detail = tasks.filter((t) => t.tdur / 1000 > overMs).map((t) => ({ cpu: t.tdur / 1000, wall: t.dur / 1000, kinds: show(kindsOf(t)) }));
  return { cpu: tasks.reduce((s, t) => s + t.tdur / 1000, 0), maxCpu: Math.max(0, ...tasks.map((t) => t.tdur / 1000)), other: cpuOf, detail, kinds: (n) => show(all, n) };
}

/** Self time per function (url:line name) of a CDP CPU profile, the top n. */
function topSelf(profile, n) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const cf = node.callFrame;
    const key = `${cf.functionName || '(anon)'} ${cf.url ? cf.url.split('/').pop() : ''}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i + 1] ?? 0) / 1000);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
}

/** A fixed JavaScript loop's milliseconds in the page: how fast this machine is right now (load slows it too). */
const CALIBRATE = () => {
  const t = performance.now();
  let s = 0;
  for (let i = 0; i < 2e7; i++) s += Math.sqrt(i);
  return [performance.now() - t, s][0];
};

const routes = demoRoutes();
const wanted = ids.length ? ids : Object.keys(routes);
const { server, url } = await serve({ root: opt('root', 'out'), port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const id of wanted) {
    const route = routes[id] ?? `/embed/${id}/`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${url}${route}?backend=${backend}`, { waitUntil: 'load' });
      const frame = `[data-demo="${id}"]`;
      await page.waitForSelector(frame, { state: 'attached' });
      await page.evaluate((s) => document.querySelector(s)?.scrollIntoView({ block: 'center' }), frame);
      await page.waitForSelector(`${frame}[data-state="ready"]`, { timeout: 90_000 });
      const sel = (a) => `${frame} [data-action="${a}"]`;
      if ((await page.locator(`${sel('play')}, ${sel('pause')}`).count()) === 0) {
        console.log(`${id}: not animated`);
        continue;
      }
      if (await page.locator(sel('pause')).count()) await page.locator(sel('pause')).click();
      await page.waitForSelector(`${frame} [data-running="0"]`);
      await page.waitForTimeout(300);
      const calibration = Math.min(await page.evaluate(CALIBRATE), await page.evaluate(CALIBRATE));
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      if (profileTop) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      {
        fs.mkdirSync(traceDir, { recursive: true });
        await browser.startTracing(page, { path: path.join(traceDir, `${id}.json`), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink.user_timing'] });
      }
      await page.evaluate(() => {
        const s = { deltas: [], long: [], alive: true };
        let last = -1;
        const tick = (t) => {
          if (last >= 0) s.deltas.push(t - last);
          last = t;
          if (s.alive) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        s.obs = new PerformanceObserver((l) => l.getEntries().forEach((e) => s.long.push(e.duration)));
        s.obs.observe({ type: 'longtask' });
        window.__cpu = s;
      });
      const counters = () =>
        page.evaluate((d) => {
          const bar = document.querySelector(`[data-demo="${d}"] [data-frames]`);
          const status = bar.querySelector('.status-line')?.textContent ?? '';
          return { frames: Number(bar.getAttribute('data-frames')), step: Number(/step (\d+)/.exec(status)?.[1] ?? 0), running: bar.getAttribute('data-running') === '1', t: performance.now() };
        }, id);
      const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
      const m0 = await metrics();
      const c0 = await counters();
      await page.locator(sel('play')).click();
      let c1 = c0;
      let resumes = 0;
      let frames = 0;
      let steps = 0;
      let base = c0;
      for (;;) {
        await page.waitForTimeout(250);
        c1 = await counters();
        if (c1.t - c0.t >= seconds * 1000) break;
        if (!c1.running && (await page.locator(sel('play')).count()) && resumes < 20) {
          // Stopped at its budget: resume (counters restart when a run ends and a new one begins).
          frames += Math.max(0, c1.frames - base.frames);
          steps += Math.max(0, c1.step - base.step);
          resumes++;
          await page.locator(sel('play')).click();
          base = await counters();
        }
      }
      const m1 = await metrics();
      frames += Math.max(0, c1.frames - base.frames);
      steps += Math.max(0, c1.step - base.step);
      const { deltas, long } = await page.evaluate(() => {
        window.__cpu.alive = false;
        window.__cpu.obs.disconnect();
        return { deltas: window.__cpu.deltas, long: window.__cpu.long };
      });
      await browser.stopTracing();
      const profile = profileTop ? (await cdp.send('Profiler.stop')).profile : null;
      if (await page.locator(sel('pause')).count()) await page.locator(sel('pause')).click();
      const secs = (c1.t - c0.t) / 1000;
      const d = (k) => 1000 * (m1[k] - m0[k]);
      const n = Math.max(1, frames);
      const tr = traceSummary(JSON.parse(fs.readFileSync(path.join(traceDir, `${id}.json`), 'utf8')), detailMs);
      const other = Object.entries(tr.other).map(([k, v]) => `${k} ${f1(v / n)}`).join(', ');
      console.log(
        `${id} (${backend}): main-thread CPU ${f1(tr.cpu / n)} ms per loop frame (wall ${f1(d('TaskDuration') / n)}; ${other}); longest task CPU ${f1(tr.maxCpu)} ms, ${tr.detail.length} over ${detailMs} ms; ` +
          `${f1(frames / secs)} loop frames/s, ${f1(deltas.length / secs)} display frames/s, rAF p95 ${f1(pct(deltas, 95))} ms; ` +
          `${long.length} long tasks (wall)${long.length ? ` max ${f1(Math.max(...long))} ms` : ''}; ${f1(steps / secs)} steps/s${resumes ? `, resumed ${resumes}×` : ''}; calibration loop ${f1(calibration)} ms`,
      );
      console.log(`    per loop frame: ${tr.kinds(n)}`);
      if (profile) for (const [k, ms] of topSelf(profile, profileTop)) console.log(`    ${f1(ms).padStart(7)} ms  ${k}`);
      if (args.includes('--tasks')) for (const t of tr.detail.sort((a, b) => b.cpu - a.cpu).slice(0, 12)) console.log(`    CPU ${f1(t.cpu).padStart(5)} ms (wall ${f1(t.wall)}): ${t.kinds}`);
    } catch (e) {
      console.log(`${id}: failed: ${e.message.split('\n')[0]}`);
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
