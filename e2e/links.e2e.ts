import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { OUT } from './harness';

// Every internal link of the built site resolves: no browser, just the HTML in out/. External links are
// listed for a human to check, never fetched (the tests stay off the network).

/** Every .html file under out/, relative paths with forward slashes. */
function htmlFiles(dir = OUT): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p));
    else if (e.name.endsWith('.html')) out.push(path.relative(OUT, p).split(path.sep).join('/'));
  }
  return out.sort();
}

/** The page's markup without script and style bodies (their text is not links). */
function markup(file: string): string {
  return fs.readFileSync(path.join(OUT, file), 'utf8').replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, '');
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** href values of <a> and <link> elements. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<(?:a|link)\b[^>]*?\shref="([^"]*)"/gi)].map((m) => decode(m[1]));
}

/** The ids (and <a name>s) a page defines: what a #fragment can point at. */
function ids(html: string): Set<string> {
  return new Set([...html.matchAll(/<[a-z][\w-]*\b[^>]*?\s(?:id|name)="([^"]*)"/gi)].map((m) => decode(m[1])));
}

/** The file out/ serves for an absolute path (as scripts/serve.mjs and static hosts do), or null. */
function target(pathname: string): string | null {
  const rel = decodeURIComponent(pathname).replace(/^\/+/, '');
  const candidates = rel === '' || rel.endsWith('/') ? [`${rel}index.html`] : [rel, `${rel}/index.html`, `${rel}.html`];
  for (const c of candidates) {
    const p = path.join(OUT, c);
    if (fs.existsSync(p) && fs.statSync(p).isFile()) return c;
  }
  return null;
}

describe('links in the built site', () => {
  const files = htmlFiles();
  const idCache = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    let s = idCache.get(file);
    if (!s) idCache.set(file, (s = ids(markup(file))));
    return s;
  };

  it('has pages to check', () => {
    expect(files).toContain('index.html');
    expect(files.filter((f) => f.startsWith('training/')).length).toBeGreaterThanOrEqual(3);
  });

  it('every internal link and #anchor resolves to a file and an id on it', () => {
    const broken: string[] = [];
    const external = new Set<string>();
    let internal = 0;
    let fragments = 0;
    for (const file of files) {
      for (const href of hrefs(markup(file))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
          if (/^https?:/i.test(href)) external.add(href);
          continue; // mailto:, data: and the like are not ours to resolve
        }
        if (href === '' || href.startsWith('//')) {
          broken.push(`${file}: suspicious href "${href}"`);
          continue;
        }
        if (!href.startsWith('/') && !href.startsWith('#')) {
          broken.push(`${file}: relative href "${href}" (the site uses absolute paths)`);
          continue;
        }
        internal++;
        const url = new URL(href, `http://site/${file}`);
        const page = href.startsWith('#') ? file : target(url.pathname);
        if (!page) {
          broken.push(`${file}: ${href} → no such file`);
          continue;
        }
        const frag = decodeURIComponent(url.hash.slice(1));
        if (frag) {
          fragments++;
          if (!page.endsWith('.html')) broken.push(`${file}: ${href} → fragment on a non-HTML file`);
          else if (!idsOf(page).has(frag)) broken.push(`${file}: ${href} → ${page} has no id "${frag}"`);
        }
      }
    }
    console.log(
      `links: ${files.length} HTML files, ${internal} internal links (${fragments} with a #fragment), ${external.size} distinct external links (not fetched):\n` +
        [...external].sort().map((u) => `  ${u}`).join('\n'),
    );
    expect(internal).toBeGreaterThan(50);
    expect(fragments).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });

  it('the checker itself notices a missing page and a missing anchor', () => {
    expect(target('/training/no-such-section/')).toBeNull();
    expect(target('/training/dropout/')).toBe('training/dropout/index.html');
    expect(idsOf('training/dropout/index.html').has('no-such-heading')).toBe(false);
    expect(ids('<h2 id="a-b">x</h2><a name="n1"></a>')).toEqual(new Set(['a-b', 'n1']));
    expect(hrefs('<a class="x" href="/a/#b&amp;c">y</a><link rel="icon" href="/icon.svg">')).toEqual(['/a/#b&c', '/icon.svg']);
  });
});
