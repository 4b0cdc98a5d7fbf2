'use client';
import { useRef, useState } from 'react';
import { ImportError, importRuns, type Method, type SearchExport } from '../runtime/nasbench/search';
import { downloadJson } from './download';

/**
 * Export the current runs as JSON (a download) and import a file exported before: the file is checked
 * (runtime/nasbench/search.ts importRuns) and a malformed one is refused with its reason under the buttons.
 */
export function SearchFiles({
  demo,
  benchmark,
  methods,
  make,
  onImport,
  imported,
  onLeave,
}: {
  demo: string;
  /** SHA-256 of the loaded benchmark file. */
  benchmark: string;
  methods: readonly Method[];
  /** Builds the export of the current runs (null while there is nothing to export). */
  make: () => SearchExport | null;
  onImport: (file: SearchExport) => void;
  /** An imported file is being shown. */
  imported: boolean;
  onLeave: () => void;
}) {
  const [message, setMessage] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const save = () => {
    const file = make();
    if (!file) return;
    downloadJson(`${demo}-search.json`, file);
  };
  const load = async (f: File | undefined) => {
    if (!f) return;
    try {
      const file = importRuns(await f.text(), demo, benchmark, methods);
      setMessage(`Showing ${f.name}: ${file.runs.length} runs, replayed from the file.`);
      onImport(file);
    } catch (e) {
      setMessage(e instanceof ImportError ? `Could not import ${f.name}: ${e.message}` : `Could not read ${f.name}.`);
    }
    if (input.current) input.current.value = '';
  };
  return (
    <div className="toolbar">
      <button type="button" data-action="export" onClick={save}>
        Export JSON
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        aria-label="Import a search exported as JSON"
        data-action="import"
        onChange={(e) => void load(e.target.files?.[0])}
      />
      {imported && (
        <button
          type="button"
          onClick={() => {
            setMessage(null);
            onLeave();
          }}
        >
          Back to the live search
        </button>
      )}
      {message && (
        <span className="plot-caption" role="status" data-import-message>
          {message}
        </span>
      )}
    </div>
  );
}
