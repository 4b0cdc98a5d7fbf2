'use client';
import { useEffect, useState } from 'react';

/**
 * Lecture view: arrow keys (and PageUp/PageDown, space) step through the section's headings and demos,
 * one "slide" at a time; Home/End jump to the ends. The position is kept in the URL hash.
 */
export function LectureNav() {
  const [pos, setPos] = useState({ i: 0, n: 0 });
  useEffect(() => {
    const stops = () => Array.from(document.querySelectorAll<HTMLElement>('main h1, .prose h2, .prose h3, .prose .demo, .references'));
    const go = (i: number) => {
      const list = stops();
      const k = Math.max(0, Math.min(list.length - 1, i));
      const el = list[k];
      if (!el) return;
      el.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
      if (el.id) history.replaceState(history.state, '', `#${el.id}`);
      setPos({ i: k, n: list.length });
    };
    const current = () => {
      const list = stops();
      let k = 0;
      list.forEach((el, i) => {
        if (el.getBoundingClientRect().top <= 80) k = i;
      });
      return k;
    };
    setPos({ i: current(), n: stops().length });
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      if (['ArrowRight', 'ArrowDown', 'PageDown', ' '].includes(e.key)) {
        e.preventDefault();
        go(current() + 1);
      } else if (['ArrowLeft', 'ArrowUp', 'PageUp'].includes(e.key)) {
        e.preventDefault();
        go(current() - 1);
      } else if (e.key === 'Home') {
        e.preventDefault();
        go(0);
      } else if (e.key === 'End') {
        e.preventDefault();
        go(Number.MAX_SAFE_INTEGER);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <p className="lecture-hint" aria-live="polite">
      {pos.n > 0 ? `${pos.i + 1} / ${pos.n} · ` : ''}← → step through headings and demos
    </p>
  );
}
