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
    return {
      id: p.id,
      authors: p.authors,
      title: p.title,
      year: p.year,
      arxiv,
      venue: typeof p.venue === 'string' ? p.venue : undefined,
      url: typeof p.url === 'string' ? p.url : undefined,
    };
  });
  return { title, order, summary, papers: parsed };
}

/** "Kingma & Ba, 2015" / "Srivastava et al., 2014": the short form used for in-text citations. */
export function shortCitation(p: Paper): string {
  const names = p.authors.split(/,\s*|\s+and\s+/).map((a) => a.trim()).filter(Boolean);
  const last = (n: string) => n.split(/\s+/).slice(-1)[0];
  const who =
    names.length === 1 ? last(names[0]) : names.length === 2 ? `${last(names[0])} & ${last(names[1])}` : `${last(names[0])} et al.`;
  return `${who}, ${p.year}`;
}

/** The link a reader follows for a paper: arXiv abstract page when there is one. */
export function paperUrl(p: Paper): string | undefined {
  return p.arxiv ? `https://arxiv.org/abs/${p.arxiv}` : p.url;
}
