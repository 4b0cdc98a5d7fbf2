/**
 * Where the site script (site-script.ts) says that a heading's "#" link was copied. Its text is set
 * outside React: the empty inner HTML tells React never to reconcile it.
 */
export function HeadingLinks() {
  return <div className="toast" role="status" aria-live="polite" dangerouslySetInnerHTML={{ __html: '' }} suppressHydrationWarning />;
}
