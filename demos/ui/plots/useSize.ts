'use client';
import { useEffect, useState, type RefObject } from 'react';

/** The content width (CSS px) of an element, kept current by a ResizeObserver; null before the first measure. */
export function useWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.clientWidth));
    const ro = new ResizeObserver(([e]) => setWidth(Math.floor(e.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** window.devicePixelRatio, updated when it changes (browser zoom, a window moved to another screen). */
export function useDevicePixelRatio(): number {
  const [dpr, setDpr] = useState(1);
  useEffect(() => {
    let mq: MediaQueryList | null = null;
    const update = () => {
      mq?.removeEventListener('change', update);
      setDpr(window.devicePixelRatio || 1);
      // A query that matches only the current ratio: its change event is the next change of ratio.
      mq = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
      mq.addEventListener('change', update);
    };
    update();
    return () => mq?.removeEventListener('change', update);
  }, []);
  return dpr;
}
