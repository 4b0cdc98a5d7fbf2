'use client';
import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether the element in `ref` is within `margin` (a CSS root margin) of the viewport. `once`: true from the first
 * time on, for work a part of a view needs only when the reader gets near it (below a phone's first screen, say).
 * Without IntersectionObserver: true.
 */
export function useOnScreen(ref: RefObject<Element | null>, { margin = '0px', once = false }: { margin?: string; once?: boolean } = {}): boolean {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (typeof IntersectionObserver !== 'function') {
      setOn(true);
      return;
    }
    const io = new IntersectionObserver(
      ([e]) => {
        if (e.isIntersecting) {
          setOn(true);
          if (once) io.disconnect();
        } else if (!once) setOn(false);
      },
      { rootMargin: margin },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [ref, margin, once]);
  return on;
}
