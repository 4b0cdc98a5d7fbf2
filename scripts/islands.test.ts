import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { fillNotes, fontPreloads, islandClient } from './islands.mjs';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { buildIslandClient, workerFileName, workerFiles } from './island-client.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The head and body of a page as `next build` writes it (trimmed): chunk scripts, a script preload, the
// legacy polyfills, the runtime's chunk list and the RSC payload, beside our own inline script.
const page = (body: string) =>
  `<!DOCTYPE html><html><head><link rel="stylesheet" href="/_next/static/chunks/a.css"/>` +
  `<link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/late.js"/>` +
  `<script src="/_next/static/chunks/one.js" async=""></script><script src="/_next/static/chunks/turbopack-x.js" async=""></script>` +
  `<script>inline()</script><script src="/_next/static/chunks/poly.js" noModule=""></script></head><body>${body}` +
  `<script id="_R_">(globalThis["TURBOPACK"] || (globalThis["TURBOPACK"] = [])).push({"otherChunks":["static/chunks/one.js"]})</script>` +
  `<script src="/_next/static/chunks/page.js" async=""></script><script>(self.__next_f=self.__next_f||[]).push([0])</script>` +
  `<script>self.__next_f.push([1,"1:\\"$Sreact.fragment\\"\\n<p>x</p>"])</script></body></html>`;

describe('scripts/islands.mjs', () => {
  it('fills the one notes slot of a page, and refuses a page without it or with two', () => {
    const html = page('<h1>t</h1><article class="prose" data-notes="training/x"></article><p>after</p>');
    const out = fillNotes(html, 'training/x', '<p>notes</p>', 'x.html');
    expect(out).toContain('<article class="prose" data-notes="training/x"><p>notes</p></article><p>after</p>');
    expect(() => fillNotes(html, 'training/y', '<p>n</p>', 'x.html')).toThrow(/no slot/);
    const two = page('<article class="prose" data-notes="training/x"></article>'.repeat(2));
    expect(() => fillNotes(two, 'training/x', '<p>n</p>', 'x.html')).toThrow(/more than one/);
  });

  it("takes Next's client out of a site page (scripts, preloads, chunk list, RSC payload) and names the island client; its own inline script stays", () => {
    const out = islandClient(page('<main>notes</main>'), '/_islands/island-X.js');
    expect(out).not.toMatch(/<script[^>]*\ssrc=/);
    expect(out).not.toContain('rel="preload" as="script"');
    expect(out).not.toMatch(/__next_f|TURBOPACK/);
    expect(out).toContain('<meta name="adl-scripts" content="/_islands/island-X.js"/></head>');
    expect(out).toContain('<script>inline()</script>');
    expect(out).toContain('<main>notes</main></body>');
    expect(out).toContain('<link rel="stylesheet" href="/_next/static/chunks/a.css"/>');
    // A page whose scripts look unlike Next's is refused rather than left half-converted.
    expect(() => islandClient(page('<script src="/other.js"></script>'), '/_islands/i.js')).toThrow(/left in a site page/);
  });

  it("finds every worker the views start (not the how-to comments' examples), and each file exists", () => {
    const files: string[] = workerFiles();
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(fs.existsSync(f), f).toBe(true);
    expect(files.some((f) => f.endsWith('two-stage/pool.worker.ts'))).toBe(true);
    expect(files.some((f) => f.endsWith('ui/search.worker.ts'))).toBe(false); // only in a comment
  });

  it('names every island file by its final content, but for the workers, whose fixed names the views start them by', async () => {
    const build = async () => {
      const site = fs.mkdtempSync(path.join(os.tmpdir(), 'islands-'));
      try {
        const { entry } = await buildIslandClient(site);
        const dir = path.join(site, '_islands');
        const files: string[] = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f: string) => f.endsWith('.js'));
        const started = new Set<string>();
        for (const f of files) for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/"\/_islands\/([\w.-]+\.worker\.js)"/g)) started.add(m[1]);
        return { entry, files: files.sort(), started };
      } finally {
        fs.rmSync(site, { recursive: true, force: true });
      }
    };
    const a = await build();
    const workers = workerFiles().map((f: string) => workerFileName(path.relative(process.cwd(), f)));
    // Each worker a view starts is there under its fixed name, and nothing starts a worker that is not.
    expect([...a.started].sort()).toEqual([...workers].sort());
    for (const w of workers) expect(a.files, w).toContain(w);
    // The rest carry esbuild's content hash (taken after the worker addresses were written in).
    const rest = a.files.filter((f) => !workers.includes(f));
    for (const f of rest) expect(f, f).toMatch(/^(island-|c\/)[A-Z0-9]{8}\.js$/);
    expect(a.entry).toMatch(/^\/_islands\/island-[A-Z0-9]{8}\.js$/);
  }, 60_000);

  it('preloads the KaTeX fonts of math near the top of the notes only', () => {
    const fonts = ['KaTeX_Main-Regular.abc.woff', 'KaTeX_Main-Regular.abc.woff2', 'KaTeX_Math-Italic.def.woff2', 'KaTeX_Size1-Regular.x.woff2'];
    const math = '<span class="katex"><span class="mord mathnormal">x</span></span>';
    const early = fontPreloads(`<article class="prose">${math}</article>`, fonts);
    expect(early.match(/<link rel="preload" as="font"/g)?.length).toBe(2);
    expect(early).toContain('href="/_next/static/media/KaTeX_Main-Regular.abc.woff2"');
    expect(early).toContain('href="/_next/static/media/KaTeX_Math-Italic.def.woff2"');
    expect(fontPreloads(`<article class="prose"><span class="katex">2</span></article>`, fonts)).not.toContain('Math-Italic');
    expect(fontPreloads(`<article class="prose"><p>${'words '.repeat(3000)}</p>${math}</article>`, fonts)).toBe('');
    expect(fontPreloads(`<main>${math}</main>`, fonts)).toBe('');
  });
});
