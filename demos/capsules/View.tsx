'use client';
import { useMemo } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useComputed } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { Chart } from '../ui/plots/Chart';
import { ProbabilityBars } from '../ui/plots/ProbabilityBars';
import { SERIES } from '../ui/plots/palette';
import { DigitInput } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { CAPSNET, routeParts, squashLength, type Pose } from './model';
import { accuracyText, DIGITS, lengthsAt, longestText, movedParts, routedText } from './display';
import { digitParams, partsParams, routingParams } from './params';
import { CouplingMaps, LengthsChart } from './RoutingPanels';
import { PartsCanvas, PartsTable } from './PartsPanels';
import { useRoutedDigit } from './useRoutedDigit';

/** The squash curve, computed once: ‖v‖ = ‖s‖²/(1 + ‖s‖²) for ‖s‖ in [0, 5]. */
const S_NORMS = Array.from({ length: 101 }, (_, k) => k / 20);
const SQUASH = S_NORMS.map(squashLength);
const route = (a: { poses: Pose[]; rounds: number }) => routeParts(a.poses, a.rounds);
const GRID = { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' } as const;

/** Routing in a small CapsNet on one digit, step by step; then parts and wholes routed live, and the squash curve. */
export default function CapsulesView() {
  const { values: p, set } = useDemoParams(routingParams);
  const { values: q, set: setQ } = useDemoParams(partsParams);
  const digitIn = useDigitParams(digitParams);
  const { digit } = digitIn;
  const { shipped, trace } = useRoutedDigit(digit?.input ?? null);
  const t = trace.result;
  useReady(t !== null);
  const { lengths, order } = lengthsAt(t, p.iteration);
  const label = trace.input && digit?.meta.label;

  const poses = useMemo(() => movedParts(q.part, q.dx, q.dy, q.turn), [q.part, q.dx, q.dy, q.turn]);
  const parts = useComputed(route, { poses, rounds: q.rounds });

  return (
    <div className="capsules-demo">
      <div className="toolbar" data-frames={trace.count} data-running="0">
        <button type="button" data-action="step" onClick={digitIn.next}>
          Next test digit
        </button>
        <span className="status-line">
          {routedText(shipped.value !== null, trace.count, shipped.progress)}
          {accuracyText(shipped.value?.manifest.test)}
        </span>
      </div>
      <ParamControls table={routingParams} values={p} onChange={set} />
      <div style={GRID}>
        <DigitInput {...digitIn.props}>
          <span style={{ color: 'var(--fg)' }} aria-live="polite">
            {lengths ? longestText(p.iteration, order[0], label ?? undefined) : ''}
          </span>
        </DigitInput>
        <figure style={{ margin: 0 }}>
          <ProbabilityBars probs={lengths} classes={DIGITS} top={order.length ? order[0] : -1} label={`Length of each digit capsule after ${p.iteration} routing iterations`} rowHeight={20} />
          <figcaption className="plot-caption">‖v<sub>j</sub>‖ of the ten digit capsules after iteration {p.iteration}</figcaption>
        </figure>
      </div>
      <CouplingMaps trace={t} iteration={p.iteration} top={order.slice(0, 2)} />
      <p className="plot-caption">
        Each cell is a position of the 6 × 6 grid of primary capsules; its shade is c<sub>ij</sub> to the digit capsule named, averaged over the
        cell’s {CAPSNET.types} capsule types weighted by their lengths ‖u<sub>i</sub>‖. Iteration 1 is uniform (c = 1/10 everywhere): routing starts from
        b = 0.
      </p>
      <LengthsChart trace={t} longest={order[0]} />

      <p className="demo-subtitle" style={{ margin: '1.2rem 0 0.3rem' }}>Parts and wholes, routed live</p>
      <ParamControls table={partsParams} values={q} onChange={setQ} />
      <div style={GRID}>
        <PartsCanvas poses={poses} routed={parts} />
        <PartsTable routed={parts} />
      </div>
      <Chart
        label="The squash function: output length against input length"
        height={180}
        x={S_NORMS}
        xLabel="‖s_j‖"
        yLabel="‖v_j‖"
        yMin={0}
        yMax={1}
        series={[{ label: '‖v‖ = ‖s‖²/(1+‖s‖²)', color: SERIES[0], values: SQUASH }]}
      />
    </div>
  );
}
