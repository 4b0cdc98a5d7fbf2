import type { Paper } from './frontmatter';
import { compareReferences } from './frontmatter';

/**
 * The course-wide bibliography: every section's papers merged into one list (the same paper cited by
 * two sections, even under different citation keys, is one entry), each with a stable anchor on
 * /references/ and links back to the sections that cite it. Pure: the loader lives in content.ts.
 */

/** A section as the bibliography needs it: where it is and what it cites. */
export interface CitingSectionInput {
  title: string;
  /** The section's page, e.g. "/training/optimizers/". */
  href: string;
  papers: Paper[];
}

/** One section citing a paper, with the key it uses (its own list's entry is `#ref-<key>`). */
export interface Citation {
  title: string;
  href: string;
  key: string;
}

/** One paper of the course-wide list. */
export interface ReferenceEntry {
  /** The element id on /references/: derived from the paper itself, so adding sections never changes it. */
  anchor: string;
  paper: Paper;
  /** Sections citing it, in course order, each once. */
  citedIn: Citation[];
}

/** A title reduced to lowercase ASCII words, so case, accents and punctuation don't split one paper in two. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** True when two entries are the same paper: same arXiv id, or the same normalised title. */
export function samePaper(a: Paper, b: Paper): boolean {
  if (a.arxiv && b.arxiv) return a.arxiv === b.arxiv;
  return normalizeTitle(a.title) === normalizeTitle(b.title);
}

/**
 * The paper's anchor on /references/: `arxiv-1412-6980` when it has an arXiv id, else
 * `paper-<year>-<first words of the title>` (at most 48 characters, cut at a word).
 */
export function paperAnchor(p: Paper): string {
  if (p.arxiv) return `arxiv-${p.arxiv.replace(/\./g, '-')}`;
  let slug = `${p.year}-${normalizeTitle(p.title).replace(/ /g, '-')}`;
  if (slug.length > 48) slug = slug.slice(0, 49).replace(/-[^-]*$/, '');
  return `paper-${slug}`;
}

/**
 * Merge the sections' papers (given in course order) into one list in reference order (`compareReferences`).
 * The first section citing a paper supplies its details; later ones only fill fields it lacks.
 */
export function collectReferences(sections: CitingSectionInput[]): ReferenceEntry[] {
  const entries: ReferenceEntry[] = [];
  for (const s of sections) {
    for (const p of s.papers) {
      const hit = entries.find((e) => samePaper(e.paper, p));
      const cite = { title: s.title, href: s.href, key: p.id };
      if (!hit) {
        entries.push({ anchor: '', paper: { ...p }, citedIn: [cite] });
        continue;
      }
      hit.paper = { ...p, ...definedFields(hit.paper) };
      if (!hit.citedIn.some((c) => c.href === s.href)) hit.citedIn.push(cite);
    }
  }
  for (const e of entries) e.anchor = paperAnchor(e.paper);
  return entries.sort((a, b) => compareReferences(a.paper, b.paper));
}

function definedFields(p: Paper): Partial<Paper> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Partial<Paper>;
}

/** The anchor on /references/ of a section's paper: its merged entry's, so every section links to the same place. */
export function anchorIn(entries: ReferenceEntry[], p: Paper): string {
  return entries.find((e) => samePaper(e.paper, p))?.anchor ?? paperAnchor(p);
}
