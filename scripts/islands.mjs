// Static notes, React only for the islands: run after `next build` (npm's postbuild, before the search
// index), it rewrites the exported pages in out/.
//
//  1. Notes: each section's MDX rendered to static HTML (components/static-notes.tsx, bundled here with
//     esbuild) goes into the empty <article data-notes="part/slug"> of its notes page and lecture view.
//     The notes are then in the page once, as HTML: not a second time in the RSC payload, and React
//     never hydrates them (the article's empty inner HTML tells it not to look inside). Demos are
//     placeholder islands.
//  2. Scripts: the site's pages (notes, home, references: the pages with the site header) lose Next's
//     client, its scripts and its RSC payload: nothing in them needs a router or hydration. Their client
//     is the island client (scripts/island-client.mjs: components/island-entry.tsx, which mounts the
//     demos and search), named in <meta name="adl-scripts">; the inline site script
//     (components/site-script.ts) loads it when a demo nears the viewport or search opens. Until then
//     the page is static HTML and CSS with that one inline script. Lecture views and embeds keep Next's
//     client (their demo or the arrow keys are what they are for; components/Islands.tsx mounts there).
//  3. Fonts: a page whose first screen has math preloads the KaTeX fonts it uses there.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { buildIslandClient } from './island-client.mjs';

/** Render every written section's notes to static HTML: [{ key: 'part/slug', html }]. */
export async function renderNotes() {
  const outfile = path.resolve('node_modules/.cache/islands/notes.mjs');
  await build({
    stdin: {
      contents: `import { writtenSections, getSection } from '@/lib/content';
import { staticNotes } from '@/components/static-notes';
export const notes = () => Promise.all(writtenSections().map(async (r) => staticNotes(await getSection(r.part, r.slug))));`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    packages: 'external',
    tsconfig: 'tsconfig.json',
    outfile,
    logLevel: 'warning',
    // The bundled CommonJS (mdx-bundler's client) requires react from node_modules.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    // mdx-bundler/client is a directory import, which Node's ESM loader refuses: bundle it instead.
    plugins: [
      {
        name: 'mdx-bundler-client',
        setup(b) {
          b.onResolve({ filter: /^mdx-bundler\/client$/ }, () => ({ path: path.resolve('node_modules/mdx-bundler/client/index.js') }));
        },
      },
    ],
  });
  const { notes } = await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
  return notes();
}

const SLOT = (key) => `<article class="prose" data-notes="${key}"></article>`;

/** Put a section's static notes into its slot; the page must have exactly one. */
export function fillNotes(html, key, notes, file) {
  const slot = SLOT(key);
  const at = html.indexOf(slot);
  if (at < 0 || html.indexOf(slot, at + 1) >= 0) throw new Error(`islands: ${file} has ${at < 0 ? 'no' : 'more than one'} slot ${slot}`);
  return html.slice(0, at) + slot.replace('></article>', `>${notes}</article>`) + html.slice(at + slot.length);
}

const NEXT_SCRIPTS = [
  // chunks, and their preloads
  /<script src="\/_next\/static\/chunks\/[\w.-]+\.js" async=""><\/script>/g,
  /<link rel="preload" as="script" fetchPriority="low" href="\/_next\/static\/chunks\/[\w.-]+\.js"\/>/g,
  // the legacy-browser polyfills (browsers that need them cannot run the island client's modules either)
  /<script src="\/_next\/static\/chunks\/[\w.-]+\.js" noModule=""><\/script>/g,
  // the chunk list for Next's runtime, and the RSC payload
  /<script(?: id="_R_")?>\(globalThis\["TURBOPACK"\][^<]*<\/script>/g,
  /<script>\(?self\.__next_f[^]*?<\/script>/g,
];

/**
 * Take Next's client out of a page (its scripts and RSC payload) and name the island client `entry` in
 * <meta name="adl-scripts"> for the site script to load.
 */
export function islandClient(html, entry) {
  const out = NEXT_SCRIPTS.reduce((h, re) => h.replace(re, ''), html);
  if (/<script[^>]*\ssrc=|__next_f|TURBOPACK/.test(out)) throw new Error('islands: a Next.js script was left in a site page');
  return out.replace('</head>', `<meta name="adl-scripts" content="${entry}"/></head>`);
}

/**
 * The KaTeX fonts the first screen's math needs (KaTeX_Main for digits and operators, KaTeX_Math for
 * italic letters), as preload links, when math starts within the first `budget` characters of the notes.
 */
export function fontPreloads(html, fonts, budget = 12_000) {
  const start = html.indexOf('<article class="prose"');
  if (start < 0) return '';
  const head = html.slice(start, start + budget);
  if (!head.includes('class="katex"')) return '';
  const want = ['KaTeX_Main-Regular'];
  if (head.includes('mathnormal')) want.push('KaTeX_Math-Italic');
  return want
    .map((name) => fonts.find((f) => f.startsWith(`${name}.`) && f.endsWith('.woff2')))
    .filter(Boolean)
    .map((f) => `<link rel="preload" as="font" type="font/woff2" href="/_next/static/media/${f}" crossorigin=""/>`)
    .join('');
}

function htmlFiles(site) {
  return fs
    .readdirSync(site, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html') && !f.startsWith('_next') && !f.startsWith('pagefind'));
}

export async function islands(site = 'out') {
  const notes = await renderNotes();
  const filled = new Set();
  for (const { key, html } of notes) {
    for (const rel of [`${key}/index.html`, `lecture/${key}/index.html`]) {
      const file = path.join(site, rel);
      if (!fs.existsSync(file)) throw new Error(`islands: ${file} is missing`);
      fs.writeFileSync(file, fillNotes(fs.readFileSync(file, 'utf8'), key, html, rel));
      filled.add(rel);
    }
  }
  const { entry } = await buildIslandClient(site);
  const mediaDir = path.join(site, '_next/static/media');
  const fonts = fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir) : [];
  let sitePages = 0;
  for (const rel of htmlFiles(site)) {
    const file = path.join(site, rel);
    let html = fs.readFileSync(file, 'utf8');
    const empty = /<article class="prose" data-notes="[^"]*"><\/article>/.exec(html);
    if (empty) throw new Error(`islands: ${rel} has an unfilled notes slot ${empty[0]}`);
    const before = html;
    if (html.includes('class="site-header"')) {
      html = islandClient(html, entry);
      sitePages += 1;
    }
    const preload = fontPreloads(html, fonts);
    if (preload) html = html.replace('<link rel="stylesheet"', `${preload}<link rel="stylesheet"`);
    if (html !== before) fs.writeFileSync(file, html);
  }
  return { notes: filled.size, sitePages, entry };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const site = process.argv[2] ?? 'out';
  const { notes, sitePages, entry } = await islands(site);
  console.log(`islands: static notes in ${notes} pages; ${sitePages} site pages run the island client ${entry} instead of Next's`);
}
