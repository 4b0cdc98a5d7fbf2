// The site pages' client: components/island-entry.tsx bundled with esbuild into out/_islands/ (ES modules,
// split per demo view and per worker), run by scripts/islands.mjs after `next build`. It replaces Next's
// client (router, RSC payload, page-shell hydration) on the pages whose notes are static HTML: there React
// only mounts islands, so it needs none of that, and a phone's first seconds were spent evaluating it.
//
// Workers: the views start theirs as `new Worker(new URL('./x.worker.ts', import.meta.url), …)`, which
// Next's bundler understands and esbuild does not. Each such file becomes an entry point of the same build
// (sharing its chunks) with a fixed address, /_islands/w-<demo>-<name>.worker.js, which the expression is
// rewritten to before bundling. Every other file's name is then the hash of its final content, so a host can
// cache /_islands/ forever except those worker entries (scripts/serve.mjs does).
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const WORKER_URL = /new URL\((['"])(\.{1,2}\/[^'"]+\.worker\.ts)\1,\s*import\.meta\.url\)/g;

/** A worker entry's fixed file name: demos/two-stage/pool.worker.ts → w-two-stage-pool.worker.js. */
export const workerFileName = (rel) => `${rel.replace(/^demos\//, 'w/').replace(/\.ts$/, '').replaceAll('/', '-')}.js`;

/** Every worker file the sources start (`new Worker(new URL('./….worker.ts', import.meta.url))`), by absolute path. */
export function workerFiles(dirs = ['demos', 'components']) {
  const found = new Set();
  for (const dir of dirs) {
    for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(rel) || /\.test\.tsx?$/.test(rel)) continue;
      const file = path.resolve(dir, rel);
      // Code, not the how-to comments that show the expression.
      const code = fs.readFileSync(file, 'utf8').replace(/\/\*[^]*?\*\/|\/\/.*$/gm, '');
      for (const m of code.matchAll(WORKER_URL)) found.add(path.resolve(path.dirname(file), m[2]));
    }
  }
  return [...found].sort();
}

/** Build the client into `<site>/_islands/`; returns the entry's address, e.g. /_islands/island-HASH.js. */
export async function buildIslandClient(site = 'out') {
  const outdir = path.join(site, '_islands');
  fs.rmSync(outdir, { recursive: true, force: true });
  const workers = workerFiles();
  const key = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');
  const entryPoints = { island: 'components/island-entry.tsx' };
  for (const w of workers) entryPoints[workerFileName(key(w)).replace(/\.js$/, '')] = w;
  const workerUrl = (file) => `/${path.relative(site, path.join(outdir, workerFileName(key(file)))).split(path.sep).join('/')}`;
  const result = await build({
    entryPoints,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'firefox115', 'safari16'],
    minify: true,
    outdir,
    entryNames: '[name]-[hash]',
    chunkNames: 'c/[hash]',
    jsx: 'automatic',
    tsconfig: 'tsconfig.json',
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    logOverride: { 'module-level-directive': 'silent' },
    plugins: [
      {
        // Styles are the site's one stylesheet (app/layout.tsx imports uPlot's too): esbuild would write a view's
        // CSS import to a file no page links.
        name: 'no-css',
        setup(b) {
          b.onResolve({ filter: /\.css$/ }, (args) => ({ errors: [{ text: `${args.path} (imported by ${args.importer}): the island client bundles no CSS; import it in app/layout.tsx` }] }));
        },
      },
      {
        // esbuild looks names up without regard to case: mnist-live's './evaluate' found Evaluate.tsx before
        // evaluate.ts. Our relative imports resolve by exact name (as Next's bundler and Node's do).
        name: 'exact-case',
        setup(b) {
          b.onResolve({ filter: /^\.{1,2}\// }, (args) => {
            if (!/[\\/](demos|components|lib)[\\/]/.test(args.importer)) return undefined;
            const base = path.resolve(args.resolveDir, args.path);
            for (const ext of ['', '.ts', '.tsx', '.js', '/index.ts', '/index.tsx']) {
              const file = base + ext;
              if (fs.existsSync(file) && fs.statSync(file).isFile()) return { path: file };
            }
            return undefined;
          });
        },
      },
      {
        name: 'worker-urls',
        setup(b) {
          b.onLoad({ filter: /[\\/](demos|components)[\\/].*\.tsx?$/ }, (args) => {
            const src = fs.readFileSync(args.path, 'utf8');
            if (!src.includes('import.meta.url')) return undefined;
            const contents = src.replace(WORKER_URL, (_, q, rel) => `new URL(${JSON.stringify(workerUrl(path.resolve(path.dirname(args.path), rel)))}, location.href)`);
            return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
          });
        },
      },
    ],
  });
  // The entry's address for the pages; each worker entry moved to the fixed name its starters use.
  let entry = null;
  const workerKeys = new Set(workers.map(key));
  const built = new Set();
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint) continue;
    if (meta.entryPoint === 'components/island-entry.tsx') {
      entry = `/${path.relative(site, out).split(path.sep).join('/')}`;
      continue;
    }
    const rel = key(path.resolve(meta.entryPoint));
    if (!workerKeys.has(rel)) continue; // a dynamic import's chunk (a view, search): hashed like the rest
    fs.renameSync(out, path.join(outdir, workerFileName(rel)));
    built.add(rel);
  }
  if (!entry) throw new Error('island-client: the entry was not built');
  // Most of the entry (React, the demo frame) runs as soon as it loads: V8's compile hint has all of it compiled
  // with the download, off the main thread, instead of each function on the main thread when first called.
  const entryFile = path.join(site, entry);
  fs.writeFileSync(entryFile, `//# allFunctionsCalledOnLoad\n${fs.readFileSync(entryFile, 'utf8')}`);
  const missing = workers.map(key).filter((k) => !built.has(k));
  if (missing.length) throw new Error(`island-client: workers not built: ${missing.join(', ')}`);
  return { entry, workers: workers.length, files: Object.keys(result.metafile.outputs).length };
}
