'use client';
import { useState } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls } from '../ui/controls/JobControls';
import { useJob } from '../ui/useJob';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { LAYERS, NETS, netIndex } from './model';
import { curveOf, latest, type TrainInput, type TrainProgress } from './train';
import { layerParams, trainParams } from './params';
import { formatPercent } from '../ui/plots/scale';

const COLORS = { frozen: SERIES[0], fine: SERIES[1], scratch: SERIES[7] };

/** Final (or latest) accuracy by layers copied, 0…3: copied 0 is the network trained from scratch. */
function byLayer(acc: Float32Array, frozen: boolean): number[] {
  return [0, 1, 2, 3].map((n) => (acc.length ? acc[netIndex(n, frozen)] : NaN));
}

/** Seven networks trained in the demo's worker on k digits per class of 5–9: from scratch, and with n layers copied. */
export function TransferPanel() {
  const { values: t, set: setTrain } = useDemoParams(trainParams);
  const { values: l, set: setLayers } = useDemoParams(layerParams);
  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const shown = job.result ?? job.partial;
  const [started, setStarted] = useState<{ k: number; seed: number } | null>(null);
  const n = l.layers;
  const now = shown ? latest(shown) : new Float32Array(0);
  const race = shown
    ? [
        { label: `Frozen, first ${n} copied`, color: COLORS.frozen, values: curveOf(shown, netIndex(n, true)) },
        { label: `Fine-tuned, first ${n} copied`, color: COLORS.fine, values: curveOf(shown, netIndex(n, false)) },
        { label: 'From scratch', color: COLORS.scratch, dashed: true, values: curveOf(shown, 0) },
      ]
    : [];
  const stale = shown && (shown.k !== t.k || shown.seed !== t.seed);

  return (
    <section aria-label="Transfer to digits 5–9" style={{ marginTop: '1rem', paddingTop: '0.8rem', borderTop: '1px solid var(--line)' }}>
      <p style={{ margin: '0 0 0.6rem', fontSize: '0.95rem' }}>
        <strong>Digits 5–9 from k examples each.</strong> Seven networks train together on the same {5 * t.k} digits and batches (Adam, rate 10⁻³):
        one from scratch, and for n = 1, 2, 3 one with cnn-0to4’s first n layers copied and frozen, one copied and fine-tuned. Scored on the test digits 5–9 among the first 1,000.
      </p>
      <ParamControls table={trainParams} values={t} onChange={setTrain} />
      <JobControls
        job={job}
        onStart={() => {
          setStarted({ k: t.k, seed: t.seed });
          job.start({ k: t.k, seed: t.seed });
        }}
        startLabel="Train the seven networks"
        label="Training steps done"
        status={
          shown
            ? `k = ${shown.k}: step ${shown.steps.at(-1) ?? 0} of ${shown.total}, ${shown.seconds.toFixed(1)} s, ${shown.testCount} test digits${stale ? ' (the controls changed: Run again to use them)' : ''}`
            : started && job.state === 'running'
              ? 'loading cnn-0to4 and the digits, then scoring the seven networks before training…'
              : undefined
        }
      />
      {job.state === 'error' && !job.fatal && <p role="alert">{job.error}</p>}
      <ParamControls table={layerParams} values={l} onChange={setLayers} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '1rem 1.5rem' }}>
        <Chart label={`Test accuracy on 5–9 during training, first ${n} layer${n === 1 ? '' : 's'} copied`} height={220} x={shown?.steps ?? []} xLabel="step" yLabel="test accuracy" yMin={0} yMax={1} series={race} />
        <Chart
          label="Test accuracy by layers copied (0: from scratch), now"
          height={220}
          x={[0, 1, 2, 3]}
          xLabel="layers copied n"
          yLabel="test accuracy"
          yMin={0}
          yMax={1}
          series={[
            { label: 'Frozen (AnB)', color: COLORS.frozen, values: byLayer(now, true) },
            { label: 'Fine-tuned (AnB+)', color: COLORS.fine, values: byLayer(now, false) },
            { label: 'From scratch', color: COLORS.scratch, dashed: true, values: [0, 1, 2, 3].map(() => (now.length ? now[0] : NaN)) },
          ]}
        />
      </div>
      <table className="stats" style={{ marginTop: '0.6rem' }}>
        <caption>Test accuracy on 5–9{shown ? ` at step ${shown.steps.at(-1)}, k = ${shown.k}` : ' (press Train)'}</caption>
        <thead>
          <tr>
            <th scope="col">layers copied</th>
            <th scope="col">frozen</th>
            <th scope="col">fine-tuned</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">0 (from scratch)</th>
            <td colSpan={2} data-net="scratch">
              {now.length ? formatPercent(now[0]) : '–'}
            </td>
          </tr>
          {LAYERS.map((name, i) => (
            <tr key={name} aria-current={i + 1 === n ? 'true' : undefined} style={i + 1 === n ? { fontWeight: 600 } : undefined}>
              <th scope="row">
                {i + 1} (up to {name})
              </th>
              <td data-net={NETS[netIndex(i + 1, true)].key}>{now.length ? formatPercent(now[netIndex(i + 1, true)]) : '–'}</td>
              <td data-net={NETS[netIndex(i + 1, false)].key}>{now.length ? formatPercent(now[netIndex(i + 1, false)]) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
