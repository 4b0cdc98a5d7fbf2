import type { Metadata } from 'next';
import { demoSections } from '@/lib/content';
import { demos, isDemoId } from '@/demos/registry';
import { Demo } from '@/components/Demo';

type Params = { demo: string };

export const dynamicParams = false;

export function generateStaticParams(): Params[] {
  return Object.keys(demos).map((demo) => ({ demo }));
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { demo } = await params;
  return { title: isDemoId(demo) ? `${demos[demo].title} (embed)` : 'Demo', robots: { index: false } };
}

/** One demo, chromeless, for an iframe in slides: the URL query sets its state as on the notes page. */
export default async function EmbedPage({ params }: { params: Promise<Params> }) {
  const { demo } = await params;
  const section = demoSections()[demo];
  return (
    <main id="main" className="embed">
      <Demo id={demo} embed />
      {section && (
        <p className="embed-source">
          From <a href={section.href} target="_top">{section.title}</a> · Applied Deep Learning, live
        </p>
      )}
    </main>
  );
}
