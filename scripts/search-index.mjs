// Full-text search index for the static site: run after `next build` (npm's postbuild), it reads the
// exported pages in out/ and writes pagefind's index and its small runtime to out/pagefind/. The
// search dialog (components/Search.tsx) loads it only when a reader opens search.
//
// Only the notes are indexed: section pages mark their <main> with data-pagefind-body (so every other
// page is skipped) and their navigation with data-pagefind-ignore. The selectors below drop what is
// not prose: the live demo frames, heading "#" links, and KaTeX's visual HTML (its MathML copy of
// the same formula stays, so a formula is indexed once, not twice).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';

export const EXCLUDE = ['[data-demo]', 'figure.demo', 'a.anchor', '.katex-html', 'annotation', '.ref-all'];

/** Index `site` (the exported out/ directory) into `site/pagefind`; returns { pages, bytes, files }. */
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
  let bytes = 0;
  let files = 0;
  for (const f of fs.readdirSync(outputPath, { recursive: true, encoding: 'utf8' })) {
    const st = fs.statSync(path.join(outputPath, f));
    if (st.isFile()) {
      bytes += st.size;
      files += 1;
    }
  }
  return { pages: added.page_count, bytes, files };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const site = process.argv[2] ?? 'out';
  if (!fs.existsSync(path.join(site, 'index.html'))) {
    console.error(`search-index: ${site}/index.html is missing: run next build first`);
    process.exit(1);
  }
  const { pages, bytes, files } = await buildSearchIndex(site);
  if (pages === 0) {
    console.error('search-index: no page has data-pagefind-body; nothing indexed');
    process.exit(1);
  }
  console.log(`search-index: ${pages} pages indexed → ${site}/pagefind/ (${files} files, ${(bytes / 1024).toFixed(0)} KiB)`);
}
