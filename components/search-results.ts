/**
 * From pagefind's result data to what the search dialog lists: one hit per matching heading (the
 * best few of each page), each excerpt as plain-text pieces with the matched words marked. Pure, so
 * it is tested in Node; the dialog renders the pieces as text, never as HTML.
 */

/** The fields of pagefind's `result.data()` the dialog uses (pagefind 1.x). */
export interface PagefindSubResult {
  title: string;
  url: string;
  excerpt: string;
  locations?: number[];
  /** Per matched word: heading words weigh more than body words (balanced_score). */
  weighted_locations?: { weight: number; balanced_score: number; location: number }[];
}
export interface PagefindPage {
  url: string;
  excerpt: string;
  meta: { title?: string; part?: string };
  sub_results?: PagefindSubResult[];
}

/** A piece of an excerpt: text, marked when it is a matched word. */
export interface ExcerptPart {
  text: string;
  mark: boolean;
}

/** One row of the result list. */
export interface SearchHit {
  /** Unique within one result list (the target URL). */
  key: string;
  /** The page's title. */
  page: string;
  /** The part of the course the page belongs to, when the page states it. */
  part?: string;
  /** The heading the hit sits under; absent for the page's own introduction. */
  heading?: string;
  /** Where the hit leads: the page, with #heading-id when it sits under a heading. */
  url: string;
  excerpt: ExcerptPart[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decode the entities pagefind's escaped text may contain (named basics and numeric ones). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/**
 * Split an excerpt at pagefind's <mark> tags into text pieces. Any other tag is dropped as text
 * noise, so nothing from the index can become markup in the page.
 */
export function excerptParts(html: string): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  let mark = false;
  for (const token of html.split(/(<\/?mark>)/i)) {
    const t = token.toLowerCase();
    if (t === '<mark>') mark = true;
    else if (t === '</mark>') mark = false;
    else {
      const text = decodeEntities(token.replace(/<[^>]*>/g, ''));
      if (text) parts.push({ text, mark });
    }
  }
  return parts;
}

/** How well a sub-result matches: pagefind's weighted scores summed (a heading match outweighs a mention), else the match count. */
export function subScore(s: PagefindSubResult): number {
  return s.weighted_locations?.length ? s.weighted_locations.reduce((t, w) => t + w.balanced_score, 0) : (s.locations?.length ?? 0);
}

/**
 * The hits of one page: its best-scoring sub-results first (ties keep page order), at most
 * `perPage`; a page without sub-results is one hit. A sub-result without an anchor is the page's
 * introduction: it is shown under the page title alone.
 */
export function pageHits(p: PagefindPage, perPage = 3): SearchHit[] {
  const page = p.meta.title?.trim() || p.url;
  const part = p.meta.part?.trim() || undefined;
  const subs = (p.sub_results ?? [])
    .map((s, i) => ({ s, i, n: subScore(s) }))
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .slice(0, perPage);
  if (subs.length === 0) return [{ key: p.url, page, part, url: p.url, excerpt: excerptParts(p.excerpt) }];
  return subs.map(({ s }) => {
    const hasAnchor = s.url.includes('#');
    return {
      key: s.url,
      page,
      part,
      heading: hasAnchor ? s.title.replace(/\s*#$/, '').trim() : undefined,
      url: s.url,
      excerpt: excerptParts(s.excerpt),
    };
  });
}

/** All pages' hits in pagefind's page order, each URL once. */
export function flattenHits(pages: PagefindPage[], perPage = 3): SearchHit[] {
  const seen = new Set<string>();
  return pages.flatMap((p) => pageHits(p, perPage)).filter((h) => !seen.has(h.key) && (seen.add(h.key), true));
}
