'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LoadedModel } from '../runtime/data/models';
import { useLatest } from '../ui/useLatest';
import type { DigitMeta } from '../ui/digits/DigitInput';
import { transferDigit } from './model';

interface AttackJob {
  input: Float32Array;
  meta: DigitMeta;
  goal: string;
}

/**
 * The attack on the reader's digit, made on `source` and tried on `target`: run to the end of its search whenever the
 * digit or the goal changes, the newest input winning. It waits for `go` (once true, it stays on) so that the
 * demo's first result is not kept waiting behind it.
 */
export function useDigitAttack(source: LoadedModel | null, target: LoadedModel | null, digit: { input: Float32Array; meta: DigitMeta } | null, goal: string, go: boolean) {
  const models = useMemo(() => (source && target ? ([source.model, target.model] as const) : null), [source, target]);
  const run = useCallback(
    (job: AttackJob) => transferDigit(models![0], models![1], job.input, job.goal === 'next' ? 'next' : Number(job.goal), { label: job.meta.label }),
    [models],
  );
  const latest = useLatest(models ? run : null);
  const { submit, clear } = latest;
  const [started, setStarted] = useState(false);
  useEffect(() => {
    if (go) setStarted(true);
  }, [go]);
  useEffect(() => {
    if (digit && started) submit({ ...digit, goal });
    else clear();
  }, [digit, goal, started, submit, clear]);
  return {
    /** The search's last frame for the newest digit answered, or null. */
    r: latest.result,
    /** The label of the digit `r` answers, if it has one. */
    label: latest.input?.meta.label,
    loaded: models !== null,
    /** A digit waits for its answer (a newer digit or goal than `r`'s). */
    busy: digit !== null && models !== null && (latest.input?.input !== digit.input || latest.input?.goal !== goal),
  };
}
