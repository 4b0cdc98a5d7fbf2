import type { Paper } from '@/lib/frontmatter';
import { compareReferences, paperUrl } from '@/lib/frontmatter';
import { getReferences } from '@/lib/content';
import { anchorIn } from '@/lib/references';
import { PaperDetails } from './PaperDetails';

/** A section's reference list, rendered from its frontmatter. */
export function References({ papers }: { papers: Paper[] }) {
  if (papers.length === 0) return null;
  const all = getReferences();
  const sorted = [...papers].sort(compareReferences);
  return (
    <section className="references" aria-labelledby="references">
      <h2 id="references">
        References<a className="anchor" href="#references" aria-label="Link to this heading">#</a>
      </h2>
      <ol>
        {sorted.map((p) => {
          const url = paperUrl(p);
          return (
            <li key={p.id} id={`ref-${p.id}`}>
              {p.authors} ({p.year}). {url ? <a href={url}>{p.title}</a> : <cite>{p.title}</cite>}.
              <PaperDetails paper={p} />
              {' '}
              <a className="ref-all" href={`/references/#${anchorIn(all, p)}`} title="This paper in the course-wide list, with every section citing it">
                all sections citing this
              </a>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
