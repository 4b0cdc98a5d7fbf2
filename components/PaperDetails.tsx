import type { Paper } from '@/lib/frontmatter';
import { arxivUrl, doiUrl } from '@/lib/frontmatter';

/** What follows a paper's title in any reference list: venue, arXiv id and DOI, each id a link. */
export function PaperDetails({ paper: p }: { paper: Paper }) {
  return (
    <>
      {p.venue && <> {p.venue}.</>}
      {p.arxiv && (
        <>
          {' '}
          <a href={arxivUrl(p.arxiv)}>arXiv:{p.arxiv}</a>.
        </>
      )}
      {p.doi && (
        <>
          {' '}
          <a className="doi" href={doiUrl(p.doi)}>
            doi:{p.doi}
          </a>
          .
        </>
      )}
    </>
  );
}
