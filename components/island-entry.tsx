import { startTransition, type ReactNode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { Demo } from './Demo';

/**
 * The site pages' whole client (notes, home, references): the demo islands and search, each its own React
 * root, with no Next.js router, RSC client or page-shell hydration. scripts/island-client.mjs bundles it
 * (esbuild, split per demo view and worker); the site script loads it when a demo nears the viewport or
 * search opens. Lecture views and embeds keep Next's client (components/Islands.tsx does the same there).
 *
 * The module runs once per page load (links between pages are full loads).
 */

/**
 * As a transition, React renders in slices of a few milliseconds with the page free between them, not in one
 * task per root (a phone spent 100–300 ms in each): the placeholder stays until the frame is ready.
 */
function mount(el: Element, node: ReactNode) {
  const root = createRoot(el);
  startTransition(() => root.render(node));
}

for (const el of document.querySelectorAll<HTMLElement>('[data-island="demo"]')) {
  if (el.dataset.id) mount(el, <Demo id={el.dataset.id} prefix={el.dataset.prefix ?? ''} />);
}
// The header's search button, rendered by the server, is hydrated, not replaced: a click that started React
// (the site script keeps it) leaves focus on that same button, where the dialog returns it. Its own chunk: a
// page's first demo does not wait for it.
const search = document.querySelector('.search-host');
if (search) void import('./Search').then(({ Search }) => startTransition(() => void hydrateRoot(search, <Search />)));
