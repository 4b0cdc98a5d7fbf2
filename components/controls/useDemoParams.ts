'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { defaults, parseParams, serializeParams, type ParamTable, type ParamValues } from '@/demos/runtime/params';

/**
 * A demo's parameter values, backed by the URL query: read (validated, with notes) on mount, written
 * back with history.replaceState on every change, so the address bar is always a link to this state.
 */
export function useDemoParams<T extends ParamTable>(table: T, prefix: string, onNote: (n: string) => void) {
  const [values, setValues] = useState<ParamValues<T>>(() => defaults(table));
  const [loaded, setLoaded] = useState(false);
  const noteRef = useRef(onNote);
  noteRef.current = onNote;

  useEffect(() => {
    const { values: v, notes } = parseParams(table, new URLSearchParams(window.location.search), prefix);
    notes.forEach((n) => noteRef.current(n));
    setValues(v);
    setLoaded(true);
  }, [table, prefix]);

  useEffect(() => {
    if (!loaded) return;
    const q = serializeParams(table, values, new URLSearchParams(window.location.search), prefix);
    const s = q.toString();
    const url = `${window.location.pathname}${s ? `?${s}` : ''}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(window.history.state, '', url);
    }
  }, [table, values, prefix, loaded]);

  const set = useCallback(<K extends keyof T>(key: K, value: ParamValues<T>[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
  }, []);
  return { values, set, setAll: setValues, loaded };
}
