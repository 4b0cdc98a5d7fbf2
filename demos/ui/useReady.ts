'use client';
import { useEffect, useState } from 'react';
import { useFrame } from './frame';

/** Tells the frame the view's first result is on screen, once `shown` is true (useSimulation does it itself). */
export function useReady(shown: boolean): void {
  const { onReady } = useFrame();
  useEffect(() => {
    if (shown) onReady();
  }, [shown, onReady]);
}

/**
 * How many results a view without a simulation has drawn: one more each time `result` changes to a new non-null
 * value. The view puts it in `data-frames`, the count the browser tests step by.
 */
export function useShownCount(result: unknown): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (result != null) setCount((n) => n + 1);
  }, [result]);
  return count;
}
