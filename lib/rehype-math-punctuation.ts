import type { Element, ElementContent, Root, RootContent, Text } from 'hast';

/** Punctuation that belongs to the word before it: a line must not start with it. */
const TRAILING = /^[,.;:!?)\]’”]+/;

/**
 * Formulas up to this many characters of TeX are glued to the punctuation after them. A longer one keeps the breaks
 * KaTeX allows inside it, which a phone needs more (write it as display math if a comma follows it).
 */
export const GLUE_MAX_TEX = 40;

/**
 * Chromium breaks a line between inline math (KaTeX's inline-blocks) and the comma after it, even with a word joiner
 * between them, and lets no white-space setting keep the two together while the formula itself may break; so on a
 * phone a line could start with ", where". Wrap a short formula and the punctuation that follows it in one
 * `span.math-nowrap` (white-space: nowrap in globals.css). Runs after rehype-katex.
 */
export function rehypeMathPunctuation() {
  return (tree: Root) => visit(tree);
}

/** The formula's TeX source (KaTeX's MathML annotation), or null. */
function texOf(node: Element): string | null {
  let found: string | null = null;
  const walk = (n: ElementContent): void => {
    if (found !== null || n.type !== 'element') return;
    if (n.tagName === 'annotation') found = n.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
    else n.children.forEach(walk);
  };
  walk(node);
  return found;
}

const isInlineMath = (n: RootContent | undefined): n is Element =>
  n?.type === 'element' && n.tagName === 'span' && Array.isArray(n.properties?.className) && n.properties.className.includes('katex');

function visit(node: Root | RootContent): void {
  if (!('children' in node)) return;
  if (node.type === 'element' && Array.isArray(node.properties?.className) && node.properties.className.includes('katex-display')) return;
  const kids = node.children as RootContent[];
  for (let i = 0; i < kids.length; i++) {
    const math = kids[i];
    const next = kids[i + 1];
    if (isInlineMath(math) && next?.type === 'text') {
      const punct = next.value.match(TRAILING)?.[0];
      const tex = punct ? texOf(math) : null;
      if (punct && tex !== null && tex.length <= GLUE_MAX_TEX) {
        const glued: Element = { type: 'element', tagName: 'span', properties: { className: ['math-nowrap'] }, children: [math, { type: 'text', value: punct } satisfies Text] };
        kids.splice(i, 2, glued, ...(next.value.length > punct.length ? [{ ...next, value: next.value.slice(punct.length) }] : []));
        continue;
      }
    }
    if (!isInlineMath(math)) visit(math); // nothing inside a formula is another formula
  }
}
