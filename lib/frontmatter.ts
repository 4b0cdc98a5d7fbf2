/** Frontmatter of a section: validated at build time so a typo fails the build with a clear message. */
export interface Paper {
  /** Citation key used by <Cite id="…" />, e.g. "kingma2015". */
  id: string;
  authors: string;
  title: string;
  year: number;
  arxiv?: string;
  venue?: string;
  url?: string;
  /** Digital Object Identifier without the resolver, e.g. "10.1038/323533a0"; shown as a doi.org link. */
  doi?: string;
}

export interface Frontmatter {
  title: string;
  order: number;
  summary: string;
  papers: Paper[];
}

function fail(file: string, msg: string): never {
  throw new Error(`${file}: frontmatter ${msg}`);
}

/** Check a parsed YAML object against the Frontmatter shape; throws naming the file and the field. */
export function validateFrontmatter(data: Record<string, unknown>, file: string): Frontmatter {
  const { title, order, summary, papers } = data;
  if (typeof title !== 'string' || !title.trim()) fail(file, '"title" must be a non-empty string');
  if (typeof order !== 'number' || !Number.isFinite(order)) fail(file, '"order" must be a number');
  if (typeof summary !== 'string' || !summary.trim()) fail(file, '"summary" must be a non-empty string');
  const list = papers ?? [];
  if (!Array.isArray(list)) fail(file, '"papers" must be a list');
  const seen = new Set<string>();
  const parsed = list.map((p: Record<string, unknown>, i: number): Paper => {
    const where = `papers[${i}]`;
    if (!p || typeof p !== 'object') fail(file, `${where} must be an object`);
    if (typeof p.id !== 'string' || !/^[a-z0-9-]+$/.test(p.id)) fail(file, `${where}.id must be a lowercase key`);
    if (seen.has(p.id)) fail(file, `${where}.id "${p.id}" is repeated`);
    seen.add(p.id);
    if (typeof p.authors !== 'string') fail(file, `${where}.authors must be a string`);
    if (typeof p.title !== 'string') fail(file, `${where}.title must be a string`);
    if (typeof p.year !== 'number') fail(file, `${where}.year must be a number`);
    const arxiv = p.arxiv === undefined ? undefined : String(p.arxiv);
    if (arxiv !== undefined && !/^\d{4}\.\d{4,5}$/.test(arxiv)) fail(file, `${where}.arxiv "${arxiv}" is not an arXiv id`);
    const doi = p.doi === undefined ? undefined : String(p.doi);
    if (doi !== undefined && !/^10\.\d{4,9}\/\S+$/.test(doi)) fail(file, `${where}.doi "${doi}" is not a DOI (10.prefix/suffix, no resolver)`);
    return {
      id: p.id,
      authors: p.authors,
      title: p.title,
      year: p.year,
      arxiv,
      venue: typeof p.venue === 'string' ? p.venue : undefined,
      url: typeof p.url === 'string' ? p.url : undefined,
      doi,
    };
  });
  return { title, order, summary, papers: parsed };
}

/** The authors as listed, one name each ("A B, C D" or "A B and C D"). */
function authorNames(p: Paper): string[] {
  return p.authors.split(/,\s*|\s+and\s+/).map((a) => a.trim()).filter(Boolean);
}

/** A name's surname: its last word ("Diederik P. Kingma" → "Kingma"). */
const surname = (name: string) => name.split(/\s+/).slice(-1)[0];

/** The first author's surname: what reference lists are sorted by. */
export function firstAuthorSurname(p: Paper): string {
  return surname(authorNames(p)[0] ?? '');
}

/** "Kingma & Ba, 2015" / "Srivastava et al., 2014": the short form used for in-text citations. */
export function shortCitation(p: Paper): string {
  const names = authorNames(p);
  const who =
    names.length === 1 ? surname(names[0]) : names.length === 2 ? `${surname(names[0])} & ${surname(names[1])}` : `${surname(names[0])} et al.`;
  return `${who}, ${p.year}`;
}

/**
 * Reference-list order: first author's surname (accents and case ignored), then year, then title —
 * the same order in a section's list and on /references/.
 */
export function compareReferences(a: Paper, b: Paper): number {
  return (
    firstAuthorSurname(a).localeCompare(firstAuthorSurname(b), 'en', { sensitivity: 'base' }) ||
    a.year - b.year ||
    a.title.localeCompare(b.title, 'en')
  );
}

export const arxivUrl = (id: string) => `https://arxiv.org/abs/${id}`;
export const doiUrl = (doi: string) => `https://doi.org/${doi}`;

/** The link a reader follows for a paper's title: arXiv abstract page, else its own URL, else its DOI. */
export function paperUrl(p: Paper): string | undefined {
  if (p.arxiv) return arxivUrl(p.arxiv);
  return p.url ?? (p.doi ? doiUrl(p.doi) : undefined);
}
