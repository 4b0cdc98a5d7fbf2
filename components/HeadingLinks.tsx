'use client';
import { useEffect, useState } from 'react';

/**
 * Clicking a heading's "#" anchor copies the full link to that heading (for slides); the link still
 * works as a plain anchor without JavaScript.
 */
export function HeadingLinks() {
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    const onClick = (ev: MouseEvent) => {
      const a = (ev.target as Element | null)?.closest?.('a.anchor');
      if (!(a instanceof HTMLAnchorElement)) return;
      const url = new URL(a.getAttribute('href') ?? '', window.location.href);
      url.search = '';
      navigator.clipboard?.writeText(url.toString()).then(
        () => setCopied(url.hash),
        () => setCopied(null),
      );
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, []);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(null), 1800);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <div className="toast" role="status" aria-live="polite">
      {copied ? `Link to ${copied} copied` : ''}
    </div>
  );
}
