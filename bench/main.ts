/**
 * `npm run bench`: performance and reliability, measured. Serves out/ (building it first if it is missing)
 * on 127.0.0.1, drives Debian's headless Chromium, prints one line per figure, and writes
 * docs/benchmarks.json and docs/benchmarks.md. `--only weight,convnet,start,smooth,lighthouse` runs a
 * subset and merges it into the existing results. Figures run one after another, never in parallel.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OUT, startHarness } from '../e2e/harness';
import { pageWeight } from './weight';
import { convnetSpeed } from './convnet';
import { demoStart } from './start';
import { smoothness } from './smooth';
import { lighthouseScores } from './lighthouse';
import { mark, type BenchContext, type FigureResult } from './util';

const FIGURES = {
  weight: { title: 'Page weight', run: pageWeight },
  convnet: { title: 'Training speed vs ConvNetJS', run: convnetSpeed },
  start: { title: 'Demo start', run: demoStart },
  smooth: { title: 'Smoothness', run: smoothness },
  lighthouse: { title: 'Lighthouse', run: lighthouseScores },
} as const;
type FigureName = keyof typeof FIGURES;

const JSON_OUT = path.resolve('docs/benchmarks.json');
const MD_OUT = path.resolve('docs/benchmarks.md');

interface Machine {
  cores: number;
  cpu: string;
  memoryGB: number;
  chromium: string;
  node: string;
  /** 1-minute load average when the run started: the machine may be shared. */
  loadAverage: number;
}

interface Stored {
  figure: FigureName;
  title: string;
  date: string;
  seconds: number;
  machine: Machine;
  line: string;
  rows: FigureResult['rows'];
  data: unknown;
}

function parseOnly(argv: string[]): FigureName[] {
  const i = argv.indexOf('--only');
  const all = Object.keys(FIGURES) as FigureName[];
  if (i < 0) return all;
  const names = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const bad = names.filter((n) => !(n in FIGURES));
  if (bad.length || names.length === 0) throw new Error(`--only takes a comma-separated subset of ${all.join(',')}; got "${argv[i + 1] ?? ''}"`);
  return all.filter((n) => names.includes(n));
}

/** Reuse out/ when it is a complete build (with the floor page); else build it. */
function ensureBuild(log: (m: string) => void): void {
  if (fs.existsSync(path.join(OUT, 'index.html')) && fs.existsSync(path.join(OUT, 'bench-floor', 'index.html'))) return;
  log('out/ is missing or has no bench-floor page: running npm run build');
  const r = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', process.stderr, process.stderr] });
  if (r.status !== 0) throw new Error('npm run build failed');
}

function readStored(): Partial<Record<FigureName, Stored>> {
  try {
    return (JSON.parse(fs.readFileSync(JSON_OUT, 'utf8')) as { figures: Partial<Record<FigureName, Stored>> }).figures ?? {};
  } catch {
    return {};
  }
}

function markdown(figures: Partial<Record<FigureName, Stored>>): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    'Measured by `npm run bench` (bench/main.ts) in headless Chromium against the static build, served on',
    '127.0.0.1 by scripts/serve.mjs. Speeds are ratios measured side by side in one run; absolute times',
    'depend on the machine, which may have been shared with other work (see the load average).',
    '',
    '- Page weight: JavaScript response bodies (decoded; gzip sizes beside) from load to network idle, viewport',
    '  1280×900 at the top, no scrolling, against app/bench-floor (root layout and a heading). The server gzips',
    '  text and sends cache headers, as a static host does.',
    "- Training speed: ConvNetJS 0.3.0's MNIST demo network and trainer (adadelta, batch 20, L2 0.001) against",
    '  the runtime\'s flat trainer (demos/runtime/train.ts) on the same 2,000 MNIST digits (centre 24×24 crops) in',
    '  one page, in interleaved rounds. "Before" is tf.layers with tf.train.adadelta, which also fails to learn',
    "  this network (tfjs divides by the previous step's E[g²]). WebGL here is SwiftShader, a CPU emulation.",
    '- Demo start: the page is scrolled straight to the demo; cold is a fresh browser context, warm a reload in it; a',
    '  demo that misses a goal on wasm in its first pair of loads is the median of three pairs.',
    '- Smoothness: goals judged on wasm with --disable-gpu (software raster and compositing; webgl rows are WebGL',
    '  emulated on the CPU, without a goal); with the browser tests\'',
    '  SwiftShader flags every frame waits on the emulated GPU while the main thread idles.',
    '- Lighthouse 12.2.3, default mobile settings (simulated mid-range phone: 4× CPU slowdown, slow 4G) and the desktop',
    '  preset, Debian Chromium through chrome-launcher; embeds on mobile, without a goal (their demo trains at load).',
    '',
  ];
  for (const name of Object.keys(FIGURES) as FigureName[]) {
    const f = figures[name];
    if (!f) continue;
    const m = f.machine;
    out.push(`## ${f.title}`, '');
    out.push(`${f.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cores} cores (${m.cpu}), ${m.memoryGB} GB · Chromium ${m.chromium} · Node ${m.node} · load average ${m.loadAverage.toFixed(1)} · ${f.seconds.toFixed(0)} s`, '');
    out.push('| measure | value | goal | |', '| --- | --- | --- | --- |');
    for (const r of f.rows) out.push(`| ${r.what} | ${r.value} | ${r.goal} | ${mark(r.met)} |`);
    out.push('');
  }
  out.push('Raw numbers: docs/benchmarks.json.', '');
  return out.join('\n');
}

/** Runs the figures; returns the process exit code (0 even when a goal is missed: the numbers are the product). */
export async function main(argv: string[]): Promise<number> {
  const only = parseOnly(argv);
  const log = (m: string) => process.stderr.write(m + '\n');
  const started = Date.now();
  ensureBuild(log);
  const h = await startHarness();
  const machine: Machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    chromium: h.browser.version(),
    node: process.version,
    loadAverage: os.loadavg()[0],
  };
  log(`bench: ${only.join(', ')} on ${machine.cores} cores, Chromium ${machine.chromium}, load ${machine.loadAverage.toFixed(1)}`);
  const ctx: BenchContext = { h, log };
  const stored = readStored();
  let failed = 0;
  try {
    for (const name of only) {
      const t0 = Date.now();
      try {
        const r = await FIGURES[name].run(ctx);
        console.log(r.line);
        stored[name] = { figure: name, title: FIGURES[name].title, date: new Date().toISOString(), seconds: (Date.now() - t0) / 1000, machine, ...r };
      } catch (e) {
        failed++;
        console.log(`${name}: FAILED — ${(e as Error).stack ?? e}`);
      }
    }
  } finally {
    await h.close();
  }
  fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
  fs.writeFileSync(JSON_OUT, JSON.stringify({ generatedBy: 'npm run bench', figures: stored }, null, 2) + '\n');
  fs.writeFileSync(MD_OUT, markdown(stored));
  log(`bench: ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${path.relative(process.cwd(), JSON_OUT)} and ${path.relative(process.cwd(), MD_OUT)}`);
  return failed ? 1 : 0;
}
