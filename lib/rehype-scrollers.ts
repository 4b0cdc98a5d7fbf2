import type { Element, Root, RootContent } from 'hast';

/**
 * Display math, tables and code blocks scroll sideways when they are wider than a phone (globals.css). A region
 * that only scrolls must be reachable from the keyboard, else a keyboard user cannot read its right
 * side (WCAG 2.1.1; axe's scrollable-region-focusable): give each a tab stop at build time, so it holds
 * without JavaScript too.
 */
export function rehypeFocusableScrollers() {
  return (tree: Root) => visit(tree);
}

function scrolls(node: Element): boolean {
  const cls = node.properties?.className;
  return node.tagName === 'table' || node.tagName === 'pre' || (Array.isArray(cls) && cls.includes('katex-display'));
}

function visit(node: Root | RootContent): void {
  if (node.type === 'element' && scrolls(node)) {
    node.properties = { ...node.properties, tabIndex: 0 };
    return; // nothing inside a formula, a table or a code block scrolls on its own
  }
  if ('children' in node) for (const child of node.children) visit(child);
}
