import type { Element, Root, RootContent } from 'hast';

/** A part holds at most this many blocks (paragraphs, lists, displayed equations, tables, demos). */
export const PART_BLOCKS = 6;

/**
 * Groups a section's notes into parts: a new one at each h2 and h3 (and one for what precedes the first), and
 * after every PART_BLOCKS blocks. Each is a <section class="notes-part">. globals.css gives the parts
 * `content-visibility: auto`, so a phone lays out and paints only the parts on and near the screen: long notes
 * are thousands of KaTeX boxes, and styling and laying them all out was most of a notes page's blocking time
 * on a phone. Chromium also lays out the parts within about 1.5 screens below the viewport; small parts keep
 * that to what is there, where a whole h2 section (up to 1,700 elements) was laid out in one long task.
 * MDX's import/export statements stay at the top level, where the compiler expects them.
 */
export function rehypeNotesParts() {
  return (tree: Root) => {
    const out: RootContent[] = [];
    let part: Element | null = null;
    let blocks = 0;
    for (const node of tree.children) {
      if ((node as { type: string }).type === 'mdxjsEsm') {
        out.push(node);
        continue;
      }
      const element = node.type === 'element' || (node as { type: string }).type.startsWith('mdxJsx');
      const heading = node.type === 'element' && (node.tagName === 'h2' || node.tagName === 'h3');
      if (!part || heading || (element && blocks >= PART_BLOCKS)) {
        part = { type: 'element', tagName: 'section', properties: { className: ['notes-part'] }, children: [] };
        out.push(part);
        blocks = 0;
      }
      if (element) blocks++;
      part.children.push(node as Element);
    }
    tree.children = out;
  };
}
