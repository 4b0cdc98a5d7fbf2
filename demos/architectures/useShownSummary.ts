'use client';
import { useMemo, useState } from 'react';
import { summarize, type ArchName, type Summary } from './model';
import { summarizeModelJson } from './keras';

/** A summary, or why there is none (a width the architecture lacks, a model.json that does not parse). */
export interface Counted {
  summary: Summary | null;
  error: string;
}

const count = (f: () => Summary): Counted => {
  try {
    return { summary: f(), error: '' };
  } catch (e) {
    return { summary: null, error: (e as Error).message };
  }
};

/**
 * The summary on show: the named architecture at its resolution and width, until the reader counts a model.json
 * of their own (`read`); `back` returns to the named one. `custom` says which is shown.
 */
export function useShownSummary(arch: ArchName, resolution: number, width: number) {
  const named = useMemo(() => count(() => summarize(arch, { resolution, width })), [arch, resolution, width]);
  const [custom, setCustom] = useState<Counted | null>(null);
  return {
    shown: custom ?? named,
    custom: custom !== null,
    read: (text: string) => setCustom(count(() => summarizeModelJson(text))),
    back: () => setCustom(null),
  };
}
