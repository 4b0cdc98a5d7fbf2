import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { OUT, newTab, openPage, shotPath, startHarness, visit, type Harness } from './harness';

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
    await page.screenshot({ path: shotPath('references-light'), fullPage: true });

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

  // One test per part, so that no single test grows with the whole course.
  const parts = [...new Set(sections.map((x) => x.href.split('/')[1]))];
  it.each(parts)('each section of part %s keeps in-text citations on the page and links each reference to the course-wide entry', async (part) => {
    const { page: refs, ctx: refsCtx } = await openPage(h, '/references/');
    const anchors = new Set(await refs.locator('.bib-entry').evaluateAll((lis) => lis.map((li) => li.id)));
    await refsCtx.close();
    // One tab for every section: the notes are static HTML, and a fresh context per page is most of the time.
    const tab = await newTab(h);
    const { page, log } = tab;
    for (const s of sections.filter((x) => x.papers.length > 0 && x.href.split('/')[1] === part)) {
      await visit(h, tab, s.href);
      // One round trip per page: the citations, whether each has its target, the links to the course-wide list.
      const seen = await page.evaluate(() => ({
        cites: Array.from(document.querySelectorAll('.prose .cite a'), (a) => a.getAttribute('href') ?? ''),
        targets: Array.from(document.querySelectorAll('.prose .cite a'), (a) => document.querySelectorAll(`[id="${(a.getAttribute('href') ?? '').slice(1)}"]`).length),
        all: Array.from(document.querySelectorAll('.references li .ref-all'), (a) => a.getAttribute('href') ?? ''),
        sidebar: document.querySelectorAll('nav.sidebar a[href="/references/"]').length,
      }));
      seen.cites.forEach((c, i) => {
        expect(c.startsWith('#ref-'), c).toBe(true);
        expect(seen.targets[i], `${s.href} ${c}`).toBe(1);
      });
      expect(seen.all.length).toBe(s.papers.length);
      for (const a of seen.all) {
        expect(a.startsWith('/references/#'), a).toBe(true);
        expect(anchors.has(a.split('#')[1]), `${s.href} → ${a}`).toBe(true);
      }
      // The sidebar reaches the references page.
      expect(seen.sidebar).toBe(1);
      expect(log.errors, s.href).toEqual([]);
    }
    await tab.ctx.close();
  });

  it('looks right in the dark theme, with a targeted entry highlighted', async () => {
    const { page, ctx } = await openPage(h, '/references/', undefined, { colorScheme: 'dark' });
    const id = await page.locator('.bib-entry').nth(2).getAttribute('id');
    await page.goto(`${h.url}/references/#${id}`);
    await page.screenshot({ path: shotPath('references-dark') });
    await ctx.close();
  });
});
