// `npm run soak [-- --minutes 10] [--backend webgl|wasm|cpu] [--out docs/soak.json]`: runs the heaviest
// training demo (dropout, on its embed page) in headless Chromium for a while, resuming it whenever it
// stops at its step budget, and samples every 10 s: the JS heap after a forced GC, tfjs's live tensors
// and bytes, and training steps done. Prints the samples and the least-squares slope per minute of each
// (a leak shows as a steady positive slope); writes them to docs/soak.json. Not part of CI: needs out/.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { serve } from './serve.mjs';

const DEMO = 'dropout';
const SAMPLE_MS = 10_000;

/** --name value pairs from argv. */
function options(argv) {
  const o = { minutes: 10, backend: '', out: 'docs/soak.json' };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in o)) throw new Error(`unknown option ${argv[i]} (have: ${Object.keys(o).map((k) => `--${k}`).join(', ')})`);
    o[key] = key === 'minutes' ? Number(argv[++i]) : argv[++i];
  }
  if (!(o.minutes > 0)) throw new Error('--minutes must be a positive number');
  if (o.backend && !['webgl', 'wasm', 'cpu'].includes(o.backend)) throw new Error('--backend must be webgl, wasm or cpu');
  return o;
}

/** Least-squares slope of ys against xs (NaN with fewer than two distinct xs). */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

async function main() {
  const opt = options(process.argv.slice(2));
  const root = path.resolve('out');
  if (!fs.existsSync(path.join(root, 'embed', DEMO, 'index.html'))) throw new Error('out/ is missing: run `npm run build` first');
  const { server, url } = await serve({ root, port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  const problems = [];
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    const address = `${url}/embed/${DEMO}/${opt.backend ? `?backend=${opt.backend}` : ''}`;
    await page.goto(address);
    const frame = page.locator(`[data-demo="${DEMO}"]`);
    await frame.scrollIntoViewIfNeeded();
    await page.waitForSelector(`[data-demo="${DEMO}"][data-state="ready"], [data-demo="${DEMO}"][data-state="error"]`, { timeout: 120_000 });
    if ((await frame.getAttribute('data-state')) === 'error') throw new Error(`the demo failed: ${await frame.locator('.demo-error').textContent()}`);
    const backend = (await frame.locator('.badge').textContent())?.trim();
    // Keep it training: press Resume whenever it stops at its step budget.
    await page.evaluate((id) => {
      setInterval(() => {
        const f = document.querySelector(`[data-demo="${id}"]`);
        if (f?.querySelector('[data-running="0"]')) f.querySelector('[data-action="play"]')?.click();
      }, 500);
    }, DEMO);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');

    const samples = [];
    let stepsTotal = 0;
    let lastSteps = 0;
    const t0 = Date.now();
    const end = t0 + opt.minutes * 60_000;
    console.log(`soak: ${DEMO} on ${backend} for ${opt.minutes} min, a sample every ${SAMPLE_MS / 1000} s (${address})`);
    console.log('    t/s   heap/MB  tf bytes/MB  tensors     steps  state');
    for (let next = t0; ; next += SAMPLE_MS) {
      const wait = next - Date.now();
      if (wait > 0) await page.waitForTimeout(wait);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const m = await page.evaluate((id) => {
        const mem = window.__adl.tf.memory();
        const f = document.querySelector(`[data-demo="${id}"]`);
        const step = /step (\d+)/.exec(f?.querySelector('.status-line')?.textContent ?? '');
        return { numBytes: mem.numBytes, numTensors: mem.numTensors, steps: step ? Number(step[1]) : 0, state: f?.getAttribute('data-state') ?? '?' };
      }, DEMO);
      // The demo's counter restarts when a run is reset; count steps across restarts.
      stepsTotal += m.steps >= lastSteps ? m.steps - lastSteps : m.steps;
      lastSteps = m.steps;
      const s = { t: (Date.now() - t0) / 1000, heapBytes: usedSize, tfBytes: m.numBytes, tfTensors: m.numTensors, steps: stepsTotal, state: m.state };
      samples.push(s);
      console.log(
        `${s.t.toFixed(0).padStart(7)} ${(s.heapBytes / 2 ** 20).toFixed(2).padStart(9)} ${(s.tfBytes / 2 ** 20).toFixed(3).padStart(12)} ${String(s.tfTensors).padStart(8)} ${String(s.steps).padStart(9)}  ${s.state}`,
      );
      if (m.state === 'error') {
        problems.push(`the demo stopped: ${await frame.locator('.demo-error').textContent()}`);
        break;
      }
      if (Date.now() >= end) break;
    }

    const minutes = samples.map((s) => s.t / 60);
    const slopes = {
      heapBytesPerMin: slope(minutes, samples.map((s) => s.heapBytes)),
      tfBytesPerMin: slope(minutes, samples.map((s) => s.tfBytes)),
      tfTensorsPerMin: slope(minutes, samples.map((s) => s.tfTensors)),
      stepsPerMin: slope(minutes, samples.map((s) => s.steps)),
    };
    console.log(
      `slopes per minute: heap ${(slopes.heapBytesPerMin / 1024).toFixed(1)} KiB, tf bytes ${(slopes.tfBytesPerMin / 1024).toFixed(2)} KiB, ` +
        `tensors ${slopes.tfTensorsPerMin.toFixed(3)}, steps ${slopes.stepsPerMin.toFixed(0)}`,
    );
    if (problems.length) console.log(`problems:\n  ${problems.join('\n  ')}`);
    const report = { date: new Date().toISOString(), demo: DEMO, url: address.replace(url, ''), backend, minutes: opt.minutes, sampleSeconds: SAMPLE_MS / 1000, slopes, problems, samples };
    fs.mkdirSync(path.dirname(path.resolve(opt.out)), { recursive: true });
    fs.writeFileSync(opt.out, JSON.stringify(report, null, 1) + '\n');
    console.log(`wrote ${opt.out}`);
    return problems.length ? 1 : 0;
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
}

process.exitCode = await main();
