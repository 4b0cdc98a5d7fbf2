import { describe, expect, it } from 'vitest';
import type { Element, Root } from 'hast';
import { PART_BLOCKS, rehypeNotesParts } from './rehype-parts';

const el = (tagName: string, text: string): Element => ({ type: 'element', tagName, properties: {}, children: [{ type: 'text', value: text }] });

describe('rehypeNotesParts', () => {
  it('wraps the intro and each h2 and h3 with what follows it in a section, leaving ESM at the top level', () => {
    const esm = { type: 'mdxjsEsm', value: 'export const tableOfContents = []' } as unknown as Root['children'][number];
    const tree: Root = { type: 'root', children: [el('p', 'intro'), el('h2', 'A'), el('p', 'a1'), el('h3', 'A.1'), el('h2', 'B'), esm, el('p', 'b1')] };
    rehypeNotesParts()(tree);
    expect(tree.children.map((c) => (c.type === 'element' ? c.tagName : c.type))).toEqual(['section', 'section', 'section', 'section', 'mdxjsEsm']);
    const texts = tree.children
      .filter((c): c is Element => c.type === 'element')
      .map((s) => s.children.map((c) => ((c as Element).children[0] as { value: string }).value));
    expect(texts).toEqual([['intro'], ['A', 'a1'], ['A.1'], ['B', 'b1']]);
    expect((tree.children[0] as Element).properties.className).toEqual(['notes-part']);
  });

  it(`starts a new part after ${PART_BLOCKS} blocks; text between blocks does not count`, () => {
    const ws = { type: 'text', value: '\n' } as Root['children'][number];
    const ps = Array.from({ length: 2 * PART_BLOCKS + 1 }, (_, i) => [el('p', `p${i}`), ws]).flat();
    const tree: Root = { type: 'root', children: [el('h2', 'A'), ws, ...ps] };
    rehypeNotesParts()(tree);
    const sizes = tree.children.map((c) => (c as Element).children.filter((n) => n.type === 'element').length);
    expect(sizes).toEqual([PART_BLOCKS, PART_BLOCKS, 2]);
  });
});
