import { describe, expect, it } from 'vitest';
import { decodeEntities, excerptParts, flattenHits, pageHits, subScore, type PagefindPage } from './search-results';

describe('excerpts', () => {
  it('decodes named and numeric entities, leaves unknown ones alone', () => {
    expect(decodeEntities('a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#x27; &#8734; &bogus;')).toBe('a <b> & "c" \'d\' ∞ &bogus;');
  });

  it('splits at <mark> into marked and plain pieces', () => {
    expect(excerptParts('the <mark>momentum</mark> term &amp; <mark>Nesterov</mark>')).toEqual([
      { text: 'the ', mark: false },
      { text: 'momentum', mark: true },
      { text: ' term & ', mark: false },
      { text: 'Nesterov', mark: true },
    ]);
  });

  it('never passes markup through: other tags are dropped, escaped tags come back as text', () => {
    const parts = excerptParts('<img src=x onerror=alert(1)>x &lt;script&gt;');
    expect(parts).toEqual([{ text: 'x <script>', mark: false }]);
  });
});

describe('hits', () => {
  const page = (over: Partial<PagefindPage>): PagefindPage => ({ url: '/p/', excerpt: 'page <mark>x</mark>', meta: { title: 'Optimizers', part: 'Training' }, ...over });

  it('a page without sub-results is one hit at the page', () => {
    expect(pageHits(page({}))).toEqual([
      { key: '/p/', page: 'Optimizers', part: 'Training', url: '/p/', excerpt: [{ text: 'page ', mark: false }, { text: 'x', mark: true }] },
    ]);
  });

  it('sub-results: most matches first, ties in page order, at most perPage; the intro has no heading', () => {
    const subs = [
      { title: 'Optimizers', url: '/p/', excerpt: 'intro', locations: [1, 2] },
      { title: 'SGD', url: '/p/#sgd', excerpt: 'sgd', locations: [5] },
      { title: 'Momentum #', url: '/p/#momentum', excerpt: 'mom', locations: [8, 9, 10] },
      { title: 'Adam', url: '/p/#adam', excerpt: 'adam', locations: [20, 21] },
    ];
    const hits = pageHits(page({ sub_results: subs }), 3);
    expect(hits.map((h) => [h.url, h.heading])).toEqual([
      ['/p/#momentum', 'Momentum'],
      ['/p/', undefined],
      ['/p/#adam', 'Adam'],
    ]);
  });

  it('weighted scores beat raw counts: one heading match (weight 6) outranks three body mentions', () => {
    const w = (...scores: number[]) => scores.map((b, i) => ({ weight: 1, balanced_score: b, location: i }));
    const heading = { title: 'Adadelta', url: '/p/#adadelta', excerpt: '', locations: [1, 2], weighted_locations: w(18000, 500) };
    const body = { title: 'Misreadings', url: '/p/#mis', excerpt: '', locations: [7, 8, 9], weighted_locations: w(500, 500, 500) };
    expect(subScore(heading)).toBe(18500);
    expect(subScore({ ...body, weighted_locations: undefined })).toBe(3);
    expect(pageHits(page({ sub_results: [body, heading] })).map((h) => h.heading)).toEqual(['Adadelta', 'Misreadings']);
  });

  it('falls back to the URL when a page has no title, and lists each URL once across pages', () => {
    const a = page({ url: '/a/', meta: {} });
    const hits = flattenHits([a, a, page({ url: '/b/' })]);
    expect(hits.map((h) => h.key)).toEqual(['/a/', '/b/']);
    expect(hits[0].page).toBe('/a/');
    expect(hits[0].part).toBeUndefined();
  });
});
