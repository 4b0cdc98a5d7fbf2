'use client';
import { startTransition, useEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { Demo } from './Demo';

const roots = new WeakMap<Element, Root>();

/**
 * Mounts the live parts of a page's static notes: every demo island (components/DemoPlaceholder.tsx) gets its
 * own React root with the real frame. The notes around them are never hydrated: they are static HTML outside
 * React's tree (scripts/islands.mjs puts them into the page). Each root renders as a transition: React works
 * in slices of a few milliseconds with the page free between them, not in one task per root (a phone spent
 * 100–300 ms in each); the placeholder stays until the frame is ready. Roots live as long as the page (links
 * between pages are full loads) and are kept per element, so a second call (React's strict mode in
 * development runs effects twice) re-renders the same roots.
 */
export function mountDemoIslands() {
  for (const el of document.querySelectorAll<HTMLElement>('[data-island="demo"]')) {
    const id = el.dataset.id;
    if (!id) continue;
    const root = roots.get(el) ?? createRoot(el);
    roots.set(el, root);
    startTransition(() => root.render(<Demo id={id} prefix={el.dataset.prefix ?? ''} />));
  }
}

/** The islands under Next's client (lecture views); the site pages' own client calls mountDemoIslands itself. */
export function Islands() {
  useEffect(mountDemoIslands, []);
  return null;
}
