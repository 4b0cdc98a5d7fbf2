'use client';
import { useEffect, useState } from 'react';
import { loadManifest, loadMnist, MNIST_BASE_URL } from '@/demos/runtime/data/loader';
import type { MnistArrays } from '@/demos/runtime/data/idx';

/** The MNIST test digits as a view sees them while they load. */
export type TestDigits =
  | { kind: 'idle' }
  | { kind: 'loading'; loaded: number; total: number }
  | { kind: 'error'; message: string; retry: () => void }
  | { kind: 'ready'; data: MnistArrays };

/**
 * The first published shard of MNIST test digits (5,000), fetched the first time `wanted` is true. Leaving
 * mid-download cancels it; wanting them again starts over; an error offers a retry.
 */
export function useTestDigits(wanted: boolean, baseUrl = MNIST_BASE_URL): TestDigits {
  const [state, setState] = useState<TestDigits>({ kind: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const idle = state.kind === 'idle';

  useEffect(() => {
    if (!wanted || !idle) return;
    const ctl = new AbortController();
    setState({ kind: 'loading', loaded: 0, total: 0 });
    (async () => {
      const manifest = await loadManifest(baseUrl, fetch, ctl.signal);
      const first = manifest.shards.filter((s) => s.split === 'test').sort((a, b) => a.start - b.start)[0];
      if (!first) throw new Error('no MNIST test digits are published');
      const data = await loadMnist({
        split: 'test',
        count: first.count,
        baseUrl,
        signal: ctl.signal,
        onProgress: (loaded, total) => !ctl.signal.aborted && setState({ kind: 'loading', loaded, total }),
      });
      if (!ctl.signal.aborted) setState({ kind: 'ready', data });
    })().catch((e: unknown) => {
      if (ctl.signal.aborted) return;
      const retry = () => {
        setState({ kind: 'idle' });
        setAttempt((a) => a + 1);
      };
      setState({ kind: 'error', message: e instanceof Error ? e.message : String(e), retry });
    });
    return () => {
      ctl.abort();
      setState((s) => (s.kind === 'loading' ? { kind: 'idle' } : s));
    };
    // `idle` gates the start and is set back on leaving; `attempt` restarts after an error.
  }, [wanted, baseUrl, attempt]);
  return state;
}
