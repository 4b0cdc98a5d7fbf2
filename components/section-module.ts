import type { ComponentType } from 'react';
import { getMDXExport } from 'mdx-bundler/client';
import type { CompiledSection } from '@/lib/content';
import type { mdxComponents } from './mdx-components';
import type { TocEntry } from './Toc';

/** Evaluate a compiled section at build time: its content component and table of contents. */
export function sectionModule(s: CompiledSection) {
  // mdx-bundler's types for getMDXExport are loose: name what the compiled module exports.
  return getMDXExport(s.code) as unknown as {
    default: ComponentType<{ components: ReturnType<typeof mdxComponents> }>;
    tableOfContents?: TocEntry[];
  };
}

/** The key of a section's static notes: the article's data-notes, filled by scripts/islands.mjs. */
export const notesKey = (s: CompiledSection) => `${s.ref.part}/${s.ref.slug}`;
