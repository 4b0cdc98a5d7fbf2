// Import a TypeScript module from a plain Node script, with no build step and no temp file: esbuild
// bundles it (and its dependencies, tfjs included) in memory and we import the bundle from a data: URL.
// Node 20 has no type stripping and the repo has no tsx/ts-node; esbuild ships with the site anyway.
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Bundles `entry` (a path relative to the cwd, e.g. 'scripts/mnist-node.ts') and returns its exports.
 * A data: URL module has no `require`, `__dirname` or `__filename`, which bundled CommonJS packages
 * (tfjs's Node builds, emscripten) use; the banner defines them as if the code lived at `entry`.
 */
export async function importTs(entry) {
  const file = path.resolve(entry);
  const banner = [
    `import { createRequire as __adlCreateRequire } from 'node:module';`,
    `const require = __adlCreateRequire(${JSON.stringify(pathToFileURL(file).href)});`,
    `const __filename = ${JSON.stringify(file)};`,
    `const __dirname = ${JSON.stringify(path.dirname(file))};`,
  ].join('\n');
  const bundle = await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'warning',
    banner: { js: banner },
  });
  const code = bundle.outputFiles[0].text;
  return import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));
}
