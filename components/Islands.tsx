'use client';
import { useEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { Demo } from './Demo';

/**
 * Mounts the live parts of a page's static notes: every demo island (components/DemoPlaceholder.tsx)
 * gets its own React root with the real frame. The notes around them are never hydrated: they are
 * static HTML outside React's tree (scripts/islands.mjs puts them into the page).
 */
const roots = new WeakMap<Element, Root>();

export function Islands() {
  useEffect(() => {
    // Roots live as long as the page (links between pages are full loads); kept per element so that a
    // second run of this effect (React's strict mode in development) reuses them.
    for (const el of document.querySelectorAll<HTMLElement>('[data-island="demo"]')) {
      const id = el.dataset.id;
      if (!id) continue;
      let root = roots.get(el);
      if (!root) roots.set(el, (root = createRoot(el)));
      root.render(<Demo id={id} prefix={el.dataset.prefix ?? ''} />);
    }
  }, []);
  return null;
}
