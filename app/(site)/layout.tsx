import type { ReactNode } from 'react';
import { ThemeToggle } from '@/components/ThemeToggle';
import { Search } from '@/components/Search';

/** The site's chrome (notes, home, references); embed and lecture views go without it. */
export default function SiteLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <a href="/" className="site-title">
          Applied Deep Learning, <em>live</em>
        </a>
        <span className="header-tools">
          {/* The host the site pages' client (components/island-entry.tsx) mounts the live search into. */}
          <span className="search-host">
            <Search />
          </span>
          <ThemeToggle />
        </span>
      </header>
      {children}
    </>
  );
}
