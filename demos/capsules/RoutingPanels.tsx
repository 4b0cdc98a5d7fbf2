'use client';
import { useMemo } from 'react';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { CAPSNET, couplingMap, type RoutingTrace } from './model';
import { couplingCaption, DIGITS, lengthCurve } from './display';

/** The primary-capsule grid's coupling to the two longest digit capsules (`top`) at `iteration`. */
export function CouplingMaps({ trace, iteration, top }: { trace: RoutingTrace | null; iteration: number; top: number[] }) {
  const r = iteration - 1;
  const topKey = top.join();
  const maps = useMemo(() => (trace ? topKey.split(',').filter(Boolean).map((j) => couplingMap(trace, r, Number(j))) : []), [trace, r, topKey]);
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem', alignItems: 'start' }} data-iteration={iteration}>
      {top.map((j, k) => (
        <MapImage
          key={k}
          values={maps[k] ?? []}
          width={CAPSNET.grid}
          height={CAPSNET.grid}
          zoom={18}
          scale={1}
          positive={SERIES[k + 1]}
          label={`Coupling of the 6 × 6 primary-capsule grid to digit capsule ${j} at iteration ${iteration}`}
          caption={couplingCaption(j, iteration, maps[k])}
        />
      ))}
    </div>
  );
}

/** Each digit capsule's length against the routing iteration; the longest one solid. */
export function LengthsChart({ trace, longest }: { trace: RoutingTrace | null; longest: number | undefined }) {
  return (
    <Chart
      label="Length of each digit capsule against the routing iteration"
      height={220}
      x={[1, 2, 3, 4, 5]}
      xLabel="routing iteration"
      yLabel="‖v_j‖"
      yMin={0}
      yMax={1}
      series={DIGITS.map((d, j) => ({ label: d, color: SERIES[j], dashed: j !== longest, values: trace ? lengthCurve(trace, j) : [] }))}
    />
  );
}
