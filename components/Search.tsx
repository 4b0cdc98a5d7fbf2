'use client';
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { flattenHits, type PagefindPage, type SearchHit } from './search-results';

/** The part of pagefind's browser API the dialog uses (pagefind 1.x, /pagefind/pagefind.js). */
interface Pagefind {
  options(o: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  debouncedSearch(q: string, opts?: object, ms?: number): Promise<{ results: { id: string; data(): Promise<PagefindPage> }[] } | null>;
}

/** Written by scripts/search-index.mjs after `next build`; absent under `next dev`. */
const PAGEFIND_URL = '/pagefind/pagefind.js';
const MAX_PAGES = 8;

let engine: Promise<Pagefind> | null = null;

/**
 * Load pagefind on first use only: a runtime URL the bundlers must leave alone (both ignore
 * comments), imported natively, so no eval is needed and the page's first JavaScript stays small.
 */
function loadPagefind(): Promise<Pagefind> {
  engine ??= (async () => {
    const pf = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ PAGEFIND_URL)) as Pagefind;
    await pf.options({ excerptLength: 26 });
    await pf.init();
    return pf;
  })().catch((e: unknown) => {
    engine = null; // let the next opening retry
    throw e;
  });
  return engine;
}

/** True when a key press belongs to a field the reader is typing in (then "/" is just a slash). */
function typingIn(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return t instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'submit', 'reset'].includes(t.type);
}

type Status = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

/**
 * Full-text search over the notes: a header button, "/" or Ctrl-K (⌘K) open a modal dialog; arrows
 * move through the hits, Enter opens one (at its heading), Escape closes and focus returns to where
 * it was. The index is static (pagefind) and fetched only when the dialog first opens.
 */
