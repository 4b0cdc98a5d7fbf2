'use client';
import { useEffect } from 'react';
import { useFrame } from './frame';

/** Tells the frame the view's first result is on screen, once `shown` is true (useSimulation does it itself). */
export function useReady(shown: boolean): void {
  const { onReady } = useFrame();
  useEffect(() => {
    if (shown) onReady();
  }, [shown, onReady]);
}
