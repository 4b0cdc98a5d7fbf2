import type { Metadata } from 'next';
import { getOutline, getReferences } from '@/lib/content';
import { paperUrl } from '@/lib/frontmatter';
import { Sidebar } from '@/components/Sidebar';
import { PaperDetails } from '@/components/PaperDetails';

export const metadata: Metadata = {
  title: 'References',
  description: 'Every paper the notes cite, with the sections that cite it.',
};

const HREF = '/references/';

/** The course-wide bibliography: each paper once, with a stable anchor and links to the sections citing it. */
export default function ReferencesPage() {
  const refs = getReferences();
  return (
    <div className="layout">
      <Sidebar outline={getOutline()} current={HREF} />
      <main id="main" className="notes bibliography">
        <h1>References</h1>
        <p className="lede">
          Every paper cited in the notes ({refs.length}), with the sections that cite it.
        </p>
        <ol className="bib-list">
          {refs.map(({ anchor, paper: p, citedIn }) => {
            const url = paperUrl(p);
            return (
              <li key={anchor} id={anchor} className="bib-entry">
                <span className="bib-authors">{p.authors}</span> ({p.year}).{' '}
                {url ? (
                  <a className="bib-title" href={url}>
                    {p.title}
                  </a>
                ) : (
                  <cite className="bib-title">{p.title}</cite>
                )}
                .
                <PaperDetails paper={p} />
                <a className="bib-self" href={`#${anchor}`} aria-label={`Link to this entry: ${p.title}`}>
                  #
                </a>
                <span className="bib-cited">
                  Cited in{' '}
                  {citedIn.map((c, i) => (
                    <span key={c.href}>
                      {i > 0 && ', '}
                      <a href={`${c.href}#ref-${c.key}`}>
                        {c.title}
                      </a>
                    </span>
                  ))}
                  .
                </span>
              </li>
            );
          })}
        </ol>
      </main>
    </div>
  );
}
