'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useFrame } from './frame';
import { tracked } from './debug';

export interface Latest<I, R> {
  /** The result for the newest input that finished, or null. */
  result: R | null;
  /** The input that `result` answers. */
  input: I | null;
  /** Results delivered so far. */
  count: number;
  /** Ask for `input`; an input still waiting is replaced (never queued), a stale answer is dropped. */
  submit: (input: I) => void;
  /** Forget the pending input and the result. */
  clear: () => void;
}

/**
 * "The newest input wins", for inference demos (a drawn digit, an attack's ε, a saliency target): runs `fn` on
 * one input at a time; inputs arriving meanwhile replace each other, and an answer to an input that has been
 * superseded is dropped. `fn` null (a model still loading) holds the newest input until it is set. Failures
 * go to the frame's error display. Pass a stable `fn` (module-level, or useCallback): an answer computed by a
 * function that a render has since replaced is computed again.
 */
export function useLatest<I, R>(fn: ((input: I) => Promise<R>) | null): Latest<I, R> {
  const { onError } = useFrame();
  const [state, setState] = useState<{ result: R | null; input: I | null; count: number }>({ result: null, input: null, count: 0 });
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const pending = useRef<{ input: I; seq: number } | null>(null);
  const seq = useRef(0);
  const busy = useRef(false);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const pump = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      while (pending.current && fnRef.current && alive.current) {
        const job = pending.current;
        pending.current = null;
        const f = fnRef.current;
        const r = await tracked(f(job.input));
        if (!alive.current || job.seq !== seq.current) continue;
        if (fnRef.current !== f) {
          // Computed by a function since replaced (a new model): the same input runs again with the current one,
          // unless a newer input waits. Dropping it would leave the view without an answer until the next input.
          pending.current ??= job;
          continue;
        }
        setState((s) => ({ result: r, input: job.input, count: s.count + 1 }));
      }
    } catch (e) {
      if (alive.current) onErrorRef.current(e);
    } finally {
      busy.current = false;
    }
  }, []);

  const submit = useCallback(
    (input: I) => {
      seq.current += 1;
      pending.current = { input, seq: seq.current };
      void pump();
    },
    [pump],
  );
  const clear = useCallback(() => {
    seq.current += 1;
    pending.current = null;
    setState((s) => ({ result: null, input: null, count: s.count }));
  }, []);

  // A function that arrives (the model loaded) or changes answers the newest input again.
  useEffect(() => {
    if (fn && state.input !== null && !pending.current) submit(state.input);
    else void pump();
    // Only a new fn re-asks: state.input is read, not a dependency.
  }, [fn]);

  return { ...state, submit, clear };
}

/**
 * {@link useLatest} fed from render: submits `input` whenever it changes, its fields compared one by one by identity
 * (so memoise the arrays in it: a new subarray each render would submit after every answer, forever). Null submits nothing and
 * forgets the pending input and the answer shown (a digit erased).
 */
export function useLatestOf<I extends object, R>(fn: ((input: I) => Promise<R>) | null, input: I | null): Latest<I, R> {
  const latest = useLatest(fn);
  const { submit, clear } = latest;
  const last = useRef<I | null>(null);
  useEffect(() => {
    if (input === null) {
      if (last.current !== null) clear();
      last.current = null;
    } else if (!(last.current && sameFields(last.current, input))) {
      last.current = input;
      submit(input);
    }
  });
  return latest;
}

/** The same object, or two plain objects whose fields are the same values (by identity). */
function sameFields(a: object, b: object): boolean {
  if (a === b) return true;
  if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * An async value computed from parameters (a loss grid, a cloud of mini-batch gradients): recomputed when any
 * of them changes, newest wins, the previous value shown until the new one lands.
 */
export function useComputed<P, R>(compute: (params: P) => Promise<R>, params: P): R | null {
  const key = JSON.stringify(params);
  const computeRef = useRef(compute);
  computeRef.current = compute;
  const fn = useCallback((p: P) => computeRef.current(p), []);
  const latest = useLatest(fn);
  const { submit } = latest;
  const paramsRef = useRef(params);
  paramsRef.current = params;
  useEffect(() => submit(paramsRef.current), [key, submit]);
  return latest.result;
}
