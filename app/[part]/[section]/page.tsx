import type { Metadata } from 'next';
import type { ComponentType } from 'react';
import Link from 'next/link';
import { getMDXExport } from 'mdx-bundler/client';
import { getOutline, getSection, writtenSections } from '@/lib/content';
import { mdxComponents } from '@/components/mdx-components';
import { Sidebar } from '@/components/Sidebar';
import { Toc, type TocEntry } from '@/components/Toc';
import { References } from '@/components/References';
import { HeadingLinks } from '@/components/HeadingLinks';

type Params = { part: string; section: string };

export const dynamicParams = false;

export function generateStaticParams(): Params[] {
  return writtenSections().map((s) => ({ part: s.part, section: s.slug }));
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { part, section } = await params;
  const s = await getSection(part, section);
  return { title: s.frontmatter.title, description: s.frontmatter.summary };
}

/** One page component for every section: notes compiled at build time, then static HTML. */
export default async function SectionPage({ params }: { params: Promise<Params> }) {
  const { part, section } = await params;
  const s = await getSection(part, section);
  // mdx-bundler's types for getMDXExport are loose: name what the compiled module exports.
  const mod = getMDXExport(s.code) as unknown as {
    default: ComponentType<{ components: ReturnType<typeof mdxComponents> }>;
    tableOfContents?: TocEntry[];
  };
  const Content = mod.default;
  const file = `content/${part}/${section}.mdx`;
  return (
    <div className="layout">
      <Sidebar outline={getOutline()} current={s.ref.href} />
      <main id="main" className="notes" data-pagefind-body>
        <p className="breadcrumb" data-pagefind-ignore data-pagefind-meta="part">{s.part.title}</p>
        <h1>{s.frontmatter.title}</h1>
        <p className="lede">{s.frontmatter.summary}</p>
        <article className="prose">
          <Content components={mdxComponents(s.frontmatter.papers, file)} />
        </article>
        <References papers={s.frontmatter.papers} />
        {(s.ref.lectureNotes || s.ref.playlist) && (
          <p className="course-links" data-pagefind-ignore>
            From the course:{' '}
            {s.ref.lectureNotes && <a href={s.ref.lectureNotes}>lecture notes (PDF)</a>}
            {s.ref.lectureNotes && s.ref.playlist && ' · '}
            {s.ref.playlist && <a href={s.ref.playlist}>video playlist</a>}
          </p>
        )}
        <nav className="prev-next" aria-label="Previous and next section" data-pagefind-ignore>
          {s.prev ? (
            <Link href={s.prev.href} rel="prev">
              ← {s.prev.title}
            </Link>
          ) : (
            <span />
          )}
          {s.next ? (
            <Link href={s.next.href} rel="next">
              {s.next.title} →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      </main>
      <Toc toc={mod.tableOfContents ?? []} />
      <HeadingLinks />
    </div>
  );
}
