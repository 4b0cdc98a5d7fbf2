import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import outlineJson from '@/content/outline.json';
import { validateFrontmatter, type Frontmatter } from './frontmatter';
import { compileMdx } from './mdx';
import { collectReferences, type ReferenceEntry } from './references';

/** Reads the course outline and the sections' MDX files: the site's only source of content. */
const CONTENT_DIR = path.join(process.cwd(), 'content');

export interface SectionRef {
  part: string;
  slug: string;
  title: string;
  /** Has notes (an MDX file); otherwise it shows as "coming". */
  written: boolean;
  summary?: string;
  href: string;
  lectureNotes?: string;
  playlist?: string;
}

export interface PartRef {
  slug: string;
  title: string;
  lectureNotes?: string;
  playlist?: string;
  sections: SectionRef[];
}

interface OutlineJson {
  title: string;
  course: { overview: string; playlist: string };
  parts: {
    slug: string;
    title: string;
    lectureNotes?: string;
    playlist?: string;
    sections: { slug: string; title: string; lectureNotes?: string; playlist?: string }[];
  }[];
}

export const outlineMeta = (outlineJson as OutlineJson).course;

export function sectionFile(part: string, slug: string): string {
  return path.join(CONTENT_DIR, part, `${slug}.mdx`);
}

function readFrontmatter(file: string): Frontmatter {
  return validateFrontmatter(matter(fs.readFileSync(file, 'utf8')).data, path.relative(process.cwd(), file));
}

/** The whole course in order, each section marked written or coming. */
export function getOutline(): PartRef[] {
  return (outlineJson as OutlineJson).parts.map((p) => ({
    slug: p.slug,
    title: p.title,
    lectureNotes: p.lectureNotes,
    playlist: p.playlist,
    sections: p.sections.map((s) => {
      const file = sectionFile(p.slug, s.slug);
      const written = fs.existsSync(file);
      const fm = written ? readFrontmatter(file) : undefined;
      return {
        part: p.slug,
        slug: s.slug,
        title: fm?.title ?? s.title,
        summary: fm?.summary,
        written,
        href: `/${p.slug}/${s.slug}/`,
        lectureNotes: s.lectureNotes ?? p.lectureNotes,
        playlist: s.playlist ?? p.playlist,
      };
    }),
  }));
}

/** Written sections in reading order (for static params and previous / next links). */
export function writtenSections(): SectionRef[] {
  return getOutline().flatMap((p) => p.sections.filter((s) => s.written));
}

/** Every written section's papers merged course-wide (the /references/ page and the sections' links to it). */
export function getReferences(): ReferenceEntry[] {
  return collectReferences(
    writtenSections().map((s) => ({ title: s.title, href: s.href, papers: readFrontmatter(sectionFile(s.part, s.slug)).papers })),
  );
}

/** Every .mdx under content/, to catch files the outline forgot. */
export function allMdxFiles(): string[] {
  return fs
    .readdirSync(CONTENT_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => path.join(CONTENT_DIR, f));
}

export interface CompiledSection {
  ref: SectionRef;
  part: PartRef;
  frontmatter: Frontmatter;
  code: string;
  prev?: SectionRef;
  next?: SectionRef;
}

const cache = new Map<string, Promise<CompiledSection>>();

/** Compile one section (memoised per build: the page and its metadata share one compile). */
export function getSection(part: string, slug: string): Promise<CompiledSection> {
  const key = `${part}/${slug}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = (async () => {
      const order = writtenSections();
      const i = order.findIndex((s) => s.part === part && s.slug === slug);
      if (i < 0) throw new Error(`No written section ${key}`);
      const file = sectionFile(part, slug);
      const source = fs.readFileSync(file, 'utf8');
      const frontmatter = readFrontmatter(file);
      const { code } = await compileMdx(source, path.relative(process.cwd(), file));
      const partRef = getOutline().find((p) => p.slug === part)!;
      return { ref: order[i], part: partRef, frontmatter, code, prev: order[i - 1], next: order[i + 1] };
    })();
    cache.set(key, hit);
  }
  return hit;
}

/** Which written section embeds each demo (the first one, in reading order): for embed back-links. */
export function demoSections(): Record<string, SectionRef> {
  const map: Record<string, SectionRef> = {};
  for (const s of writtenSections()) {
    const src = fs.readFileSync(sectionFile(s.part, s.slug), 'utf8');
    for (const m of src.matchAll(/<Demo\s+[^>]*id="([^"]+)"/g)) map[m[1]] ??= s;
  }
  return map;
}

/** Route parameters of a section page (notes or lecture view). */
export type SectionParams = { part: string; section: string };

/** Static params for every written section: shared by the notes and lecture routes. */
export function sectionStaticParams(): SectionParams[] {
  return writtenSections().map((s) => ({ part: s.part, section: s.slug }));
}

/** The compiled section a route's params name. */
export async function sectionFromParams(params: Promise<SectionParams>): Promise<CompiledSection> {
  const { part, section } = await params;
  return getSection(part, section);
}
