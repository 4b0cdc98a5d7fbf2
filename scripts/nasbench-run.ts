/**
 * Node side of `npm run nasbench` (scripts/nasbench.mjs): trains the benchmark's cells on the tfjs wasm
 * backend and writes public/data/nasbench/{cells.csv,manifest.json}. One worker process trains the
 * canonical cells k, k + n, k + 2n, … of the list and appends one line per cell to its partial file, so a
 * stopped run resumes where it was; the parent merges the partial files when every worker is done.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_SETTINGS, benchData, trainCell } from '../demos/runtime/nasbench/build';
import { canonical, canonicalCells, cellCost, describe, SPACE_SIZE } from '../demos/runtime/nasbench/space';
import { BENCH_FORMAT, BENCH_HEADER, formatBenchLine, parseBenchTable, sha256Hex, type BenchManifest } from '../demos/runtime/nasbench/table';
import { loadMnistNode } from './mnist-node';
import { useNodeBackend } from './tf-node';

/** A partial file's line: index,val,test,params,seconds (params as measured on the built model). */
interface PartialRow {
  index: number;
  val: number;
  test: number;
  params: number;
  seconds: number;
}

function readPartial(file: string): Map<number, PartialRow> {
  const rows = new Map<number, PartialRow>();
  if (!fs.existsSync(file)) return rows;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.split(',').map(Number);
    // A line cut short by a killed process has fewer fields or NaNs: it is trained again.
    if (f.length !== 5 || f.some((x) => !Number.isFinite(x))) continue;
    rows.set(f[0], { index: f[0], val: f[1], test: f[2], params: f[3], seconds: f[4] });
  }
  return rows;
}

/** Trains worker `k` of `n`'s share of the canonical cells not yet in its partial file (`limit`: at most that many). */
export async function runWorker(k: number, n: number, partialDir: string, limit = Infinity): Promise<void> {
  await useNodeBackend('wasm');
  fs.mkdirSync(partialDir, { recursive: true });
  const file = path.join(partialDir, `part-${k}.csv`);
  const done = readPartial(file);
  const mine = canonicalCells().filter((index, i) => i % n === k && !done.has(index));
  const data = benchData(loadMnistNode('train'), loadMnistNode('test'));
  const t0 = performance.now();
  let count = 0;
  for (const index of mine.slice(0, limit)) {
    const r = await trainCell(index, data);
    const formula = cellCost(index).params;
    if (r.params !== formula) throw new Error(`cell ${index}: the model has ${r.params} parameters, the formula ${formula}`);
    fs.appendFileSync(file, `${index},${r.validationAccuracy},${r.testAccuracy},${r.params},${r.trainSeconds.toFixed(3)}\n`);
    count++;
    const avg = (performance.now() - t0) / 1000 / count;
    console.log(
      `[${k}/${n}] ${count}/${mine.length} cell ${index} ${describe(index)}: val ${r.validationAccuracy.toFixed(4)} test ${r.testAccuracy.toFixed(4)} ` +
        `${r.trainSeconds.toFixed(1)} s (avg ${avg.toFixed(1)} s/cell, ~${((avg * (mine.length - count)) / 60).toFixed(0)} min left)`,
    );
  }
}

/** Merges the partial files into outDir/cells.csv + manifest.json; throws if a canonical cell is missing. */
export async function mergeResults(partialDir: string, outDir: string, info: { processes: number; wallMinutes: number }): Promise<BenchManifest> {
  const rows = new Map<number, PartialRow>();
  for (const f of fs.existsSync(partialDir) ? fs.readdirSync(partialDir) : []) {
    if (/^part-\d+\.csv$/.test(f)) for (const [i, r] of readPartial(path.join(partialDir, f))) rows.set(i, r);
  }
  const trained = canonicalCells();
  const missing = trained.filter((i) => !rows.has(i));
  if (missing.length) throw new Error(`nasbench: ${missing.length} of ${trained.length} cells not trained yet (first: ${missing[0]}); run again to resume`);
  const lines = [BENCH_HEADER];
  for (let i = 0; i < SPACE_SIZE; i++) {
    const r = rows.get(canonical(i))!;
    lines.push(formatBenchLine(i, { val: r.val, test: r.test, seconds: r.seconds }));
  }
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'cells.csv'), bytes);
  const manifest: BenchManifest = {
    format: BENCH_FORMAT,
    version: 1,
    file: 'cells.csv',
    bytes: bytes.length,
    sha256: await sha256Hex(bytes),
    cells: SPACE_SIZE,
    trained: trained.length,
    seed: BENCH_SETTINGS.seed,
    date: new Date().toISOString(),
    settings: BENCH_SETTINGS,
    backend: 'tfjs wasm in Node, 2-core machine shared with other jobs',
    processes: info.processes,
    wallMinutes: Math.round(info.wallMinutes * 10) / 10,
    trainSecondsTotal: Math.round(trained.reduce((s, i) => s + rows.get(i)!.seconds, 0)),
  };
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  await parseBenchTable(manifest, bytes); // the file the site loads passes the loader's own checks
  return manifest;
}
