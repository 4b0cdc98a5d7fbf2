'use client';
import { useMemo } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useComputed } from '../ui/useLatest';
import { useReady, useShownCount } from '../ui/useReady';
import { ParamControls } from '../ui/controls/ParamControls';
import { ScatterCanvas } from '../ui/plots/ScatterCanvas';
import { useThemeColors } from '../ui/plots/useTheme';
import { DIMENSIONS, invertedResidualCost, lostProbability, roundTrips, separableCost, spiral, type Activation } from './model';
import { blockParams, spiralParams } from './params';
import { formatInt, formatPercent } from '../ui/plots/scale';

const POINTS = 600;
const int = formatInt;
const pct = (v: number) => (v >= 0.001 || v === 0 ? formatPercent(v) : `${v >= 1e-5 ? (100 * v).toPrecision(2) : (100 * v).toExponential(1)}\u00a0%`);

/** Half-width of a window holding every finite point. */
function extentOf(points: Float32Array): number {
  let m = 1.05;
  for (const v of points) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v) * 1.05);
  return m;
}

/** MobileNetV2: the spiral through ReLU in n dimensions (the paper's Figure 1), and an inverted residual block's cost. */
export default function MobilenetV2View() {
  const { values: p, set } = useDemoParams(spiralParams);
  const { values: b, set: setBlock } = useDemoParams(blockParams);
  const colors = useThemeColors();
  const points = useMemo(() => spiral(POINTS), []);
  const trips = useComputed(async (q: { seed: number; act: string }) => roundTrips(points, DIMENSIONS, q.seed, q.act as Activation), { seed: p.seed, act: p.act });
  useReady(trips !== null);
  const drawn = useShownCount(trips);
  const hue = (i: number) => `hsl(${210 - (170 * i) / (POINTS - 1)}, 75%, ${colors.dark ? 65 : 42}%)`;
  const lostInk = colors.dark ? '#8a94a3' : '#9aa3ae';

  const shape = { h: b.h, cin: b.cin, cout: b.cout, t: b.t, k: Number(b.k) };
  const inv = invertedResidualCost(shape);
  const sep = separableCost(shape);

  return (
    <div className="mobilenet-v2-demo">
      <ParamControls table={spiralParams} values={p} onChange={set} only={['act']} />
      <div className="toolbar" data-frames={drawn} data-running="0">
        <button type="button" data-action="step" onClick={() => set('seed', p.seed >= spiralParams.seed.max ? 1 : p.seed + 1)}>
          New random matrices T
        </button>
        <span className="status-line">seed {p.seed}</span>
      </div>
      <div className="plots" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(120px, 1fr))', gap: '0.75rem' }}>
        <figure style={{ margin: 0 }}>
          <ScatterCanvas points={points} color={hue} extent={1.05} size={120} label="The input: a spiral in the plane" />
          <figcaption className="plot-caption">input x</figcaption>
        </figure>
        {trips?.map((r) => (
          <figure key={r.n} style={{ margin: 0 }} data-n={r.n}>
            <ScatterCanvas
              points={r.pseudo}
              color={(i) => (r.active[i] < 2 ? lostInk : hue(i))}
              ring={(i) => r.active[i] < 2}
              extent={extentOf(r.pseudo)}
              size={120}
              label={`n = ${r.n}: the spiral through ${p.act === 'relu' ? 'ReLU' : 'no activation'} in ${r.n} dimensions, brought back with T's pseudo-inverse`}
            />
            <figcaption className="plot-caption">
              n = {r.n}: {pct(r.lost)} lost
            </figcaption>
          </figure>
        ))}
      </div>
      {trips && (
        <table className="stats">
          <caption>
            {POINTS} points of the spiral through {p.act === 'relu' ? 'ReLU(T·x)' : 'T·x'}, T with N(0, 1) entries (seed {p.seed}); a point is lost when fewer than two of its n
            coordinates stay positive
          </caption>
          <thead>
            <tr>
              <th scope="col">n</th>
              <th scope="col">lost here</th>
              <th scope="col">(n + 1)/2ⁿ</th>
              <th scope="col">error of the rest, recovered exactly</th>
            </tr>
          </thead>
          <tbody>
            {trips.map((r) => (
              <tr key={r.n}>
                <th scope="row">{r.n}</th>
                <td>{pct(r.lost)}</td>
                <td>{p.act === 'relu' ? pct(lostProbability(r.n)) : '0 %'}</td>
                <td>{r.exactError.toExponential(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="plot-caption">
        Hollow grey points are lost: ReLU zeroed all but at most one of their coordinates, so no map back can place them. Every other point is still recoverable exactly
        from the coordinates that stayed positive (last column), even where the pseudo-inverse bends the spiral.
      </p>

      <ParamControls table={blockParams} values={b} onChange={setBlock} />
      <table className="stats">
        <caption>
          One block at stride 1 on an {b.h}×{b.h} map, {b.cin} → {b.cout} channels, biases and batch norm left out
        </caption>
        <thead>
          <tr>
            <th scope="col"></th>
            <th scope="col">inverted residual, t = {b.t}</th>
            <th scope="col">V1 separable</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">parameters</th>
            <td>{int(inv.params)}</td>
            <td>{int(sep.params)}</td>
          </tr>
          <tr>
            <th scope="row">multiply-adds</th>
            <td>{int(inv.macs)}</td>
            <td>{int(sep.macs)}</td>
          </tr>
          <tr>
            <th scope="row">widest tensor inside</th>
            <td>
              {b.h}×{b.h}×{inv.inner}
            </td>
            <td>
              {b.h}×{b.h}×{sep.inner}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="plot-caption">
        The inverted block costs h²·d′·t·(d′ + k² + d″) multiply-adds: {(inv.macs / sep.macs).toFixed(2)}× the separable block with the same ends. MobileNetV2 pays
        this by keeping d′ and d″ small; only the thin tensors between blocks must be kept in memory.
      </p>
    </div>
  );
}
