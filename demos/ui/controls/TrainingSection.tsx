'use client';
import type { ReactNode } from 'react';
import type { ParamTable, ParamValues } from '@/demos/runtime/params';
import type { JobHandle } from '@/demos/ui/useJob';
import { ParamControls } from './ParamControls';
import { JobControls, JobProblem } from './JobControls';

/**
 * A view's "train in a worker" block: the run's parameters, Train / Pause / Resume / Cancel with progress, the
 * job's own message when it refused the input (a JobError), and the run's charts in a grid below.
 */
export function TrainingSection<T extends ParamTable>({
  label,
  table,
  values,
  onChange,
  job,
  onStart,
  status,
  startLabel = 'Train',
  children,
}: {
  /** What is trained, for screen readers ("Train the detector"). */
  label: string;
  table: T;
  values: ParamValues<T>;
  onChange: <K extends keyof T>(key: K, value: ParamValues<T>[K]) => void;
  job: JobHandle<never, unknown, unknown>;
  onStart: () => void;
  status?: string;
  /** The start button's label (default "Train"; "Train from scratch" when the view first shows a shipped network). */
  startLabel?: string;
  children?: ReactNode;
}) {
  return (
    <section aria-label={label} style={{ marginTop: '0.8rem', paddingTop: '0.6rem', borderTop: '1px solid var(--line)' }}>
      <ParamControls table={table} values={values} onChange={onChange} />
      <JobControls job={job} onStart={onStart} startLabel={startLabel} label="Training steps done" status={status} />
      <JobProblem job={job} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '0.5rem 1rem' }}>{children}</div>
    </section>
  );
}
