'use client';
import { useCallback, useEffect, useMemo } from 'react';
import type { tf } from '../runtime/tf';
import type { Motion } from '../runtime/models/transform';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useResource } from '../ui/useResource';
import { useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { argMax, INVARIANCE_NETS, sweepDigit, type DigitSweep, type SweepKind } from './model';
import { digitParams, motionParams } from './params';
import { formatPercent } from '../ui/plots/scale';

const X_LABEL: Record<SweepKind, string> = { x: 'shift right (px)', y: 'shift down (px)', rotate: 'rotation (°)' };

/** The four networks, loaded together (about 200 kB); the frame shows a failed load with its Retry. */
async function loadNets(signal: AbortSignal, onProgress: (f: number) => void): Promise<LoadedModel[]> {
  const done = INVARIANCE_NETS.map(() => 0);
  return Promise.all(
    INVARIANCE_NETS.map((n, i) =>
      loadModel(n.name, {
        baseUrl: MODELS_BASE_URL,
        signal,
        onProgress: (f) => {
          done[i] = f;
          onProgress(done.reduce((a, b) => a + b, 0) / done.length);
        },
      }),
    ),
  );
}
const disposeNets = (ms: LoadedModel[]) => ms.forEach((m) => m.model.dispose());

interface Job {
  input: Float32Array;
  meta: DigitMeta;
  kind: SweepKind;
  motion: Motion;
}

/** A digit shifted and rotated in front of four CNNs: P(true class) against shift or rotation, and each answer. */
export default function InvarianceView() {
  const { values: p, set } = useDemoParams(motionParams);
  const digitIn = useDigitParams(digitParams);
  const nets = useResource<LoadedModel[]>(loadNets, 'invariance', disposeNets);
  const models = useMemo(() => (nets.value ? nets.value.map((n) => n.model) : null), [nets.value]);
  const run = useCallback(
    (job: Job): Promise<DigitSweep> => sweepDigit(models as readonly tf.LayersModel[], job.input, job.kind, job.motion, job.meta.label),
    [models],
  );
  const latest = useLatest(models ? run : null);
  const { submit, clear } = latest;
  const { digit } = digitIn;
  const kind = p.sweep as SweepKind;
  useEffect(() => {
    if (digit) submit({ ...digit, kind, motion: { dx: p.dx, dy: p.dy, degrees: p.degrees } });
    else clear();
  }, [digit, kind, p.dx, p.dy, p.degrees, submit, clear]);
  const r = latest.result;
  useReady(r !== null);
  const label = latest.input?.meta.label;
  const accuracies = nets.value?.map((n) => n.manifest.test.accuracy);

  return (
    <div className="invariance-demo">
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={digitIn.next}>
          Next test digit
        </button>
        <span className="status-line">{models ? `${latest.count} sweep${latest.count === 1 ? '' : 's'} of 4 networks` : `Loading the four networks… ${Math.round(100 * nets.progress)} %`}</span>
      </div>
      <ParamControls table={motionParams} values={p} onChange={set} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digitIn.props}>
          <span style={{ color: 'var(--fg)' }}>
            {r ? (label !== undefined ? `Label ${label}: the curves follow P(${label}).` : `No label: the curves follow P(${r.target}), the networks’ joint answer.`) : ''}
          </span>
        </DigitInput>
        <figure style={{ margin: 0 }}>
          <MapImage
            values={r?.image ?? new Float32Array(784)}
            width={28}
            height={28}
            zoom={4}
            scale={1}
            label={`The digit shifted ${p.dx} px right, ${p.dy} px down and turned ${p.degrees}°, as the networks see it`}
            caption={`moved by (${p.dx}, ${p.dy}) px, ${p.degrees}°`}
          />
          <table className="stats" style={{ marginTop: '0.4rem' }} aria-live="polite">
            <thead>
              <tr>
                <th scope="col">network</th>
                <th scope="col">answer</th>
                <th scope="col">P({r?.target ?? '·'})</th>
                <th scope="col">test acc.</th>
              </tr>
            </thead>
            <tbody>
              {INVARIANCE_NETS.map((n, k) => {
                const probs = r?.currentProbs[k];
                const answer = probs ? argMax(probs) : -1;
                return (
                  <tr key={n.name} data-net={n.name} data-answer={answer >= 0 ? answer : undefined}>
                    <th scope="row" style={{ fontWeight: 'normal' }}>
                      <span style={{ color: SERIES[k] }} aria-hidden="true">
                        ■
                      </span>{' '}
                      {n.title}
                    </th>
                    <td>{answer >= 0 ? `${answer}${r && answer !== r.target ? ' ✗' : ''}` : '…'}</td>
                    <td>{probs && r ? formatPercent(probs[r.target]) : '…'}</td>
                    <td>{accuracies ? formatPercent(accuracies[k]) : '…'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </figure>
      </div>
      <Chart
        label={`Probability of the class ${r?.target ?? ''} against ${X_LABEL[kind]}`}
        height={240}
        x={r ? Array.from(r.values) : []}
        xLabel={X_LABEL[kind]}
        yLabel={`P(${r?.target ?? 'class'})`}
        yMin={0}
        yMax={1}
        series={INVARIANCE_NETS.map((n, k) => ({ label: n.title, color: SERIES[k], dashed: n.augmented, values: r?.curves[k] ?? [] }))}
      />
      <p className="plot-caption">
        Solid: trained on MNIST as it is. Dashed: trained on digits shifted by up to ±6 px and turned by up to ±30°. The other two coordinates of
        the motion stay at the values above.
      </p>
    </div>
  );
}
