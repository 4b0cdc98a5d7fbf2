'use client';
import { useState } from 'react';
import type { JobSnapshot } from '../runtime/jobs/protocol';
import { parseResults, type SearchResults } from './model';
import shippedJson from './shipped.json';

const shipped = shippedJson as unknown as SearchResults;

/**
 * The search results on show, newest source first: this run's (final or so far), else an imported file, else the
 * shipped run; `source` names it. `importFile` reads an export, and keeps the reason when it cannot.
 */
export function useShownResults(job: Pick<JobSnapshot<SearchResults, SearchResults>, 'result' | 'partial'>) {
  const [imported, setImported] = useState<SearchResults | null>(null);
  const [importError, setImportError] = useState('');
  const live = job.result ?? job.partial;
  const shown = live ?? imported ?? shipped;
  const source = live ? (job.result ? 'this run' : 'this run, so far') : imported ? 'the imported file' : 'the shipped run (npm run reproduce -- efficientnet)';
  const importFile = async (f: File) => {
    try {
      setImported(parseResults(await f.text()));
      setImportError('');
    } catch (err) {
      setImportError(`Could not read ${f.name}: ${(err as Error).message}`);
    }
  };
  return { live, shown, source, importFile, importError };
}
