'use client';
import { useEffect, useMemo, useState } from 'react';

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

/** Colours for what a canvas draws around the data (axes, grid, text), from the theme's CSS variables. */
export interface ThemeColors {
  dark: boolean;
  /** Text and markers (--fg). */
  fg: string;
  /** Tick labels, axis titles (--muted). */
  muted: string;
  /** Grid, frame, ticks (--line). */
  line: string;
  /** The page (--bg): rims that separate a marker from what is under it. */
  bg: string;
  /** Font family of the page's sans text. */
  font: string;
}

/** Fallbacks (globals.css's light values) for a canvas drawn before the stylesheet or outside the site. */
const LIGHT: Omit<ThemeColors, 'dark'> = { fg: '#1d2430', muted: '#5a6473', line: '#dde2ea', bg: '#ffffff', font: 'system-ui, sans-serif' };

/** The ThemeColors of the current theme, read from app/globals.css's variables whenever the theme changes. */
export function useThemeColors(): ThemeColors {
  const theme = useTheme();
  return useMemo(() => {
    const dark = theme === 'dark';
    if (typeof document === 'undefined') return { dark, ...LIGHT };
    const css = getComputedStyle(document.documentElement);
    const v = (name: string, d: string) => css.getPropertyValue(name).trim() || d;
    return { dark, fg: v('--fg', LIGHT.fg), muted: v('--muted', LIGHT.muted), line: v('--line', LIGHT.line), bg: v('--bg', LIGHT.bg), font: v('--sans', LIGHT.font) };
  }, [theme]);
}
