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

/** How many test digits a digit input offers: the pages' surveys and numbers (intriguing's ranking, SE's class means) are on these. */
export const TEST_DIGITS = 5000;

/**
 * The first TEST_DIGITS MNIST test digits (the head shard of 1,000 and the next of 4,000), fetched the first time
 * `wanted` is true. Leaving mid-download cancels it; wanting them again starts over; an error offers a retry.
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
      const published = manifest.shards.filter((s) => s.split === 'test').reduce((n, s) => n + s.count, 0);
      if (!published) throw new Error('no MNIST test digits are published');
      const data = await loadMnist({
        split: 'test',
        count: Math.min(TEST_DIGITS, published),
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
