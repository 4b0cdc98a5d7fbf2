import type { Element, Root, RootContent } from 'hast';

/**
 * Groups a section's notes into parts, one per h2 (and one for what precedes the first): each a
 * <section class="notes-part">. globals.css gives the parts `content-visibility: auto`, so a phone lays
 * out and paints only the parts on screen: long notes are thousands of KaTeX boxes, and styling and
 * laying them all out was most of a notes page's blocking time on a phone. MDX's import/export
 * statements stay at the top level, where the compiler expects them.
 */
export function rehypeNotesParts() {
  return (tree: Root) => {
    const out: RootContent[] = [];
    let part: Element | null = null;
    for (const node of tree.children) {
      if ((node as { type: string }).type === 'mdxjsEsm') {
        out.push(node);
        continue;
      }
      const heading = node.type === 'element' && node.tagName === 'h2';
      if (!part || heading) {
        part = { type: 'element', tagName: 'section', properties: { className: ['notes-part'] }, children: [] };
        out.push(part);
      }
      part.children.push(node as Element);
    }
    tree.children = out;
  };
}
