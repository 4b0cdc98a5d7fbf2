import { bundleMDX } from 'mdx-bundler';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import rehypeSlug from 'rehype-slug';
import rehypeAutolinkHeadings from 'rehype-autolink-headings';
import rehypeExtractToc from '@stefanprobst/rehype-extract-toc';
import rehypeExtractTocExport from '@stefanprobst/rehype-extract-toc/mdx';
import { rehypeFocusableScrollers } from './rehype-scrollers';
import { rehypeMathPunctuation } from './rehype-math-punctuation';
import { rehypeNotesParts } from './rehype-parts';
import { remarkDisplayMathOnOwnLines } from './remark-display-math';

/**
 * The MDX compiler, with its plugins listed once. Math is rendered to KaTeX HTML here, at build time,
 * so the browser never runs KaTeX; headings get slug ids and an anchor link; the table of contents is
 * exported from the compiled module as `tableOfContents`; `$$…$$` inside a line (inline math by mistake) fails; formulas and tables that may scroll on a
 * phone get a tab stop; the notes are grouped in parts, one per h2, that a phone lays out only near the screen.
 */
export async function compileMdx(source: string, file: string): Promise<{ code: string; frontmatter: Record<string, unknown> }> {
  let result: Awaited<ReturnType<typeof bundleMDX>>;
  try {
    result = await bundleMDX({
      source,
      mdxOptions(options) {
        options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, remarkMath, remarkDisplayMathOnOwnLines];
        options.rehypePlugins = [
          ...(options.rehypePlugins ?? []),
          [rehypeKatex, { throwOnError: true, strict: 'ignore', output: 'htmlAndMathml' }],
          rehypeFocusableScrollers,
          rehypeMathPunctuation,
          rehypeSlug,
          rehypeExtractToc,
          rehypeExtractTocExport,
          [
            rehypeAutolinkHeadings, // after the TOC, so '#' is not in its entries
            {
              behavior: 'append',
              properties: { className: ['anchor'], ariaLabel: 'Link to this heading' },
              content: { type: 'text', value: '#' },
            },
          ],
          rehypeNotesParts, // last: one <section> per h2, laid out only near the screen
        ];
        return options;
      },
    });
  } catch (e) {
    throw new Error(`MDX compile failed for ${file}: ${(e as Error).message}`);
  }
  // rehype-katex reports bad math as a warning and a red span; a build must not ship that.
  const bad = /katex-error",title:"([^"]*)"/.exec(result.code);
  if (bad) throw new Error(`MDX compile failed for ${file}: ${bad[1]}`);
  return { code: result.code, frontmatter: result.frontmatter };
}
