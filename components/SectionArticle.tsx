import type { CompiledSection } from '@/lib/content';
import { mdxComponents } from './mdx-components';
import { References } from './References';
import { Demo } from './Demo';
import { Islands } from './Islands';
import { notesKey, sectionModule } from './section-module';

export { sectionModule };

/**
 * A section's title, summary, notes and references: shared by the notes page and the lecture view.
 *
 * In the built site the notes are not part of React's tree: the article is an empty slot (an empty inner
 * HTML, which React never hydrates) that scripts/islands.mjs fills with the notes rendered to static HTML
 * (components/static-notes.tsx), so a page carries its notes once, not again in the RSC payload, and
 * the browser hydrates none of it; <Islands> mounts the demos inside. `next dev` has no postbuild step:
 * there the notes render in the tree as before.
 */
export function SectionArticle({ s }: { s: CompiledSection }) {
  const inTree = process.env.NODE_ENV === 'development';
  const Content = inTree ? sectionModule(s).default : null;
  return (
    <>
      <p className="breadcrumb" data-pagefind-ignore data-pagefind-meta="part">
        {s.part.title}
      </p>
      <h1>{s.frontmatter.title}</h1>
      <p className="lede">{s.frontmatter.summary}</p>
      {Content ? (
        <article className="prose">
          <Content components={mdxComponents(s.frontmatter.papers, `content/${s.ref.part}/${s.ref.slug}.mdx`, Demo)} />
        </article>
      ) : (
        <article className="prose" data-notes={notesKey(s)} dangerouslySetInnerHTML={{ __html: '' }} suppressHydrationWarning />
      )}
      {!Content && <Islands />}
      <References papers={s.frontmatter.papers} />
    </>
  );
}
