import { describe, expect, it } from 'vitest';
import type { Paper } from './frontmatter';
import { compareReferences, firstAuthorSurname } from './frontmatter';
import { anchorIn, collectReferences, normalizeTitle, paperAnchor, samePaper } from './references';
import { getReferences, writtenSections } from './content';

const adam: Paper = { id: 'kingma2015', authors: 'Diederik P. Kingma, Jimmy Ba', title: 'Adam: A Method for Stochastic Optimization', year: 2015, arxiv: '1412.6980' };
const dropout: Paper = { id: 'srivastava2014', authors: 'Nitish Srivastava, Geoffrey Hinton', title: 'Dropout: A Simple Way to Prevent Neural Networks from Overfitting', year: 2014, venue: 'JMLR 15' };

describe('paper identity', () => {
  it('normalises case, accents and punctuation away', () => {
    expect(normalizeTitle('  Über-Nets: FAST, (really) fast!  ')).toBe('uber nets fast really fast');
  });

  it('same arXiv id means the same paper even with other keys and titles; different ids never match', () => {
    expect(samePaper(adam, { ...adam, id: 'adam', title: 'Adam' })).toBe(true);
    expect(samePaper(adam, { ...adam, arxiv: '1412.6981' })).toBe(false);
    // Without an id on one side the title decides.
    expect(samePaper(dropout, { ...dropout, id: 'x', title: 'dropout — a simple way to prevent neural networks from overfitting' })).toBe(true);
    expect(samePaper(dropout, { ...dropout, title: 'Dropout as a Bayesian approximation' })).toBe(false);
  });

  it('anchors come from the paper alone: arXiv id, else year and the first title words within 48 characters', () => {
    expect(paperAnchor(adam)).toBe('arxiv-1412-6980');
    // "2014-dropout-a-simple-way-to-prevent-neural-networks-…" cut after "neural" (2014-…-neural is 43 chars; "-networks" would pass 48).
    expect(paperAnchor(dropout)).toBe('paper-2014-dropout-a-simple-way-to-prevent-neural');
    expect(paperAnchor({ ...dropout, title: 'Short' })).toBe('paper-2014-short');
  });
});

describe('reference order', () => {
  const p = (authors: string, year: number, title = 'T'): Paper => ({ id: 'x', authors, title, year });

  it("sorts by the first author's surname, not the first name, accents and case aside; then year, then title", () => {
    const list = [
      p('Zoe Adams, Yann Zed', 2001),
      p('Diederik P. Kingma, Jimmy Ba', 2015),
      p('Léon Bottou', 2018),
      p('Alex Krizhevsky', 2012),
      p('Christian Igel, Michael Hüsken', 2000),
      p('Geoffrey E. Hinton', 2012, 'B'),
      p('Geoffrey Hinton', 2012, 'A'),
      p('Geoffrey Hinton', 2006),
      p('yoshua bengio', 2013),
    ];
    expect(list.sort(compareReferences).map((q) => `${firstAuthorSurname(q)} ${q.year} ${q.title}`)).toEqual([
      'Adams 2001 T',
      'bengio 2013 T',
      'Bottou 2018 T',
      'Hinton 2006 T',
      'Hinton 2012 A',
      'Hinton 2012 B',
      'Igel 2000 T',
      'Kingma 2015 T',
      'Krizhevsky 2012 T',
    ]);
  });
});

describe('collectReferences', () => {
  const sections = [
    { title: 'Optimizers', href: '/training/optimizers/', papers: [adam, dropout] },
    // Same Adam under another key and without venue; Dropout now with an arXiv-less duplicate key.
    { title: 'Dropout', href: '/training/dropout/', papers: [{ ...dropout, id: 'dropout-jmlr', venue: undefined, url: 'https://jmlr.org/x' }, { ...adam, id: 'adam' }] },
    { title: 'Overview', href: '/training/overview/', papers: [] },
  ];
  const refs = collectReferences(sections);

  it('merges duplicates across sections, keeps each citing section once with its own key, sorted by authors', () => {
    expect(refs.map((r) => r.paper.title)).toEqual([adam.title, dropout.title]); // "Kingma" < "Srivastava"
    expect(refs[0].citedIn).toEqual([
      { title: 'Optimizers', href: '/training/optimizers/', key: 'kingma2015' },
      { title: 'Dropout', href: '/training/dropout/', key: 'adam' },
    ]);
    expect(refs[1].citedIn.map((c) => c.key)).toEqual(['srivastava2014', 'dropout-jmlr']);
  });

  it('the first section supplies the details, later ones fill only what is missing', () => {
    expect(refs[1].paper.venue).toBe('JMLR 15');
    expect(refs[1].paper.url).toBe('https://jmlr.org/x');
    expect(refs[1].paper.id).toBe('srivastava2014');
  });

  it('a section paper finds the anchor of its merged entry', () => {
    expect(anchorIn(refs, { ...dropout, id: 'other' })).toBe(refs[1].anchor);
    expect(anchorIn(refs, { ...adam, id: 'zzz' })).toBe('arxiv-1412-6980');
  });
});

describe('the course bibliography', () => {
  it('holds every paper of every written section, anchors unique', () => {
    const refs = getReferences();
    expect(new Set(refs.map((r) => r.anchor)).size).toBe(refs.length);
    const surnames = refs.map((r) => firstAuthorSurname(r.paper));
    expect(surnames).toEqual([...refs].sort((a, b) => compareReferences(a.paper, b.paper)).map((r) => firstAuthorSurname(r.paper)));
    // Not the order of first names: Goodfellow ("Ian") comes before Kingma ("Diederik").
    expect(surnames.indexOf('Goodfellow')).toBeLessThan(surnames.indexOf('Kingma'));
    const sections = writtenSections();
    expect(sections.length).toBeGreaterThan(0);
    for (const s of sections) {
      const cited = refs.filter((r) => r.citedIn.some((c) => c.href === s.href));
      expect(cited.length, s.href).toBeGreaterThan(0);
    }
  });
});
