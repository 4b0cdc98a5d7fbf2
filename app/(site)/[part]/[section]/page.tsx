import type { Metadata } from 'next';
import { getOutline, sectionFromParams, sectionStaticParams, type SectionParams } from '@/lib/content';
import { SectionArticle, sectionModule } from '@/components/SectionArticle';
import { Sidebar } from '@/components/Sidebar';
import { Toc } from '@/components/Toc';
import { HeadingLinks } from '@/components/HeadingLinks';

export const dynamicParams = false;

export const generateStaticParams = sectionStaticParams;

export async function generateMetadata({ params }: { params: Promise<SectionParams> }): Promise<Metadata> {
  const s = await sectionFromParams(params);
  return { title: s.frontmatter.title, description: s.frontmatter.summary };
}

/** One page component for every section: notes compiled at build time, then static HTML. */
export default async function SectionPage({ params }: { params: Promise<SectionParams> }) {
  const s = await sectionFromParams(params);
  const toc = sectionModule(s).tableOfContents ?? [];
  return (
    <div className="layout">
      <Sidebar outline={getOutline()} current={s.ref.href} />
      <main id="main" className="notes" data-pagefind-body>
        <p className="page-tools" data-pagefind-ignore>
          <a href={`/lecture${s.ref.href}`}>
            Lecture view
          </a>
        </p>
        <SectionArticle s={s} />
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
            <a href={s.prev.href} rel="prev">
              ← {s.prev.title}
            </a>
          ) : (
            <span />
          )}
          {s.next ? (
            <a href={s.next.href} rel="next">
              {s.next.title} →
            </a>
          ) : (
            <span />
          )}
        </nav>
      </main>
      <Toc toc={toc} />
      <HeadingLinks />
    </div>
  );
}
