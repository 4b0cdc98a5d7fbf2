'use client';
import { useRef, type ReactNode } from 'react';
import { useOnScreen } from './useOnScreen';

/**
 * Mounts `children` once this place comes within `margin` of the viewport, and keeps them: a part of a view below a
 * phone's first screen (its data, its canvases, its first computation) costs the page's load nothing. Until then a
 * placeholder of about their height (`minHeight`, CSS) keeps what follows where it will be.
 */
export function WhenNear({ children, minHeight, margin = '600px' }: { children: ReactNode; minHeight: string; margin?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const near = useOnScreen(ref, { margin, once: true });
  return near ? <>{children}</> : <div ref={ref} style={{ minHeight }} aria-hidden="true" />;
}
