'use client';
import { useEffect, useRef, useState } from 'react';
import { useFrame } from './frame';
import { tracked } from './debug';

export interface Resource<T> {
  value: T | null;
  /** Download progress in [0, 1] while loading. */
  progress: number;
}

/**
 * Something a demo loads and must free (a trained model, a data set): loaded when `key` changes, aborted if
 * the view leaves first, disposed when replaced or unmounted. A failed load goes to the frame's error display
 * (whose Retry remounts the view and so loads again).
 */
export function useResource<T>(
  load: (signal: AbortSignal, onProgress: (fraction: number) => void) => Promise<T>,
  key: string,
  dispose: (value: T) => void = () => {},
): Resource<T> {
  const { onError } = useFrame();
  const [state, setState] = useState<Resource<T>>({ value: null, progress: 0 });
  const latest = useRef({ load, dispose, onError });
  latest.current = { load, dispose, onError };

  useEffect(() => {
    const ctl = new AbortController();
    let owned: T | null = null;
    setState({ value: null, progress: 0 });
    tracked(latest.current.load(ctl.signal, (f) => !ctl.signal.aborted && setState((s) => ({ ...s, progress: f })))).then(
      (v) => {
        if (ctl.signal.aborted) return latest.current.dispose(v); // left while loading
        owned = v;
        setState({ value: v, progress: 1 });
      },
      (e: unknown) => !ctl.signal.aborted && latest.current.onError(e),
    );
    return () => {
      ctl.abort();
      if (owned !== null) latest.current.dispose(owned);
    };
  }, [key]);

  return state;
}
