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

/**
 * Splits one progress callback among `n` parallel loads: part(i) reports load i's fraction, and `onProgress`
 * gets the mean. part(i).bytes takes (loaded, total) as loadMnist reports it.
 */
export function progressParts(n: number, onProgress: (fraction: number) => void) {
  const parts = new Array<number>(n).fill(0);
  const part = (i: number) => {
    const report = (f: number) => {
      parts[i] = f;
      onProgress(parts.reduce((a, b) => a + b, 0) / n);
    };
    return Object.assign(report, { bytes: (loaded: number, total: number) => report(total > 0 ? loaded / total : 1) });
  };
  return part;
}
