'use client';
import type { CSSProperties } from 'react';
import { useJob } from '../ui/useJob';
import { JobControls } from '../ui/controls/JobControls';
import { TEST_DIGITS, type EvaluationInput, type EvaluationProgress, type EvaluationResult } from './evaluate';
import { formatNumber, formatPercent } from '../ui/plots/scale';

const num = formatNumber;

/**
 * "Evaluate on all 10,000 test digits": the shipped network scored on the whole MNIST test set in a Web Worker,
 * with a confusion matrix that fills in as it goes, ending beside the training script's number.
 */
export function Evaluate({ model }: { model: string }) {
  const job = useJob<EvaluationInput, EvaluationProgress, EvaluationResult>(
    () => new Worker(new URL('./evaluate.worker.ts', import.meta.url), { type: 'module' }),
  );
  const shown = job.result ?? job.partial;
  const status = shown
    ? `${num(shown.done)} of ${num(shown.total)} digits, ${formatPercent(shown.done > 0 ? shown.correct / shown.done : 0, 2)} right${job.result ? '' : ' so far'}`
    : job.state === 'running'
      ? `loading the network and ${num(TEST_DIGITS)} test digits…`
      : undefined;
  return (
    <section className="mnist-evaluate" aria-label="Evaluate on all 10,000 test digits" style={{ marginTop: '1rem', paddingTop: '0.8rem', borderTop: '1px solid var(--line)', contain: 'content' }}>
      <p style={{ margin: '0 0 0.6rem', fontSize: '0.95rem' }}>
        <strong>Evaluate on all {num(TEST_DIGITS)} test digits.</strong> Your browser scores the network on every MNIST
        test digit, in a Web Worker, so this page stays responsive. It should reproduce the test accuracy the training
        script measured.
      </p>
      <JobControls job={job} onStart={() => job.start({ model, count: TEST_DIGITS })} startLabel="Evaluate" label="Test digits scored" status={status} />
      {job.state === 'error' && !job.fatal && <p role="alert">{job.error}</p>}
      {job.result && <Verdict r={job.result} />}
      {shown && <Confusion p={shown} />}
    </section>
  );
}

/** The browser's accuracy beside the manifest's. */
function Verdict({ r }: { r: EvaluationResult }) {
  const same = r.total === r.manifest.count && r.correct === r.manifest.correct;
  return (
    <p aria-live="polite" data-accuracy={r.accuracy} data-manifest-accuracy={r.manifest.accuracy} style={{ margin: '0 0 0.6rem' }}>
      Your browser: <strong>{formatPercent(r.accuracy, 2)}</strong> ({num(r.correct)} of {num(r.total)} right, in {r.seconds.toFixed(1)}&nbsp;s). The
      training script: <strong>{formatPercent(r.manifest.accuracy, 2)}</strong> ({num(r.manifest.correct)} of {num(r.manifest.count)}).{' '}
      {same
        ? 'The same number: the browser reproduces the training script.'
        : r.total === r.manifest.count
          ? `${num(Math.abs(r.correct - r.manifest.correct))} digits differ.`
          : 'Scored on fewer digits than the script, so the numbers may differ.'}
    </p>
  );
}

const CELL: CSSProperties = { padding: '0.15rem 0.1rem', textAlign: 'right', minWidth: '1.7rem', border: '1px solid var(--line)' };
const HEAD: CSSProperties = { ...CELL, minWidth: '1.2rem', textAlign: 'center', fontWeight: 600, background: 'var(--panel)' };

/**
 * Shading: the right answers (the diagonal) in one tint; mistakes by their count relative to the largest
 * mistake, on a square-root scale so that a single error still shows. Mixed with the page's background, at most
 * 45 %, which keeps the text's contrast above 4.5:1 in both themes.
 */
function shade(count: number, right: boolean, maxWrong: number): string | undefined {
  if (count === 0) return undefined;
  if (right) return 'color-mix(in srgb, var(--try) 30%, var(--bg))';
  return `color-mix(in srgb, var(--pitfall) ${Math.round(10 + 35 * Math.sqrt(count / maxWrong))}%, var(--bg))`;
}

/** The confusion matrix as a table: rows are the true digit, columns the network's answer. */
function Confusion({ p }: { p: EvaluationProgress }) {
  const k = p.digits.length;
  let maxWrong = 1;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) maxWrong = Math.max(maxWrong, p.confusion[i * k + j]);
  return (
    <>
      <p className="status-line" style={{ margin: '0 0 0.3rem' }}>
        A row is the true digit, a column the network’s answer: the diagonal counts right answers, the orange cells
        off it are mistakes.
      </p>
      <div style={{ overflowX: 'auto' }}>
        <table className="confusion" data-done={p.done} style={{ borderCollapse: 'collapse', fontSize: '0.68rem', fontVariantNumeric: 'tabular-nums' }}>
          <caption style={{ captionSide: 'top', textAlign: 'left', color: 'var(--muted)', fontSize: '0.8rem', paddingBottom: '0.3rem' }}>
            Confusion matrix after {num(p.done)} digits
          </caption>
          <thead>
            <tr>
              <td />
              {p.digits.map((d) => (
                <th key={d} scope="col" style={HEAD}>
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.digits.map((d, i) => (
              <tr key={d}>
                <th scope="row" style={HEAD}>
                  {d}
                </th>
                {p.digits.map((_, j) => {
                  const c = p.confusion[i * k + j];
                  return (
                    <td key={j} style={{ ...CELL, background: shade(c, i === j, maxWrong), color: c === 0 ? 'var(--muted)' : undefined }}>
                      {c}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
