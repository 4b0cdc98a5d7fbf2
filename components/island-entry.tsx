import { startTransition } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { mountDemoIslands } from './Islands';

/**
 * The site pages' whole client (notes, home, references): the demo islands and search, each its own React
 * root, with no Next.js router, RSC client or page-shell hydration. scripts/island-client.mjs bundles it
 * (esbuild, split per demo view and worker); the site script loads it when a demo nears the viewport or
 * search opens. Lecture views and embeds keep Next's client. The module runs once per page load (links
 * between pages are full loads).
 */
mountDemoIslands();

// The header's search button, rendered by the server, is hydrated, not replaced: a click that started React
// (the site script keeps it) leaves focus on that same button, where the dialog returns it. Its own chunk: a
// page's first demo does not wait for it.
const search = document.querySelector('.search-host');
if (search) void import('./Search').then(({ Search }) => startTransition(() => void hydrateRoot(search, <Search />)));
