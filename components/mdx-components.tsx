import type { ComponentType, ReactNode } from 'react';
import type { Paper } from '@/lib/frontmatter';
import { shortCitation } from '@/lib/frontmatter';
import type { DemoProps } from './DemoPlaceholder';

/** Aside boxes in the notes: what to try in a demo, a pitfall, or a note. */
function Aside({ kind = 'note', title, children }: { kind?: 'try' | 'pitfall' | 'note'; title?: string; children: ReactNode }) {
  const label = title ?? { try: 'Try it', pitfall: 'Pitfall', note: 'Note' }[kind];
  return (
    <aside className={`aside aside-${kind}`}>
      <p className="aside-label">{label}</p>
      {children}
    </aside>
  );
}

/**
 * The one map of components MDX may use, bound to a section's papers so <Cite id> can resolve its
 * reference at build time (an unknown id fails the build rather than printing a broken citation).
 * `Demo` is the live frame (components/Demo.tsx) or, for the static notes, its placeholder island.
 */
export function mdxComponents(papers: Paper[], file: string, Demo: ComponentType<DemoProps>) {
  function Cite({ id }: { id: string }) {
    const ids = id.split(',').map((s) => s.trim());
    const found = ids.map((k) => {
      const p = papers.find((q) => q.id === k);
      if (!p) throw new Error(`${file}: <Cite id="${k}"> has no paper with that id in the frontmatter`);
      return p;
    });
    return (
      <span className="cite">
        (
        {found.map((p, i) => (
          <span key={p.id}>
            {i > 0 && '; '}
            <a href={`#ref-${p.id}`}>{shortCitation(p)}</a>
          </span>
        ))}
        )
      </span>
    );
  }
  return { Demo, Cite, Aside };
}
