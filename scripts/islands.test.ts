import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { deferScripts, fillNotes, fontPreloads } from './islands.mjs';

const page = (body: string) =>
  `<!DOCTYPE html><html><head><link rel="stylesheet" href="/_next/static/chunks/a.css"/>` +
  `<link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/late.js"/>` +
  `<script src="/_next/static/chunks/one.js" async=""></script><script src="/_next/static/chunks/turbopack-x.js" async=""></script>` +
  `<script>inline()</script><script src="/_next/static/chunks/poly.js" noModule=""></script></head><body>${body}</body></html>`;

describe('scripts/islands.mjs', () => {
  it('fills the one notes slot of a page, and refuses a page without it or with two', () => {
    const html = page('<h1>t</h1><article class="prose" data-notes="training/x"></article><p>after</p>');
    const out = fillNotes(html, 'training/x', '<p>notes</p>', 'x.html');
    expect(out).toContain('<article class="prose" data-notes="training/x"><p>notes</p></article><p>after</p>');
    expect(() => fillNotes(html, 'training/y', '<p>n</p>', 'x.html')).toThrow(/no slot/);
    const two = page('<article class="prose" data-notes="training/x"></article>'.repeat(2));
    expect(() => fillNotes(two, 'training/x', '<p>n</p>', 'x.html')).toThrow(/more than one/);
  });

  it("takes Next's script tags and script preloads out and lists them for the site script; inline and nomodule scripts stay", () => {
    const out = deferScripts(page('<main></main>'));
    expect(out).not.toMatch(/<script src="[^"]*" async/);
    expect(out).not.toContain('rel="preload" as="script"');
    expect(out).toContain('<meta name="adl-scripts" content="/_next/static/chunks/one.js /_next/static/chunks/turbopack-x.js /_next/static/chunks/late.js"/></head>');
    expect(out).toContain('<script>inline()</script>');
    expect(out).toContain('noModule=""');
    const none = '<html><head></head><body></body></html>';
    expect(deferScripts(none)).toBe(none);
  });

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
