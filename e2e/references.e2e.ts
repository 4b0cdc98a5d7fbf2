import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { OUT, openPage, shotPath, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

interface SrcPaper {
  id: string;
  title: string;
  arxiv?: string;
}

/** Each written section's papers, read straight from the MDX frontmatter (not through lib/). */
function sourceSections(): { href: string; papers: SrcPaper[] }[] {
  const root = path.resolve('content');
  const out: { href: string; papers: SrcPaper[] }[] = [];
  for (const part of fs.readdirSync(root, { withFileTypes: true })) {
    if (!part.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(root, part.name)).filter((x) => x.endsWith('.mdx'))) {
      const data = matter(fs.readFileSync(path.join(root, part.name, f), 'utf8')).data as { papers?: SrcPaper[] };
      out.push({ href: `/${part.name}/${f.replace(/\.mdx$/, '')}/`, papers: data.papers ?? [] });
    }
  }
  return out;
}

/** Text as the page shows it: entities and surrounding space do not matter. */
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('references page', () => {
  const sections = sourceSections();

  it('lists every paper of every section once, each with a back link to every section citing it', async () => {
    const { page, ctx, log } = await openPage(h, '/references/');
    const entries = await page.locator('.bib-entry').evaluateAll((lis) =>
      lis.map((li) => ({
        id: li.id,
        title: li.querySelector('.bib-title')?.textContent ?? '',
        back: [...li.querySelectorAll('.bib-cited a')].map((a) => a.getAttribute('href') ?? ''),
        arxiv: [...li.querySelectorAll('a[href^="https://arxiv.org/abs/"]')].map((a) => a.getAttribute('href')),
      })),
    );
    // Anchors are unique, and the page says how many papers it lists.
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    expect(await page.locator('.lede').textContent()).toContain(`(${entries.length})`);

    let cited = 0;
    for (const s of sections) {
      for (const p of s.papers) {
        cited += 1;
        // The entry: by arXiv id when there is one, else by title.
        const matches = entries.filter((e) => (p.arxiv ? e.arxiv.includes(`https://arxiv.org/abs/${p.arxiv}`) : squash(e.title) === squash(p.title)));
        expect(matches.length, `${s.href} ${p.id}`).toBe(1);
        expect(matches[0].back, `${s.href} ${p.id}`).toContain(`${s.href}#ref-${p.id}`);
      }
    }
    expect(cited).toBeGreaterThan(0);
    expect(entries.length).toBeLessThanOrEqual(cited);

    // Every back link resolves: the section's built page has that entry in its own list.
    for (const href of entries.flatMap((e) => e.back)) {
      const [route, id] = href.split('#');
      const html = fs.readFileSync(path.join(OUT, route, 'index.html'), 'utf8');
      expect(html, href).toContain(`id="${id}"`);
    }
    await page.screenshot({ path: shotPath('references-light') }); // the first screen: a whole-page capture of this long page took seconds

    // A real click: lands on the section, at its list entry.
    const link = page.locator('.bib-cited a').first();
    const target = await link.getAttribute('href');
    await link.click();
    await page.waitForURL((u) => u.pathname + u.hash === target);
    const id = target!.split('#')[1];
    await page.waitForFunction((i) => {
      const r = document.getElementById(i)?.getBoundingClientRect();
      return !!r && r.top >= -2 && r.top < window.innerHeight;
    }, id);
    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
    await ctx.close();
  });

  // One test per part, so that no single test grows with the whole course. The notes are static HTML (no
  // hydration changes them), so each section is fetched and parsed by the browser's DOMParser in the
  // references page: the same markup a reader's browser builds, without laying out or running each page
  // (pages.e2e.ts renders every page and checks its console).
  const parts = [...new Set(sections.map((x) => x.href.split('/')[1]))];
  it.each(parts)('each section of part %s keeps in-text citations on the page and links each reference to the course-wide entry', async (part) => {
    // A small document of the site's origin to fetch from (the references page itself is parsed, not laid out).
    const { page, ctx } = await openPage(h, '/icon.svg');
    const mine = sections.filter((x) => x.papers.length > 0 && x.href.split('/')[1] === part);
    expect(mine.length).toBeGreaterThan(0);
    const { anchorIds, pages } = await page.evaluate(async (hrefs) => {
      const load = async (href: string) => new DOMParser().parseFromString(await (await fetch(href)).text(), 'text/html');
      const refs = await load('/references/');
      const parse = async (href: string) => {
        const doc = await load(href);
        const cites = Array.from(doc.querySelectorAll('.prose .cite a'), (a) => a.getAttribute('href') ?? '');
        return {
          href,
          cites,
          // How many elements each citation's target id names (exactly one: a dangling or doubled anchor fails).
          targets: cites.map((c) => doc.querySelectorAll(`[id="${c.slice(1)}"]`).length),
          all: Array.from(doc.querySelectorAll('.references li .ref-all'), (a) => a.getAttribute('href') ?? ''),
          sidebar: doc.querySelectorAll('nav.sidebar a[href="/references/"]').length,
        };
      };
      return { anchorIds: Array.from(refs.querySelectorAll('.bib-entry'), (li) => li.id), pages: await Promise.all(hrefs.map(parse)) };
    }, mine.map((x) => x.href));
    const anchors = new Set(anchorIds);
    expect(anchors.size).toBeGreaterThan(0);
    for (const [i, seen] of pages.entries()) {
      const s = mine[i];
      expect(seen.cites.length, `${s.href}: in-text citations`).toBeGreaterThan(0);
      seen.cites.forEach((c, k) => {
        expect(c.startsWith('#ref-'), c).toBe(true);
        expect(seen.targets[k], `${s.href} ${c}`).toBe(1);
      });
      expect(seen.all.length).toBe(s.papers.length);
      for (const a of seen.all) {
        expect(a.startsWith('/references/#'), a).toBe(true);
        expect(anchors.has(a.split('#')[1]), `${s.href} → ${a}`).toBe(true);
      }
      // The sidebar reaches the references page.
      expect(seen.sidebar).toBe(1);
    }
    await ctx.close();
  });

  it('looks right in the dark theme, with a targeted entry highlighted', async () => {
    const { page, ctx } = await openPage(h, '/references/', undefined, { colorScheme: 'dark' });
    const id = await page.locator('.bib-entry').nth(2).getAttribute('id');
    await page.goto(`${h.url}/references/#${id}`);
    await page.screenshot({ path: shotPath('references-dark') });
    await ctx.close();
  });
});
