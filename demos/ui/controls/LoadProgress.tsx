'use client';

/** What a view shows while its resource loads: a labelled progress bar (fraction in [0, 1]). */
export function LoadProgress({ id, what, progress }: { id: string; what: string; progress: number }) {
  return (
    <>
      <label htmlFor={id} className="status-line">
        Loading {what}… {Math.round(100 * progress)} %
      </label>
      <progress id={id} max={1} value={progress} style={{ width: '100%' }} />
    </>
  );
}
