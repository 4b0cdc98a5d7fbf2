import type { Metadata } from 'next';
import Link from 'next/link';
import { getSection, writtenSections } from '@/lib/content';
import { SectionArticle } from '@/components/SectionArticle';
import { LectureNav } from '@/components/LectureNav';

type Params = { part: string; section: string };

export const dynamicParams = false;

export function generateStaticParams(): Params[] {
  return writtenSections().map((s) => ({ part: s.part, section: s.slug }));
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { part, section } = await params;
  const s = await getSection(part, section);
  return { title: `${s.frontmatter.title} (lecture view)`, robots: { index: false } };
}

/** Lecture view: one section full screen in large type; arrow keys step through headings and demos. */
export default async function LecturePage({ params }: { params: Promise<Params> }) {
  const { part, section } = await params;
  const s = await getSection(part, section);
  return (
    <div className="lecture">
      <main id="main" className="notes">
        <SectionArticle s={s} />
      </main>
      <nav className="lecture-bar" aria-label="Lecture view">
        <Link href={s.ref.href}>Exit lecture view</Link>
        <LectureNav />
      </nav>
    </div>
  );
}
