'use client';
import type { JobHandle } from '@/demos/ui/useJob';

const SAID: Record<JobHandle<unknown, unknown, unknown>['state'], string> = {
  idle: '',
  running: 'Running',
  paused: 'Paused',
  done: 'Done',
  error: 'Stopped',
  cancelled: 'Cancelled',
};

/**
 * Start / Pause / Resume / Cancel and a progress bar for a job (see useJob). One button starts, pauses and
 * resumes (it keeps focus as its action changes); tests drive it by data-action (job-start, job-pause,
 * job-resume, job-cancel) and read data-job-state, data-progress and data-backend.
 */
export function JobControls({
  job,
  onStart,
  startLabel = 'Start',
  label,
  status,
}: {
  job: JobHandle<never, unknown, unknown>;
  /** Starts the job with its input. */
  onStart: () => void;
  startLabel?: string;
  /** What the progress bar measures, for screen readers. */
  label: string;
  /** The view's own line on progress (e.g. "1,200 of 10,000 digits"). */
  status?: string;
}) {
  const { state, pending, progress, backend } = job;
  const running = state === 'running' || state === 'paused';
  const where = backend ? ` in a Web Worker on ${backend}` : running ? ' (starting a Web Worker…)' : '';
  return (
    <div className="toolbar" data-job-state={state} data-backend={backend ?? undefined}>
      {state === 'running' ? (
        <button type="button" className="primary" data-action="job-pause" disabled={pending !== null} onClick={job.pause}>
          {pending === 'pause' ? 'Pausing…' : 'Pause'}
        </button>
      ) : state === 'paused' ? (
        <button type="button" className="primary" data-action="job-resume" disabled={pending !== null} onClick={job.resume}>
          Resume
        </button>
      ) : (
        <button type="button" className="primary" data-action="job-start" onClick={onStart}>
          {state === 'idle' ? startLabel : 'Run again'}
        </button>
      )}
      <button type="button" data-action="job-cancel" disabled={!running || pending === 'cancel'} onClick={job.cancel}>
        Cancel
      </button>
      <progress max={1} value={progress} data-progress={progress} aria-label={label} style={{ flex: '1 1 6rem', minWidth: '6rem' }} />
      <span className="status-line" style={{ flexBasis: '100%' }}>
        {/* Only the state is announced: the view's progress line changes several times a second. */}
        <span aria-live="polite">
          {SAID[state]}
          {where}
        </span>
        {status && state !== 'idle' ? ' · ' : ''}
        {status}
      </span>
    </div>
  );
}

/** A job's problem the reader can fix (a JobError's message), or nothing. */
export function JobProblem({ job }: { job: JobHandle<never, unknown, unknown> }) {
  return job.state === 'error' && !job.fatal ? <p role="alert">{job.error}</p> : null;
}
