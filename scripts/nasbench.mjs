// Trains every cell of the site's NAS benchmark (demos/runtime/nasbench/) and writes
// public/data/nasbench/{cells.csv,manifest.json}. Seeded; resumable: each worker appends to
// bench/.tmp/nasbench/part-<k>.csv and a new run skips the cells already there.
// Usage: npm run nasbench [-- --processes 2] [--limit N] [--merge-only]
//   --processes n   worker processes in parallel (default 2, at most 2)
//   --limit N       each worker trains at most N more cells, then stops (timing runs)
//   --merge-only    only merge the partial files already written
//   (internal) --worker k --of n   run as worker k of n
// The logic lives in scripts/nasbench-run.ts (imported via ./run-ts.mjs).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importTs } from './run-ts.mjs';

const { values } = parseArgs({
  options: {
    processes: { type: 'string' },
    limit: { type: 'string' },
    worker: { type: 'string' },
    of: { type: 'string' },
    'merge-only': { type: 'boolean' },
  },
});
const partialDir = path.join('bench', '.tmp', 'nasbench');
const outDir = path.join('public', 'data', 'nasbench');
const limit = values.limit === undefined ? undefined : Number(values.limit);
const m = await importTs('scripts/nasbench-run.ts');

if (values.worker !== undefined) {
  await m.runWorker(Number(values.worker), Number(values.of), partialDir, limit);
} else {
  const n = Math.min(2, Math.max(1, Number(values.processes ?? 2)));
  const t0 = performance.now();
  if (!values['merge-only']) {
    const runs = Array.from({ length: n }, (_, k) => {
      const args = ['scripts/nasbench.mjs', '--worker', String(k), '--of', String(n)];
      if (limit !== undefined) args.push('--limit', String(limit));
      const child = spawn(process.execPath, args, { stdio: 'inherit' });
      return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${k} exited with ${code}`)))));
    });
    await Promise.all(runs);
  }
  try {
    const manifest = await m.mergeResults(partialDir, outDir, { processes: n, wallMinutes: (performance.now() - t0) / 60000 });
    console.log(`wrote ${outDir}: ${manifest.cells} cells (${manifest.trained} trained), ${manifest.trainSecondsTotal} s of training, sha256 ${manifest.sha256}`);
  } catch (e) {
    console.log(e.message);
    if (limit === undefined) process.exit(1);
  }
}
