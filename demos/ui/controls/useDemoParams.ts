'use client';
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { DemoFrameContext } from '@/demos/ui/frame';
import { defaults, parseParams, serializeParams, type ParamTable, type ParamValues } from '@/demos/runtime/params';

/**
 * A demo's parameter values, backed by the URL query: read (validated, with notes) on mount, written
 * back with history.replaceState on every change, so the address bar is always a link to this state.
 * A demo may swap tables (defaults that depend on another choice): the URL is then re-read with the
 * new table, so values the reader set explicitly persist and the rest take the new defaults.
 */
export function useDemoParams<T extends ParamTable>(table: T, prefix: string, onNote: (n: string) => void) {
  // `of` is the table these values were parsed with; until a new table's parse lands, nothing is written.
  const [state, setState] = useState<{ of: T | null; values: ParamValues<T> }>(() => ({ of: null, values: defaults(table) }));
  const noteRef = useRef(onNote);
  noteRef.current = onNote;
  const demoId = useContext(DemoFrameContext).id;

  useEffect(() => {
    // Test hook: every URL key this demo reads, with its kind (the fuzz tests discover them here).
    if (window.__adl) {
      const mine = ((window.__adl.params ??= {})[demoId] ??= {});
      for (const [k, spec] of Object.entries(table)) mine[prefix + k] = spec.kind;
    }
    const { values, notes } = parseParams(table, new URLSearchParams(window.location.search), prefix);
    notes.forEach((n) => noteRef.current(n));
    setState({ of: table, values });
  }, [table, prefix]);

  useEffect(() => {
    if (state.of !== table) return;
    const q = serializeParams(table, state.values, new URLSearchParams(window.location.search), prefix);
    const s = q.toString();
    const url = `${window.location.pathname}${s ? `?${s}` : ''}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(window.history.state, '', url);
    }
  }, [table, state, prefix]);

  const set = useCallback(<K extends keyof T>(key: K, value: ParamValues<T>[K]) => {
    setState((s) => ({ ...s, values: { ...s.values, [key]: value } }));
  }, []);
  return { values: state.values, set, loaded: state.of === table };
}
