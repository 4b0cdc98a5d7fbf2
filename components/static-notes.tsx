import { renderToStaticMarkup } from 'react-dom/server';
import type { CompiledSection } from '@/lib/content';
import { mdxComponents } from './mdx-components';
import { DemoPlaceholder } from './DemoPlaceholder';
import { notesKey, sectionModule } from './section-module';

/**
 * A section's notes as static HTML, for scripts/islands.mjs to put into its pages: the compiled MDX
 * rendered once at build time, each <Demo> as its placeholder island.
 */
export function staticNotes(s: CompiledSection): { key: string; html: string } {
  const Content = sectionModule(s).default;
  const file = `content/${s.ref.part}/${s.ref.slug}.mdx`;
  return { key: notesKey(s), html: renderToStaticMarkup(<Content components={mdxComponents(s.frontmatter.papers, file, DemoPlaceholder)} />) };
}
