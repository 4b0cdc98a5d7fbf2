'use client';
/**
 * The page's test and benchmark hooks (`window.__adl`): written by the Demo frame and the kit's hooks, read by
 * e2e/ and bench/. Nothing in the site reads them back.
 */
declare global {
  interface Window {
    __adl?: {
      tf?: unknown;
      backend?: string;
      /** Per demo id: unmount / remount the view (the frame stays). */
      setMounted: Record<string, (on: boolean) => void>;
      /**
       * Per demo id (performance.now()): when it first came on screen, when its view first mounted (tfjs and its
       * backend up, the view's code loaded), and when its first result was.
       */
      visibleAt: Record<string, number>;
      mountedAt: Record<string, number>;
      readyAt: Record<string, number>;
      /** Per demo id: the URL keys its views read, with their kind (see useDemoParams). */
      params?: Record<string, Record<string, string>>;
      /**
       * Model work in flight across the page (steps, read-backs, disposals queued behind them): a test waits
       * for 0 before it counts tensors, instead of sleeping.
       */
      inflight: number;
      /**
       * Per demo id whose tensors live in Web Workers: how many of its workers run, and the tensor count its worker
       * reported last (after a step or a disposal).
       */
      workers: Record<string, { live: number; tensors: number }>;
    };
  }
}

export function debugHooks(): NonNullable<Window['__adl']> {
  window.__adl ??= { setMounted: {}, visibleAt: {}, mountedAt: {}, readyAt: {}, inflight: 0, workers: {} };
  return window.__adl;
}

/** Counts `p` in `window.__adl.inflight` until it settles; returns it unchanged. */
export function tracked<T>(p: Promise<T>): Promise<T> {
  if (typeof window === 'undefined') return p;
  const h = debugHooks();
  h.inflight += 1;
  const done = () => {
    h.inflight -= 1;
  };
  p.then(done, done);
  return p;
}
