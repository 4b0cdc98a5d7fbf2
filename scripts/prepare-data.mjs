// Builds the MNIST shards the site serves: public/data/mnist/{manifest.json,*.adlm}.
// Usage: node scripts/prepare-data.mjs [outDir]   (run from the repo root; `npm run data`)
// The logic is TypeScript (scripts/mnist-node.ts, shared with tests); esbuild bundles it in memory
// and we import the bundle from a data: URL, so there is no build step and no temp file.
import { build } from 'esbuild';
import path from 'node:path';

const t0 = performance.now();
const outDir = path.resolve(process.argv[2] ?? 'public/data/mnist');
const bundle = await build({
  entryPoints: ['scripts/mnist-node.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  logLevel: 'warning',
});
const code = bundle.outputFiles[0].text;
const { prepareMnistShards } = await import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));
const manifest = prepareMnistShards({ outDir });

const bytes = (split) => manifest.shards.filter((s) => s.split === split).reduce((n, s) => n + s.bytes, 0);
for (const split of ['test', 'train']) {
  const n = manifest.shards.filter((s) => s.split === split).length;
  console.log(`mnist ${split}: ${manifest.counts[split]} digits, ${n} shards, ${bytes(split)} bytes`);
}
console.log(`wrote ${path.relative(process.cwd(), outDir)} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
