// `npm run bench [-- --only weight,convnet,start,smooth,lighthouse]`: performance and reliability,
// measured in headless Chromium against the built site (see bench/main.ts and docs/benchmarks.md).
// The benchmark is TypeScript; esbuild bundles it into bench/.tmp/ (git-ignored) with every npm package
// left external, so playwright-core and lighthouse load from node_modules as usual.
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const outfile = path.resolve('bench/.tmp/bench.mjs');
await build({
  entryPoints: ['bench/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'warning',
  plugins: [
    {
      // The demo registry lazily imports React views; the benchmark only needs the ids and titles.
      name: 'skip-demo-views',
      setup(b) {
        b.onResolve({ filter: /\/View$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
