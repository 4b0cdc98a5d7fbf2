'use client';
import { useEffect, useState } from 'react';

/** The page's current theme ('light' | 'dark'), updated when the reader or the system switches. */
export function useTheme(): 'light' | 'dark' {
  const [theme, setTheme] = useState<'light' | 'dark'>('light');
  useEffect(() => {
    const read = () => setTheme(document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
    read();
    const mq = matchMedia('(prefers-color-scheme: dark)');
    window.addEventListener('themechange', read);
    mq.addEventListener('change', read);
    return () => {
      window.removeEventListener('themechange', read);
      mq.removeEventListener('change', read);
    };
  }, []);
  return theme;
}
