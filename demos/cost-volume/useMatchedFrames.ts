'use client';
import { useEffect, useMemo } from 'react';
import type { MnistArrays } from '../runtime/data/idx';
import { digitsLoader } from '../runtime/data/loader';
import { useResource } from '../ui/useResource';
import { useLatest } from '../ui/useLatest';
import { makeFrames, matchFrames, type CostKind, type Frames } from './model';

const loadDigits = digitsLoader('test', 1000);

interface Query {
  frames: Frames;
  maxD: number;
  radius: number;
  kind: CostKind;
}

const compute = (q: Query) => matchFrames(q.frames, q.maxD, q.radius, q.kind);

/**
 * The two frames of `seed` (made from MNIST test digits, loaded with progress) and their cost volume, flow and
 * errors for the newest search range, patch and cost: `match.result` answers `match.input`.
 */
export function useMatchedFrames(seed: number, maxD: number, radius: number, kind: CostKind) {
  const digits = useResource<MnistArrays>(loadDigits, 'test');
  const frames = useMemo(() => (digits.value ? makeFrames(digits.value, seed) : null), [digits.value, seed]);
  const match = useLatest(frames ? compute : null);
  const { submit } = match;
  useEffect(() => {
    if (frames) submit({ frames, maxD, radius, kind });
  }, [frames, maxD, radius, kind, submit]);
  return { digits, frames, match };
}
