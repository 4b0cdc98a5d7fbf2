import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

declare module 'vitest' {
  interface TaskMeta {
    /** The demos a test is about: its time is theirs (set by tests; else found from a route in its name). */
    demos?: string[];
    /** Milliseconds from a demo becoming visible to its first result (`__adl`), with the backend. */
    start?: { demo: string; backend: string; ms: number };
  }
}

/** The course's planned number of demos: the projection's multiplier. */
export const PLANNED_DEMOS = 45;

/** What a run cost, per demo: written to $ADL_TIMING as JSON for .ci/run. */
export interface TimingSummary {
  wall: number;
  fixed: number;
  perDemo: Record<string, number>;
  projected: number;
  slowest: { name: string; seconds: number; timeout: number };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The demos a built route shows (a notes page and its lecture view: their <Demo> tags; an embed: its one). */
function routeDemos(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const root = path.resolve('content');
  if (!fs.existsSync(root)) return map;
  for (const part of fs.readdirSync(root, { withFileTypes: true })) {
    if (!part.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(root, part.name)).filter((x) => x.endsWith('.mdx'))) {
      const ids = [...fs.readFileSync(path.join(root, part.name, f), 'utf8').matchAll(/<Demo\s+[^>]*id="([^"]+)"/g)].map((m) => m[1]);
      const route = `/${part.name}/${f.replace(/\.mdx$/, '')}/`;
      map.set(route, ids);
      map.set(`/lecture${route}`, ids);
      for (const id of ids) map.set(`/embed/${id}/`, [id]);
    }
  }
  return map;
}

/**
 * Prints, after a run, what each file and each demo cost, the five slowest demos, the slowest test
 * against its timeout, and the projected time with PLANNED_DEMOS demos: fixed cost + mean cost per demo ×
 * PLANNED_DEMOS. A test's time goes to the demos in its meta (`task.meta.demos`), else to the demos of
 * a route named in it (`/training/dropout/ …`), else — for unit tests — to the demo folder it lives in.
 * Everything else is fixed cost. Tests of one run overlap when files run in parallel (unit tests): the
 * per-demo shares are then scaled to the wall time.
 */
export default class TimingReporter implements Reporter {
  private started = performance.now();

  onInit() {
    this.started = performance.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const wall = performance.now() - this.started;
    const byRoute = routeDemos();
    const perDemo = new Map<string, number>();
    // Per demo, what each file spent on it: where to look when a demo is slow.
    const byFile = new Map<string, Map<string, number>>();
    const add = (id: string, file: string, ms: number) => {
      perDemo.set(id, (perDemo.get(id) ?? 0) + ms);
      const f = byFile.get(id) ?? new Map<string, number>();
      f.set(file, (f.get(file) ?? 0) + ms);
      byFile.set(id, f);
    };
    const starts: string[] = [];
    const files: [string, number][] = [];
    let total = 0;
    let slowest = { name: '', ms: 0, timeout: Infinity };
    const tests: TestCase[] = [];
    for (const m of modules) {
      const d = m.diagnostic();
      const fileMs = d.duration + d.collectDuration + d.prepareDuration + d.setupDuration + d.environmentSetupDuration;
      files.push([m.relativeModuleId, fileMs]);
      total += fileMs;
      const folder = /(?:^|\/)demos\/(?!ui\/|runtime\/)([^/]+)\//.exec(m.relativeModuleId)?.[1];
      if (folder) add(folder, m.relativeModuleId, fileMs);
      for (const t of m.children.allTests()) {
        if (t.result().state === 'skipped') continue;
        tests.push(t);
        const ms = t.diagnostic()?.duration ?? 0;
        const timeout = t.options.timeout ?? Infinity;
        if (ms / timeout > slowest.ms / slowest.timeout) slowest = { name: `${m.relativeModuleId} › ${t.fullName}`, ms, timeout };
        const meta = t.meta();
        if (meta.start) starts.push(`${meta.start.demo} on ${meta.start.backend}: ${meta.start.ms.toFixed(0)} ms`);
        if (folder) continue;
        const named = [...t.fullName.matchAll(/\/[\w-]+(?:\/[\w-]+)*\//g)].flatMap((r) => byRoute.get(r[0]) ?? []);
        const ids = meta.demos ?? [...new Set(named)];
        for (const id of ids) add(id, m.relativeModuleId, ms / ids.length);
      }
    }
    if (!tests.length) return;
    // Files in parallel: scale the summed durations to the wall time they took together.
    const scale = total > wall ? wall / total : 1;
    const demoMs = [...perDemo].map(([id, ms]) => [id, ms * scale] as const).sort((a, b) => b[1] - a[1]);
    const attributed = demoMs.reduce((n, [, ms]) => n + ms, 0);
    const fixed = Math.max(0, wall - attributed);
    const mean = demoMs.length ? attributed / demoMs.length : 0;
    const projected = fixed + mean * PLANNED_DEMOS;

    const out: string[] = ['', `Timing (${tests.length} tests in ${modules.length} files, ${s(wall)} wall)`];
    out.push('  per file:', ...files.sort((a, b) => b[1] - a[1]).map(([f, ms]) => `    ${s(ms).padStart(8)}  ${f}`));
    if (demoMs.length) {
      const parts = (id: string) =>
        [...byFile.get(id)!]
          .sort((a, b) => b[1] - a[1])
          .map(([f, ms]) => `${path.basename(f).replace(/\.(e2e|test)\.tsx?$/, '')} ${s(ms * scale)}`)
          .join(', ');
      out.push('  per demo (its tests, and its pages’ share of per-page tests):', ...demoMs.map(([id, ms]) => `    ${s(ms).padStart(8)}  ${id} (${parts(id)})`));
      out.push(`  five slowest demos: ${demoMs.slice(0, 5).map(([id, ms]) => `${id} ${s(ms)}`).join(', ')}`);
      out.push(`  projected with ${PLANNED_DEMOS} demos: fixed ${s(fixed)} + ${PLANNED_DEMOS} × ${s(mean)} (mean of ${demoMs.length}) = ${s(projected)} (${(projected / 60_000).toFixed(1)} min)`);
    }
    if (starts.length) out.push('  first result after the demo became visible (goal on wasm: within 1 s; not asserted):', ...starts.sort().map((x) => `    ${x}`));
    const ratio = slowest.ms / slowest.timeout;
    out.push(`  slowest test against its timeout: ${s(slowest.ms)} of ${s(slowest.timeout)} (${(100 * ratio).toFixed(0)} %, goal under 33 %${ratio >= 1 / 3 ? ' — MISSED' : ''}): ${slowest.name}`);
    console.log(out.join('\n'));

    if (process.env.ADL_TIMING) {
      const summary: TimingSummary = {
        wall: wall / 1000,
        fixed: fixed / 1000,
        perDemo: Object.fromEntries(demoMs.map(([id, ms]) => [id, ms / 1000])),
        projected: projected / 1000,
        slowest: { name: slowest.name, seconds: slowest.ms / 1000, timeout: slowest.timeout / 1000 },
      };
      fs.writeFileSync(process.env.ADL_TIMING, JSON.stringify(summary, null, 2));
    }
  }
}
