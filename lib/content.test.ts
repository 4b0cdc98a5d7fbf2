import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allMdxFiles, getOutline, sectionFile } from './content';
import { validateFrontmatter, shortCitation, paperUrl } from './frontmatter';
import { compileMdx } from './mdx';
import { demos } from '@/demos/registry';

describe('content', () => {
  it('every .mdx file is listed in the outline (no orphan pages)', () => {
    const listed = new Set(getOutline().flatMap((p) => p.sections.map((s) => sectionFile(p.slug, s.slug))));
    for (const f of allMdxFiles()) expect(listed.has(f), `${f} is not in content/outline.json`).toBe(true);
  });

  it('every <Demo id> used in content is registered, and every registered demo is used', () => {
    const used = new Set<string>();
    for (const f of allMdxFiles()) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/<Demo\s+[^>]*id="([^"]+)"/g)) used.add(m[1]);
    }
    for (const id of used) expect(Object.keys(demos), `<Demo id="${id}"> is not registered`).toContain(id);
    for (const id of Object.keys(demos)) expect([...used], `demo "${id}" is used by no section`).toContain(id);
  });

  it('every <Cite id> names a paper of its own section', () => {
    for (const f of allMdxFiles()) {
      const src = fs.readFileSync(f, 'utf8');
      const papers = new Set((src.match(/^\s+- id: (\S+)/gm) ?? []).map((l) => l.split('id:')[1].trim()));
      for (const m of src.matchAll(/<Cite\s+id="([^"]+)"/g)) {
        for (const id of m[1].split(',')) expect(papers, `${f}: <Cite id="${id}">`).toContain(id.trim());
      }
    }
  });
});

describe('frontmatter', () => {
  const good = { title: 'T', order: 1, summary: 'S', papers: [{ id: 'kingma2015', authors: 'Diederik P. Kingma, Jimmy Ba', title: 'Adam', year: 2015, arxiv: '1412.6980' }] };
  it('accepts a valid one', () => {
    expect(validateFrontmatter(good, 'x.mdx').papers[0].arxiv).toBe('1412.6980');
  });
  it('names the file and field of a mistake', () => {
    expect(() => validateFrontmatter({ ...good, order: 'one' }, 'x.mdx')).toThrow(/x\.mdx: frontmatter "order"/);
    expect(() => validateFrontmatter({ ...good, papers: [{ ...good.papers[0], arxiv: '14126980' }] }, 'x.mdx')).toThrow(/arXiv id/);
    expect(() => validateFrontmatter({ ...good, papers: [good.papers[0], good.papers[0]] }, 'x.mdx')).toThrow(/repeated/);
    expect(() => validateFrontmatter({ ...good, papers: [{ ...good.papers[0], doi: 'https://doi.org/10.1038/323533a0' }] }, 'x.mdx')).toThrow(/not a DOI/);
  });
  it('keeps a DOI, and links the title to arXiv, else the URL, else the DOI', () => {
    const doi = '10.1016/0041-5553(64)90137-5';
    const p = validateFrontmatter({ ...good, papers: [{ ...good.papers[0], doi }] }, 'x.mdx').papers[0];
    expect(p.doi).toBe(doi);
    expect(paperUrl(p)).toBe('https://arxiv.org/abs/1412.6980');
    expect(paperUrl({ ...p, arxiv: undefined, url: 'https://example.org/p' })).toBe('https://example.org/p');
    expect(paperUrl({ ...p, arxiv: undefined })).toBe(`https://doi.org/${doi}`);
    expect(paperUrl({ ...p, arxiv: undefined, doi: undefined })).toBeUndefined();
  });
  it('formats short citations', () => {
    expect(shortCitation(good.papers[0] as never)).toBe('Kingma & Ba, 2015');
    expect(shortCitation({ ...good.papers[0], authors: 'A B, C D, E F' } as never)).toBe('B et al., 2015');
  });
});

describe('MDX compiler', () => {
  it('renders math to KaTeX HTML at build time, slugs headings and exports the table of contents', async () => {
    const { code } = await compileMdx('## Gradient descent\n\nStep $\\theta_{t+1} = \\theta_t - \\eta g_t$.\n\n$$\nJ(\\theta)=\\mathbb{E}[\\ell]\n$$\n\n### Momentum\n', 't.mdx');
    expect(code).toContain('katex');
    expect(code).toContain('gradient-descent');
    expect(code).toMatch(/tableOfContents/);
  });
  it('gives display math, tables and code blocks a tab stop (they scroll sideways on a phone), and nothing else', async () => {
    const { code } = await compileMdx('Inline $x$ and `code`.\n\n$$\ny = x\n$$\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```text\nlong output\n```\n', 't.mdx');
    expect(code.match(/tabIndex:\s*"0"/g)).toHaveLength(3);
    expect(code).toMatch(/\.pre,\s*\{\s*tabIndex:\s*"0"/);
    expect(code).toMatch(/className:\s*"katex-display",\s*tabIndex:\s*"0"/);
    expect(code).toMatch(/\.table,\s*\{\s*tabIndex:\s*"0"/);
  });
  it('glues a short inline formula to the punctuation after it (a phone line must not start with a comma), not a long one', async () => {
    const { code } = await compileMdx('With $x_1$, then $y$. And $a$ b, and $z = \\alpha + \\beta + \\gamma + \\delta + \\epsilon + \\zeta + \\eta$, long.\n\n$$\ny = x\n$$\n', 'p.mdx');
    // Two glued: x_1 with its comma, y with its full stop; not a (a space follows), not the long one, not display math.
    expect(code.match(/math-nowrap/g)?.length).toBe(2);
    expect(code).toMatch(/math-nowrap[\s\S]*?x_1[\s\S]*?",\s*"/);
  });

  it('fails at the line of a $$…$$ written inside a line (remark-math makes it inline math), not on display math', async () => {
    await expect(compileMdx('Intro.\n\n1. Item:\n   $$y = x^2$$\n', 'inl.mdx')).rejects.toThrow(/inl\.mdx:.*line 4: \$\$…\$\$ inside a line/s);
    const { code } = await compileMdx('1. Item:\n   $$\n   y = x^2\n   $$\n   More, with $a$ inline.\n', 'ok.mdx');
    expect(code).toContain('katex-display');
  });
  it('fails with the file name on invalid math', async () => {
    await expect(compileMdx('$\\frac{1}{$', 'bad.mdx')).rejects.toThrow(/bad\.mdx/);
  });
});
