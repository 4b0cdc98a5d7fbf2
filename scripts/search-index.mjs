// Full-text search index for the static site: run after `next build` (npm's postbuild), it reads the
// exported pages in out/ and writes pagefind's index and its small runtime to out/pagefind/. The
// search dialog (components/Search.tsx) loads it only when a reader opens search.
//
// Only the notes are indexed: section pages mark their <main> with data-pagefind-body (so every other
// page is skipped) and their navigation with data-pagefind-ignore. The selectors below drop what is
// not prose: the live demo frames, heading "#" links, the reference list, and display formulas
// (as text they read as noise in an excerpt). Inline math keeps only KaTeX's MathML copy, so "g²"
// is indexed once, not three times (MathML, TeX annotation and the visual HTML).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';

export const EXCLUDE = ['[data-demo]', 'figure.demo', 'a.anchor', '.references', '.katex-display', '.katex-html', 'annotation'];

// pagefind also writes its ready-made UIs; the site has its own dialog, so they are not shipped.
const UNUSED = /^pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)$/;

/** Index `site` (the exported out/ directory) into `site/pagefind`; returns page count and sizes in bytes. */
export async function buildSearchIndex(site = 'out') {
  const { index, errors } = await pagefind.createIndex({ excludeSelectors: EXCLUDE, forceLanguage: 'en' });
  if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
  const added = await index.addDirectory({ path: site });
  if (added.errors.length) throw new Error(`pagefind: ${added.errors.join('; ')}`);
  const outputPath = path.join(site, 'pagefind');
  fs.rmSync(outputPath, { recursive: true, force: true });
  const written = await index.writeFiles({ outputPath });
  if (written.errors.length) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
  for (const f of fs.readdirSync(outputPath)) if (UNUSED.test(f)) fs.rmSync(path.join(outputPath, f));
  // Runtime (pagefind.js, its worker and wasm) is the same for any site; the index grows with the notes.
  const size = { runtime: 0, index: 0, files: 0 };
  for (const f of fs.readdirSync(outputPath, { recursive: true, encoding: 'utf8' })) {
    const st = fs.statSync(path.join(outputPath, f));
    if (!st.isFile()) continue;
    size.files += 1;
    if (/\.pf_(meta|index|fragment|filter)$|pagefind-entry\.json$/.test(f)) size.index += st.size;
    else size.runtime += st.size;
  }
  const pages = fs.readdirSync(path.join(outputPath, 'fragment')).length;
  return { pages, ...size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const site = process.argv[2] ?? 'out';
  if (!fs.existsSync(path.join(site, 'index.html'))) {
    console.error(`search-index: ${site}/index.html is missing: run next build first`);
    process.exit(1);
  }
  const { pages, runtime, index, files } = await buildSearchIndex(site);
  if (pages === 0) {
    console.error('search-index: no page has data-pagefind-body; nothing indexed');
    process.exit(1);
  }
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`search-index: ${pages} pages → ${site}/pagefind/ (${files} files: index ${kib(index)}, runtime ${kib(runtime)})`);
}
