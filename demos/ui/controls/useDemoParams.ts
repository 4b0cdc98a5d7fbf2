'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useFrame } from '@/demos/ui/frame';
import { debugHooks } from '@/demos/ui/debug';
import { defaults, parseParams, serializeParams, type ParamTable, type ParamValues } from '@/demos/runtime/params';

/**
 * A demo's parameter values, backed by the URL query: read (validated, with notes) on mount, written
 * back with history.replaceState on every change, so the address bar is always a link to this state.
 * A demo may swap tables (defaults that depend on another choice): the URL is then re-read with the
 * new table, so values the reader set explicitly persist and the rest take the new defaults.
 */
export function useDemoParams<T extends ParamTable>(table: T) {
  const { id: demoId, prefix, onNote } = useFrame();
  // Views render only in the browser (the frame loads them after mount): the URL is read before the first
  // render, so the model is created once, with the linked values, not first with the defaults.
  const read = () => parseParams(table, new URLSearchParams(window.location.search), prefix);
  const [state, setState] = useState<{ of: T; values: ParamValues<T>; notes: string[] }>(() => ({ of: table, ...read() }));
  const noteRef = useRef(onNote);
  noteRef.current = onNote;

  useEffect(() => {
    // Test hook: every URL key this demo reads, with its kind (the fuzz tests discover them here).
    const mine = ((debugHooks().params ??= {})[demoId] ??= {});
    for (const [k, spec] of Object.entries(table)) mine[prefix + k] = spec.kind;
    if (state.of === table) state.notes.forEach((n) => noteRef.current(n));
    else {
      // A swapped table: re-read the URL with it.
      const r = read();
      r.notes.forEach((n) => noteRef.current(n));
      setState({ of: table, ...r });
    }
    // state is read, not a dependency: only a new table or prefix re-reads the URL.
  }, [table, prefix, demoId]);

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
