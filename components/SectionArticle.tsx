import type { ComponentType } from 'react';
import { getMDXExport } from 'mdx-bundler/client';
import type { CompiledSection } from '@/lib/content';
import { mdxComponents } from './mdx-components';
import { References } from './References';
import type { TocEntry } from './Toc';

/** Evaluate a compiled section at build time: its content component and table of contents. */
export function sectionModule(s: CompiledSection) {
  // mdx-bundler's types for getMDXExport are loose: name what the compiled module exports.
  return getMDXExport(s.code) as unknown as {
    default: ComponentType<{ components: ReturnType<typeof mdxComponents> }>;
    tableOfContents?: TocEntry[];
  };
}

/** A section's title, summary, notes and references: shared by the notes page and the lecture view. */
export function SectionArticle({ s }: { s: CompiledSection }) {
  const Content = sectionModule(s).default;
  return (
    <>
      <p className="breadcrumb" data-pagefind-ignore data-pagefind-meta="part">
        {s.part.title}
      </p>
      <h1>{s.frontmatter.title}</h1>
      <p className="lede">{s.frontmatter.summary}</p>
      <article className="prose">
        <Content components={mdxComponents(s.frontmatter.papers, `content/${s.ref.part}/${s.ref.slug}.mdx`)} />
      </article>
      <References papers={s.frontmatter.papers} />
    </>
  );
}
