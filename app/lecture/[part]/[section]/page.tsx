import type { Metadata } from 'next';
import { sectionFromParams, sectionStaticParams, type SectionParams } from '@/lib/content';
import { SectionArticle } from '@/components/SectionArticle';
import { LectureNav } from '@/components/LectureNav';

export const dynamicParams = false;

export const generateStaticParams = sectionStaticParams;

export async function generateMetadata({ params }: { params: Promise<SectionParams> }): Promise<Metadata> {
  const s = await sectionFromParams(params);
  return { title: `${s.frontmatter.title} (lecture view)`, robots: { index: false } };
}

/** Lecture view: one section full screen in large type; arrow keys step through headings and demos. */
export default async function LecturePage({ params }: { params: Promise<SectionParams> }) {
  const s = await sectionFromParams(params);
  return (
    <div className="lecture">
      <main id="main" className="notes">
        <SectionArticle s={s} />
      </main>
      <nav className="lecture-bar" aria-label="Lecture view">
        <a href={s.ref.href}>Exit lecture view</a>
        <LectureNav />
      </nav>
    </div>
  );
}