export function Search() {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(0);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [searched, setSearched] = useState('');
  const [hydrated, setHydrated] = useState(false);
  const opener = useRef<HTMLElement | null>(null);
  const restoreFocus = useRef(false);
  const panel = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const ids = useId();
  const titleId = `${ids}-title`;
  const listId = `${ids}-list`;
  const optionId = (i: number) => `${ids}-opt-${i}`;

  const show = useCallback(() => {
    if (!open) opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpen(true);
    requestAnimationFrame(() => input.current?.select());
  }, [open]);

  /** Close; `restore` returns focus to the opener (not after following a hit: the page moves on). */
  const close = useCallback((restore: boolean) => {
    restoreFocus.current = restore;
    setOpen(false);
  }, []);

  // "/" and Ctrl-K / ⌘K anywhere on the page. Until this runs, the site script (site-script.ts) catches
  // them and the button's click, starts React and leaves the request in __adlSearchPending: honour it.
  useEffect(() => {
    const w = window as Window & { __adlSearch?: () => void; __adlSearchPending?: boolean };
    w.__adlSearch = show;
    if (w.__adlSearchPending) {
      w.__adlSearchPending = false;
      show();
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const k = e.key.toLowerCase();
      if (k === 'k' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
        e.preventDefault();
        show();
      } else if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typingIn(e.target)) {
        e.preventDefault();
        show();
      }
    };
    document.addEventListener('keydown', onKey);
    setHydrated(true);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (w.__adlSearch === show) delete w.__adlSearch;
    };
  }, [show]);

  // While open: focus the field, load the engine, make the rest of the page inert, stop it scrolling.
  useEffect(() => {
    if (!open) return;
    // Once the dialog is in the DOM (show's animation-frame select can come first when search opens as
    // React starts, from a request the site script kept).
    input.current?.select();
    let live = true;
    setStatus((s) => (s.kind === 'ready' ? s : { kind: 'loading' }));
    loadPagefind().then(
      () => live && setStatus({ kind: 'ready' }),
      (e: unknown) => {
        console.warn('search:', e);
        if (live) setStatus({ kind: 'error', message: 'The search index could not be loaded (it is built by `npm run build`).' });
      },
    );
    const root = panel.current?.closest('.search-overlay');
    const others = [...document.body.children].filter((el): el is HTMLElement => el instanceof HTMLElement && el !== root && !el.inert);
    others.forEach((el) => (el.inert = true));
    const overflow = document.documentElement.style.overflow;
    document.documentElement.style.overflow = 'hidden';
    return () => {
      live = false;
      others.forEach((el) => (el.inert = false));
      document.documentElement.style.overflow = overflow;
      // Only now, with the page no longer inert, can the opener take focus back.
      if (restoreFocus.current) opener.current?.focus({ preventScroll: true });
      restoreFocus.current = false;
    };
  }, [open]);

  // Run the query (debounced by pagefind; a superseded search resolves to null and is dropped).
  useEffect(() => {
    if (!open || status.kind !== 'ready') return;
    const q = query.trim();
    if (!q) {
      setHits([]);
      setSearched('');
      return;
    }
    let live = true;
    (async () => {
      const pf = await loadPagefind();
      const found = await pf.debouncedSearch(q, {}, 120);
      if (!found || !live) return;
      const pages = await Promise.all(found.results.slice(0, MAX_PAGES).map((r) => r.data()));
      if (!live) return;
      setHits(flattenHits(pages));
      setActive(0);
      setSearched(q);
    })().catch((e: unknown) => live && setStatus({ kind: 'error', message: `Search failed: ${(e as Error).message ?? e}` }));
    return () => {
      live = false;
    };
  }, [open, query, status.kind]);

  // Keep the active hit in view as the arrows move it.
  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const go = (hit: SearchHit) => {
    close(false);
    // A full page load: notes pages are static HTML that a client-side navigation would not bring.
    window.location.assign(hit.url);
  };

  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (hits.length === 0) return;
      e.preventDefault();
      const d = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + d + hits.length) % hits.length);
    } else if (e.key === 'Enter' && e.target === input.current) {
      const hit = hits[active];
      if (hit) {
        e.preventDefault();
        go(hit);
      }
    } else if (e.key === 'Tab') {
      // Focus stays in the dialog: wrap from its last control to its first and back.
      const f = [...(panel.current?.querySelectorAll<HTMLElement>('input, button, [href]:not([tabindex="-1"])') ?? [])];
      if (f.length === 0) return;
      const first = f[0];
      const last = f[f.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  const q = query.trim();
  const message =
    status.kind === 'loading'
      ? 'Loading the search index…'
      : status.kind === 'error'
        ? status.message
        : !q
          ? 'Type to search the notes.'
          : searched !== q
            ? 'Searching…'
            : hits.length === 0
              ? `No results for “${q}”.`
              : `${hits.length} result${hits.length === 1 ? '' : 's'} for “${q}”.`;

  const dialog = (
    <div className="search-overlay" onMouseDown={(e) => e.target === e.currentTarget && close(true)}>
      <div ref={panel} className="search-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <div className="search-bar">
          <label id={titleId} htmlFor={`${ids}-input`} className="search-label">
            Search the notes
          </label>
          <input
            ref={input}
            id={`${ids}-input`}
            className="search-input"
            type="search"
            role="combobox"
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. momentum, Adam bias correction"
            aria-autocomplete="list"
            aria-expanded={hits.length > 0}
            aria-controls={listId}
            aria-activedescendant={hits.length > 0 ? optionId(active) : undefined}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button type="button" className="search-close" onClick={() => close(true)} aria-label="Close search">
            Esc
          </button>
        </div>
        <p className="search-status" role="status" aria-live="polite">
          {message}
        </p>
        <ul ref={list} id={listId} className="search-results" role="listbox" aria-label="Results">
          {hits.map((h, i) => (
            <li
              key={h.key}
              id={optionId(i)}
              data-index={i}
              role="option"
              aria-selected={i === active}
              className="search-hit"
              onMouseMove={() => i !== active && setActive(i)}
            >
              <a href={h.url} tabIndex={-1} onClick={() => close(false)}>
                <span className="search-hit-title">
                  {h.heading ?? h.page}
                  <span className="search-hit-where">{h.heading ? `${h.part ? `${h.part} › ` : ''}${h.page}` : h.part}</span>
                </span>
                <span className="search-hit-excerpt">
                  {h.excerpt.map((p, j) => (p.mark ? <mark key={j}>{p.text}</mark> : <span key={j}>{p.text}</span>))}
                </span>
              </a>
            </li>
          ))}
        </ul>
        <p className="search-keys" aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
        </p>
      </div>
    </div>
  );

  return (
    <>
      <button
        type="button"
        className="search-button"
        onClick={show}
        aria-label="Search"
        aria-haspopup="dialog"
        aria-keyshortcuts="/ Control+K"
        title="Search the notes (/ or Ctrl K)"
        data-ready={hydrated ? '' : undefined}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" width="16" height="16">
          <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M13 13l4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span className="search-button-text">Search</span>
        <kbd className="search-button-key">/</kbd>
      </button>
      {open && createPortal(dialog, document.body)}
    </>
  );
}
