'use client';
import type { BenchTable } from '../runtime/nasbench/table';
import { describe } from '../runtime/nasbench/space';
import type { TrainChildInput, TrainChildProgress, TrainChildResult } from '../runtime/nasbench/train-job';
import { JobControls } from './controls/JobControls';
import { useJob } from './useJob';
import { formatNumber } from './plots/scale';
import { formatPercent } from './plots/scale';


/**
 * "Train this child live": trains `cell` from scratch in a Web Worker with the benchmark's settings (same digits,
 * seed, optimizer) and shows its accuracies beside the table's.
 */
export function TrainChild({ table, cell, what }: { table: BenchTable; cell: number; what: string }) {
  const job = useJob<TrainChildInput, TrainChildProgress, TrainChildResult>(
    () => new Worker(new URL('./train-child.worker.ts', import.meta.url), { type: 'module' }),
  );
  const p = job.partial;
  const r = job.result;
  const status = p && job.state !== 'done' ? `cell ${p.cell}: step ${p.step} of ${p.steps}${Number.isFinite(p.loss) ? `, loss ${p.loss.toFixed(3)}` : ''}` : '';
  return (
    <div className="train-child">
      <p className="plot-caption">
        {what}: cell {cell}, {describe(cell)}. Table: validation {formatPercent(table.val[cell])}, test {formatPercent(table.test[cell])}, {formatNumber(table.params[cell])} parameters,{' '}
        {table.trainSeconds[cell].toFixed(1)} s of training in Node.
      </p>
      <JobControls job={job} onStart={() => job.start({ cell })} startLabel="Train this child live" label="Training steps done" status={status} />
      {r && (
        <p
          className="plot-caption"
          data-live-result
          data-cell={r.cell}
          data-val={r.validationAccuracy}
          data-table-val={table.val[r.cell]}
          data-test={r.testAccuracy}
          data-table-test={table.test[r.cell]}
          data-seconds={r.trainSeconds}
        >
          Trained here on {job.backend ?? 'the worker'} in {r.trainSeconds.toFixed(1)} s: validation {formatPercent(r.validationAccuracy)} (table {formatPercent(table.val[r.cell])}), test{' '}
          {formatPercent(r.testAccuracy)} (table {formatPercent(table.test[r.cell])}).
          {job.backend !== 'wasm' && ' Another backend rounds differently, so a point or so of difference is expected; on wasm the run repeats the table’s.'}
        </p>
      )}
      {job.error && <p className="demo-error" role="alert">{job.error}</p>}
    </div>
  );
}
