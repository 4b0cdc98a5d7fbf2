'use client';
import { useEffect, useState } from 'react';

type Theme = 'light' | 'dark';

/** Light / dark switch; the choice is remembered, otherwise the system setting is followed. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => {
    setTheme((document.documentElement.dataset.theme as Theme) ?? 'light');
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const follow = (e: MediaQueryListEvent) => {
      if (localStorage.getItem('theme')) return;
      document.documentElement.dataset.theme = e.matches ? 'dark' : 'light';
      setTheme(e.matches ? 'dark' : 'light');
    };
    mq.addEventListener('change', follow);
    return () => mq.removeEventListener('change', follow);
  }, []);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        document.documentElement.dataset.theme = next;
        localStorage.setItem('theme', next);
        setTheme(next);
        window.dispatchEvent(new Event('themechange'));
      }}
    >
      {theme === 'dark' ? '☀' : '☾'}
    </button>
  );
}
