import type { Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';

/**
 * `$$…$$` written inside a line is remark-math's *inline* math: set in text style, small fractions, and
 * without the sideways scroller that display math gets on a phone, so a wide formula is cut off there.
 * Whoever writes it means display math, which needs `$$` on lines of their own (also inside a list item,
 * indented with it). Fail the build at that line rather than ship it.
 */
export function remarkDisplayMathOnOwnLines() {
  return (tree: Root, file: VFile) => visit(tree, String(file.value ?? ''));
}

function visit(node: Root | RootContent, source: string): void {
  if (node.type === 'inlineMath') {
    const start = node.position?.start;
    if (start?.offset !== undefined && source.startsWith('$$', start.offset)) {
      throw new Error(`line ${start.line}: $$…$$ inside a line renders as inline math; put each $$ on a line of its own for display math`);
    }
  }
  if ('children' in node) for (const child of node.children) visit(child, source);
}
