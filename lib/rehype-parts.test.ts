import { describe, expect, it } from 'vitest';
import type { Element, Root } from 'hast';
import { rehypeNotesParts } from './rehype-parts';

const el = (tagName: string, text: string): Element => ({ type: 'element', tagName, properties: {}, children: [{ type: 'text', value: text }] });

describe('rehypeNotesParts', () => {
  it('wraps the intro and each h2 with what follows it in a section, leaving ESM at the top level', () => {
    const esm = { type: 'mdxjsEsm', value: 'export const tableOfContents = []' } as unknown as Root['children'][number];
    const tree: Root = { type: 'root', children: [el('p', 'intro'), el('h2', 'A'), el('p', 'a1'), el('h3', 'A.1'), el('h2', 'B'), esm, el('p', 'b1')] };
    rehypeNotesParts()(tree);
    expect(tree.children.map((c) => (c.type === 'element' ? c.tagName : c.type))).toEqual(['section', 'section', 'section', 'mdxjsEsm']);
    const texts = tree.children
      .filter((c): c is Element => c.type === 'element')
      .map((s) => s.children.map((c) => ((c as Element).children[0] as { value: string }).value));
    expect(texts).toEqual([['intro'], ['A', 'a1', 'A.1'], ['B', 'b1']]);
    expect((tree.children[0] as Element).properties.className).toEqual(['notes-part']);
  });
});
