'use client';
import { useCallback } from 'react';
import { useResource } from '../ui/useResource';
import { useLatestOf } from '../ui/useLatest';
import { MODELS_BASE_URL } from '../runtime/data/models';
import { loadCapsNet, traceDigit, type CapsNet, type CapsNetManifest } from './model';

/** Routing iterations traced per digit (the chart's x axis, the iteration control's range). */
export const ITERATIONS = 5;

type Shipped = { net: CapsNet; manifest: CapsNetManifest };
const load = (signal: AbortSignal) => loadCapsNet({ baseUrl: MODELS_BASE_URL, signal });
const unload = (s: Shipped) => s.net.dispose();

/**
 * The shipped CapsNet, loaded with progress, and the reader's digit routed through it, newest digit wins:
 * `trace.result` is c and ‖v‖ of every iteration (null until the net and a digit are there).
 */
export function useRoutedDigit(digit: Float32Array | null) {
  const shipped = useResource<Shipped>(load, 'capsnet', unload);
  const net = shipped.value?.net ?? null;
  const run = useCallback((input: Float32Array) => traceDigit(net as CapsNet, input, ITERATIONS), [net]);
  const trace = useLatestOf(net ? run : null, digit);
  return { shipped, trace };
}
