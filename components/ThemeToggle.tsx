/**
 * Light / dark switch: a static button, no React on the client. The site script (site-script.ts) switches
 * and remembers the theme and keeps the label right; the icon is CSS (globals.css), so the markup never
 * differs from the server's.
 */
export function ThemeToggle() {
  return (
    <button type="button" className="theme-toggle" aria-label="Switch theme" title="Switch theme" suppressHydrationWarning>
      <span className="theme-icon" aria-hidden="true" />
    </button>
  );
}
